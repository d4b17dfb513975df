package io.chroma.embeddings;

import io.chroma.api.CollectionConfiguration;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Space;
import io.chroma.api.internal.EmbeddingFunctions;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.chroma.embeddings.ProviderMocks.fake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CohereEmbeddingFunctionTest {
    static final String ENV_VAR = "CHROMA_TEST_COHERE_KEY";

    MockWebServer server;
    ProviderMocks.Cohere api;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        api = new ProviderMocks.Cohere();
        server.setDispatcher(api);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    CohereEmbeddingFunction.Builder ef() {
        return CohereEmbeddingFunction.builder().apiBase(server.url("/v1").toString()).apiKeyEnvVar(ENV_VAR)
                .retryBackoff(Duration.ofMillis(1));
    }

    @Test
    void batchesTo96AndKeepsOrder() {
        List<String> texts = IntStream.range(0, 200).mapToObj(i -> "sentence " + i).toList();
        List<float[]> out = ef().build().embed(texts);

        assertThat(out).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(out.get(i)).containsExactly(fake(texts.get(i), 8));
        }
        assertThat(api.bodies).extracting(b -> b.get("texts").size()).containsExactly(96, 96, 8);
        assertThat(api.bodies.get(0).get("input_type").asText()).isEqualTo("search_document");
        assertThat(api.bodies.get(0).get("model").asText()).isEqualTo("embed-english-v3.0");
        assertThat(api.requests.get(0).getHeaders().get("Authorization")).isEqualTo("Bearer co-test");
    }

    @Test
    void queriesAreEmbeddedAsSearchQueries() {
        ef().build().embedQuery(List.of("what is chroma?"));

        assertThat(api.bodies.get(0).get("input_type").asText()).isEqualTo("search_query");
    }

    @Test
    void rejectionMessageIsSurfaced() {
        EmbeddingFunction f = ef().apiKey("bad").build();

        assertThatThrownBy(() -> f.embed(List.of("x")))
                .isInstanceOfSatisfying(EmbeddingFunctionException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("invalid api token");
    }

    @Test
    void serverErrorsAreRetried() {
        api.faults.add(ProviderMocks.json(502, "{\"message\":\"bad gateway\"}"));
        api.faults.add(ProviderMocks.json(500, "{\"message\":\"internal server error\"}"));
        assertThat(ef().build().embed(List.of("x")).get(0)).containsExactly(fake("x", 8));
        assertThat(api.requests).hasSize(3);
    }

    @Test
    void configIsChromasAndRebuilds() {
        CohereEmbeddingFunction f = ef().build();

        assertThat(f.name()).isEqualTo("cohere");
        assertThat(f.defaultSpace()).isEqualTo(Space.COSINE);
        assertThat(CohereEmbeddingFunction.builder().modelName("embed-multilingual-v2.0").build().defaultSpace())
                .isEqualTo(Space.IP);
        assertThat(f.config()).isEqualTo(Map.of("api_key_env_var", ENV_VAR, "model_name", "embed-english-v3.0"));
        EmbeddingFunction rebuilt = EmbeddingFunctions.rebuild(CollectionConfiguration.describe(f));
        assertThat(rebuilt).isInstanceOf(CohereEmbeddingFunction.class);
        assertThat(rebuilt.config()).isEqualTo(f.config());
    }
}
