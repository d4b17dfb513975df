package io.chroma.it;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.chroma.ChromaApiVersion;
import dev.langchain4j.store.embedding.chroma.ChromaEmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * langchain4j's Chroma store ({@code dev.langchain4j:langchain4j-chroma}, API V2) as a black-box
 * client doing its usual add / search / remove flow, against our server started through the CLI
 * and against the real Chroma server, so the assertions are shown to hold for Chroma itself.
 *
 * <p>Embeddings are given explicitly (no model is ever loaded): 8-d vectors chosen so the cosine
 * distances, and so the order and scores of the matches, are known in advance. The store always
 * creates its collections with {@code hnsw:space = cosine} and turns a distance d into the score
 * {@code 1 - d/2}.
 */
class LangChain4jChromaTest {

    /** The scenarios; each uses its own collection, so they share one server. */
    abstract static class Scenarios extends OneServerPerClass {
        private ChromaEmbeddingStore store(String collection) {
            return ChromaEmbeddingStore.builder()
                    .baseUrl(url())
                    .apiVersion(ChromaApiVersion.V2)
                    .collectionName(collection)
                    .timeout(Duration.ofSeconds(30)) // the machine is shared; 5 s (the default) is tight
                    .build();
        }

        private static String newCollection() {
            return "lc4j-" + UUID.randomUUID();
        }

        /** Unit vector i of the 8-d space, scaled. */
        private static float[] axis(int i, float scale) {
            float[] v = new float[8];
            v[i] = scale;
            return v;
        }

        private static float[] vec(float... xs) {
            float[] v = new float[8];
            System.arraycopy(xs, 0, v, 0, xs.length);
            return v;
        }

        private static double cosine(float[] a, float[] b) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < a.length; i++) {
                dot += a[i] * b[i];
                na += a[i] * a[i];
                nb += b[i] * b[i];
            }
            return dot / Math.sqrt(na * nb);
        }

        /** langchain4j's score for a cosine collection: 1 - distance/2 with distance = 1 - cos. */
        private static double score(float[] query, float[] v) {
            return 1 - (1 - cosine(query, v)) / 2;
        }

        // The fixture: ids, vectors at known angles from the query e0, texts and metadata of three types.
        private static final float[] QUERY = axis(0, 1);
        private static final float[] V_A = axis(0, 2); // same direction as the query: distance 0
        private static final float[] V_B = vec(1, 1); // 45 degrees
        private static final float[] V_C = vec(0, 1); // 90 degrees
        private static final float[] V_D = vec(-1, 0.2f); // almost opposite

        private static final List<String> IDS = List.of("a", "b", "c", "d");
        private static final List<float[]> VECTORS = List.of(V_A, V_B, V_C, V_D);

        private static List<TextSegment> segments() {
            return List.of(
                    TextSegment.from("apples are red", new Metadata().put("color", "red").put("year", 2020).put("weight", 0.5)),
                    TextSegment.from("the sky is blue", new Metadata().put("color", "blue").put("year", 2021).put("weight", 1.5)),
                    TextSegment.from("cherries are red too", new Metadata().put("color", "red").put("year", 2022).put("weight", 2.5)),
                    TextSegment.from("grass is green", new Metadata().put("color", "green").put("year", 2023).put("weight", 3.5)));
        }

        private static ChromaEmbeddingStore filled(ChromaEmbeddingStore store) {
            store.addAll(IDS, VECTORS.stream().map(Embedding::from).toList(), segments());
            return store;
        }

        private static List<EmbeddingMatch<TextSegment>> search(ChromaEmbeddingStore store, int max, Filter filter) {
            return store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(QUERY))
                    .maxResults(max)
                    .filter(filter)
                    .build()).matches();
        }

        private static List<String> ids(List<EmbeddingMatch<TextSegment>> matches) {
            return matches.stream().map(EmbeddingMatch::embeddingId).toList();
        }

        @Test
        void searchReturnsTheNearestFirstWithScoresTextsMetadataAndEmbeddings() {
            ChromaEmbeddingStore store = filled(store(newCollection()));

            List<EmbeddingMatch<TextSegment>> matches = search(store, 3, null);

            assertThat(ids(matches)).containsExactly("a", "b", "c");
            assertThat(matches).extracting(EmbeddingMatch::score).isSortedAccordingTo((x, y) -> Double.compare(y, x));
            for (int i = 0; i < 3; i++) {
                EmbeddingMatch<TextSegment> m = matches.get(i);
                assertThat(m.score()).as("score of %s", m.embeddingId()).isCloseTo(score(QUERY, VECTORS.get(i)), within(1e-5));
                assertThat(m.embedded()).isEqualTo(segments().get(i));
                assertThat(m.embedding().vector()).containsExactly(VECTORS.get(i), offset(1e-6f));
            }
            TextSegment b = matches.get(1).embedded();
            assertThat(b.metadata().getString("color")).isEqualTo("blue");
            assertThat(b.metadata().getInteger("year")).isEqualTo(2021);
            assertThat(b.metadata().getDouble("weight")).isEqualTo(1.5);

            // all of them, the opposite one last with a score near 0
            List<EmbeddingMatch<TextSegment>> all = search(store, 10, null);
            assertThat(ids(all)).containsExactly("a", "b", "c", "d");
            assertThat(all.get(3).score()).isCloseTo(score(QUERY, V_D), within(1e-5)).isLessThan(0.1);
        }

        @Test
        void minScoreDropsTheFarMatches() {
            ChromaEmbeddingStore store = filled(store(newCollection()));
            List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(QUERY)).maxResults(10).minScore(0.8).build()).matches();
            // a: 1.0, b: 0.854, c: 0.5, d: ~0.02
            assertThat(ids(matches)).containsExactly("a", "b");
        }

        @Test
        void metadataFiltersSelectBeforeRanking() {
            ChromaEmbeddingStore store = filled(store(newCollection()));

            assertThat(ids(search(store, 10, metadataKey("color").isEqualTo("red")))).containsExactly("a", "c");
            assertThat(ids(search(store, 1, metadataKey("color").isEqualTo("red")))).containsExactly("a");
            assertThat(ids(search(store, 10, metadataKey("color").isNotEqualTo("red")))).containsExactly("b", "d");
            assertThat(ids(search(store, 10, metadataKey("year").isGreaterThan(2021)))).containsExactly("c", "d");
            assertThat(ids(search(store, 10, metadataKey("weight").isLessThanOrEqualTo(1.5)))).containsExactly("a", "b");
            assertThat(ids(search(store, 10, metadataKey("color").isIn("green", "blue")))).containsExactly("b", "d");
            assertThat(ids(search(store, 10, metadataKey("color").isEqualTo("red").and(metadataKey("year").isGreaterThanOrEqualTo(2021)))))
                    .containsExactly("c");
            assertThat(ids(search(store, 10, metadataKey("color").isEqualTo("green").or(metadataKey("year").isLessThan(2021)))))
                    .containsExactly("a", "d");
            assertThat(ids(search(store, 10, Filter.not(metadataKey("color").isIn("red", "green")))))
                    .containsExactly("b");
            assertThat(search(store, 10, metadataKey("color").isEqualTo("purple"))).isEmpty();
        }

        @Test
        void addWithGeneratedIdsAndWithoutText() {
            ChromaEmbeddingStore store = store(newCollection());
            String withText = store.add(Embedding.from(V_B), TextSegment.from("only text, no metadata"));
            String bare = store.add(Embedding.from(V_A));
            List<String> more = store.addAll(List.of(Embedding.from(V_C), Embedding.from(V_D)));

            List<EmbeddingMatch<TextSegment>> matches = search(store, 10, null);

            assertThat(ids(matches)).containsExactly(bare, withText, more.get(0), more.get(1));
            assertThat(matches.get(0).embedded()).as("no document stored").isNull();
            assertThat(matches.get(1).embedded().text()).isEqualTo("only text, no metadata");
            assertThat(matches.get(1).embedded().metadata().toMap()).isEmpty();
            assertThat(UUID.fromString(bare)).isNotNull();
        }

        @Test
        void removeByIdsByFilterAndEverything() {
            String collection = newCollection();
            ChromaEmbeddingStore store = filled(store(collection));

            store.removeAll(List.of("b", "nonexistent"));
            assertThat(ids(search(store, 10, null))).containsExactly("a", "c", "d");

            store.removeAll(metadataKey("color").isEqualTo("red"));
            assertThat(ids(search(store, 10, null))).containsExactly("d");

            store.removeAll(metadataKey("year").isGreaterThan(3000)); // matches nothing: a no-op
            assertThat(ids(search(store, 10, null))).containsExactly("d");

            // removeAll() drops the collection and creates it anew under the same name
            filled(store);
            store.removeAll();
            assertThat(search(store, 10, null)).isEmpty();
            store.add("z", Embedding.from(V_C));
            assertThat(ids(search(store, 10, null))).containsExactly("z");

            // a second store on the same name finds the existing collection instead of creating one
            ChromaEmbeddingStore again = store(collection);
            assertThat(ids(search(again, 10, null))).containsExactly("z");
        }

        @Test
        void explicitTenantAndDatabaseAreCreatedWhenMissing() {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            ChromaEmbeddingStore store = ChromaEmbeddingStore.builder()
                    .baseUrl(url())
                    .apiVersion(ChromaApiVersion.V2)
                    .tenantName("lc4j-tenant-" + suffix)
                    .databaseName("lc4j-db-" + suffix)
                    .collectionName(newCollection())
                    .timeout(Duration.ofSeconds(30))
                    .build();
            filled(store);
            assertThat(ids(search(store, 2, null))).containsExactly("a", "b");

            // it lives in that tenant/database, visible over the plain wire API
            Http.Response r = Http.get(url() + "/api/v2/tenants/lc4j-tenant-" + suffix + "/databases/lc4j-db-" + suffix
                    + "/collections_count");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().trim()).isEqualTo("1");
        }
    }

    @Nested
    class AgainstOurServer extends Scenarios {
        @BeforeAll
        void start(@TempDir Path data) {
            startOurs(data);
        }
    }

    @Nested
    class AgainstRealChroma extends Scenarios {
        @BeforeAll
        void start() {
            startRealOrSkip("langchain4j");
        }
    }
}
