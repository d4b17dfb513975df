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
 * Cohere's {@code POST /v1/embed}. Documents are embedded with {@code input_type=search_document}
 * (as Chroma does) and query texts with {@code search_query}, which Cohere's v3 models expect.
 * Registry name {@code cohere}, config {@code model_name} and {@code api_key_env_var}.
 */
public final class CohereEmbeddingFunction implements EmbeddingFunction {
    public static final String NAME = "cohere";
    public static final String DEFAULT_MODEL = "embed-english-v3.0";
    public static final String DEFAULT_API_BASE = "https://api.cohere.com/v1";
    public static final String DEFAULT_API_KEY_ENV_VAR = "COHERE_API_KEY";
    /** Cohere accepts at most 96 texts per call. */
    public static final int MAX_BATCH = 96;

    private final String modelName;
    private final String apiKey;
    private final String apiKeyEnvVar;
    private final String apiBase;
    private final int batchSize;
    private final ProviderHttp http;

    private CohereEmbeddingFunction(Builder b) {
        this.modelName = Objects.requireNonNull(b.modelName, "modelName");
        this.apiKey = b.apiKey;
        this.apiKeyEnvVar = Objects.requireNonNull(b.apiKeyEnvVar, "apiKeyEnvVar");
        this.apiBase = Objects.requireNonNull(b.apiBase, "apiBase");
        this.batchSize = b.checkedBatchSize(MAX_BATCH);
        this.http = b.http("Cohere", b.timeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static CohereEmbeddingFunction fromConfig(Map<String, Object> config) {
        return builder()
                .modelName(Inputs.string(config, "model_name", DEFAULT_MODEL))
                .apiKeyEnvVar(Inputs.string(config, "api_key_env_var", DEFAULT_API_KEY_ENV_VAR))
                .build();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return embed(texts, "search_document");
    }

    @Override
    public List<float[]> embedQuery(List<String> texts) {
        return embed(texts, "search_query");
    }

    private List<float[]> embed(List<String> texts, String inputType) {
        Inputs.requireTexts(texts);
        String key = Inputs.apiKey(apiKey, apiKeyEnvVar, System::getenv, "Cohere");
        String url = (apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase) + "/embed";
        Map<String, String> headers = Map.of("Authorization", "Bearer " + key);
        List<float[]> out = new ArrayList<>(texts.size());
        for (List<String> batch : ProviderHttp.batches(texts, batchSize)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("texts", batch);
            body.put("model", modelName);
            body.put("input_type", inputType);
            JsonNode embeddings = http.post(url, headers, body).get("embeddings");
            // {"embeddings": [[..]]} by default; {"embeddings": {"float": [[..]]}} when types were asked for
            if (embeddings != null && embeddings.isObject()) {
                embeddings = embeddings.get("float");
            }
            out.addAll(http.vectors(embeddings, batch.size(), "Cohere answered without float embeddings"));
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
        c.put("api_key_env_var", apiKeyEnvVar);
        c.put("model_name", modelName);
        return Collections.unmodifiableMap(c);
    }

    /** As Chroma: cosine, but inner product for embed-multilingual-v2.0. */
    @Override
    public Space defaultSpace() {
        return "embed-multilingual-v2.0".equals(modelName) ? Space.IP : Space.COSINE;
    }

    @Override
    public String toString() {
        return "CohereEmbeddingFunction[" + modelName + "]";
    }

    public static final class Builder extends HttpProviderBuilder<Builder> {
        private String modelName = DEFAULT_MODEL;
        private String apiKey;
        private String apiKeyEnvVar = DEFAULT_API_KEY_ENV_VAR;
        private String apiBase = DEFAULT_API_BASE;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
            super(MAX_BATCH); // batchSize: at most 96 texts per request (Cohere's limit)
        }

        public Builder modelName(String v) {
            this.modelName = v;
            return this;
        }

        /** The key itself: used, never recorded. */
        public Builder apiKey(String v) {
            this.apiKey = v;
            return this;
        }

        /** Name of the environment variable holding the key; default {@code COHERE_API_KEY}. */
        public Builder apiKeyEnvVar(String v) {
            this.apiKeyEnvVar = v;
            return this;
        }

        /**
         * Base URL up to the version (default {@code https://api.cohere.com/v1}). Not part of
         * Chroma's recorded config, so a rebuilt function uses the default.
         */
        public Builder apiBase(String v) {
            this.apiBase = v;
            return this;
        }

        public Builder timeout(Duration v) {
            this.timeout = Objects.requireNonNull(v);
            return this;
        }

        public CohereEmbeddingFunction build() {
            return new CohereEmbeddingFunction(this);
        }
    }
}
