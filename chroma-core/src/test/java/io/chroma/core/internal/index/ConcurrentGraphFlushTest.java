package io.chroma.core.internal.index;

import io.chroma.api.Space;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The graph built on several threads at flush ({@link ConcurrentGraphFlushWriter}): the segment it
 * writes is one segment, opens with Lucene's stock reader, and searches as well as a graph built
 * on one thread.
 */
class ConcurrentGraphFlushTest {

    @TempDir
    Path tmp;

    @Test
    void theIndexUsesSeveralGraphWorkersByDefaultOnThisMachine() {
        assertThat(LuceneIndex.GRAPH_WORKERS).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void aGraphBuiltOnSeveralThreadsFindsTheNearestNeighbours() throws IOException {
        int n = 6_000, dim = 32, nq = 100;
        float[][] all = LuceneTestData.clustered(n + nq, dim, 60, 7);
        float[][] data = Arrays.copyOfRange(all, 0, n);
        Path dir = tmp.resolve("idx");
        try (LuceneIndex idx = LuceneIndex.open(dir, LuceneTestData.settings(Space.L2, dim))) {
            // batches like the engine's, with replacements and deletes inside the same segment
            for (int b = 0; b < n; b += 500) {
                java.util.List<VectorIndex.Change> batch = new java.util.ArrayList<>();
                for (int i = b; i < b + 500; i++) {
                    batch.add(VectorIndex.Change.upsert(i, data[i], null, null));
                }
                idx.applyAll(batch);
            }
            idx.upsert(5, data[5], null, "replaced");
            idx.delete(7);
            idx.commit(n);
        }
        try (FSDirectory d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
            assertThat(r.leaves()).hasSize(1); // one segment: the whole load went through one graph
        }
        try (LuceneIndex idx = LuceneIndex.open(dir, LuceneTestData.settings(Space.L2, dim))) {
            assertThat(idx.size()).isEqualTo(n - 1);
            float[][] live = data.clone();
            live[7] = null;
            assertRecall(idx, live, all, n, nq); // also: the deleted seq 7 is never returned
        }
    }

    @Test
    void segmentsFlushedByReadsMidLoadWithReplacementsAndDeletesStayCorrect() throws IOException {
        int perRound = 5_000, rounds = 3, dim = 24, nq = 60;
        int n = perRound * rounds;
        float[][] all = LuceneTestData.clustered(n + 200 + nq, dim, 80, 11);
        float[][] live = new float[n][];
        java.util.Random rnd = new java.util.Random(5);
        try (LuceneIndex idx = LuceneIndex.open(tmp.resolve("rounds"), LuceneTestData.settings(Space.L2, dim))) {
            for (int r = 0; r < rounds; r++) {
                for (int b = r * perRound; b < (r + 1) * perRound; b += 1000) {
                    java.util.List<VectorIndex.Change> batch = new java.util.ArrayList<>();
                    for (int i = b; i < b + 1000; i++) {
                        batch.add(VectorIndex.Change.upsert(i, all[i], null, null));
                        live[i] = all[i];
                    }
                    idx.applyAll(batch);
                }
                if (r == rounds - 1) {
                    // replace and delete records of earlier segments and of this one, in one batch
                    java.util.List<VectorIndex.Change> batch = new java.util.ArrayList<>();
                    Set<Integer> touched = new HashSet<>();
                    for (int k = 0; k < 200; k++) {
                        int seq = rnd.nextInt(n);
                        if (!touched.add(seq)) {
                            continue;
                        }
                        if (k % 2 == 0) {
                            batch.add(VectorIndex.Change.upsert(seq, all[n + k], null, null));
                            live[seq] = all[n + k];
                        } else {
                            batch.add(VectorIndex.Change.delete(seq));
                            live[seq] = null;
                        }
                    }
                    idx.applyAll(batch);
                }
                // each read flushes what was added since the last one: a segment past the serial start
                assertRecall(idx, live, all, n + 200, nq);
            }
            long expected = Arrays.stream(live).filter(v -> v != null).count();
            assertThat(idx.size()).isEqualTo((int) expected);
        }
    }

    private static void assertRecall(LuceneIndex idx, float[][] live, float[][] all, int queriesFrom, int nq)
            throws IOException {
        double hits = 0;
        int asked = 0;
        for (int q = 0; q < nq; q++) {
            float[] query = all[queriesFrom + q];
            for (long s : idx.search(query, 10, 100, null, null, null)) {
                assertThat(live[(int) s]).as("seq %d was deleted or never added", s).isNotNull();
            }
            long[] found = LuceneTestData.nearest(idx, Space.L2, live, query, 10, 100, null, null, null);
            Set<Long> want = new HashSet<>();
            for (int id : exactNearestLive(live, query, 10)) {
                want.add((long) id);
            }
            for (long s : found) {
                hits += want.contains(s) ? 1 : 0;
            }
            asked += want.size();
        }
        assertThat(hits / asked).isGreaterThanOrEqualTo(0.95);
    }

    private static int[] exactNearestLive(float[][] data, float[] q, int k) {
        Integer[] ids = new Integer[data.length];
        int m = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] != null) {
                ids[m++] = i;
            }
        }
        Integer[] live = Arrays.copyOf(ids, m);
        Arrays.sort(live, (a, b) -> Float.compare(l2(data[a], q), l2(data[b], q)));
        return Arrays.stream(live).limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static float l2(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
