package io.chroma.core.internal.index;

import io.chroma.api.Space;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorScorer;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-place scorer gives exactly the scores of Lucene's quantized scorer, for queries and for
 * the vector-to-vector scores of merges, in every space, over a real memory-mapped segment.
 */
class InPlaceQuantizedVectorScorerTest {

    @TempDir
    Path tmp;

    private static final Lucene104ScalarQuantizedVectorScorer LUCENE =
            new Lucene104ScalarQuantizedVectorScorer(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());
    private static final InPlaceQuantizedVectorScorer IN_PLACE =
            new InPlaceQuantizedVectorScorer(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());

    @ParameterizedTest
    @EnumSource(Space.class)
    void scoresEqualLucenesOwn(Space space) throws IOException {
        int n = 1_500, dim = 96;
        float[][] data = LuceneTestData.clustered(n + 20, dim, 12, 57);
        Path dir = tmp.resolve(space.name());
        try (LuceneIndex idx = LuceneIndex.open(dir, LuceneTestData.settings(space, dim), 1, true)) {
            for (int i = 0; i < n; i++) {
                idx.upsert(i, data[i], null, null);
            }
            idx.commit(n);
        }
        int checked = 0;
        try (var directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                CodecReader codec = (CodecReader) leaf.reader();
                var perField = (PerFieldKnnVectorsFormat.FieldsReader) codec.getVectorReader();
                var hnsw = (Lucene99HnswVectorsReader) perField.getFieldReader(LuceneFields.VECTOR);
                var flat = (Lucene104ScalarQuantizedVectorsReader) hnsw.getFlatVectorsReader();
                VectorSimilarityFunction similarity =
                        codec.getFieldInfos().fieldInfo(LuceneFields.VECTOR).getVectorSimilarityFunction();
                QuantizedByteVectorValues values = (QuantizedByteVectorValues) flat.getQuantizedVectorValues(LuceneFields.VECTOR);
                assertThat(InPlaceQuantizedVectorScorer.scoresInPlace(values)).as("mapped, read in place").isTrue();

                for (int q = n; q < n + 20; q++) {
                    RandomVectorScorer expected = LUCENE.getRandomVectorScorer(similarity, values.copy(), data[q]);
                    RandomVectorScorer actual = IN_PLACE.getRandomVectorScorer(similarity, values.copy(), data[q]);
                    for (int ord = 0; ord < values.size(); ord++) {
                        assertThat(actual.score(ord)).as("query %d, ord %d", q, ord).isEqualTo(expected.score(ord));
                    }
                    // a searcher's bulk scoring: groups of 8 copied before scoring, with a short last group
                    java.util.Random random = new java.util.Random(q);
                    for (int count : new int[] {0, 1, 7, 8, 9, 17, 64}) {
                        int[] nodes = random.ints(count, 0, values.size()).toArray();
                        float[] scores = new float[count];
                        float max = actual.bulkScore(nodes, scores, count);
                        float expectedMax = Float.NEGATIVE_INFINITY;
                        for (int j = 0; j < count; j++) {
                            assertThat(scores[j]).as("query %d, bulk of %d, node %d", q, count, nodes[j])
                                    .isEqualTo(expected.score(nodes[j]));
                            expectedMax = Math.max(expectedMax, scores[j]);
                        }
                        assertThat(max).isEqualTo(expectedMax);
                    }
                }
                UpdateableRandomVectorScorer expected = LUCENE.getRandomVectorScorerSupplier(similarity, values.copy()).scorer();
                var supplier = IN_PLACE.getRandomVectorScorerSupplier(similarity, values.copy());
                // the copy a merge hands another thread scores the same
                UpdateableRandomVectorScorer actual = supplier.copy().scorer();
                for (int from = 0; from < values.size(); from += 97) {
                    expected.setScoringOrdinal(from);
                    actual.setScoringOrdinal(from);
                    for (int ord = 0; ord < values.size(); ord++) {
                        assertThat(actual.score(ord)).as("from %d, ord %d", from, ord).isEqualTo(expected.score(ord));
                    }
                }
                checked += values.size();
            }
        }
        assertThat(checked).isEqualTo(n);
    }
}
