package io.chroma.api;

import java.util.Map;

/**
 * Rebuilds a known embedding function from the name and config a collection recorded. Providers
 * register implementations with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.chroma.api.EmbeddingFunctionFactory}).
 */
public interface EmbeddingFunctionFactory {
    /** The registry name, as in {@link EmbeddingFunction#name()}. */
    String name();

    EmbeddingFunction create(Map<String, Object> config);
}
