package io.chroma.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Space;
import io.chroma.embeddings.internal.Inputs;
import io.chroma.embeddings.internal.ProviderHttp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OpenAI's {@code POST /v1/embeddings}, or any server that speaks it (Azure OpenAI with
 * {@code apiType("azure")}, vLLM, LM Studio, ...). Registry name {@code openai}; the recorded
 * config holds the model, base URL and the <em>name</em> of the environment variable with the key,
 * never the key.
 *
 * <pre>{@code
 * EmbeddingFunction ef = OpenAIEmbeddingFunction.builder().modelName("text-embedding-3-small").build();
 * }</pre>
 */
public final class OpenAIEmbeddingFunction implements EmbeddingFunction {
    public static final String NAME = "openai";
    public static final String DEFAULT_MODEL = "text-embedding-ada-002";
    public static final String DEFAULT_API_BASE = "https://api.openai.com/v1";
    public static final String DEFAULT_API_KEY_ENV_VAR = "OPENAI_API_KEY";
    /** OpenAI accepts at most 2048 inputs per request. */
    public static final int MAX_BATCH = 2048;

    private final String modelName;
    private final String apiKey;
    private final String apiKeyEnvVar;
    private final String organizationId;
    private final String apiBase;
    private final String apiType;
    private final String apiVersion;
    private final String deploymentId;
    private final Map<String, String> defaultHeaders;
    private final Integer dimensions;
    private final int batchSize;
    private final ProviderHttp http;

    private OpenAIEmbeddingFunction(Builder b) {
        this.modelName = Objects.requireNonNull(b.modelName, "modelName");
        this.apiKey = b.apiKey;
        this.apiKeyEnvVar = Objects.requireNonNull(b.apiKeyEnvVar, "apiKeyEnvVar");
        this.organizationId = b.organizationId;
        this.apiBase = b.apiBase;
        this.apiType = b.apiType;
        this.apiVersion = b.apiVersion;
        this.deploymentId = b.deploymentId;
        this.defaultHeaders = Map.copyOf(b.defaultHeaders);
        this.dimensions = b.dimensions;
        int batchSize = b.checkedBatchSize(MAX_BATCH);
        if ("azure".equals(apiType) && (apiBase == null || apiVersion == null)) {
            throw new IllegalArgumentException("Azure OpenAI needs apiBase (the resource endpoint) and apiVersion");
        }
        this.batchSize = batchSize;
        this.http = b.http("OpenAI", b.timeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Rebuilds the function from a recorded config (the key comes from the environment at call time). */
    public static OpenAIEmbeddingFunction fromConfig(Map<String, Object> config) {
        Integer dims = Inputs.integer(config, "dimensions", null);
        return builder()
                .modelName(Inputs.string(config, "model_name", DEFAULT_MODEL))
                .apiKeyEnvVar(Inputs.string(config, "api_key_env_var", DEFAULT_API_KEY_ENV_VAR))
                .organizationId(Inputs.string(config, "organization_id", null))
                .apiBase(Inputs.string(config, "api_base", null))
                .apiType(Inputs.string(config, "api_type", null))
                .apiVersion(Inputs.string(config, "api_version", null))
                .deploymentId(Inputs.string(config, "deployment_id", null))
                .defaultHeaders(Inputs.stringMap(config, "default_headers"))
                .dimensions(dims)
                .build();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Inputs.requireTexts(texts);
        String key = Inputs.apiKey(apiKey, apiKeyEnvVar, System::getenv, "OpenAI");
        boolean azure = "azure".equals(apiType);
        String url = azure
                ? trimSlash(apiBase) + "/openai/deployments/" + (deploymentId != null ? deploymentId : modelName)
                        + "/embeddings?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8)
                : trimSlash(apiBase != null ? apiBase : DEFAULT_API_BASE) + "/embeddings";
        Map<String, String> headers = new LinkedHashMap<>(defaultHeaders);
        if (azure) {
            headers.put("api-key", key);
        } else {
            headers.put("Authorization", "Bearer " + key);
        }
        if (organizationId != null) {
            headers.put("OpenAI-Organization", organizationId);
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (List<String> batch : ProviderHttp.batches(texts, batchSize)) {
            Map<String, Object> body = new LinkedHashMap<>();
            // as Chroma does: newlines "can negatively affect performance" of OpenAI's models
            body.put("input", batch.stream().map(t -> t.replace("\n", " ")).toList());
            body.put("model", deploymentId != null ? deploymentId : modelName);
            body.put("encoding_format", "float");
            if (dimensions != null) {
                body.put("dimensions", dimensions);
            }
            JsonNode data = http.post(url, headers, body).get("data");
            if (data == null || !data.isArray()) {
                throw new EmbeddingFunctionException("OpenAI answered without a 'data' array");
            }
            float[][] vectors = new float[batch.size()][];
            for (JsonNode item : data) {
                int index = item.path("index").asInt(-1);
                if (index < 0 || index >= vectors.length) {
                    throw new EmbeddingFunctionException("OpenAI answered with an embedding for unknown index "
                            + item.path("index"));
                }
                vectors[index] = http.vector(item.get("embedding"));
            }
            List<float[]> list = java.util.Arrays.asList(vectors);
            if (list.contains(null) || data.size() != batch.size()) {
                throw new EmbeddingFunctionException("OpenAI returned " + data.size() + " embeddings for "
                        + batch.size() + " inputs");
            }
            out.addAll(list);
        }
        return out;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The keys of Chroma's {@code openai} schema; unset optional values are left out. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("api_key_env_var", apiKeyEnvVar);
        c.put("model_name", modelName);
        putIfSet(c, "organization_id", organizationId);
        putIfSet(c, "api_base", apiBase);
        putIfSet(c, "api_type", apiType);
        putIfSet(c, "api_version", apiVersion);
        putIfSet(c, "deployment_id", deploymentId);
        if (!defaultHeaders.isEmpty()) {
            c.put("default_headers", defaultHeaders);
        }
        putIfSet(c, "dimensions", dimensions);
        return Collections.unmodifiableMap(c);
    }

    @Override
    public Space defaultSpace() {
        return Space.COSINE;
    }

    @Override
    public String toString() {
        return "OpenAIEmbeddingFunction[" + modelName + "]";
    }

    private static void putIfSet(Map<String, Object> c, String key, Object value) {
        if (value != null) {
            c.put(key, value);
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public static final class Builder extends HttpProviderBuilder<Builder> {
        private String modelName = DEFAULT_MODEL;
        private String apiKey;
        private String apiKeyEnvVar = DEFAULT_API_KEY_ENV_VAR;
        private String organizationId;
        private String apiBase;
        private String apiType;
        private String apiVersion;
        private String deploymentId;
        private Map<String, String> defaultHeaders = Map.of();
        private Integer dimensions;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
            super(MAX_BATCH); // batchSize: at most 2048 inputs per request (OpenAI's limit)
        }

        public Builder modelName(String v) {
            this.modelName = v;
            return this;
        }

        /** The key itself: used, never recorded (a rebuilt function reads {@link #apiKeyEnvVar}). */
        public Builder apiKey(String v) {
            this.apiKey = v;
            return this;
        }

        /** Name of the environment variable holding the key; default {@code OPENAI_API_KEY}. */
        public Builder apiKeyEnvVar(String v) {
            this.apiKeyEnvVar = v;
            return this;
        }

        public Builder organizationId(String v) {
            this.organizationId = v;
            return this;
        }

        /** Base URL up to the version, e.g. {@code http://localhost:8000/v1}; default OpenAI's. */
        public Builder apiBase(String v) {
            this.apiBase = v;
            return this;
        }

        /** {@code azure} for Azure OpenAI (needs apiBase, apiVersion and usually deploymentId). */
        public Builder apiType(String v) {
            this.apiType = v;
            return this;
        }

        public Builder apiVersion(String v) {
            this.apiVersion = v;
            return this;
        }

        public Builder deploymentId(String v) {
            this.deploymentId = v;
            return this;
        }

        public Builder defaultHeaders(Map<String, String> v) {
            this.defaultHeaders = v == null ? Map.of() : v;
            return this;
        }

        /** Output dimensions (text-embedding-3 models and later). */
        public Builder dimensions(Integer v) {
            this.dimensions = v;
            return this;
        }

        public Builder timeout(Duration v) {
            this.timeout = Objects.requireNonNull(v);
            return this;
        }

        public OpenAIEmbeddingFunction build() {
            return new OpenAIEmbeddingFunction(this);
        }
    }
}
