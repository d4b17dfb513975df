package io.chroma.embeddings;

import io.chroma.api.CollectionConfiguration;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Space;
import io.chroma.api.internal.EmbeddingFunctions;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.chroma.embeddings.ProviderMocks.fake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenAIEmbeddingFunctionTest {
    /** Set by surefire (see the module pom) so the environment path is exercised for real. */
    static final String ENV_VAR = "CHROMA_TEST_OPENAI_KEY";

    MockWebServer server;
    ProviderMocks.OpenAI api;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        api = new ProviderMocks.OpenAI();
        server.setDispatcher(api);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    OpenAIEmbeddingFunction.Builder ef() {
        return OpenAIEmbeddingFunction.builder()
                .apiBase(server.url("/v1").toString())
                .apiKeyEnvVar(ENV_VAR)
                .modelName("text-embedding-3-small")
                .retryBackoff(Duration.ofMillis(1));
    }

    @Test
    void keyFromTheEnvironmentAndOneVectorPerTextInOrderAcrossBatches() {
        List<String> texts = IntStream.range(0, 7).mapToObj(i -> "text number " + i).toList();
        List<float[]> out = ef().batchSize(3).build().embed(texts);

        assertThat(out).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(out.get(i)).containsExactly(fake(texts.get(i), 8));
        }
        assertThat(api.requests).hasSize(3);
        assertThat(api.bodies.get(0).get("input")).hasSize(3);
        assertThat(api.bodies.get(2).get("input")).hasSize(1);
        assertThat(api.bodies.get(0).get("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(api.requests.get(0).getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
    }

    @Test
    void defaultBatchIsOpenAIsLimitOf2048() {
        List<String> texts = IntStream.range(0, 2049).mapToObj(i -> "t" + i).toList();
        List<float[]> out = ef().build().embed(texts);

        assertThat(out).hasSize(2049);
        assertThat(api.bodies).extracting(b -> b.get("input").size()).containsExactly(2048, 1);
        assertThat(out.get(2048)).containsExactly(fake("t2048", 8));
    }

    @Test
    void replacesNewlinesAndSendsDimensionsAndOrganization() {
        List<float[]> out = ef().dimensions(16).organizationId("org-1").build().embed(List.of("a\nb"));

        assertThat(out.get(0)).hasSize(16).containsExactly(fake("a b", 16));
        assertThat(api.bodies.get(0).get("dimensions").asInt()).isEqualTo(16);
        assertThat(api.requests.get(0).getHeaders().get("OpenAI-Organization")).isEqualTo("org-1");
    }

    @Test
    void explicitKeyIsUsedButNeverRecorded() {
        OpenAIEmbeddingFunction f = ef().apiKey("sk-test").apiKeyEnvVar("SOME_UNSET_VARIABLE_XYZ").build();
        f.embed(List.of("x"));

        assertThat(api.requests.get(0).getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(f.config().toString()).doesNotContain("sk-test");
        assertThat(f.config()).containsEntry("api_key_env_var", "SOME_UNSET_VARIABLE_XYZ");
    }

    @Test
    void missingKeyNamesTheVariableAndSendsNothing() {
        EmbeddingFunction f = ef().apiKeyEnvVar("SOME_UNSET_VARIABLE_XYZ").build();

        assertThatThrownBy(() -> f.embed(List.of("x")))
                .isInstanceOf(EmbeddingFunctionException.class)
                .hasMessageContaining("SOME_UNSET_VARIABLE_XYZ");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void providerRejectionIsSurfacedWithoutRetry() {
        EmbeddingFunction f = ef().build();

        assertThatThrownBy(() -> f.embed(List.of("fine", "")))
                .isInstanceOfSatisfying(EmbeddingFunctionException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("'$.input' is invalid");
        assertThat(api.requests).hasSize(1);
    }

    @Test
    void wrongKeyIsSurfaced() {
        EmbeddingFunction f = ef().apiKey("sk-wrong").build();

        assertThatThrownBy(() -> f.embed(List.of("x")))
                .isInstanceOfSatisfying(EmbeddingFunctionException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("Incorrect API key provided");
    }

    @Test
    void retriesRateLimitsAndServerErrorsThenSucceeds() {
        api.faults.add(ProviderMocks.json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}"));
        api.faults.add(new MockResponse.Builder().code(503).body("upstream unavailable").build());
        List<float[]> out = ef().build().embed(List.of("hello"));

        assertThat(out.get(0)).containsExactly(fake("hello", 8));
        assertThat(api.requests).hasSize(3);
    }

    @Test
    void givesUpAfterMaxRetriesWithTheProvidersMessage() {
        for (int i = 0; i < 5; i++) {
            api.faults.add(ProviderMocks.json(429, "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\"}}"));
        }
        EmbeddingFunction f = ef().maxRetries(2).build();

        assertThatThrownBy(() -> f.embed(List.of("hello")))
                .isInstanceOfSatisfying(EmbeddingFunctionException.class, e -> assertThat(e.status()).isEqualTo(429))
                .hasMessageContaining("Rate limit reached for requests")
                .hasMessageContaining("3 attempt(s)");
        assertThat(api.requests).hasSize(3);
    }

    @Test
    void azureUsesDeploymentPathApiVersionAndApiKeyHeader() {
        OpenAIEmbeddingFunction f = OpenAIEmbeddingFunction.builder()
                .apiType("azure").apiBase(server.url("/").toString()).apiVersion("2024-02-01")
                .deploymentId("my-embeddings").apiKey("sk-test").build();
        f.embed(List.of("x"));

        assertThat(api.requests.get(0).getUrl().encodedPath()).isEqualTo("/openai/deployments/my-embeddings/embeddings");
        assertThat(api.requests.get(0).getUrl().queryParameter("api-version")).isEqualTo("2024-02-01");
        assertThat(api.requests.get(0).getHeaders().get("api-key")).isEqualTo("sk-test");
    }

    @Test
    void configMatchesChromasSchemaAndRebuildsThroughTheRegistry() {
        OpenAIEmbeddingFunction f = ef().dimensions(16).build();
        Map<String, Object> descriptor = CollectionConfiguration.describe(f);

        assertThat(f.name()).isEqualTo("openai");
        assertThat(f.defaultSpace()).isEqualTo(Space.COSINE);
        assertThat(f.config()).containsOnlyKeys("api_key_env_var", "model_name", "api_base", "dimensions");
        EmbeddingFunction rebuilt = EmbeddingFunctions.rebuild(descriptor);
        assertThat(rebuilt).isInstanceOf(OpenAIEmbeddingFunction.class);
        assertThat(rebuilt.config()).isEqualTo(f.config());
        // the rebuilt function works: same server, key from the recorded env var name
        assertThat(rebuilt.embed(List.of("q")).get(0)).containsExactly(fake("q", 16));
    }

    @Test
    void defaultsAreChromasAndBadInputIsRefused() {
        OpenAIEmbeddingFunction f = OpenAIEmbeddingFunction.builder().build();
        assertThat(f.config()).isEqualTo(Map.of("api_key_env_var", "OPENAI_API_KEY",
                "model_name", "text-embedding-ada-002"));
        assertThatThrownBy(() -> f.embed(null)).isInstanceOf(InvalidArgumentException.class);
        List<String> withNull = new ArrayList<>(Arrays.asList("a", null));
        assertThatThrownBy(() -> f.embed(withNull)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("index 1");
        assertThatThrownBy(() -> OpenAIEmbeddingFunction.builder().batchSize(5000).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
