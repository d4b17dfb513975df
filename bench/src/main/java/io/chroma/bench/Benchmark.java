package io.chroma.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One benchmark run against one server: create a collection, ingest, query in several ways,
 * measure resources, optionally restart. Every request body is built before its phase starts and
 * every response is checked after it ends, so the timed loops do little besides HTTP.
 */
public final class Benchmark {

    static final List<String> QUERY_INCLUDE = List.of("metadatas", "documents", "distances");
    static final List<String> GET_INCLUDE = List.of("metadatas", "documents");

    private final BenchConfig cfg;
    private final PrintStream log;
    private final ChromaHttp http;
    private final List<String> warnings = new ArrayList<>();
    private final BenchResult.Resources resources = BenchResult.Resources.empty();
    private Integer pid;

    public Benchmark(BenchConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
        this.http = newClient();
        this.pid = cfg.pid();
    }

    private ChromaHttp newClient() {
        return new ChromaHttp(cfg.url(), cfg.tenant(), cfg.database(), Duration.ofSeconds(cfg.timeoutSeconds()));
    }

    private void say(String fmt, Object... args) {
        log.printf("[bench %s] %s%n", DateTimeFormatter.ISO_LOCAL_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)).substring(0, 8),
                String.format(fmt, args));
        log.flush();
    }

    private void warn(String message) {
        warnings.add(message);
        say("WARNING: %s", message);
    }

    public BenchResult run() throws IOException {
        String date = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String loadStart = Probe.loadavg();

        // ---- the server: version and pre-flight (max batch size, base64 support)
        ChromaHttp.Response hb = http.get(http.heartbeatUrl());
        hb.okJson("heartbeat");
        String version = null;
        ChromaHttp.Response vr = http.get(http.versionUrl());
        if (vr.ok()) {
            JsonNode v = vr.json();
            version = v.isTextual() ? v.asText() : v.toString();
        }
        JsonNode preflight = null;
        int batch = cfg.batch();
        boolean base64 = cfg.base64();
        ChromaHttp.Response pf = http.get(http.preflightUrl());
        if (pf.ok()) {
            preflight = pf.json();
            int max = preflight.path("max_batch_size").asInt(-1);
            if (max > 0 && batch > max) {
                warn("batch " + batch + " exceeds the server's max_batch_size " + max + "; using " + max);
                batch = max;
            }
            if (base64 && !preflight.path("supports_base64_encoding").asBoolean(false)) {
                warn("--base64 asked, but pre-flight does not say supports_base64_encoding; sending float arrays");
                base64 = false;
            }
        } else {
            warn("pre-flight-checks answered HTTP " + pf.status() + "; batch size not capped");
            if (base64) {
                warn("--base64 ignored without pre-flight support; sending float arrays");
                base64 = false;
            }
        }
        say("server %s version %s pre-flight %s", cfg.url(), version, preflight);

        // ---- data and exact answers, before the server is busy (both use the CPU)
        long t0 = System.nanoTime();
        Dataset ds = cfg.vectorsFile() != null
                ? Dataset.fromFile(cfg.vectorsFile(), cfg.n(), cfg.dim(), Math.max(1, cfg.queries()), cfg.seed())
                : Dataset.clustered(cfg.n(), cfg.dim(), cfg.clusters(), Math.max(1, cfg.queries()), cfg.seed());
        say("data: %d × %d (%s) in %.1f s", ds.n(), ds.dim(), ds.source(), secs(System.nanoTime() - t0));
        t0 = System.nanoTime();
        Truth truth = Truth.compute(ds, cfg);
        say("exact top-%d for %d queries (unfiltered, 10 %%, 1 %%) in %.1f s", cfg.k(), ds.queryCount(),
                secs(System.nanoTime() - t0));

        // ---- collection
        String name = cfg.collection() != null ? cfg.collection()
                : "bench-" + cfg.n() + "-" + cfg.dim() + "-" + Long.toString(System.currentTimeMillis(), 36);
        JsonNode created = http.post(http.collectionsUrl(), ChromaHttp.jsonBody(Map.of(
                "name", name, "metadata", Map.of("hnsw:space", "l2"), "get_or_create", false))).okJson("create collection");
        String collectionId = created.path("id").asText(null);
        if (collectionId == null) {
            throw new ChromaHttp.ApiException(200, "create collection returned no id: " + created);
        }
        say("collection %s id %s", name, collectionId);
        sample("after_create");

        BenchResult.Params params = new BenchResult.Params(ds.n(), ds.dim(), cfg.batch(), batch, cfg.clients(),
                cfg.queries(), cfg.k(), cfg.warmup(), cfg.seed(), cfg.vectorsFile() == null ? cfg.clusters() : 0,
                ds.source(), base64, "l2", name);

        // ---- ingest
        BenchResult.Ingest ingest = ingest(ds, collectionId, batch, base64);
        sample("after_ingest");

        // ---- queries and gets
        List<BenchResult.Phase> phases = new ArrayList<>();
        Map<Integer, List<Integer>> firstAnswers = new LinkedHashMap<>();
        if (cfg.queries() > 0) {
            String queryUrl = http.recordsUrl(collectionId, "query");
            byte[][] plain = new byte[ds.queryCount()][];
            for (int q = 0; q < plain.length; q++) {
                plain[q] = ChromaHttp.queryBody(List.of(ds.query(q)), cfg.k(), null, QUERY_INCLUDE);
            }
            if (cfg.warmup() > 0) {
                warmUp(ds, queryUrl);
            }
            Timed seq = timed(plain.length, 1, i -> plain[i], queryUrl);
            phases.add(queryPhase("query", "query k=" + cfg.k() + ", one client", seq, 1, truth.plain,
                    firstAnswers, null));
            Timed conc = timed(plain.length, cfg.clients(), i -> plain[i], queryUrl);
            phases.add(queryPhase("query_concurrent", "query k=" + cfg.k() + ", " + cfg.clients() + " concurrent clients",
                    conc, cfg.clients(), truth.plain, null, null));

            byte[][] f10 = new byte[ds.queryCount()][];
            byte[][] f1 = new byte[ds.queryCount()][];
            for (int q = 0; q < f10.length; q++) {
                f10[q] = ChromaHttp.queryBody(List.of(ds.query(q)), cfg.k(),
                        Map.of("sel10", Map.of("$eq", Truth.sel10Value(q))), QUERY_INCLUDE);
                f1[q] = ChromaHttp.queryBody(List.of(ds.query(q)), cfg.k(),
                        Map.of("sel1", Map.of("$eq", Truth.sel1Value(q))), QUERY_INCLUDE);
            }
            Timed t10 = timed(f10.length, 1, i -> f10[i], queryUrl);
            phases.add(queryPhase("query_filter_10pct", String.format("query k=%d where sel10 $eq (%.2f %% of records), one client",
                    cfg.k(), 100.0 * truth.sel10Count / ds.n()), t10, 1, truth.sel10,
                    null, (q, idx) -> Records.sel10(idx) == Truth.sel10Value(q)));
            Timed t1 = timed(f1.length, 1, i -> f1[i], queryUrl);
            phases.add(queryPhase("query_filter_1pct", String.format("query k=%d where sel1 $eq (%.2f %% of records), one client",
                    cfg.k(), 100.0 * truth.sel1Count / ds.n()), t1, 1, truth.sel1,
                    null, (q, idx) -> Records.sel1(idx) == Truth.sel1Value(q)));
        }
        if (cfg.queries() > 0) {
            phases.add(queryStored(ds, collectionId));
        }
        if (cfg.gets() > 0) {
            phases.add(getById(ds, collectionId));
        }
        if (cfg.filterGets() > 0) {
            phases.add(getFiltered(ds, collectionId));
        }
        if (cfg.counts() > 0) {
            phases.add(count(ds, collectionId));
        }
        sample("after_queries");
        if (pid != null) {
            // VmHWM: the kernel's high-water mark of RSS over the process's life, so ingest peaks count
            peakRss = Probe.treeKiB(pid, "VmHWM");
        }

        // ---- restart
        BenchResult.Restart restart = null;
        if (cfg.restartCmd() != null && cfg.queries() > 0) {
            restart = restart(ds, collectionId, firstAnswers.get(0));
            sample("after_restart");
        }

        BenchResult.Environment env = Probe.environment(cfg.repo(), loadStart, Probe.loadavg());
        BenchResult.Resources res = new BenchResult.Resources(pid, resources.rssKiB(), peakRss,
                cfg.dataDir() == null ? null : cfg.dataDir().toString(), resources.diskKiB());
        return new BenchResult(cfg.label(), date, new BenchResult.Server(cfg.url(), version, preflight), params, env,
                ingest, phases, restart, res, warnings);
    }

    private Long peakRss;

    // ------------------------------------------------------------------ ingest

    private BenchResult.Ingest ingest(Dataset ds, String collectionId, int batch, boolean base64) {
        String addUrl = http.recordsUrl(collectionId, "add");
        int batches = (ds.n() + batch - 1) / batch;
        long[] lat = new long[batches];
        say("ingest: %d vectors in %d batches of %d%s", ds.n(), batches, Math.min(batch, ds.n()), base64 ? " (base64)" : "");
        long start = System.nanoTime();
        long lastReport = start;
        for (int b = 0; b < batches; b++) {
            int from = b * batch;
            int to = Math.min(ds.n(), from + batch);
            // built inside the timed window on purpose: a real client serialises too, and keeping
            // 100 batches of 4 MB around would distort the machine's memory more than it helps
            byte[] body = ChromaHttp.addBody(ds, from, to, base64);
            ChromaHttp.Response r = http.post(addUrl, body);
            r.okJson("add batch " + b + " (records " + from + ".." + (to - 1) + ")");
            lat[b] = r.nanos();
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                say("  %d / %d vectors, %.0f vectors/s", to, ds.n(), to / secs(now - start));
                lastReport = now;
            }
        }
        long acked = System.nanoTime();

        // Queryable: ask with 8 vectors of the last batch until at least half find themselves in
        // their top k. Not "all": HNSW can leave a few nodes unreachable (the real server, on
        // well-separated clusters, misses ~8 % of records queried with their own vector at n=2000),
        // and such a record would never be found however long we wait.
        int lastFrom = (batches - 1) * batch;
        int span = ds.n() - lastFrom;
        int[] probes = java.util.stream.IntStream.range(0, 8).map(j -> lastFrom + (int) ((long) j * (span - 1) / 7))
                .distinct().toArray();
        List<float[]> probeVectors = new ArrayList<>();
        for (int p : probes) {
            probeVectors.add(ds.vector(p));
        }
        byte[] probeBody = ChromaHttp.queryBody(probeVectors, cfg.k(), null, List.of("distances"));
        String queryUrl = http.recordsUrl(collectionId, "query");
        int polls = 0;
        long queryable = -1;
        long deadline = acked + cfg.queryableTimeoutSeconds() * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            polls++;
            ChromaHttp.Response r = http.post(queryUrl, probeBody);
            if (r.ok() && 2 * found(r.json(), probes) >= probes.length) {
                queryable = System.nanoTime();
                break;
            }
            sleep(10);
        }
        double ackS = secs(acked - start);
        double qS = queryable < 0 ? Double.NaN : secs(queryable - start);
        if (queryable < 0) {
            warn("the last batch was not queryable within " + cfg.queryableTimeoutSeconds() + " s");
        }
        long count = countOf(collectionId);
        if (count != ds.n()) {
            warn("count after ingest is " + count + ", expected " + ds.n());
        }
        say("ingest: acknowledged in %.2f s (%.0f vectors/s), queryable after %.2f s (%.0f vectors/s, %d polls)",
                ackS, ds.n() / ackS, qS, ds.n() / qS, polls);
        return new BenchResult.Ingest(ds.n(), batches, batch, round3(ackS), round1(ds.n() / ackS), round3(qS),
                round1(ds.n() / qS), polls, BenchResult.Latency.of(lat, batches), count, count == ds.n());
    }

    /** How many probes j have their own id among the results of query j. */
    private static int found(JsonNode resp, int[] probes) {
        JsonNode ids = resp.path("ids");
        int found = 0;
        for (int j = 0; j < probes.length; j++) {
            for (JsonNode id : ids.path(j)) {
                if (Records.id(probes[j]).equals(id.asText())) {
                    found++;
                    break;
                }
            }
        }
        return found;
    }

    private long countOf(String collectionId) {
        return http.get(http.recordsUrl(collectionId, "count")).okJson("count").asLong(-1);
    }

    // ------------------------------------------------------------------ timed loops

    /** Responses of one phase: bodies (null on a transport error), latencies, wall time. */
    record Timed(int requests, byte[][] bodies, int[] status, long[] nanos, long wallNanos, int errors, String firstError) {
    }

    /** Sends {@code count} POSTs (or GETs when the body is null) with {@code clients} clients. */
    private Timed timed(int count, int clients, IntFunction<byte[]> body, String url) {
        return timed(count, clients, body, i -> url);
    }

    private Timed timed(int count, int clients, IntFunction<byte[]> body, IntFunction<String> url) {
        byte[][] bodies = new byte[count][];
        int[] status = new int[count];
        long[] nanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        String[] firstError = new String[1];
        Runnable worker = () -> {
            ChromaHttp client = clients == 1 ? http : newClient();
            for (int i; (i = next.getAndIncrement()) < count; ) {
                byte[] b = body.apply(i);
                try {
                    ChromaHttp.Response r = b == null ? client.get(url.apply(i)) : client.post(url.apply(i), b);
                    bodies[i] = r.body();
                    status[i] = r.status();
                    nanos[i] = r.nanos();
                    if (!r.ok()) {
                        errors.incrementAndGet();
                        synchronized (firstError) {
                            if (firstError[0] == null) {
                                firstError[0] = "HTTP " + r.status() + " " + ChromaHttp.preview(r.body());
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    synchronized (firstError) {
                        if (firstError[0] == null) {
                            firstError[0] = e.getMessage();
                        }
                    }
                }
            }
        };
        long start = System.nanoTime();
        if (clients == 1) {
            worker.run();
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    fs.add(pool.submit(worker));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } catch (Exception e) {
                throw new IllegalStateException("a benchmark client failed: " + e, e);
            } finally {
                pool.shutdownNow();
            }
        }
        long wall = System.nanoTime() - start;
        return new Timed(count, bodies, status, nanos, wall, errors.get(), firstError[0]);
    }

    /** Checks one result row: (query index, record index) → does the record belong there. */
    @FunctionalInterface
    interface RowCheck {
        boolean ok(int q, int recordIndex);
    }

    /**
     * Recall against {@code truth}; {@code keep} (may be null) receives the first answers (for the
     * restart check); {@code check} (may be null) must accept every returned record.
     */
    private BenchResult.Phase queryPhase(String name, String description, Timed t, int clients, int[][] truth,
                                         Map<Integer, List<Integer>> keep, RowCheck check) {
        return queryPhase(name, description, t, clients, truth, keep, check, true);
    }

    private BenchResult.Phase queryPhase(String name, String description, Timed t, int clients, int[][] truth,
                                         Map<Integer, List<Integer>> keep, RowCheck check, boolean sizeMustMatch) {
        double recallSum = 0;
        int answered = 0;
        int shortAnswers = 0;
        boolean correct = true;
        String note = t.firstError() == null ? null : "first error: " + t.firstError();
        for (int q = 0; q < t.requests(); q++) {
            if (t.bodies()[q] == null || t.status()[q] / 100 != 2) {
                continue;
            }
            JsonNode resp;
            try {
                resp = ChromaHttp.JSON.readTree(t.bodies()[q]);
            } catch (IOException e) {
                correct = false;
                note = "unparseable response: " + ChromaHttp.preview(t.bodies()[q]);
                continue;
            }
            List<Integer> got = new ArrayList<>();
            for (JsonNode id : resp.path("ids").path(0)) {
                got.add(Records.indexOf(id.asText()));
            }
            if (keep != null && q < 10) {
                keep.put(q, got);
            }
            // Fewer than k hits while enough records match is an approximate index missing some
            // (recall counts it); more than k, or fewer than truth when truth is short, is wrong.
            if (got.size() > cfg.k() || (sizeMustMatch && truth[q].length < cfg.k() && got.size() != truth[q].length)) {
                correct = false;
                if (note == null) {
                    note = "query " + q + " returned " + got.size() + " results, expected " + truth[q].length;
                }
            } else if (sizeMustMatch && got.size() < truth[q].length) {
                shortAnswers++;
            }
            if (new HashSet<>(got).size() != got.size()) {
                correct = false;
                if (note == null) {
                    note = "query " + q + " returned an id twice: " + got;
                }
            }
            if (check != null) {
                for (int idx : got) {
                    if (idx < 0 || !check.ok(q, idx)) {
                        correct = false;
                        if (note == null) {
                            note = "query " + q + " returned " + Records.id(idx) + ", which does not match the filter";
                        }
                    }
                }
            }
            recallSum += GroundTruth.recall(got, truth[q]);
            answered++;
        }
        if (shortAnswers > 0) {
            String shortNote = shortAnswers + " answers had fewer than " + cfg.k() + " results although enough records match";
            note = note == null ? shortNote : note + "; " + shortNote;
        }
        Double recall = answered == 0 ? null : Math.round(recallSum / answered * 10_000) / 10_000.0;
        return phase(name, description, t, clients, recall, correct && t.errors() == 0, note);
    }

    private BenchResult.Phase phase(String name, String description, Timed t, int clients, Double recall,
                                    Boolean correct, String note) {
        double s = secs(t.wallNanos());
        BenchResult.Phase p = new BenchResult.Phase(name, description, t.requests(), t.errors(), clients, round3(s),
                round1(t.requests() / s), BenchResult.Latency.of(t.nanos(), t.requests()), recall, correct, note);
        say("%-20s %5d req  p50 %8.3f ms  p99 %8.3f ms  %8.1f req/s%s%s", name, p.requests(), p.latency().p50Ms(),
                p.latency().p99Ms(), p.qps(), recall == null ? "" : String.format("  recall@%d %.4f", cfg.k(), recall),
                Boolean.FALSE.equals(correct) ? "  CHECK FAILED: " + note : "");
        return p;
    }

    // ------------------------------------------------------------------ gets and count

    /**
     * Untimed queries before the timed phases, so that those measure a warmed-up server rather than
     * a JVM still compiling its hot paths (on our server 50 warm-up queries left the first phase at
     * about twice its steady-state p50). They use stored records' vectors, not the timed queries,
     * and rotate through unfiltered, 10 % and 1 % filtered, so that no timed request has been seen
     * before. Their median is logged, as the cold figure.
     */
    private void warmUp(Dataset ds, String queryUrl) {
        int count = cfg.warmup();
        byte[][] bodies = new byte[count][];
        for (int i = 0; i < count; i++) {
            int idx = (int) Long.remainderUnsigned(Dataset.mix(cfg.seed() + 11, i), ds.n());
            Map<String, Object> where = switch (i % 3) {
                case 1 -> Map.of("sel10", Map.of("$eq", Truth.sel10Value(i)));
                case 2 -> Map.of("sel1", Map.of("$eq", Truth.sel1Value(i)));
                default -> null;
            };
            bodies[i] = ChromaHttp.queryBody(List.of(ds.vector(idx)), cfg.k(), where, QUERY_INCLUDE);
        }
        Timed t = timed(count, 1, i -> bodies[i], queryUrl);
        long[] sorted = t.nanos().clone();
        java.util.Arrays.sort(sorted);
        say("warm-up: %d queries (stored vectors; unfiltered, 10 %%, 1 %% in turn), p50 %.3f ms, %d errors",
                count, sorted[count / 2] / 1e6, t.errors());
    }

    /**
     * Findability: query with the exact vectors of stored records; "recall" is the share that find
     * themselves in their top k. An exact index scores 1; HNSW graphs can leave nodes unreachable.
     */
    private BenchResult.Phase queryStored(Dataset ds, String collectionId) {
        int count = Math.min(cfg.queries(), ds.n());
        int[][] self = new int[count][];
        byte[][] bodies = new byte[count][];
        for (int i = 0; i < count; i++) {
            self[i] = new int[] {(int) ((long) i * ds.n() / count)};
            bodies[i] = ChromaHttp.queryBody(List.of(ds.vector(self[i][0])), cfg.k(), null, List.of("distances"));
        }
        Timed t = timed(count, 1, i -> bodies[i], http.recordsUrl(collectionId, "query"));
        return queryPhase("query_stored", "query k=" + cfg.k() + " with stored records' own vectors (include distances);"
                + " recall = share that find themselves", t, 1, self, null, null, false);
    }

    private BenchResult.Phase getById(Dataset ds, String collectionId) {
        int count = cfg.gets();
        int[] idx = new int[count];
        byte[][] bodies = new byte[count][];
        for (int i = 0; i < count; i++) {
            idx[i] = (int) Long.remainderUnsigned(Dataset.mix(cfg.seed() + 7, i), ds.n());
            bodies[i] = ChromaHttp.jsonBody(Map.of("ids", List.of(Records.id(idx[i])), "include", GET_INCLUDE));
        }
        Timed t = timed(count, 1, i -> bodies[i], http.recordsUrl(collectionId, "get"));
        boolean correct = t.errors() == 0;
        String note = t.firstError() == null ? null : "first error: " + t.firstError();
        for (int i = 0; i < count; i++) {
            if (t.bodies()[i] == null || t.status()[i] / 100 != 2) {
                continue;
            }
            JsonNode r = parse(t.bodies()[i]);
            boolean ok = r != null && r.path("ids").size() == 1
                    && Records.id(idx[i]).equals(r.path("ids").path(0).asText())
                    && Records.document(idx[i]).equals(r.path("documents").path(0).asText())
                    && r.path("metadatas").path(0).path("sel1").asInt(-1) == Records.sel1(idx[i]);
            if (!ok) {
                correct = false;
                if (note == null) {
                    note = "get " + Records.id(idx[i]) + " answered " + ChromaHttp.preview(t.bodies()[i]);
                }
            }
        }
        return phase("get_by_id", "get one id with metadatas and documents", t, 1, null, correct, note);
    }

    private BenchResult.Phase getFiltered(Dataset ds, String collectionId) {
        int count = cfg.filterGets();
        byte[][] bodies = new byte[count][];
        int[][] expected = new int[count][];
        long matched = 0;
        for (int i = 0; i < count; i++) {
            int v = i % 10;
            String word = Records.WORDS.get(i % Records.WORDS.size());
            Map<String, Object> where = Map.of("$and", List.of(
                    Map.of("sel10", Map.of("$eq", v)),
                    Map.of("score", Map.of("$lt", 0.5))));
            bodies[i] = ChromaHttp.jsonBody(Map.of("where", where, "where_document", Map.of("$contains", word),
                    "include", GET_INCLUDE));
            expected[i] = Records.matching(ds.n(), r -> Records.sel10(r) == v && Records.score(r) < 0.5
                    && Records.document(r).contains(word));
            matched += expected[i].length;
        }
        Timed t = timed(count, 1, i -> bodies[i], http.recordsUrl(collectionId, "get"));
        boolean correct = t.errors() == 0;
        String note = t.firstError() == null ? null : "first error: " + t.firstError();
        for (int i = 0; i < count; i++) {
            if (t.bodies()[i] == null || t.status()[i] / 100 != 2) {
                continue;
            }
            JsonNode r = parse(t.bodies()[i]);
            Set<Integer> got = new HashSet<>();
            if (r != null) {
                for (JsonNode id : r.path("ids")) {
                    got.add(Records.indexOf(id.asText()));
                }
            }
            Set<Integer> want = new HashSet<>();
            for (int e : expected[i]) {
                want.add(e);
            }
            if (!got.equals(want) || r.path("ids").size() != want.size()) {
                correct = false;
                if (note == null) {
                    note = "filtered get " + i + " returned " + got.size() + " records, expected " + want.size();
                }
            }
        }
        String description = String.format("get where $and[sel10 $eq, score $lt 0.5] + where_document $contains"
                + " (avg %.1f matches), metadatas+documents", matched / (double) count);
        return phase("get_filter", description, t, 1, null, correct, note);
    }

    private BenchResult.Phase count(Dataset ds, String collectionId) {
        Timed t = timed(cfg.counts(), 1, i -> null, http.recordsUrl(collectionId, "count"));
        boolean correct = t.errors() == 0;
        String note = t.firstError() == null ? null : "first error: " + t.firstError();
        for (int i = 0; i < t.requests(); i++) {
            if (t.bodies()[i] != null && t.status()[i] / 100 == 2) {
                JsonNode r = parse(t.bodies()[i]);
                if (r == null || r.asLong(-1) != ds.n()) {
                    correct = false;
                    note = "count answered " + ChromaHttp.preview(t.bodies()[i]) + ", expected " + ds.n();
                }
            }
        }
        return phase("count", "count records", t, 1, null, correct, note);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return ChromaHttp.JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ restart

    private BenchResult.Restart restart(Dataset ds, String collectionId, List<Integer> before) throws IOException {
        say("restart: %s", cfg.restartCmd());
        Files.createDirectories(cfg.workDir());
        Path logFile = cfg.workDir().resolve("restart-" + (cfg.label() == null ? "server" : cfg.label()) + ".log");
        long c0 = System.nanoTime();
        // output to a file, not a pipe: a server the command leaves running would keep a pipe open
        Process p = new ProcessBuilder("bash", "-c", cfg.restartCmd())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("restart command did not finish within 300 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            warn("restart command exited with " + p.exitValue() + " (log: " + logFile + ")");
        }
        long c1 = System.nanoTime();
        if (cfg.pidCmd() != null) {
            pid = Probe.pidFromCommand(cfg.pidCmd());
        }
        ChromaHttp fresh = newClient(); // the old client's pooled connections died with the server
        long deadline = c1 + 300_000_000_000L;
        long heartbeat = -1;
        while (System.nanoTime() < deadline) {
            try {
                if (fresh.get(fresh.heartbeatUrl()).ok()) {
                    heartbeat = System.nanoTime();
                    break;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            sleep(20);
        }
        if (heartbeat < 0) {
            throw new IllegalStateException("server did not answer heartbeat within 300 s of the restart");
        }
        byte[] q0 = ChromaHttp.queryBody(List.of(ds.query(0)), cfg.k(), null, QUERY_INCLUDE);
        String queryUrl = fresh.recordsUrl(collectionId, "query");
        ChromaHttp.Response first = null;
        String lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                first = fresh.post(queryUrl, q0);
                if (first.ok()) {
                    break;
                }
                lastError = "HTTP " + first.status() + " " + ChromaHttp.preview(first.body());
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
            first = null;
            sleep(20);
        }
        if (first == null) {
            throw new IllegalStateException("no query succeeded within 300 s of the restart: " + lastError);
        }
        long ready = System.nanoTime();
        ChromaHttp.Response second = fresh.post(queryUrl, q0);
        List<Integer> after = new ArrayList<>();
        for (JsonNode id : first.json().path("ids").path(0)) {
            after.add(Records.indexOf(id.asText()));
        }
        boolean same = before != null && before.equals(after);
        long count = fresh.get(fresh.recordsUrl(collectionId, "count")).okJson("count after restart").asLong(-1);
        String note = null;
        if (!same) {
            note = "first query after restart returned " + after + ", before restart " + before;
            warn(note);
        }
        if (count != ds.n()) {
            warn("count after restart is " + count + ", expected " + ds.n());
        }
        BenchResult.Restart r = new BenchResult.Restart(cfg.restartCmd(), round3(secs(c1 - c0)), round3(secs(heartbeat - c1)),
                round3(secs(ready - c1)), round3(first.nanos() / 1e6), round3(second.nanos() / 1e6), count, same, note);
        say("restart: command %.2f s, heartbeat after %.2f s, first query answered after %.2f s (%.1f ms), second %.1f ms",
                r.commandSeconds(), r.heartbeatSeconds(), r.firstQueryReadySeconds(), r.firstQueryMs(), r.secondQueryMs());
        return r;
    }

    // ------------------------------------------------------------------ resources

    private void sample(String moment) {
        if (pid == null && cfg.pidCmd() != null) {
            pid = Probe.pidFromCommand(cfg.pidCmd());
        }
        if (pid != null) {
            Long rss = Probe.treeKiB(pid, "VmRSS");
            if (rss != null) {
                resources.rssKiB().put(moment, rss);
            } else {
                warn("no /proc/" + pid + "/status at " + moment);
            }
        }
        if (cfg.dataDir() != null) {
            Long du = Probe.duKiB(cfg.dataDir());
            if (du != null) {
                resources.diskKiB().put(moment, du);
            }
        }
        Long rss = resources.rssKiB().get(moment);
        Long disk = resources.diskKiB().get(moment);
        if (rss != null || disk != null) {
            say("%s:%s%s", moment, rss == null ? "" : " rss " + rss + " KiB", disk == null ? "" : (rss == null ? " " : ", ") + "disk " + disk + " KiB");
        }
    }

    // ------------------------------------------------------------------ helpers

    static double secs(long nanos) {
        return nanos / 1e9;
    }

    static double round3(double x) {
        return Double.isFinite(x) ? Math.round(x * 1000) / 1000.0 : x;
    }

    static double round1(double x) {
        return Double.isFinite(x) ? Math.round(x * 10) / 10.0 : x;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The exact answers for the three query sets (cached under the work directory). */
    static final class Truth {
        final int[][] plain;
        final int[][] sel10;
        final int[][] sel1;
        final int sel10Count;
        final int sel1Count;

        private Truth(int[][] plain, int[][] sel10, int[][] sel1, int sel10Count, int sel1Count) {
            this.plain = plain;
            this.sel10 = sel10;
            this.sel1 = sel1;
            this.sel10Count = sel10Count;
            this.sel1Count = sel1Count;
        }

        /** The sel10 value query q filters on (spread over all values). */
        static int sel10Value(int q) {
            return q % 10;
        }

        static int sel1Value(int q) {
            return q % 100;
        }

        static Truth compute(Dataset ds, BenchConfig cfg) throws IOException {
            int[][] by10 = new int[10][];
            for (int v = 0; v < 10; v++) {
                int value = v;
                by10[v] = Records.matching(ds.n(), i -> Records.sel10(i) == value);
            }
            int[][] by1 = new int[100][];
            for (int v = 0; v < 100; v++) {
                int value = v;
                by1[v] = Records.matching(ds.n(), i -> Records.sel1(i) == value);
            }
            // the key names everything the answer depends on; bump "v1" when the generator changes
            String key = "v1|" + ds.source() + "|" + fileStamp(cfg.vectorsFile()) + "|n=" + ds.n() + "|dim=" + ds.dim()
                    + "|q=" + ds.queryCount() + "|k=" + cfg.k() + "|seed=" + cfg.seed() + "|clusters=" + cfg.clusters();
            Path cache = cfg.workDir();
            int[][] plain = GroundTruth.cached(cache, key + "|plain", ds, cfg.k(), null);
            int[][] s10 = GroundTruth.cached(cache, key + "|sel10", ds, cfg.k(), q -> by10[sel10Value(q)]);
            int[][] s1 = GroundTruth.cached(cache, key + "|sel1", ds, cfg.k(), q -> by1[sel1Value(q)]);
            return new Truth(plain, s10, s1, by10[0].length, by1[0].length);
        }

        private static String fileStamp(Path file) {
            if (file == null) {
                return "-";
            }
            try {
                return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
