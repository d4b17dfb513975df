package io.chroma.api.internal;

import io.chroma.api.EmbeddingFunction;
import io.chroma.api.EmbeddingFunctionFactory;

import java.util.Map;
import java.util.ServiceLoader;

/** Looks up {@link EmbeddingFunctionFactory} implementations on the class path. */
public final class EmbeddingFunctions {
    private EmbeddingFunctions() {
    }

    /**
     * Rebuilds the function a collection recorded ({@code {"type":"known","name":..,"config":..}}),
     * or returns {@code null} when there is none or no factory for its name is on the class path.
     */
    @SuppressWarnings("unchecked")
    public static EmbeddingFunction rebuild(Map<String, Object> descriptor) {
        if (descriptor == null || !"known".equals(descriptor.get("type"))) {
            return null;
        }
        Object name = descriptor.get("name");
        Object config = descriptor.get("config");
        for (EmbeddingFunctionFactory f : ServiceLoader.load(EmbeddingFunctionFactory.class)) {
            if (f.name().equals(name)) {
                return f.create(config instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
            }
        }
        return null;
    }
}
