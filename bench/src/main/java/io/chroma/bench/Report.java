package io.chroma.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Objects;
import java.util.function.Function;

/** Markdown renderings: one run, or two runs side by side with ratios. */
public final class Report {

    private Report() {
    }

    public static String single(BenchResult r) {
        StringBuilder md = new StringBuilder();
        md.append("# Chroma HTTP benchmark: ").append(nz(r.label())).append("\n\n");
        environment(md, r);
        md.append("\n## Parameters\n\n");
        BenchResult.Params p = r.params();
        md.append("| n | dim | batch (asked → sent) | clients | queries/phase | k | warm-up | data | base64 | space | collection |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %d | %d | %d → %d | %d | %d | %d | %d | %s | %s | %s | %s |%n",
                p.n(), p.dim(), p.batchRequested(), p.batchSize(), p.clients(), p.queries(), p.k(), p.warmup(),
                p.data(), p.base64(), p.space(), p.collection()));

        BenchResult.Ingest in = r.ingest();
        md.append("\n## Ingest\n\n| metric | value |\n|---|---|\n");
        row(md, "vectors/s acknowledged (all adds answered)", fmt(in.ackVectorsPerSecond(), 0) + " (" + fmt(in.ackSeconds(), 2) + " s)");
        row(md, "vectors/s queryable (last batch found by a query)", fmt(in.queryableVectorsPerSecond(), 0)
                + " (" + fmt(in.queryableSeconds(), 2) + " s, " + in.queryablePolls() + " polls)");
        row(md, "add batch latency p50 / p99 / max (ms)", fmt(in.batchLatency().p50Ms(), 1) + " / "
                + fmt(in.batchLatency().p99Ms(), 1) + " / " + fmt(in.batchLatency().maxMs(), 1));
        row(md, "count after ingest", in.countAfter() + (in.countCorrect() ? " (correct)" : " (WRONG, expected " + in.n() + ")"));

        md.append("\n## Reads\n\n");
        md.append("| phase | requests | clients | p50 ms | p90 ms | p99 ms | mean ms | QPS | recall@").append(p.k())
                .append(" | answers correct | errors |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (BenchResult.Phase ph : r.phases()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %d |%n",
                    ph.name(), ph.requests(), ph.clients(), fmt(ph.latency().p50Ms(), 3), fmt(ph.latency().p90Ms(), 3),
                    fmt(ph.latency().p99Ms(), 3), fmt(ph.latency().meanMs(), 3), fmt(ph.qps(), 1),
                    ph.recall() == null ? "" : fmt(ph.recall(), 4),
                    ph.correct() == null ? "" : ph.correct() ? "yes" : "**no**", ph.errors()));
        }
        md.append('\n');
        for (BenchResult.Phase ph : r.phases()) {
            md.append("- `").append(ph.name()).append("`: ").append(ph.description());
            if (ph.note() != null) {
                md.append(" — ").append(ph.note());
            }
            md.append('\n');
        }

        BenchResult.Resources res = r.resources();
        if (res != null && (!res.rssKiB().isEmpty() || !res.diskKiB().isEmpty())) {
            md.append("\n## Resources\n\n| moment | server RSS (MiB) | data dir (MiB, du) |\n|---|---|---|\n");
            List<String> moments = new ArrayList<>(res.rssKiB().keySet());
            for (String m : res.diskKiB().keySet()) {
                if (!moments.contains(m)) {
                    moments.add(m);
                }
            }
            for (String m : moments) {
                md.append("| ").append(m).append(" | ").append(mib(res.rssKiB().get(m))).append(" | ")
                        .append(mib(res.diskKiB().get(m))).append(" |\n");
            }
            if (res.peakRssKiB() != null) {
                md.append("| peak (VmHWM) before restart | ").append(mib(res.peakRssKiB())).append(" | |\n");
            }
            md.append("\nPID ").append(res.pid()).append(res.dataDir() == null ? "" : ", data dir " + res.dataDir()).append('\n');
        }

        BenchResult.Restart rs = r.restart();
        if (rs != null) {
            md.append("\n## Restart\n\n| metric | value |\n|---|---|\n");
            row(md, "restart command", "`" + rs.command() + "` (" + fmt(rs.commandSeconds(), 2) + " s)");
            row(md, "heartbeat answered after (s)", fmt(rs.heartbeatSeconds(), 3));
            row(md, "first query answered after (s)", fmt(rs.firstQueryReadySeconds(), 3));
            row(md, "first query latency (ms)", fmt(rs.firstQueryMs(), 1));
            row(md, "second query latency (ms)", fmt(rs.secondQueryMs(), 1));
            row(md, "count after restart", String.valueOf(rs.countAfter()));
            row(md, "same top-k as before restart", rs.sameResults() ? "yes" : "**no** " + nz(rs.note()));
        }
        warnings(md, r);
        return md.toString();
    }

    /** One comparable number of a run; {@code higherIsBetter} decides the arrow in the table. */
    record Metric(String name, boolean higherIsBetter, Function<BenchResult, Double> get, int decimals) {
    }

    static List<Metric> metrics(BenchResult sample) {
        List<Metric> m = new ArrayList<>();
        m.add(new Metric("ingest vectors/s (acknowledged)", true, r -> r.ingest().ackVectorsPerSecond(), 0));
        m.add(new Metric("ingest vectors/s (queryable)", true, r -> r.ingest().queryableVectorsPerSecond(), 0));
        m.add(new Metric("add batch p50 ms", false, r -> r.ingest().batchLatency().p50Ms(), 1));
        for (BenchResult.Phase ph : sample.phases()) {
            String n = ph.name();
            m.add(new Metric(n + " p50 ms", false, r -> phaseValue(r, n, x -> x.latency().p50Ms()), 3));
            m.add(new Metric(n + " p99 ms", false, r -> phaseValue(r, n, x -> x.latency().p99Ms()), 3));
            m.add(new Metric(n + " QPS", true, r -> phaseValue(r, n, BenchResult.Phase::qps), 1));
            if (ph.recall() != null) {
                m.add(new Metric(n + " recall@" + sample.params().k(), true, r -> phaseValue(r, n, BenchResult.Phase::recall), 4));
            }
        }
        m.add(new Metric("server RSS after ingest MiB", false, r -> mibD(rss(r, "after_ingest")), 0));
        m.add(new Metric("server RSS after queries MiB", false, r -> mibD(rss(r, "after_queries")), 0));
        m.add(new Metric("server peak RSS MiB", false, r -> r.resources() == null ? null : mibD(r.resources().peakRssKiB()), 0));
        m.add(new Metric("data dir after queries MiB", false, r -> r.resources() == null ? null
                : mibD(r.resources().diskKiB().get("after_queries")), 1));
        m.add(new Metric("restart: first query answered after s", false, r -> r.restart() == null ? null
                : r.restart().firstQueryReadySeconds(), 3));
        m.add(new Metric("restart: first query ms", false, r -> r.restart() == null ? null : r.restart().firstQueryMs(), 1));
        return m;
    }

    /**
     * Two runs of the same parameters: {@code base} (the real Chroma server) and {@code candidate}
     * (ours), with candidate/base ratios. A ratio above 1 is better for "higher is better" rows.
     */
    public static String compare(BenchResult base, BenchResult candidate) {
        StringBuilder md = new StringBuilder();
        md.append("# Chroma HTTP benchmark: ").append(nz(candidate.label())).append(" vs ").append(nz(base.label())).append("\n\n");
        md.append("Same tool, same data and requests, one after the other on the same machine.\n\n");
        environment(md, candidate);
        if (!Objects.equals(base.environment().gitCommit(), candidate.environment().gitCommit())) {
            md.append("- note: the two runs name different commits (").append(base.environment().gitCommit())
                    .append(" / ").append(candidate.environment().gitCommit()).append(")\n");
        }
        md.append("- ").append(base.label()).append(": ").append(base.server().url()).append(", version ")
                .append(base.server().version()).append(", pre-flight `").append(base.server().preflight()).append("`, load ")
                .append(base.environment().loadavgStart()).append(" → ").append(base.environment().loadavgEnd()).append('\n');
        md.append("- ").append(candidate.label()).append(": ").append(candidate.server().url()).append(", version ")
                .append(candidate.server().version()).append(", pre-flight `").append(candidate.server().preflight())
                .append("`, load ").append(candidate.environment().loadavgStart()).append(" → ")
                .append(candidate.environment().loadavgEnd()).append('\n');
        BenchResult.Params p = candidate.params();
        md.append(String.format(Locale.ROOT, "- parameters: n %d, dim %d, batch %d (sent %d / %d), %d clients, %d queries per phase, k %d, %s%n",
                p.n(), p.dim(), p.batchRequested(), base.params().batchSize(), p.batchSize(), p.clients(), p.queries(),
                p.k(), p.data()));
        if (p.n() != base.params().n() || p.dim() != base.params().dim() || p.queries() != base.params().queries()
                || !Objects.equals(p.data(), base.params().data())) {
            md.append("- **warning: the runs used different parameters; ratios are not comparable**\n");
        }
        md.append("\n| metric | ").append(base.label()).append(" | ").append(candidate.label()).append(" | ")
                .append(candidate.label()).append(" / ").append(base.label()).append(" | better |\n");
        md.append("|---|---|---|---|---|\n");
        for (Metric m : metrics(base)) {
            Double a = safe(m.get(), base);
            Double b = safe(m.get(), candidate);
            if (a == null && b == null) {
                continue;
            }
            String ratio = a == null || b == null || a == 0 ? "" : fmt(b / a, 2);
            md.append("| ").append(m.name()).append(" | ").append(a == null ? "—" : fmt(a, m.decimals())).append(" | ")
                    .append(b == null ? "—" : fmt(b, m.decimals())).append(" | ").append(ratio).append(" | ")
                    .append(m.higherIsBetter() ? "higher" : "lower").append(" |\n");
        }
        md.append("\n## Answers checked by the tool\n\n| phase | ").append(base.label()).append(" | ")
                .append(candidate.label()).append(" |\n|---|---|---|\n");
        md.append("| count after ingest | ").append(base.ingest().countCorrect() ? "ok" : "**wrong**").append(" | ")
                .append(candidate.ingest().countCorrect() ? "ok" : "**wrong**").append(" |\n");
        for (BenchResult.Phase ph : base.phases()) {
            md.append("| ").append(ph.name()).append(" | ").append(check(ph)).append(" | ")
                    .append(phase(candidate, ph.name()).map(Report::check).orElse("—")).append(" |\n");
        }
        if (base.restart() != null || candidate.restart() != null) {
            md.append("| same answer after restart | ").append(base.restart() == null ? "—" : base.restart().sameResults() ? "ok" : "**no**")
                    .append(" | ").append(candidate.restart() == null ? "—" : candidate.restart().sameResults() ? "ok" : "**no**").append(" |\n");
        }
        md.append("\nPer-run details: the JSON/Markdown files next to this one.\n");
        warnings(md, base);
        warnings(md, candidate);
        return md.toString();
    }

    private static String check(BenchResult.Phase ph) {
        String s = ph.correct() == null ? "" : ph.correct() ? "ok" : "**wrong**";
        if (ph.errors() > 0) {
            s += " (" + ph.errors() + " errors)";
        }
        if (ph.note() != null && !Boolean.TRUE.equals(ph.correct())) {
            s += ": " + ph.note().replace("|", "\\|");
        }
        return s;
    }

    private static Double safe(Function<BenchResult, Double> f, BenchResult r) {
        try {
            Double v = f.apply(r);
            return v == null || v.isNaN() ? null : v;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Optional<BenchResult.Phase> phase(BenchResult r, String name) {
        return r.phases().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** A number of the named phase, or null when the run has no such phase. */
    private static Double phaseValue(BenchResult r, String name, Function<BenchResult.Phase, Double> f) {
        return phase(r, name).map(f).orElse(null);
    }

    private static Long rss(BenchResult r, String moment) {
        return r.resources() == null ? null : r.resources().rssKiB().get(moment);
    }

    private static void environment(StringBuilder md, BenchResult r) {
        BenchResult.Environment e = r.environment();
        md.append("- date: ").append(r.date()).append('\n');
        md.append("- server: ").append(r.server().url()).append(" (version ").append(r.server().version())
                .append(", pre-flight `").append(r.server().preflight()).append("`)\n");
        md.append("- machine: ").append(e.nproc()).append(" CPUs (nproc), ").append(mib(e.memTotalKiB()))
                .append(" MiB RAM, ").append(e.cpuModel()).append(", ").append(e.os()).append('\n');
        md.append("- load average at start / end: ").append(e.loadavgStart()).append(" / ").append(e.loadavgEnd()).append('\n');
        md.append("- JDK (runs the tool, and our server via find-jdk): ").append(e.jdk()).append('\n');
        md.append("- git commit: ").append(e.gitCommit()).append('\n');
    }

    private static void warnings(StringBuilder md, BenchResult r) {
        if (r.warnings() != null && !r.warnings().isEmpty()) {
            md.append("\n### Warnings (").append(r.label()).append(")\n\n");
            for (String w : r.warnings()) {
                md.append("- ").append(w).append('\n');
            }
        }
    }

    private static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    static String fmt(double x, int decimals) {
        if (Double.isNaN(x)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", x);
    }

    private static String mib(Long kib) {
        return kib == null || kib < 0 ? "" : fmt(kib / 1024.0, 1);
    }

    private static Double mibD(Long kib) {
        return kib == null ? null : kib / 1024.0;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
