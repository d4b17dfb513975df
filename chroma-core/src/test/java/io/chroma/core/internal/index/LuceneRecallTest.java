package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recall@10 of the HNSW path against brute force, at Chroma's defaults (M 16, ef_construction
 * 100, ef_search 100), on clustered data, across several segments and with deletions.
 */
class LuceneRecallTest {

    private static final int N = 8000;
    private static final int DIM = 64;
    private static final int QUERIES = 100;
    private static final int K = 10;

    @Test
    void recallAtTenIsHighOnClusteredData() throws IOException {
        float[][] data = LuceneTestData.clustered(N, DIM, 40, 1);
        float[][] queries = LuceneTestData.clustered(QUERIES, DIM, 40, 2);
        try (LuceneIndex idx = LuceneIndex.open(null, LuceneTestData.settings(Space.COSINE, DIM))) {
            for (int i = 0; i < N; i++) {
                idx.upsert(i, data[i], Map.of("bucket", (long) (i % 10)), null);
                if (i % 2500 == 0) {
                    idx.size(); // a read mid-load: several segments to search and merge
                }
            }
            // delete every 5th record: deleted nodes stay in the graph but must not be returned
            for (int i = 0; i < N; i += 5) {
                idx.delete(i);
            }
            double unfiltered = 0;
            double filtered = 0;
            for (float[] q : queries) {
                unfiltered += recall(LuceneTestData.nearest(idx, Space.COSINE, data, q, K, 100, null, null, null),
                        truth(data, q, i -> i % 5 != 0));
                filtered += recall(LuceneTestData.nearest(idx, Space.COSINE, data, q, K, 100, Where.eq("bucket", 3L), null, null),
                        truth(data, q, i -> i % 5 != 0 && i % 10 == 3));
            }
            unfiltered /= QUERIES;
            filtered /= QUERIES;
            System.out.printf("recall@10 unfiltered %.3f, filtered (10%%) %.3f%n", unfiltered, filtered);
            assertThat(unfiltered).isGreaterThanOrEqualTo(0.95);
            assertThat(filtered).isGreaterThanOrEqualTo(0.95);
        }
    }

    private static Set<Long> truth(float[][] data, float[] q, java.util.function.IntPredicate live) {
        Integer[] ids = java.util.stream.IntStream.range(0, data.length).filter(live).boxed().toArray(Integer[]::new);
        float[][] subset = new float[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            subset[i] = data[ids[i]];
        }
        return Arrays.stream(LuceneTestData.exactNearest(Space.COSINE, subset, q, K))
                .mapToObj(i -> (long) ids[i]).collect(Collectors.toSet());
    }

    private static double recall(long[] got, Set<Long> truth) {
        assertThat(got).hasSize(K);
        return Arrays.stream(got).filter(truth::contains).count() / (double) K;
    }
}
