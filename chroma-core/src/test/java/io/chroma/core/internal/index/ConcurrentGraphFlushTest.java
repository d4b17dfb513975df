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
            double hits = 0;
            for (int q = 0; q < nq; q++) {
                float[] query = all[n + q];
                long[] found = idx.search(query, 10, 100, null, null, null);
                Set<Long> want = new HashSet<>();
                for (int id : exactNearestLive(live, query, 10)) {
                    want.add((long) id);
                }
                for (long s : found) {
                    hits += want.contains(s) ? 1 : 0;
                }
                assertThat(found).doesNotContain(7L);
            }
            assertThat(hits / (nq * 10)).isGreaterThanOrEqualTo(0.95);
        }
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
