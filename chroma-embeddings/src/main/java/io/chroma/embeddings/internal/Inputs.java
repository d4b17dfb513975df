package io.chroma.embeddings.internal;

import io.chroma.api.InvalidArgumentException;
import io.chroma.embeddings.EmbeddingFunctionException;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Checks shared by every embedding function: inputs, API keys, recorded configs. */
public final class Inputs {
    private Inputs() {
    }

    /** Texts must be a list of non-null strings (Chroma: "Expected Documents to be a list of str"). */
    public static void requireTexts(List<String> texts) {
        if (texts == null) {
            throw new InvalidArgumentException("Expected a list of documents to embed, got null");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new InvalidArgumentException("Expected a string document at index " + i + ", got null");
            }
        }
    }

    /**
     * The key given directly (never recorded), or else the value of the environment variable
     * whose name is recorded. Looked up at call time, so a collection whose function was rebuilt
     * from its record can still be read without the key.
     */
    public static String apiKey(String explicit, String envVar, Function<String, String> env, String provider) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        if (envVar == null) {
            throw new EmbeddingFunctionException("No API key for " + provider + ": give one or the name of the "
                    + "environment variable that holds it (api_key_env_var)");
        }
        String v = env.apply(envVar);
        if (v == null || v.isBlank()) {
            throw new EmbeddingFunctionException("The " + envVar + " environment variable is not set: " + provider
                    + " needs an API key");
        }
        return v;
    }

    /** Checks that a provider answered with one vector per input. */
    public static void requireCount(List<?> vectors, int expected, String provider) {
        if (vectors.size() != expected) {
            throw new EmbeddingFunctionException(provider + " returned " + vectors.size() + " embeddings for "
                    + expected + " inputs");
        }
    }

    public static String string(Map<String, Object> config, String key, String fallback) {
        Object v = config == null ? null : config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s) {
            return s;
        }
        throw new InvalidArgumentException("Embedding function config '" + key + "' must be a string, got " + v);
    }

    public static Integer integer(Map<String, Object> config, String key, Integer fallback) {
        Object v = config == null ? null : config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new InvalidArgumentException("Embedding function config '" + key + "' must be an integer, got " + v);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> stringMap(Map<String, Object> config, String key) {
        Object v = config == null ? null : config.get(key);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String) || !(e.getValue() instanceof String)) {
                    throw new InvalidArgumentException("Embedding function config '" + key
                            + "' must map strings to strings, got " + v);
                }
            }
            return Map.copyOf((Map<String, String>) m);
        }
        throw new InvalidArgumentException("Embedding function config '" + key + "' must be an object, got " + v);
    }
}
