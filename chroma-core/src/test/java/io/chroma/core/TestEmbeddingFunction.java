package io.chroma.core;

import io.chroma.api.EmbeddingFunction;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Deterministic 3-d "embedding" of a text; counts calls so tests can assert it was (not) used. */
final class TestEmbeddingFunction implements EmbeddingFunction {
    final AtomicInteger calls = new AtomicInteger();

    static float[] vector(String t) {
        return new float[]{t.length(), t.isEmpty() ? 0 : t.charAt(0), 1};
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        calls.incrementAndGet();
        return texts.stream().map(TestEmbeddingFunction::vector).toList();
    }

    @Override
    public String name() {
        return "test-length";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("dims", 3L);
    }
}
