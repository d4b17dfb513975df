package io.chroma.core.reliability;

import io.chroma.api.Collection;
import io.chroma.api.Delete;
import io.chroma.api.Records;
import io.chroma.api.Where;
import io.chroma.core.PersistentClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disk stays bounded under add/delete churn (Chroma's B.3 / #7510: the HNSW files and the SQLite
 * log grew with every delete). The live data is the same after every round, so the store's size
 * after round r must not grow with r: deleted records' bytes are reclaimed by RocksDB compaction
 * and Lucene merges, and the write log is truncated at index commits.
 *
 * <p>CI: 30 rounds of 5,000 records in and out. {@code -Dchroma.long=true}: 300 rounds.
 */
class DiskChurnTest {

    @TempDir
    Path dir;

    @Test
    void storeSizeIsBoundedUnderAddDeleteChurn() throws IOException {
        int rounds = Boolean.getBoolean("chroma.long") ? 300 : 30;
        int perRound = 5_000;
        int dim = 16;
        Path store = dir.resolve("churn");
        Random rnd = new Random(11);
        List<long[]> sizes = new ArrayList<>(); // {index, rocksdb tables, rocksdb write-ahead log}
        long t0 = System.nanoTime();
        try (PersistentClient client = new PersistentClient(store)) {
            Collection c = client.createCollection("churn");
            // a resident set that stays, so deletes leave holes in segments rather than empty them
            add(c, "keep", 0, 2_000, dim, rnd, "keep");
            for (int r = 0; r < rounds; r++) {
                add(c, "r" + r + "-", 0, perRound, dim, rnd, "round" + r);
                int deleted = r % 2 == 0
                        ? c.delete(Delete.where(Where.eq("tag", "round" + r)))
                        : c.delete(Delete.ids(ids("r" + r + "-", perRound)));
                assertThat(deleted).isEqualTo(perRound);
                assertThat(c.count()).isEqualTo(2_000);
                sizes.add(new long[] {size(store.resolve("index"), ""), size(store.resolve("rocksdb"), ".sst"),
                        size(store.resolve("rocksdb"), ".log")});
            }
        }
        long closed = size(store, "");
        long[] early = maxOf(sizes.subList(0, Math.min(5, sizes.size())));
        long[] late = maxOf(sizes.subList(sizes.size() - 5, sizes.size()));
        System.out.printf("DiskChurnTest: %d rounds x %d records in %d s; max of first/last 5 rounds (KiB): "
                        + "index %d/%d, RocksDB tables %d/%d, RocksDB WAL %d/%d; store after close %d KiB%n",
                rounds, perRound, (System.nanoTime() - t0) / 1_000_000_000, early[0] >> 10, late[0] >> 10,
                early[1] >> 10, late[1] >> 10, early[2] >> 10, late[2] >> 10, closed >> 10);
        // Lucene merges away deleted documents and RocksDB compaction drops deleted rows: the live
        // data is the same every round, so neither may grow with the number of rounds (one round's
        // data is ~0.5 MB raw; growth would be 15+ MB over 30 rounds)
        assertThat(late[0]).as("index size in the last rounds vs the first").isLessThan(Math.max(3 * early[0], early[0] + (8L << 20)));
        assertThat(late[1]).as("RocksDB tables in the last rounds vs the first").isLessThan(Math.max(3 * early[1], early[1] + (8L << 20)));
        // The write-ahead log holds every write since the last memtable flush (deleted rows too)
        // and is capped by RocksKvStore's max_total_wal_size (256 MiB) plus one 64 MiB memtable:
        // bounded by configuration, not by the data.
        assertThat(late[2]).as("RocksDB write-ahead log").isLessThan((256L + 64L) << 20);
    }

    static long[] maxOf(List<long[]> rows) {
        long[] out = new long[rows.getFirst().length];
        for (long[] r : rows) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.max(out[i], r[i]);
            }
        }
        return out;
    }

    static void add(Collection c, String prefix, int from, int n, int dim, Random rnd, String tag) {
        for (int start = from; start < from + n; start += 2_500) {
            int end = Math.min(from + n, start + 2_500);
            List<String> ids = new ArrayList<>();
            List<float[]> vecs = new ArrayList<>();
            List<Map<String, ?>> metas = new ArrayList<>();
            for (int i = start; i < end; i++) {
                ids.add(prefix + i);
                float[] v = new float[dim];
                for (int d = 0; d < dim; d++) {
                    v[d] = rnd.nextFloat();
                }
                vecs.add(v);
                metas.add(Map.of("tag", tag));
            }
            c.add(Records.ids(ids).embeddings(vecs).metadatas(metas).documents(ids));
        }
    }

    static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    /** Bytes in regular files under root whose names end with suffix; files merged away meanwhile are skipped. */
    static long size(Path root, String suffix) throws IOException {
        long[] total = {0};
        if (!Files.exists(root)) {
            return 0;
        }
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && file.getFileName().toString().endsWith(suffix)) {
                    total[0] += attrs.size();
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE; // deleted by a merge or compaction while we walked
            }
        });
        return total[0];
    }
}
