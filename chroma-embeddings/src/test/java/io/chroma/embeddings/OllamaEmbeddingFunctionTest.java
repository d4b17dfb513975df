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

class OllamaEmbeddingFunctionTest {
    MockWebServer server;
    ProviderMocks.Ollama api;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        api = new ProviderMocks.Ollama();
        server.setDispatcher(api);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String base() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    @Test
    void embedsInBatchesInOrder() {
        List<String> texts = IntStream.range(0, 5).mapToObj(i -> "doc " + i).toList();
        List<float[]> out = OllamaEmbeddingFunction.builder().url(base()).batchSize(2).build().embed(texts);

        assertThat(out).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(out.get(i)).containsExactly(fake(texts.get(i), 8));
        }
        assertThat(api.bodies).extracting(b -> b.get("input").size()).containsExactly(2, 2, 1);
        assertThat(api.bodies.get(0).get("model").asText()).isEqualTo("chroma/all-minilm-l6-v2-f32");
        assertThat(api.requests.get(0).getHeaders().get("Authorization")).isNull();
    }

    @Test
    void acceptsTheOldEmbeddingsEndpointUrlAsChromaDoes() {
        OllamaEmbeddingFunction f = OllamaEmbeddingFunction.builder().url(base() + "/api/embeddings").build();
        f.embed(List.of("x"));

        assertThat(api.requests.get(0).getUrl().encodedPath()).isEqualTo("/api/embed");
        assertThat(f.config()).containsEntry("url", base() + "/api/embeddings");
    }

    @Test
    void unknownModelErrorIsSurfaced() {
        EmbeddingFunction f = OllamaEmbeddingFunction.builder().url(base()).modelName("nomic-embed-text").build();

        assertThatThrownBy(() -> f.embed(List.of("x")))
                .isInstanceOfSatisfying(EmbeddingFunctionException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("model \"nomic-embed-text\" not found, try pulling it first");
        assertThat(api.requests).hasSize(1);
    }

    @Test
    void retriesServerErrors() {
        api.faults.add(ProviderMocks.json(500, "{\"error\":\"llama runner process has terminated\"}"));
        List<float[]> out = OllamaEmbeddingFunction.builder().url(base()).retryBackoff(Duration.ofMillis(1)).build()
                .embed(List.of("x"));

        assertThat(out.get(0)).containsExactly(fake("x", 8));
        assertThat(api.requests).hasSize(2);
    }

    @Test
    void unreachableServerFailsClearlyAfterRetries() throws IOException {
        String url = base();
        server.close();
        EmbeddingFunction f = OllamaEmbeddingFunction.builder().url(url).maxRetries(1)
                .retryBackoff(Duration.ofMillis(1)).build();

        assertThatThrownBy(() -> f.embed(List.of("x")))
                .isInstanceOf(EmbeddingFunctionException.class)
                .hasMessageContaining("Cannot reach Ollama")
                .hasMessageContaining("2 attempt(s)");
    }

    @Test
    void configIsChromasAndRebuilds() {
        OllamaEmbeddingFunction f = OllamaEmbeddingFunction.builder().url(base()).timeoutSeconds(30).build();

        assertThat(f.name()).isEqualTo("ollama");
        assertThat(f.defaultSpace()).isEqualTo(Space.COSINE);
        assertThat(f.config()).isEqualTo(Map.of("url", base(), "model_name", "chroma/all-minilm-l6-v2-f32", "timeout", 30));
        EmbeddingFunction rebuilt = EmbeddingFunctions.rebuild(CollectionConfiguration.describe(f));
        assertThat(rebuilt).isInstanceOf(OllamaEmbeddingFunction.class);
        assertThat(rebuilt.config()).isEqualTo(f.config());
        assertThat(rebuilt.embed(List.of("y")).get(0)).containsExactly(fake("y", 8));
    }
}
