package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ingest and query timings on 100k × 384-d clustered vectors. Not a test: it asserts nothing and
 * runs only with {@code -Dchroma.bench=true}
 * ({@code ./mvnw -o -pl chroma-core test -Dtest=LuceneIndexBenchmark -Dchroma.bench=true});
 * the numbers are printed to target/surefire-reports/*LuceneIndexBenchmark-output.txt.
 */
class LuceneIndexBenchmark {

    @TempDir
    Path tmp;

    @Test
    void hundredThousandBy384() throws IOException {
        assumeTrue(Boolean.getBoolean("chroma.bench"), "set -Dchroma.bench=true to run");
        int n = Integer.getInteger("chroma.bench.n", 100_000);
        int dim = Integer.getInteger("chroma.bench.dim", 384);
        // one generator call, so the queries share the data's projection and clusters
        float[][] all = LuceneTestData.embeddingLike(n + 300, dim, 32, 200, 42);
        float[][] data = Arrays.copyOfRange(all, 0, n);
        float[][] queries = Arrays.copyOfRange(all, n, n + 300);
        IndexSettings settings = LuceneTestData.settings(Space.COSINE, dim);
        Path dir = tmp.resolve("bench");

        try (LuceneIndex idx = LuceneIndex.open(dir, settings)) {
            long t0 = System.nanoTime();
            boolean bare = Boolean.getBoolean("chroma.bench.bare"); // vectors only: isolates the HNSW cost
            for (int i = 0; i < n; i++) {
                if (bare) {
                    idx.upsert(i, data[i], null, null);
                } else {
                    idx.upsert(i, data[i], Map.of("bucket", (long) (i % 10), "rare", i % 100 == 0, "name", "item" + i),
                            "document number " + i + " about cluster things");
                }
            }
            long t1 = System.nanoTime();
            int size = idx.size(); // first read: NRT refresh (flushes the buffer, writes the graph)
            long t2 = System.nanoTime();
            idx.commit(n);
            long t3 = System.nanoTime();
            System.out.printf("ingest %d x %d: upserts %.1f s, first read (refresh) %.1f s, commit %.1f s, size %d%n",
                    n, dim, sec(t1 - t0), sec(t2 - t1), sec(t3 - t2), size);

            report("query k=10 ef=100", idx, queries, null, null);
            report("query 10% filter (bucket = 3)", idx, queries, Where.eq("bucket", 3L), null);
            report("query 1% filter (rare = true)", idx, queries, Where.eq("rare", true), null);
            report("query $contains 'number 1' (~11%)", idx, queries, null, WhereDocument.contains("number 1"));

            long f0 = System.nanoTime();
            long[] tenth = idx.filter(Where.eq("bucket", 3L), null);
            long f1 = System.nanoTime();
            System.out.printf("filter() of %d seqs: %.1f ms%n", tenth.length, (f1 - f0) / 1e6);

            double recall = 0;
            int rq = 30;
            for (int q = 0; q < rq; q++) {
                Set<Long> truth = Arrays.stream(LuceneTestData.exactNearest(Space.COSINE, data, queries[q], 10))
                        .mapToObj(i -> (long) i).collect(Collectors.toSet());
                long[] got = idx.search(queries[q], 10, 100, null, null, null);
                recall += Arrays.stream(got).filter(truth::contains).count() / 10.0;
            }
            System.out.printf("recall@10 (ef 100, %d queries): %.3f%n", rq, recall / rq);
        }
        long o0 = System.nanoTime();
        try (LuceneIndex idx = LuceneIndex.open(dir, settings)) {
            idx.search(queries[0], 10, 100, null, null, null);
            System.out.printf("reopen + first query: %.2f s, committedOpSeq %d%n", sec(System.nanoTime() - o0),
                    idx.committedOpSeq());
        }
    }

    private static void report(String what, LuceneIndex idx, float[][] queries, Where where, WhereDocument wd)
            throws IOException {
        for (int i = 0; i < 50; i++) {
            idx.search(queries[i], 10, 100, where, wd, null); // warm-up
        }
        long[] times = new long[queries.length - 50];
        for (int i = 50; i < queries.length; i++) {
            long t = System.nanoTime();
            idx.search(queries[i], 10, 100, where, wd, null);
            times[i - 50] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        System.out.printf("%s: p50 %.2f ms, p95 %.2f ms%n", what, times[times.length / 2] / 1e6,
                times[times.length * 95 / 100] / 1e6);
    }

    private static double sec(long nanos) {
        return nanos / 1e9;
    }
}
