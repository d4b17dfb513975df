package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chroma.vectorstore.ChromaApi;
import org.springframework.ai.chroma.vectorstore.ChromaVectorStore;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;

/**
 * Spring AI's Chroma vector store ({@code org.springframework.ai:spring-ai-chroma-store}, which talks
 * /api/v2 with a tenant and a database) as a black-box client doing its usual add / search / delete
 * flow, against our server started through the CLI and against the real Chroma server, so the
 * assertions are shown to hold for Chroma itself. No Spring context: the store is built
 * programmatically, with a tiny deterministic {@link EmbeddingModel} (no model is ever loaded).
 */
class SpringAiChromaTest {

    /**
     * Counts a few keywords, one dimension each, plus a constant dimension so no text embeds to the
     * zero vector (whose cosine is undefined). Texts that share keywords are near, so the expected
     * order of a search is known, and the expected score is computed from the same vectors.
     */
    static final class KeywordEmbeddingModel implements EmbeddingModel {
        static final List<String> KEYWORDS = List.of("red", "blue", "green", "fruit", "sky", "car", "fast");

        static float[] vector(String text) {
            float[] v = new float[KEYWORDS.size() + 1];
            for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
                int i = KEYWORDS.indexOf(word);
                if (i >= 0) {
                    v[i] += 1;
                }
            }
            v[KEYWORDS.size()] = 1;
            return v;
        }

        @Override
        public EmbeddingResponse call(EmbeddingRequest request) {
            List<Embedding> out = new ArrayList<>();
            List<String> texts = request.getInstructions();
            for (int i = 0; i < texts.size(); i++) {
                out.add(new Embedding(vector(texts.get(i)), i));
            }
            return new EmbeddingResponse(out);
        }

        @Override
        public float[] embed(Document document) {
            return vector(document.getText());
        }
    }

    static double cosine(String a, String b) {
        float[] x = KeywordEmbeddingModel.vector(a);
        float[] y = KeywordEmbeddingModel.vector(b);
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }

    /** The scenarios; each uses its own tenant, database and collection, so they share one server. */
    abstract static class Scenarios extends OneServerPerClass {
        private static final String QUERY = "red fruit";

        // query "red fruit": d1 cos 1, d4 2/3, d3 1/sqrt(3), d2 1/3
        private static List<Document> documents() {
            return List.of(
                    Document.builder().id("d1").text("red fruit, an apple").metadata(Map.of("color", "red", "year", 2020)).build(),
                    Document.builder().id("d2").text("the blue sky").metadata(Map.of("color", "blue", "year", 2021)).build(),
                    Document.builder().id("d3").text("a fast red car").metadata(Map.of("color", "red", "year", 2022)).build(),
                    Document.builder().id("d4").text("green fruit").metadata(Map.of("color", "green", "year", 2023)).build());
        }

        private ChromaApi api() {
            return ChromaApi.builder().baseUrl(url()).build();
        }

        private static String unique(String prefix) {
            return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        }

        /** A store on a collection that exists: tenant, database and collection made through ChromaApi first. */
        private ChromaVectorStore storeOnExistingCollection() throws Exception {
            ChromaApi api = api();
            String tenant = unique("sa-tenant");
            String database = unique("sa-db");
            String collection = unique("sa-coll");
            api.createTenant(tenant);
            api.createDatabase(tenant, database);
            ChromaApi.Collection created = api.createCollection(tenant, database, new ChromaApi.CreateCollectionRequest(collection));
            assertThat(created.name()).isEqualTo(collection);
            assertThat(created.metadata()).containsEntry("hnsw:space", "cosine");

            ChromaVectorStore store = ChromaVectorStore.builder(api, new KeywordEmbeddingModel())
                    .tenantName(tenant).databaseName(database).collectionName(collection)
                    .initializeSchema(true)
                    .build();
            store.afterPropertiesSet();
            return store;
        }

        private static List<Document> search(ChromaVectorStore store, int topK, String filter) {
            SearchRequest.Builder b = SearchRequest.builder().query(QUERY).topK(topK);
            if (filter != null) {
                b.filterExpression(filter);
            }
            return store.similaritySearch(b.build());
        }

        private static List<String> ids(List<Document> docs) {
            return docs.stream().map(Document::getId).toList();
        }

        @Test
        void addThenSearchReturnsTheNearestFirstWithScoresTextAndMetadata() throws Exception {
            ChromaVectorStore store = storeOnExistingCollection();
            store.add(documents());

            List<Document> found = search(store, 3, null);

            assertThat(ids(found)).containsExactly("d1", "d4", "d3");
            Map<String, Document> byId = new HashMap<>();
            documents().forEach(d -> byId.put(d.getId(), d));
            for (Document d : found) {
                Document original = byId.get(d.getId());
                assertThat(d.getText()).isEqualTo(original.getText());
                assertThat(d.getScore()).as("score of %s", d.getId()).isCloseTo(cosine(QUERY, original.getText()), within(1e-4));
                assertThat(d.getMetadata()).containsAllEntriesOf(original.getMetadata());
                assertThat(((Number) d.getMetadata().get("distance")).doubleValue())
                        .isCloseTo(1 - cosine(QUERY, original.getText()), within(1e-4));
            }
            assertThat(found.get(0).getScore()).isCloseTo(1.0, within(1e-5));

            assertThat(ids(search(store, 10, null))).containsExactly("d1", "d4", "d3", "d2");
            // similarityThreshold is applied by the client to 1 - distance
            assertThat(ids(store.similaritySearch(SearchRequest.builder().query(QUERY).topK(10).similarityThreshold(0.6).build())))
                    .containsExactly("d1", "d4");
        }

        @Test
        void filterExpressionsSelectBeforeRanking() throws Exception {
            ChromaVectorStore store = storeOnExistingCollection();
            store.add(documents());

            assertThat(ids(search(store, 10, "color == 'red'"))).containsExactly("d1", "d3");
            assertThat(ids(search(store, 1, "color == 'red'"))).containsExactly("d1");
            assertThat(ids(search(store, 10, "color != 'red'"))).containsExactly("d4", "d2");
            assertThat(ids(search(store, 10, "year >= 2022"))).containsExactly("d4", "d3");
            assertThat(ids(search(store, 10, "color == 'red' && year > 2020"))).containsExactly("d3");
            assertThat(ids(search(store, 10, "color == 'blue' || year < 2021"))).containsExactly("d1", "d2");
            assertThat(ids(search(store, 10, "color in ['green', 'blue']"))).containsExactly("d4", "d2");
            assertThat(ids(search(store, 10, "color nin ['green', 'blue']"))).containsExactly("d1", "d3");
            assertThat(search(store, 10, "color == 'purple'")).isEmpty();
        }

        @Test
        void addUpsertsAndDeleteRemovesByIdAndByFilter() throws Exception {
            ChromaVectorStore store = storeOnExistingCollection();
            store.add(documents());

            // add is an upsert: the same id again replaces text, embedding and metadata
            store.add(List.of(Document.builder().id("d2").text("red fruit too").metadata(Map.of("color", "red", "year", 2024)).build()));
            List<Document> afterUpsert = search(store, 10, null);
            assertThat(ids(afterUpsert)).containsExactly("d1", "d2", "d4", "d3");
            assertThat(afterUpsert.get(1).getText()).isEqualTo("red fruit too");
            assertThat(afterUpsert.get(1).getMetadata()).containsEntry("year", 2024).containsEntry("color", "red");

            store.delete(List.of("d2", "no-such-id"));
            assertThat(ids(search(store, 10, null))).containsExactly("d1", "d4", "d3");

            store.delete("color == 'red'");
            assertThat(ids(search(store, 10, null))).containsExactly("d4");

            store.delete("year > 3000"); // matches nothing
            assertThat(ids(search(store, 10, null))).containsExactly("d4");

            store.delete(List.of("d4"));
            assertThat(search(store, 10, null)).isEmpty();
        }

        @Test
        void probesForMissingTenantAndDatabaseAnswerNull() {
            // ChromaVectorStore's initializeSchema relies on these: null means "create it"
            ChromaApi api = api();
            String tenant = unique("sa-missing-tenant");
            assertThat(api.getTenant(tenant)).isNull();
            api.createTenant(tenant);
            assertThat(api.getTenant(tenant)).isEqualTo(new ChromaApi.Tenant(tenant));

            String database = unique("sa-missing-db");
            assertThat(api.getDatabase(tenant, database)).isNull();
            api.createDatabase(tenant, database);
            assertThat(api.getDatabase(tenant, database)).isEqualTo(new ChromaApi.Database(database));
        }

        @Test
        void initializeSchemaOnAMissingCollectionStopsAtTheCollectionProbe() {
            // Spring AI 1.1.2 probes the collection first and treats only the message
            // "Collection [<name>] does not exists" as "missing"; Chroma 1.x says "does not exist", so
            // the store refuses to start and creates nothing, not even the tenant. Pinned here because
            // what the client does depends on the exact 404 message.
            ChromaApi api = api();
            String tenant = unique("sa-fresh-tenant");
            String database = unique("sa-fresh-db");
            String collection = unique("sa-fresh-coll");
            ChromaVectorStore store = ChromaVectorStore.builder(api, new KeywordEmbeddingModel())
                    .tenantName(tenant).databaseName(database).collectionName(collection)
                    .initializeSchema(true)
                    .build();
            assertThat(catchThrowable(store::afterPropertiesSet))
                    .isInstanceOf(RuntimeException.class)
                    .hasMessage("Collection [" + collection + "] does not exist");
            assertThat(api.getTenant(tenant)).isNull();
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
            startRealOrSkip("Spring AI");
        }
    }
}
