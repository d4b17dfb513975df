package io.chroma.it;

import io.chroma.api.Collection;
import io.chroma.api.CreateCollection;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Get;
import io.chroma.api.Include;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.core.PersistentClient;
import io.chroma.embeddings.DefaultEmbeddingFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The usage guide's promise for the embedded client: with chroma-embeddings on the class path, a
 * collection created without an embedding function uses Chroma's default (all-MiniLM-L6-v2) to
 * embed documents and query texts, records it, and gets it back after a restart.
 */
class DefaultEmbeddingFunctionEmbeddedTest {

    @TempDir
    Path dir;

    @Test
    void documentsAndQueryTextsAreEmbeddedWithTheDefaultFunction() {
        try (PersistentClient client = new PersistentClient(dir)) {
            Collection c = client.createCollection("docs");
            assertThat(c.embeddingFunction()).isNotNull();
            assertThat(c.configuration().embeddingFunction()).containsEntry("name", "default");
            c.add(Records.ids("pets", "space", "food")
                    .documents("My cat sleeps on the sofa all afternoon",
                            "The rocket reached orbit after a long burn",
                            "Fresh bread and butter for breakfast")
                    .metadatas(Map.of("topic", "animals"), Map.of("topic", "space"), Map.of("topic", "food")));
            float[] stored = c.get(Get.ids("pets").include(Include.EMBEDDINGS)).embeddings().get(0);
            assertThat(stored).hasSize(384);

            QueryResult r = c.query(Query.texts("a kitten napping on the couch").nResults(3));
            assertThat(r.ids().get(0)).first().isEqualTo("pets");
            r = c.query(Query.texts("astronauts and spacecraft").nResults(1));
            assertThat(r.ids().get(0)).containsExactly("space");
        }
        try (PersistentClient client = new PersistentClient(dir)) {
            Collection c = client.getCollection("docs");   // rebuilt from the recorded descriptor
            c.upsert(Records.ids("tea").documents("A cup of green tea in the morning"));
            assertThat(c.query(Query.texts("hot drink at breakfast").nResults(1)).ids().get(0)).containsExactly("tea");
        }
    }

    @Test
    void aDifferentFunctionThanTheRecordedOneIsRefused() {
        try (PersistentClient client = new PersistentClient(dir)) {
            client.createCollection("docs");
            EmbeddingFunction other = new EmbeddingFunction() {
                @Override
                public List<float[]> embed(List<String> texts) {
                    return texts.stream().map(t -> new float[384]).toList();
                }

                @Override
                public String name() {
                    return "my_other_function";
                }
            };
            assertThatThrownBy(() -> client.getCollection("docs", other))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("new: my_other_function vs persisted: default");
            assertThat(client.getCollection("docs", new DefaultEmbeddingFunction()).count()).isZero();
            // a function given at creation is used and recorded instead of the default
            Collection mine = client.createCollection(CreateCollection.named("mine").embeddingFunction(other));
            assertThat(mine.configuration().embeddingFunction()).containsEntry("name", "my_other_function");
        }
    }
}
