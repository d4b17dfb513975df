package io.chroma.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command line: {@code run} (the default) benchmarks one server; {@code compare-report} renders two runs. */
public final class Main {

    static final String USAGE = """
            usage: bench/run --url URL [options]              benchmark one Chroma /api/v2 server
                   bench/run compare-report BASE.json CANDIDATE.json --out FILE.md [--json FILE.json]

            data and workload
              --n N               vectors to ingest (10000)
              --dim D             dimension (384)
              --batch B           add batch size, capped by the server's max_batch_size (1000)
              --clients C         concurrent clients for the concurrent query phase (4)
              --queries Q         queries per query phase (500); 0 skips queries and restart
              --k K               n_results (10)
              --warmup W          untimed queries before the query phases (1000)
              --gets G            get-by-id requests (= queries)
              --filter-gets F     get requests with $and + $contains (100)
              --counts R          count requests (100)
              --seed S            data seed (42)
              --clusters M        Gaussian clusters of the synthetic data (1000)
              --vectors FILE      ingest raw little-endian float32 vectors (dim per row) instead
              --base64            send add embeddings as base64 when pre-flight supports it
            server
              --url URL           server root, e.g. http://localhost:8000 (required)
              --tenant T / --database D / --collection NAME   (default_tenant / default_database / fresh name)
              --timeout SECS      per-request timeout (300)
              --queryable-timeout SECS   how long to wait for the last batch to be queryable (600)
              --pid PID           server PID for RSS (/proc/PID/status VmRSS, summed with children)
              --pid-cmd CMD       shell command printing the server PID (re-run after a restart)
              --data-dir DIR      server data directory for du
              --restart-cmd CMD   shell command that restarts the server and returns once the old one
                                  is gone; the tool then times heartbeat and the first query
            output
              --label NAME        name of this server in reports (server)
              --out PREFIX        writes PREFIX.json and PREFIX.md
                                  (bench/results/bench-LABEL-N-DATE)
              --work-dir DIR      ground-truth cache and logs (bench/work)
              --repo DIR          git work tree whose commit is reported (the bench's parent)
            """;

    private static final Set<String> FLAGS = Set.of("base64", "help");

    public static void main(String[] argv) {
        try {
            System.exit(run(argv));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("(bench/run --help for the options)");
            System.exit(2);
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    static int run(String[] argv) throws IOException {
        List<String> args = new ArrayList<>(List.of(argv));
        if (!args.isEmpty() && args.get(0).equals("compare-report")) {
            return compareReport(args.subList(1, args.size()));
        }
        if (!args.isEmpty() && args.get(0).equals("run")) {
            args.remove(0);
        }
        Map<String, String> o = parse(args, List.of());
        if (o.containsKey("help")) {
            System.out.print(USAGE);
            return 0;
        }
        BenchConfig cfg = config(o);
        BenchResult result = new Benchmark(cfg, System.err).run();
        write(cfg.out(), result, Report.single(result));
        boolean allCorrect = result.ingest().countCorrect()
                && result.phases().stream().allMatch(p -> !Boolean.FALSE.equals(p.correct()) && p.errors() == 0);
        if (!allCorrect) {
            System.err.println("bench: some answers were wrong or failed (see the report); exit status 3");
            return 3;
        }
        return 0;
    }

    static BenchConfig config(Map<String, String> o) {
        Set<String> known = Set.of("url", "n", "dim", "batch", "clients", "queries", "k", "warmup", "gets",
                "filter-gets", "counts", "seed", "clusters", "vectors", "base64", "tenant", "database", "collection",
                "timeout", "queryable-timeout", "pid", "pid-cmd", "data-dir", "restart-cmd", "label", "out",
                "work-dir", "repo", "help");
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k);
            }
        }
        if (!o.containsKey("url")) {
            throw new IllegalArgumentException("--url is required");
        }
        Path benchHome = Path.of(System.getProperty("bench.home", "bench"));
        String label = o.getOrDefault("label", "server");
        int n = intOpt(o, "n", 10_000);
        int queries = intOpt(o, "queries", 500);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now(ZoneOffset.UTC));
        Path out = o.containsKey("out") ? Path.of(stripExtension(o.get("out")))
                : benchHome.resolve("results").resolve("bench-" + label + "-" + n + "-" + stamp);
        Path repo = o.containsKey("repo") ? Path.of(o.get("repo"))
                : benchHome.toAbsolutePath().normalize().getParent();
        return new BenchConfig(
                o.get("url"), label, n, intOpt(o, "dim", 384), intOpt(o, "batch", 1000), intOpt(o, "clients", 4),
                queries, intOpt(o, "k", 10), intOpt(o, "warmup", 1000), intOpt(o, "gets", queries),
                intOpt(o, "filter-gets", 100), intOpt(o, "counts", 100), longOpt(o, "seed", 42),
                intOpt(o, "clusters", 1000), o.containsKey("vectors") ? Path.of(o.get("vectors")) : null,
                o.containsKey("base64"), o.getOrDefault("tenant", "default_tenant"),
                o.getOrDefault("database", "default_database"), o.get("collection"), intOpt(o, "timeout", 300),
                intOpt(o, "queryable-timeout", 600), o.containsKey("pid") ? intOpt(o, "pid", 0) : null,
                o.get("pid-cmd"), o.containsKey("data-dir") ? Path.of(o.get("data-dir")) : null, o.get("restart-cmd"),
                out, Path.of(o.getOrDefault("work-dir", benchHome.resolve("work").toString())), repo);
    }

    private static int compareReport(List<String> args) throws IOException {
        List<String> positional = new ArrayList<>();
        Map<String, String> o = parse(args, positional);
        if (positional.size() != 2 || !o.containsKey("out")) {
            throw new IllegalArgumentException("compare-report needs BASE.json CANDIDATE.json --out FILE.md");
        }
        ObjectMapper m = mapper();
        BenchResult base = m.readValue(Path.of(positional.get(0)).toFile(), BenchResult.class);
        BenchResult candidate = m.readValue(Path.of(positional.get(1)).toFile(), BenchResult.class);
        Path out = Path.of(o.get("out"));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, Report.compare(base, candidate), StandardCharsets.UTF_8);
        if (o.containsKey("json")) {
            Map<String, Object> both = new HashMap<>();
            both.put("base", base);
            both.put("candidate", candidate);
            m.writeValue(Path.of(o.get("json")).toFile(), both);
        }
        System.err.println("bench: wrote " + out);
        return 0;
    }

    /** --name value, --name=value and bare flags; anything else goes to {@code positional}. */
    static Map<String, String> parse(List<String> args, List<String> positional) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h")) {
                a = "--help";
            }
            if (!a.startsWith("--")) {
                if (positional == null) {
                    throw new IllegalArgumentException("unexpected argument " + a);
                }
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (FLAGS.contains(name)) {
                value = "true";
            } else {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (o.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        return o;
    }

    private static int intOpt(Map<String, String> o, String name, int def) {
        String v = o.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got " + v);
        }
    }

    private static long longOpt(Map<String, String> o, String name, long def) {
        String v = o.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got " + v);
        }
    }

    private static String stripExtension(String s) {
        return s.endsWith(".json") || s.endsWith(".md") ? s.substring(0, s.lastIndexOf('.')) : s;
    }

    static void write(Path prefix, BenchResult result, String markdown) throws IOException {
        Path dir = prefix.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path json = Path.of(prefix + ".json");
        Path md = Path.of(prefix + ".md");
        mapper().writeValue(json.toFile(), result);
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
        System.err.println("bench: wrote " + json + " and " + md);
    }
}
