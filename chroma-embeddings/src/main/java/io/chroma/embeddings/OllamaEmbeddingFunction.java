package io.chroma.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Space;
import io.chroma.embeddings.internal.Inputs;
import io.chroma.embeddings.internal.ProviderHttp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A local Ollama server's {@code POST /api/embed}. Registry name {@code ollama}, config
 * {@code url}, {@code model_name}, {@code timeout} (seconds) as Chroma records them.
 */
public final class OllamaEmbeddingFunction implements EmbeddingFunction {
    public static final String NAME = "ollama";
    public static final String DEFAULT_URL = "http://localhost:11434";
    public static final String DEFAULT_MODEL = "chroma/all-minilm-l6-v2-f32";
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private final String url;
    private final String modelName;
    private final int timeoutSeconds;
    private final int batchSize;
    private final String endpoint;
    private final ProviderHttp http;

    private OllamaEmbeddingFunction(Builder b) {
        this.url = Objects.requireNonNull(b.url, "url");
        this.modelName = Objects.requireNonNull(b.modelName, "modelName");
        if (b.timeoutSeconds < 1) {
            throw new IllegalArgumentException("timeout must be at least 1 second, got " + b.timeoutSeconds);
        }
        this.timeoutSeconds = b.timeoutSeconds;
        this.batchSize = b.checkedBatchSize(Integer.MAX_VALUE);
        this.endpoint = baseUrl(url) + "/api/embed";
        this.http = b.http("Ollama", Duration.ofSeconds(timeoutSeconds));
    }

    /** Chroma accepts the old {@code .../api/embeddings} endpoint URL as well as the server's base URL. */
    static String baseUrl(String url) {
        String u = url.strip();
        for (String suffix : new String[] {"/api/embeddings", "/api/embed"}) {
            if (u.endsWith(suffix)) {
                u = u.substring(0, u.length() - suffix.length());
            }
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static OllamaEmbeddingFunction fromConfig(Map<String, Object> config) {
        return builder()
                .url(Inputs.string(config, "url", DEFAULT_URL))
                .modelName(Inputs.string(config, "model_name", DEFAULT_MODEL))
                .timeoutSeconds(Inputs.integer(config, "timeout", DEFAULT_TIMEOUT_SECONDS))
                .build();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Inputs.requireTexts(texts);
        List<float[]> out = new ArrayList<>(texts.size());
        for (List<String> batch : ProviderHttp.batches(texts, batchSize)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", modelName);
            body.put("input", batch);
            JsonNode embeddings = http.post(endpoint, Map.of(), body).get("embeddings");
            out.addAll(http.vectors(embeddings, batch.size(), "Ollama answered without an 'embeddings' array"));
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
        c.put("model_name", modelName);
        // Chroma's Python build_from_config refuses a config without timeout
        c.put("timeout", timeoutSeconds);
        return java.util.Collections.unmodifiableMap(c);
    }

    @Override
    public Space defaultSpace() {
        return Space.COSINE;
    }

    @Override
    public String toString() {
        return "OllamaEmbeddingFunction[" + modelName + " @ " + url + "]";
    }

    public static final class Builder extends HttpProviderBuilder<Builder> {
        private String url = DEFAULT_URL;
        private String modelName = DEFAULT_MODEL;
        private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

        private Builder() {
            super(256); // batchSize: Ollama sets no limit; 256 keeps each request short
        }

        /** The server's base URL, default {@code http://localhost:11434}. */
        public Builder url(String v) {
            this.url = v;
            return this;
        }

        public Builder modelName(String v) {
            this.modelName = v;
            return this;
        }

        public Builder timeoutSeconds(int v) {
            this.timeoutSeconds = v;
            return this;
        }

        public OllamaEmbeddingFunction build() {
            return new OllamaEmbeddingFunction(this);
        }
    }
}
