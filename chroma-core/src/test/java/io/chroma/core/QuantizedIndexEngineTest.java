package io.chroma.core;

import io.chroma.api.Collection;
import io.chroma.api.Include;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.core.internal.index.LuceneTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code -Dchroma.index.vectors=int8} the index ranks by 8-bit copies only; the engine ranks its
 * candidates by the stored float32 vectors, so answers carry Chroma's exact distances and, on a
 * collection this size, the exact nearest neighbours, filtered or not, before and after a reopen.
 */
class QuantizedIndexEngineTest {

    @TempDir
    Path dir;

    private String before;

    @BeforeEach
    void quantized() {
        before = System.setProperty("chroma.index.vectors", "int8");
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty("chroma.index.vectors");
        } else {
            System.setProperty("chroma.index.vectors", before);
        }
    }

    @ParameterizedTest
    @EnumSource(Space.class)
    void answersAreTheExactNearestWithExactDistances(Space space) {
        int n = 3_000, dim = 24;
        float[][] data = LuceneTestData.embeddingLike(n + 20, dim, 8, 30, 51);
        Path path = dir.resolve(space.wireName());
        try (PersistentClient c = new PersistentClient(path)) {
            Collection col = c.createCollection("quantized", Map.of("hnsw:space", space.wireName()));
            for (int b = 0; b < n; b += 500) {
                List<String> ids = new ArrayList<>();
                List<float[]> embs = new ArrayList<>();
                List<Map<String, Object>> metas = new ArrayList<>();
                for (int i = b; i < b + 500; i++) {
                    ids.add("id-" + i);
                    embs.add(data[i]);
                    metas.add(Map.of("bucket", i % 10));
                }
                col.add(Records.ids(ids).embeddings(embs).metadatas(metas));
            }
            assertExact(col, space, data, n);
        }
        // the index holds no float32 copy: 3,000 × 24 floats alone would be 288,000 bytes
        assertThat(bytesUnder(path.resolve("index"))).isLessThan((long) n * dim * Float.BYTES);
        try (PersistentClient c = new PersistentClient(path)) {
            assertExact(c.getCollection("quantized"), space, data, n);
        }
    }

    private static long bytesUnder(Path p) {
        try (var files = java.nio.file.Files.walk(p)) {
            return files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertExact(Collection col, Space space, float[][] data, int n) {
        for (int q = n; q < data.length; q++) {
            float[] query = data[q];
            for (boolean filtered : new boolean[] {false, true}) {
                Query request = Query.embeddings(query).nResults(10).include(Include.DISTANCES);
                if (filtered) {
                    request = request.where(Where.eq("bucket", 3));
                }
                QueryResult r = col.query(request);
                List<Integer> expected = IntStream.range(0, n).boxed()
                        .filter(i -> !filtered || i % 10 == 3)
                        .sorted(Comparator.<Integer>comparingDouble(i -> space.distance(query, data[i]))
                                .thenComparingInt(i -> i))
                        .limit(10).toList();
                List<String> ids = r.ids().get(0);
                assertThat(ids).hasSize(10);
                List<Float> distances = r.distances().get(0);
                // HNSW may miss a neighbour now and then; the distances must be exact either way
                long found = expected.stream().filter(i -> ids.contains("id-" + i)).count();
                assertThat(found).as("query %d filtered=%s", q, filtered).isGreaterThanOrEqualTo(9);
                for (int i = 0; i < ids.size(); i++) {
                    int row = Integer.parseInt(ids.get(i).substring(3));
                    assertThat(distances.get(i)).isEqualTo(space.distance(query, data[row]));
                }
                assertThat(distances).isSorted();
            }
        }
    }
}
