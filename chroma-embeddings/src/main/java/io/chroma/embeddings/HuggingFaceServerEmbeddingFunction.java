package io.chroma.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Space;
import io.chroma.embeddings.internal.Inputs;
import io.chroma.embeddings.internal.ProviderHttp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face text-embeddings-inference server: {@code POST <url>} with
 * {@code {"inputs": [...]}}, where {@code url} is the full endpoint, e.g.
 * {@code http://localhost:8080/embed}, as in Chroma. Registry name {@code huggingface_server},
 * config {@code url} and (if the server wants a key) {@code api_key_env_var}.
 */
public final class HuggingFaceServerEmbeddingFunction implements EmbeddingFunction {
    public static final String NAME = "huggingface_server";
    /** text-embeddings-inference's default {@code --max-client-batch-size}. */
    public static final int DEFAULT_BATCH = 32;

    private final String url;
    private final String apiKey;
    private final String apiKeyEnvVar;
    private final int batchSize;
    private final ProviderHttp http;

    private HuggingFaceServerEmbeddingFunction(Builder b) {
        this.url = Objects.requireNonNull(b.url, "url: the server's embed endpoint, e.g. http://localhost:8080/embed");
        this.apiKey = b.apiKey;
        this.apiKeyEnvVar = b.apiKeyEnvVar;
        this.batchSize = b.checkedBatchSize(Integer.MAX_VALUE);
        this.http = b.http("text-embeddings-inference", b.timeout);
    }

    public static Builder builder(String url) {
        return new Builder().url(url);
    }

    public static HuggingFaceServerEmbeddingFunction fromConfig(Map<String, Object> config) {
        String url = Inputs.string(config, "url", null);
        if (url == null) {
            throw new io.chroma.api.InvalidArgumentException("URL must be provided for huggingface_server");
        }
        return builder(url).apiKeyEnvVar(Inputs.string(config, "api_key_env_var", null)).build();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Inputs.requireTexts(texts);
        Map<String, String> headers = new LinkedHashMap<>();
        if (apiKey != null || apiKeyEnvVar != null) {
            headers.put("Authorization", "Bearer "
                    + Inputs.apiKey(apiKey, apiKeyEnvVar, System::getenv, "text-embeddings-inference"));
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (List<String> batch : ProviderHttp.batches(texts, batchSize)) {
            JsonNode answer = http.post(url, headers, Map.of("inputs", batch));
            out.addAll(http.vectors(answer, batch.size(), "text-embeddings-inference answered without an array of embeddings"));
        }
        return out;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("url", url);
        if (apiKeyEnvVar != null) {
            c.put("api_key_env_var", apiKeyEnvVar);
        }
        return Collections.unmodifiableMap(c);
    }

    @Override
    public Space defaultSpace() {
        return Space.COSINE;
    }

    @Override
    public String toString() {
        return "HuggingFaceServerEmbeddingFunction[" + url + "]";
    }

    public static final class Builder extends HttpProviderBuilder<Builder> {
        private String url;
        private String apiKey;
        private String apiKeyEnvVar;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
            super(DEFAULT_BATCH); // batchSize: raise it if the server runs with a larger --max-client-batch-size
        }

        public Builder url(String v) {
            this.url = v;
            return this;
        }

        /** A key for a protected server: used, never recorded. */
        public Builder apiKey(String v) {
            this.apiKey = v;
            return this;
        }

        /** Name of the environment variable with the server's key (recorded). */
        public Builder apiKeyEnvVar(String v) {
            this.apiKeyEnvVar = v;
            return this;
        }

        public Builder timeout(Duration v) {
            this.timeout = Objects.requireNonNull(v);
            return this;
        }

        public HuggingFaceServerEmbeddingFunction build() {
            return new HuggingFaceServerEmbeddingFunction(this);
        }
    }
}
