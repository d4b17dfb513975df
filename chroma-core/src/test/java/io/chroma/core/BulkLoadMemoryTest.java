package io.chroma.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.Collection;
import io.chroma.api.Records;
import io.chroma.core.internal.index.VectorIndexFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end of a bulk load (an index commit covering many new records) hands memory back: RocksDB's
 * memtables are flushed to an SST file in the background, without waiting for them to fill.
 */
class BulkLoadMemoryTest {

    @TempDir
    Path dir;

    @Test
    void aBulkLoadsCommitFlushesTheMemtables() throws Exception {
        int n = 100_000; // the engine commits a collection's index every 100k records
        try (PersistentClient c = new PersistentClient(dir, ClientSettings.defaults().withDefaultEmbeddingFunction(false),
                VectorIndexFactory.LUCENE)) {
            Collection col = c.createCollection("bulk");
            // a few MB of records: far below RocksDB's 64 MB write buffer, so nothing else flushes them
            assertThat(sstFiles()).as("SST files before the load").isZero();
            for (int b = 0; b < n; b += 5000) {
                List<String> ids = new ArrayList<>();
                List<float[]> vectors = new ArrayList<>();
                for (int i = b; i < b + 5000; i++) {
                    ids.add("r" + i);
                    vectors.add(new float[] {i % 97, i % 89, i % 83, i % 79});
                }
                col.add(Records.ids(ids).embeddings(vectors));
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (sstFiles() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sstFiles()).as("SST files after the bulk load's commit").isPositive();
            assertThat(col.count()).isEqualTo(n);
        }
    }

    private long sstFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("rocksdb"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sst")).count();
        }
    }
}
