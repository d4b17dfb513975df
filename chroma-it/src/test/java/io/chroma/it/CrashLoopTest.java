package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 crash loop in the style of crasher: a writer ingests batches with sequential ids through
 * the HTTP API while the test SIGKILLs the server at a random moment; after every restart the
 * whole store is checked against what the writer knows was acknowledged.
 *
 * <p>Checked after each restart: every acknowledged record is there and intact (embedding
 * bit-exact, metadata, document); every visible record belongs to a batch that was sent and is
 * intact; each batch is all there or all absent (the one in flight at the kill may go either way,
 * never half); count equals what get returns and is at least what was acknowledged; filtered gets
 * agree with the records; queries agree with a brute-force search over the records from get, and
 * every record written just before the kill is found by a query for its own vector (the derived
 * index caught up). A quarter of the restarts skip the checks and write at once, so that a kill
 * can land while the first write catches the index up from the log and commits it; the next
 * restart checks that state. The data directory as the last kill left it is copied to
 * target/it-logs for debugging.
 *
 * <p>CI runs {@value #CI_CYCLES} cycles; {@code -Dchroma.long=true} runs {@value #LONG_CYCLES}
 * (or {@code -Dchroma.crash.cycles=N}). {@code -Dchroma.crash.seed=S} replays a run.
 */
class CrashLoopTest {
    private static final String COLLECTIONS = "/api/v2/tenants/default_tenant/databases/default_database/collections";
    static final int CI_CYCLES = 3;
    static final int LONG_CYCLES = 25;
    private static final int DIM = 8;
    private static final int MODS = 7;

    /** One batch the writer sent: ids [from, to). */
    record Batch(int no, int from, int to) {
    }

    static boolean longRun() {
        return Boolean.getBoolean("chroma.long");
    }

    @Test
    void acknowledgedBatchesSurviveRepeatedSigkill(@TempDir Path data) throws Exception {
        int cycles = Integer.getInteger("chroma.crash.cycles", longRun() ? LONG_CYCLES : CI_CYCLES);
        long seed = Long.getLong("chroma.crash.seed", System.nanoTime());
        System.out.println("CrashLoopTest: " + cycles + " cycles, seed " + seed + " (-Dchroma.crash.seed=" + seed + ")");
        Random random = new Random(seed);

        List<Batch> acked = new ArrayList<>();
        List<Batch> inFlight = new ArrayList<>();   // sent, no answer before the kill: all or nothing
        int nextId = 0;
        int nextBatch = 0;
        String collectionId = null;
        int totalChecked = 0;
        int verified = 0;

        for (int cycle = 0; cycle < cycles; cycle++) {
            try (ServerProcess server = ServerProcess.start(data)) {
                String base = server.url() + COLLECTIONS;
                if (collectionId == null) {
                    Http.Response created = Http.post(base, "{\"name\":\"crash_loop\",\"get_or_create\":true}");
                    assertThat(created.status()).as(created.body()).isEqualTo(200);
                    collectionId = (String) created.json().get("id");
                } else if (random.nextInt(4) == 0) {
                    // no reads first: the writer's first add opens the index and catches it up
                    // from the log (and commits it), so an early kill can land in the middle of
                    // that; the state is checked after the next restart instead
                    System.out.println("CrashLoopTest cycle " + cycle + ": writing before any check");
                } else {
                    // first thing after the restart: the state the kill left behind
                    totalChecked += verify(base + "/" + collectionId, acked, inFlight, random, cycle, seed);
                    verified++;
                }
                String col = base + "/" + collectionId;

                // the writer runs until the kill makes its request fail
                AtomicBoolean killed = new AtomicBoolean();
                List<Batch> ackedNow = new ArrayList<>();
                Batch[] sending = new Batch[1];
                int[] ids = {nextId, nextBatch};
                Random writerRandom = new Random(random.nextLong());
                Throwable[] writerFailure = new Throwable[1];
                Thread writer = new Thread(() -> {
                    try {
                        while (!killed.get()) {
                            int size = 1 + writerRandom.nextInt(writerRandom.nextInt(10) == 0 ? 300 : 40);
                            Batch b = new Batch(ids[1]++, ids[0], ids[0] + size);
                            ids[0] += size;
                            synchronized (sending) {
                                sending[0] = b;
                            }
                            Http.Response r;
                            try {
                                r = Http.post(col + "/add", addBody(b));
                            } catch (UncheckedIOException e) {
                                return; // the server died with the batch in flight
                            }
                            if (r.status() != 201) {
                                if (killed.get()) {
                                    return;
                                }
                                throw new AssertionError("add of batch " + b + " answered " + r.status() + ": " + r.body());
                            }
                            synchronized (sending) {
                                ackedNow.add(b);
                                sending[0] = null;
                            }
                        }
                    } catch (Throwable t) {
                        writerFailure[0] = t;
                    }
                }, "crash-loop-writer");
                writer.start();
                // random moment: after a random number of acknowledged batches (0: the store has
                // just opened, first writes), then a random delay so the kill lands anywhere in a
                // request: parsing, the RocksDB batch, the index update, an index commit
                // (the first cycle always gets some data in, so later kills have records to lose)
                int target = cycle == 0 ? 5 + random.nextInt(30)
                        : random.nextInt(4) == 0 ? 0 : random.nextInt(longRun() ? 150 : 60);
                long waitUntil = System.nanoTime() + 60_000_000_000L;
                while (writer.isAlive() && System.nanoTime() < waitUntil) {
                    synchronized (sending) {
                        if (ackedNow.size() >= target) {
                            break;
                        }
                    }
                    Thread.sleep(5);
                }
                long delay = random.nextInt(300);
                Thread.sleep(delay);
                killed.set(true);
                server.kill();
                writer.join(60_000);
                assertThat(writer.isAlive()).as("writer stuck after the kill").isFalse();
                if (writerFailure[0] != null) {
                    throw new AssertionError("writer failed before the kill", writerFailure[0]);
                }
                synchronized (sending) {
                    acked.addAll(ackedNow);
                    if (sending[0] != null) {
                        inFlight.add(sending[0]);
                    }
                }
                nextId = ids[0];
                nextBatch = ids[1];
                System.out.println("CrashLoopTest cycle " + cycle + ": killed " + delay + " ms after " + target + " acks, "
                        + ackedNow.size() + " batches acknowledged this cycle, " + acked.size() + " in all, "
                        + (sending[0] == null ? "none" : "batch " + sending[0].no()) + " in flight");
            }
            snapshot(data);
        }
        try (ServerProcess server = ServerProcess.start(data)) {
            totalChecked += verify(server.url() + COLLECTIONS + "/" + collectionId, acked, inFlight, random, cycles, seed);
            verified++;
        }
        assertThat(acked).as("the writer got batches acknowledged at all").isNotEmpty();
        System.out.println("CrashLoopTest: survived " + cycles + " SIGKILL cycles; " + acked.size()
                + " acknowledged batches (" + acked.stream().mapToInt(b -> b.to() - b.from()).sum()
                + " records); " + verified + " full checks, " + totalChecked + " record checks in all");
    }

    /** Checks the store against the writer's knowledge; returns the number of records checked. */
    @SuppressWarnings("unchecked")
    private static int verify(String col, List<Batch> acked, List<Batch> inFlight, Random random, int cycle, long seed) {
        String where = " (after kill " + cycle + ", seed " + seed + ")";
        Http.Response got = patientPost(col + "/get", "{\"include\":[\"embeddings\",\"metadatas\",\"documents\"]}");
        assertThat(got.status()).as(got.body()).isEqualTo(200);
        Map<String, Object> body = got.json();
        List<String> ids = (List<String>) body.get("ids");
        List<List<Number>> embeddings = (List<List<Number>>) body.get("embeddings");
        List<Map<String, Object>> metadatas = (List<Map<String, Object>>) body.get("metadatas");
        List<String> documents = (List<String>) body.get("documents");

        // every visible record is one the writer sent, and intact
        Map<Integer, float[]> present = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            int n = idNumber(ids.get(i));
            float[] e = new float[DIM];
            List<Number> got1 = embeddings.get(i);
            assertThat(got1).as("dimension of " + ids.get(i) + where).hasSize(DIM);
            for (int d = 0; d < DIM; d++) {
                e[d] = got1.get(d).floatValue();
            }
            float[] expected = embedding(n);
            for (int d = 0; d < DIM; d++) {
                if (Float.floatToRawIntBits(e[d]) != Float.floatToRawIntBits(expected[d])) {
                    fail("embedding of " + ids.get(i) + " differs at " + d + ": " + e[d] + " != " + expected[d] + where);
                }
            }
            assertThat(documents.get(i)).as("document of " + ids.get(i) + where).isEqualTo(document(n));
            assertThat(present.put(n, e)).as("duplicate id " + ids.get(i) + where).isNull();
            Batch b = batchOf(n, acked, inFlight);
            assertThat(b).as("record " + ids.get(i) + " was never sent" + where).isNotNull();
            assertThat(metadatas.get(i)).as("metadata of " + ids.get(i) + where).isEqualTo(metadata(n, b.no()));
        }

        // acknowledged batches are complete; the ones in flight at a kill are all or nothing
        for (Batch b : acked) {
            for (int n = b.from(); n < b.to(); n++) {
                if (!present.containsKey(n)) {
                    fail("acknowledged record " + id(n) + " of batch " + b + " is lost" + where);
                }
            }
        }
        for (Batch b : inFlight) {
            int visible = 0;
            for (int n = b.from(); n < b.to(); n++) {
                visible += present.containsKey(n) ? 1 : 0;
            }
            assertThat(visible).as("batch " + b + " in flight at a kill is half visible" + where)
                    .isIn(0, b.to() - b.from());
        }
        int ackedRecords = acked.stream().mapToInt(b -> b.to() - b.from()).sum();
        long count = Long.parseLong(Http.get(col + "/count").body().trim());
        assertThat(count).as("count vs get" + where).isEqualTo(present.size());
        assertThat(count).as("count vs acknowledged" + where).isGreaterThanOrEqualTo(ackedRecords);
        if (present.isEmpty()) {
            return 0;
        }

        // filtered gets (the metadata side of the index) agree with the records
        for (int mod = 0; mod < MODS; mod++) {
            Http.Response f = patientPost(col + "/get", "{\"where\":{\"mod\":" + mod + "},\"include\":[]}");
            assertThat(f.status()).as(f.body()).isEqualTo(200);
            Set<Integer> expected = new HashSet<>();
            for (int n : present.keySet()) {
                if (n % MODS == mod) {
                    expected.add(n);
                }
            }
            Set<Integer> actual = new HashSet<>();
            for (String s : (List<String>) f.json().get("ids")) {
                actual.add(idNumber(s));
            }
            assertThat(actual).as("get where mod=" + mod + where).isEqualTo(expected);
        }

        // the records written just before the kill are in the vector index: each finds itself
        List<Integer> all = new ArrayList<>(present.keySet());
        List<Integer> probes = new ArrayList<>(all.subList(Math.max(0, all.size() - 15), all.size()));
        for (int i = 0; i < 10; i++) {
            probes.add(all.get(random.nextInt(all.size())));
        }
        for (int n : probes) {
            Map<String, Object> q = query(col, embedding(n), 1, null);
            assertThat(((List<List<String>>) q.get("ids")).get(0)).as("self query of " + id(n) + where)
                    .containsExactly(id(n));
            // and with a filter on its own group (a filtered query must not lose it either)
            Map<String, Object> qf = query(col, embedding(n), 1, "{\"mod\":" + (n % MODS) + "}");
            assertThat(((List<List<String>>) qf.get("ids")).get(0)).as("filtered self query of " + id(n) + where)
                    .containsExactly(id(n));
        }

        // unfiltered and filtered top-k against brute force over the records from get
        int k = 10;
        for (int probe = 0; probe < 5; probe++) {
            float[] v = randomVector(random);
            Integer mod = probe % 2 == 0 ? null : random.nextInt(MODS);
            Map<String, Object> q = query(col, v, k, mod == null ? null : "{\"mod\":" + mod + "}");
            List<String> qIds = ((List<List<String>>) q.get("ids")).get(0);
            List<Number> qDist = ((List<List<Number>>) q.get("distances")).get(0);
            List<Map.Entry<Integer, Double>> truth = new ArrayList<>();
            for (Map.Entry<Integer, float[]> e : present.entrySet()) {
                if (mod == null || e.getKey() % MODS == mod) {
                    truth.add(Map.entry(e.getKey(), l2(v, e.getValue())));
                }
            }
            truth.sort(Map.Entry.comparingByValue());
            int expectedSize = Math.min(k, truth.size());
            assertThat(qIds).as("result size of query " + probe + where).hasSize(expectedSize);
            Map<Integer, Double> exact = new HashMap<>();
            for (Map.Entry<Integer, Double> e : truth) {
                exact.put(e.getKey(), e.getValue());
            }
            double previous = -1;
            for (int i = 0; i < qIds.size(); i++) {
                int n = idNumber(qIds.get(i));
                assertThat(exact).as("query returned " + qIds.get(i) + " which get does not have or the filter excludes"
                        + where).containsKey(n);
                double d = qDist.get(i).doubleValue();
                assertThat(d).as("distance of " + qIds.get(i) + where).isCloseTo(exact.get(n),
                        org.assertj.core.data.Offset.offset(1e-3 * (1 + exact.get(n))));
                assertThat(d).as("results sorted" + where).isGreaterThanOrEqualTo(previous - 1e-6);
                previous = d;
            }
            // HNSW is approximate; on a few thousand 8-d records at the default ef it is near exact
            Set<Integer> top = new HashSet<>();
            for (int i = 0; i < expectedSize; i++) {
                top.add(truth.get(i).getKey());
            }
            long hits = qIds.stream().map(CrashLoopTest::idNumber).filter(top::contains).count();
            assertThat(hits).as("recall@" + k + " of query " + probe + where).isGreaterThanOrEqualTo((long) Math.ceil(0.8 * expectedSize));
        }
        return present.size();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> query(String col, float[] v, int k, String whereJson) {
        StringBuilder sb = new StringBuilder("{\"query_embeddings\":[");
        vector(sb, v);
        sb.append("],\"n_results\":").append(k).append(",\"include\":[\"distances\"]");
        if (whereJson != null) {
            sb.append(",\"where\":").append(whereJson);
        }
        sb.append('}');
        Http.Response r = patientPost(col + "/query", sb.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /**
     * A POST that waits up to 5 minutes. The first read after a restart opens the index and
     * catches it up from the write log (up to Engine.COMMIT_EVERY_OPS writes); on the shared CI
     * machine, with tens of thousands of records in the long run, that took over the usual 30 s.
     */
    private static Http.Response patientPost(String url, String json) {
        return Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)), java.time.Duration.ofMinutes(5));
    }

    private static Batch batchOf(int n, List<Batch> acked, List<Batch> inFlight) {
        for (List<Batch> list : List.of(acked, inFlight)) {
            for (Batch b : list) {
                if (n >= b.from() && n < b.to()) {
                    return b;
                }
            }
        }
        return null;
    }

    static String addBody(Batch b) {
        StringBuilder sb = new StringBuilder("{\"ids\":[");
        for (int n = b.from(); n < b.to(); n++) {
            sb.append(n > b.from() ? "," : "").append('"').append(id(n)).append('"');
        }
        sb.append("],\"embeddings\":[");
        for (int n = b.from(); n < b.to(); n++) {
            sb.append(n > b.from() ? "," : "");
            vector(sb, embedding(n));
        }
        sb.append("],\"metadatas\":[");
        for (int n = b.from(); n < b.to(); n++) {
            sb.append(n > b.from() ? "," : "").append(metadataJson(n, b.no()));
        }
        sb.append("],\"documents\":[");
        for (int n = b.from(); n < b.to(); n++) {
            sb.append(n > b.from() ? "," : "").append(jsonString(document(n)));
        }
        return sb.append("]}").toString();
    }

    private static void vector(StringBuilder sb, float[] v) {
        sb.append('[');
        for (int d = 0; d < v.length; d++) {
            sb.append(d > 0 ? "," : "").append(Float.toString(v[d]));
        }
        sb.append(']');
    }

    static String id(int n) {
        return String.format(Locale.ROOT, "r%08d", n);
    }

    static int idNumber(String id) {
        return Integer.parseInt(id.substring(1));
    }

    /**
     * Deterministic per id. Values are multiples of 2^-12 with at most 16 significant bits, so the
     * decimal text on the wire is exact and any change in the stored bits is a real change.
     */
    static float[] embedding(int n) {
        Random r = new Random(0x5EED_0000L + n * 0x9E3779B97F4A7C15L);
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (r.nextInt(1 << 16) - (1 << 15)) / 4096f;
        }
        return v;
    }

    private static float[] randomVector(Random random) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (random.nextInt(1 << 16) - (1 << 15)) / 4096f;
        }
        return v;
    }

    static Map<String, Object> metadata(int n, int batch) {
        return Map.of("n", (long) n, "batch", (long) batch, "mod", (long) (n % MODS), "tag", "t" + (n % 3),
                "ok", n % 2 == 0);
    }

    private static String metadataJson(int n, int batch) {
        return "{\"n\":" + n + ",\"batch\":" + batch + ",\"mod\":" + (n % MODS) + ",\"tag\":\"t" + (n % 3)
                + "\",\"ok\":" + (n % 2 == 0) + "}";
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static String document(int n) {
        return "document " + n + " \u00e9\u00e8 \"quoted\" line\nbreak";
    }

    /** Chroma's l2 is the squared euclidean distance. */
    private static double l2(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /** Keeps a copy of the data directory as the kill left it (before the restart), for debugging. */
    private static void snapshot(Path data) throws IOException {
        Path copy = Path.of(System.getProperty("chroma.it.logs", "target/it-logs")).resolve("crash-loop-last-kill");
        deleteTree(copy);
        Files.walkFileTree(data, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(copy.resolve(data.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getFileName().toString().equals("LOCK") && !file.getFileName().toString().equals("write.lock")) {
                    Files.copy(file, copy.resolve(data.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
