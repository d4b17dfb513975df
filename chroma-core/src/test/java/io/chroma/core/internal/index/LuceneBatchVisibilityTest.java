package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch given to {@link LuceneIndex#applyAll} (indexed by several threads) is seen whole or not at all. */
class LuceneBatchVisibilityTest {

    @Test
    void readersNeverSeeHalfABatch() throws Exception {
        int dim = 8;
        int batch = 2 * LuceneIndex.MIN_PER_THREAD + 37; // large enough for the parallel path
        int batches = 12;
        float[][] data = LuceneTestData.clustered(batch * batches, dim, 8, 7);
        try (LuceneIndex idx = LuceneIndex.open(null, LuceneTestData.settings(Space.L2, dim), 2)) {
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    readers.add(pool.submit(() -> {
                        int reads = 0;
                        while (!done.get()) {
                            assertThat(idx.size() % batch).as("records visible mid-batch").isZero();
                            // a later batch replaces every record of the first one: all or nothing too
                            int changed = idx.filter(Where.eq("round", 1L), null).length;
                            assertThat(changed).isIn(0, batch);
                            reads++;
                        }
                        return reads;
                    }));
                }
                for (int b = 0; b < batches; b++) {
                    List<VectorIndex.Change> changes = new ArrayList<>(batch);
                    for (int i = b * batch; i < (b + 1) * batch; i++) {
                        changes.add(VectorIndex.Change.upsert(i, data[i], Map.of("round", 0L), null));
                    }
                    idx.applyAll(changes);
                    assertThat(idx.size()).isEqualTo((b + 1) * batch); // a read after the write sees it
                }
                List<VectorIndex.Change> update = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    update.add(VectorIndex.Change.upsert(i, data[i], Map.of("round", 1L), null));
                }
                idx.applyAll(update);
                assertThat(idx.filter(Where.eq("round", 1L), null)).hasSize(batch);
                done.set(true);
                for (Future<Integer> f : readers) {
                    assertThat(f.get()).isPositive();
                }
                assertThat(idx.size()).isEqualTo(batch * batches);
                // the graph built by several threads still finds each record first
                for (int i = 0; i < data.length; i += 97) {
                    assertThat(LuceneTestData.nearest(idx, Space.L2, data, data[i], 1, 50, null, null, null)).containsExactly(i);
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
        }
    }
}
