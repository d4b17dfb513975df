package io.chroma.core;

import io.chroma.api.Collection;
import io.chroma.api.Include;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.core.internal.index.LuceneTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine end to end through the public API (PersistentClient → Collection), on clustered
 * "embedding-like" 384-d vectors with int/float/str metadata and short documents, default HNSW
 * settings. Opt-in, never part of the build:
 * {@code ./mvnw -o -pl chroma-core test -Dtest=EngineBenchmark -Dchroma.bench=true [-Dchroma.bench.n=100000]};
 * numbers go to target/surefire-reports/io.chroma.core.EngineBenchmark-output.txt.
 *
 * <p>Ingest is "acknowledged and queryable": the clock stops after a query that finds the last batch.
 */
@EnabledIfSystemProperty(named = "chroma.bench", matches = "true")
class EngineBenchmark {

    @TempDir
    Path tmp;

    @Test
    void ingestQueryReopen() {
        int n = Integer.getInteger("chroma.bench.n", 100_000);
        int dim = 384, batch = 1000, nq = 300, warm = 50;
        float[][] all = LuceneTestData.embeddingLike(n + nq, dim, 32, 200, 42);
        float[][] data = Arrays.copyOfRange(all, 0, n);
        float[][] queries = Arrays.copyOfRange(all, n, n + nq);
        Path dir = tmp.resolve("bench");
        System.out.printf("engine benchmark: %d x %d, batches of %d, cores %d, max heap %d MB%n", n, dim, batch,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        try (PersistentClient c = new PersistentClient(dir)) {
            Collection col = c.createCollection("bench");
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long slowest = 0;
            for (int b = 0; b < n; b += batch) {
                int end = Math.min(n, b + batch);
                List<String> ids = new ArrayList<>(end - b);
                List<float[]> embs = new ArrayList<>(end - b);
                List<Map<String, ?>> metas = new ArrayList<>(end - b);
                List<String> docs = new ArrayList<>(end - b);
                for (int i = b; i < end; i++) {
                    ids.add("id-" + i);
                    embs.add(data[i]);
                    metas.add(Map.of("bucket", i % 10, "mod", i % 100, "score", i / (double) n, "name", "item-" + i));
                    docs.add("document number " + i + " about cluster things");
                }
                long b0 = System.nanoTime();
                col.add(Records.ids(ids).embeddings(embs).metadatas(metas).documents(docs));
                slowest = Math.max(slowest, System.nanoTime() - b0);
            }
            // acknowledged-and-queryable: the last record is its own nearest neighbour
            QueryResult last = col.query(Query.embeddings(data[n - 1]).nResults(1));
            long t1 = System.nanoTime();
            assertThat(last.ids().get(0)).containsExactly("id-" + (n - 1));
            double s = (t1 - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            System.out.printf("ingest (acknowledged + queryable): %.1f s, %.0f vectors/s, slowest add %.0f ms; "
                    + "process CPU %.1f s (%.0f vectors per CPU-second)%n", s, n / s, slowest / 1e6, cpu, n / cpu);

            latency("query k=10", col, queries, warm, null);
            latency("query k=10, 10% filter (bucket = 3)", col, queries, warm, Where.eq("bucket", 3));
            latency("query k=10, 1% filter (mod = 7)", col, queries, warm, Where.eq("mod", 7));

            int rq = 100;
            double recall = 0;
            for (int q = 0; q < rq; q++) {
                Set<String> truth = new HashSet<>();
                for (int i : LuceneTestData.exactNearest(Space.L2, data, queries[q], 10)) {
                    truth.add("id-" + i);
                }
                List<String> got = col.query(Query.embeddings(queries[q]).nResults(10)).ids().get(0);
                recall += got.stream().filter(truth::contains).count() / 10.0;
            }
            System.out.printf("recall@10 vs exact brute force (%d queries, ef_search 100): %.3f%n", rq, recall / rq);
        }
        long r0 = System.nanoTime();
        try (PersistentClient c = new PersistentClient(dir)) {
            long r1 = System.nanoTime();
            QueryResult first = c.getCollection("bench").query(Query.embeddings(queries[0]).nResults(10));
            long r2 = System.nanoTime();
            assertThat(first.ids().get(0)).hasSize(10);
            System.out.printf("reopen %.0f ms + first query %.0f ms = %.2f s%n", (r1 - r0) / 1e6, (r2 - r1) / 1e6,
                    (r2 - r0) / 1e9);
        }
    }

    private static void latency(String what, Collection col, float[][] queries, int warm, Where where) {
        long[] times = new long[queries.length - warm];
        long[] cpu = new long[queries.length - warm];
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < queries.length; i++) {
            Query q = Query.embeddings(queries[i]).nResults(10).include(Include.METADATAS, Include.DOCUMENTS,
                    Include.DISTANCES);
            if (where != null) {
                q = q.where(where);
            }
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            col.query(q);
            if (i >= warm) {
                times[i - warm] = System.nanoTime() - t;
                cpu[i - warm] = threads.getCurrentThreadCpuTime() - c;
            }
        }
        Arrays.sort(times);
        Arrays.sort(cpu);
        // thread CPU time: what a query costs, less sensitive than wall time to a loaded machine
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms; CPU p50 %.2f ms, p99 %.2f ms (%d queries)%n", what,
                times[times.length / 2] / 1e6, times[times.length * 99 / 100] / 1e6, cpu[cpu.length / 2] / 1e6,
                cpu[cpu.length * 99 / 100] / 1e6, times.length);
    }
}
