package io.chroma.client;

import io.chroma.api.EmbeddingFunction;
import io.chroma.api.EmbeddingFunctionFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deterministic test embedding: letter counts over a small alphabet, so texts that share letters
 * are near. Registered (test resources) as the factory {@code test-letters} to check that a client
 * rebuilds a collection's recorded function.
 */
final class HashEmbeddingFunction implements EmbeddingFunction {
    static final String NAME = "test-letters";
    private final int dims;

    HashEmbeddingFunction(int dims) {
        this.dims = dims;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            float[] v = new float[dims];
            for (char c : t.toLowerCase().toCharArray()) {
                if (Character.isLetter(c)) {
                    v[c % dims] += 1;
                }
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("dims", dims);
    }

    public static final class Factory implements EmbeddingFunctionFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public EmbeddingFunction create(Map<String, Object> config) {
            return new HashEmbeddingFunction(((Number) config.getOrDefault("dims", 8)).intValue());
        }
    }
}
