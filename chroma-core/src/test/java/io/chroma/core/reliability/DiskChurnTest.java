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
 * <p>CI: 30 rounds of 5,000 records in and out (about 20 s). {@code -Dchroma.long=true}: 300 rounds.
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
        List<Long> sizes = new ArrayList<>();
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
                assertThat(deleted == perRound || r % 2 == 1).isTrue();
                assertThat(c.count()).isEqualTo(2_000);
                sizes.add(size(store));
            }
        }
        long closed = size(store);
        // after the first few rounds the size plateaus: compaction and merges keep up with churn
        long early = sizes.subList(0, Math.min(5, sizes.size())).stream().mapToLong(Long::longValue).max().orElseThrow();
        long late = sizes.subList(sizes.size() - 5, sizes.size()).stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("DiskChurnTest: %d rounds x %d records in %d s; store size max of first 5 rounds %d KiB, "
                        + "last 5 rounds %d KiB, after close %d KiB; all: %s%n", rounds, perRound,
                (System.nanoTime() - t0) / 1_000_000_000, early >> 10, late >> 10, closed >> 10,
                sizes.stream().map(s -> s >> 10).toList());
        // one round's data is ~5,000 x (16 floats + metadata + document) ≈ 0.5 MB raw; unbounded growth
        // over 30 rounds would be 15+ MB of dead bytes
        assertThat(late).as("size in the last rounds vs the first").isLessThan(Math.max(3 * early, early + (8L << 20)));
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

    static long size(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted by a merge or compaction while we walked
                }
            }).sum();
        }
    }
}
