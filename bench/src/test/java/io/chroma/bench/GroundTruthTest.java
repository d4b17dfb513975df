package io.chroma.bench;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class GroundTruthTest {

    @Test
    void topKMatchesASortOfAllDistances() {
        Dataset ds = Dataset.clustered(700, 12, 15, 25, 11);
        int[][] top = GroundTruth.topK(ds, 10, null);
        for (int q = 0; q < ds.queryCount(); q++) {
            int query = q;
            List<Integer> sorted = IntStream.range(0, ds.n()).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> dist(ds, query, i)).thenComparing(i -> i))
                    .limit(10).toList();
            assertThat(top[q]).containsExactly(sorted.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void candidatesRestrictTheAnswer() {
        Dataset ds = Dataset.clustered(1000, 8, 10, 5, 2);
        int[] sevens = Records.matching(ds.n(), i -> Records.sel10(i) == 7);
        int[][] top = GroundTruth.topK(ds, 10, q -> sevens);
        for (int[] row : top) {
            assertThat(row).hasSize(10);
            assertThat(java.util.Arrays.stream(row)).allMatch(i -> i % 10 == 7);
        }
        // fewer candidates than k: all of them
        int[][] few = GroundTruth.topK(ds, 10, q -> new int[] {3, 5});
        assertThat(few[0]).containsExactlyInAnyOrder(3, 5);
    }

    @Test
    void recallCountsTheTruthFound() {
        assertThat(GroundTruth.recall(List.of(1, 2, 3, 99), new int[] {1, 2, 3, 4})).isEqualTo(0.75);
        assertThat(GroundTruth.recall(List.of(), new int[] {1})).isZero();
        assertThat(GroundTruth.recall(List.of(), new int[] {})).isEqualTo(1.0);
    }

    @Test
    void cacheReturnsWhatWasComputed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Dataset ds = Dataset.clustered(300, 8, 10, 7, 4);
        int[][] first = GroundTruth.cached(dir, "k1", ds, 5, null);
        int[][] again = GroundTruth.cached(dir, "k1", ds, 5, null);
        assertThat(again).isDeepEqualTo(first);
        assertThat(GroundTruth.cached(dir, "k2", ds, 3, null)[0]).hasSize(3);
    }

    private static double dist(Dataset ds, int q, int i) {
        double s = 0;
        for (int d = 0; d < ds.dim(); d++) {
            double diff = (double) ds.vectors()[i * ds.dim() + d] - ds.queries()[q * ds.dim() + d];
            s += diff * diff;
        }
        return s;
    }
}
