package io.chroma.it;

import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.Get;
import io.chroma.api.Include;
import io.chroma.api.Records;
import io.chroma.api.SparseVector;
import io.chroma.api.Where;
import io.chroma.api.search.GroupBy;
import io.chroma.api.search.Key;
import io.chroma.api.search.Knn;
import io.chroma.api.search.Rrf;
import io.chroma.api.search.Search;
import io.chroma.api.search.SearchResult;
import io.chroma.client.HttpClient;
import io.chroma.core.EphemeralClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java search API over HTTP (HttpClient → our server process) gives the same answers as the
 * embedded engine, for dense, sparse (BM25 schema), full-text, RRF, filters and group_by.
 */
class HttpClientSearchTest {

    static final Map<String, Object> SCHEMA = Map.of("keys", Map.of("sparse_embedding", Map.of("sparse_vector",
            Map.of("sparse_vector_index", Map.of("enabled", true, "config", Map.of("bm25", true))))));

    static void fill(Collection c) {
        c.add(Records.ids("a", "b", "c")
                .embeddings(new float[] {1, 0, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1})
                .documents("The quick brown fox jumps", "A lazy dog sleeps", "Foxes are quick animals")
                .metadatas(Map.of("cat", "x", "n", 1, "sparse_embedding", new SparseVector(
                                new int[] {741580288, 771291085, 1621867415, 1913189942}, new float[] {1.6741974f, 1.6741974f, 1.6741974f, 1.6741974f})),
                        Map.of("cat", "y", "n", 2, "sparse_embedding", new SparseVector(
                                new int[] {134749957, 226376294, 1312749093}, new float[] {1.6786885f, 1.6786885f, 1.6786885f})),
                        Map.of("sparse_embedding", new SparseVector(
                                new int[] {771291085, 1177748882, 1621867415}, new float[] {1.6786885f, 1.6786885f, 1.6786885f}))));
    }

    static List<Search> searches() {
        SparseVector quickFox = new SparseVector(new int[] {771291085, 1621867415}, new float[] {1.6832038f, 1.6832038f});
        return List.of(
                new Search().rank(Rrf.of(Knn.dense(new float[] {1, 0, 0}).returnRank(true).limit(100),
                        Knn.sparse(quickFox, "sparse_embedding").returnRank(true).limit(100))).limit(10).select(Key.DOCUMENT, Key.SCORE),
                new Search().where(Where.or(Where.in("#id", "c"), Where.eq("cat", "y"))).select(Key.METADATA, Key.SCORE),
                new Search().rank(Rrf.of(Knn.dense(new float[] {0, 0, 1}).returnRank(true), Knn.text("quick").returnRank(true).defaultScore(50)))
                        .select(Key.SCORE, "n"),
                new Search().rank(Knn.dense(new float[] {1, 0, 0}).limit(128).defaultScore(10))
                        .groupBy(GroupBy.of(List.of("cat"), GroupBy.Aggregate.minK(1, Key.SCORE))).limit(10).select(Key.SCORE, "cat"));
    }

    @Test
    void httpAndEmbeddedAgree(@TempDir Path data) throws Exception {
        SearchResult embedded;
        try (EphemeralClient local = new EphemeralClient()) {
            Collection c = local.createCollection(CreateCollection.named("abc")
                    .configuration(CollectionConfiguration.DEFAULT.withSchema(SCHEMA)));
            fill(c);
            embedded = c.search(searches());
        }
        try (ServerProcess server = ServerProcess.start(Files.createDirectories(data.resolve("chroma")));
             HttpClient client = HttpClient.builder().url(server.url()).build()) {
            Collection c = client.createCollection(CreateCollection.named("abc")
                    .configuration(CollectionConfiguration.DEFAULT.withSchema(SCHEMA)));
            assertThat(client.getCollection("abc").configuration().schema()).isEqualTo(SCHEMA);
            fill(c);
            SearchResult remote = c.search(searches());
            assertThat(remote.ids()).isEqualTo(embedded.ids());
            assertThat(remote.ids().get(0)).containsExactly("a", "c");
            assertThat(remote.scores().get(0)).containsExactly(-0.03306011f, -0.032795697f);
            assertThat(remote.scores()).isEqualTo(embedded.scores());
            assertThat(remote.documents()).isEqualTo(embedded.documents());
            assertThat(remote.metadatas()).isEqualTo(embedded.metadatas());
            assertThat(remote.select()).isEqualTo(embedded.select());
            assertThat(remote.ids().get(1)).containsExactly("b", "c");
            assertThat(remote.metadatas().get(1).get(1).get("sparse_embedding")).isInstanceOf(SparseVector.class);
            // sparse vectors also come back from get
            var got = c.get(Get.ids("c").include(Include.METADATAS));
            assertThat(got.metadatas().get(0).get("sparse_embedding")).isEqualTo(
                    new SparseVector(new int[] {771291085, 1177748882, 1621867415}, new float[] {1.6786885f, 1.6786885f, 1.6786885f}));
        }
    }
}
