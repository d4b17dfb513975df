package io.chroma.core.internal.index;

import io.chroma.api.Space;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index keeps 8-bit quantized vectors only ({@link QuantizedHnswVectorsFormat}): no float32 copy
 * on disk, candidates that rank to the true neighbours once the engine orders them by the stored
 * vectors, and indexes written before (float32 segments) still answer beside new segments and merge
 * with them.
 */
class QuantizedVectorsTest {

    @TempDir
    Path tmp;

    @Test
    void theIndexHoldsNoFloat32CopyOfTheVectors() throws IOException {
        int n = 5_000, dim = 256;
        float[][] data = LuceneTestData.clustered(n + 50, dim, 20, 41);
        Path dir = tmp.resolve("q");
        try (LuceneIndex idx = LuceneIndex.open(dir, LuceneTestData.settings(Space.L2, dim), 1, true)) {
            for (int i = 0; i < n; i++) {
                idx.upsert(i, data[i], null, null);
            }
            idx.commit(n);
            // no distances from the index: its copies are not the stored values
            assertThat(idx.searchWithDistances(data[n], 10, 100, null, null, null).distances()).isNull();
        }
        long raw = (long) n * dim * Float.BYTES;
        assertThat(sizeOf(dir)).as("index bytes vs float32 vectors alone").isLessThan(raw / 2);
        assertThat(vectorFormats(dir)).containsOnly(QuantizedHnswVectorsFormat.NAME);
        try (LuceneIndex idx = LuceneIndex.open(dir, LuceneTestData.settings(Space.L2, dim), 1, true)) {
            assertRecall(idx, Space.L2, data, n, i -> true);
        }
    }

    @Test
    void float32SegmentsWrittenBeforeAnswerAndMergeWithQuantizedOnes() throws IOException {
        int half = 2_000, dim = 32;
        float[][] data = LuceneTestData.clustered(2 * half + 50, dim, 10, 43);
        Path dir = tmp.resolve("mixed");
        IndexSettings s = LuceneTestData.settings(Space.COSINE, dim);
        try (LuceneIndex idx = LuceneIndex.open(dir, s, 1, false)) {
            for (int i = 0; i < half; i++) {
                idx.upsert(i, data[i], null, null);
            }
            idx.commit(half);
        }
        assertThat(vectorFormats(dir)).containsOnly("Lucene99HnswVectorsFormat");
        try (LuceneIndex idx = LuceneIndex.open(dir, s, 1, true)) {
            for (int i = half; i < 2 * half; i++) {
                idx.upsert(i, data[i], null, null);
            }
            idx.commit(2 * half);
            assertThat(vectorFormats(dir)).containsOnly("Lucene99HnswVectorsFormat", QuantizedHnswVectorsFormat.NAME);
            assertRecall(idx, Space.COSINE, data, 2 * half, i -> true);
            // with a third of each segment deleted, reclaiming space rewrites both: the old
            // float32 values and the new dequantized ones are quantized again
            for (int i = 0; i < 2 * half; i += 3) {
                idx.delete(i);
            }
            idx.commit(3 * half);
            idx.reclaimSpace();
            assertThat(vectorFormats(dir)).containsOnly(QuantizedHnswVectorsFormat.NAME);
            assertRecall(idx, Space.COSINE, data, 2 * half, i -> i % 3 != 0);
        }
        try (LuceneIndex idx = LuceneIndex.open(dir, s, 1, true)) {
            assertThat(idx.size()).isEqualTo(2 * half - (2 * half + 2) / 3);
            assertRecall(idx, Space.COSINE, data, 2 * half, i -> i % 3 != 0);
        }
    }

    /** Queries are the rows after the first {@code n}; deleted records must never come back. */
    private static void assertRecall(LuceneIndex idx, Space space, float[][] data, int n,
                                     java.util.function.IntPredicate live) throws IOException {
        int k = 10, queries = data.length - n;
        double hits = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = data[n + q];
            long[] found = LuceneTestData.nearest(idx, space, data, query, k, 100, null, null, null);
            assertThat(found).hasSize(k);
            Integer[] ids = java.util.stream.IntStream.range(0, n).filter(live).boxed().toArray(Integer[]::new);
            float[][] subset = Arrays.stream(ids).map(i -> data[i]).toArray(float[][]::new);
            Set<Long> truth = new HashSet<>();
            for (int i : LuceneTestData.exactNearest(space, subset, query, k)) {
                truth.add((long) ids[i]);
            }
            for (long s : found) {
                assertThat(live.test((int) s)).as("seq %d is deleted", s).isTrue();
                hits += truth.contains(s) ? 1 : 0;
            }
        }
        assertThat(hits / (queries * k)).isGreaterThanOrEqualTo(0.95);
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static List<String> vectorFormats(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (FSDirectory d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
            for (LeafReaderContext leaf : r.leaves()) {
                FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(LuceneFields.VECTOR);
                out.add(info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
            }
        }
        return out;
    }
}
