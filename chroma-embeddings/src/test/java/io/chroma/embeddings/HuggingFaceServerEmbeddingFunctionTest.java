package io.chroma.embeddings;

import io.chroma.api.CollectionConfiguration;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.InvalidArgumentException;
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

class HuggingFaceServerEmbeddingFunctionTest {
    MockWebServer server;
    ProviderMocks.Tei api;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        api = new ProviderMocks.Tei();
        server.setDispatcher(api);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void batchesToTheServersDefaultLimitOf32() {
        List<String> texts = IntStream.range(0, 70).mapToObj(i -> "passage " + i).toList();
        List<float[]> out = HuggingFaceServerEmbeddingFunction.builder(server.url("/embed").toString()).build().embed(texts);

        assertThat(out).hasSize(70);
        for (int i = 0; i < 70; i++) {
            assertThat(out.get(i)).containsExactly(fake(texts.get(i), 8));
        }
        assertThat(api.bodies).extracting(b -> b.get("inputs").size()).containsExactly(32, 32, 6);
        assertThat(api.requests.get(0).getHeaders().get("Authorization")).isNull();
    }

    @Test
    void serverLimitErrorIsSurfaced() {
        EmbeddingFunction f = HuggingFaceServerEmbeddingFunction.builder(server.url("/embed").toString())
                .batchSize(64).build();
        List<String> texts = IntStream.range(0, 40).mapToObj(i -> "p" + i).toList();

        assertThatThrownBy(() -> f.embed(texts))
                .isInstanceOfSatisfying(EmbeddingFunctionException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("batch size 40 > maximum allowed batch size 32");
    }

    @Test
    void overloadedServerIsRetried() {
        api.faults.add(ProviderMocks.json(429, "{\"error\":\"Model is overloaded\",\"error_type\":\"Overloaded\"}"));
        List<float[]> out = HuggingFaceServerEmbeddingFunction.builder(server.url("/embed").toString())
                .retryBackoff(Duration.ofMillis(1)).build().embed(List.of("a"));

        assertThat(out.get(0)).containsExactly(fake("a", 8));
        assertThat(api.requests).hasSize(2);
    }

    @Test
    void keyFromTheNamedVariableIsSentAndOnlyTheNameRecorded() {
        HuggingFaceServerEmbeddingFunction f = HuggingFaceServerEmbeddingFunction.builder(server.url("/embed").toString())
                .apiKeyEnvVar(OpenAIEmbeddingFunctionTest.ENV_VAR).build();
        f.embed(List.of("a"));

        assertThat(api.requests.get(0).getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(f.config()).isEqualTo(Map.of("url", server.url("/embed").toString(),
                "api_key_env_var", OpenAIEmbeddingFunctionTest.ENV_VAR));
    }

    @Test
    void configIsChromasAndRebuilds() {
        HuggingFaceServerEmbeddingFunction f = HuggingFaceServerEmbeddingFunction.builder(server.url("/embed").toString()).build();

        assertThat(f.name()).isEqualTo("huggingface_server");
        assertThat(f.config()).isEqualTo(Map.of("url", server.url("/embed").toString()));
        EmbeddingFunction rebuilt = EmbeddingFunctions.rebuild(CollectionConfiguration.describe(f));
        assertThat(rebuilt.embed(List.of("z")).get(0)).containsExactly(fake("z", 8));
        assertThatThrownBy(() -> EmbeddingFunctions.rebuild(Map.of("type", "known", "name", "huggingface_server",
                "config", Map.of()))).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("URL");
    }
}
