package io.chroma.embeddings.internal;

import io.chroma.api.EmbeddingFunction;
import io.chroma.api.EmbeddingFunctionFactory;
import io.chroma.embeddings.CohereEmbeddingFunction;
import io.chroma.embeddings.DefaultEmbeddingFunction;
import io.chroma.embeddings.HuggingFaceServerEmbeddingFunction;
import io.chroma.embeddings.OllamaEmbeddingFunction;
import io.chroma.embeddings.OpenAIEmbeddingFunction;

import java.util.Map;

/**
 * The {@link EmbeddingFunctionFactory} of each function this module provides, registered in
 * {@code META-INF/services/io.chroma.api.EmbeddingFunctionFactory} under Chroma's registry names,
 * so a collection's recorded {@code {"type":"known","name":..,"config":..}} rebuilds its function.
 */
public final class Factories {
    private Factories() {
    }

    public static final class Default implements EmbeddingFunctionFactory {
        @Override
        public String name() {
            return DefaultEmbeddingFunction.NAME;
        }

        @Override
        public EmbeddingFunction create(Map<String, Object> config) {
            return new DefaultEmbeddingFunction();
        }
    }

    /**
     * Chroma's Python client records the ONNX class itself under this name; it computes the same
     * vectors as {@code default} (only its default space, cosine, differs).
     */
    public static final class OnnxMiniLmL6V2 implements EmbeddingFunctionFactory {
        @Override
        public String name() {
            return "onnx_mini_lm_l6_v2";
        }

        @Override
        public EmbeddingFunction create(Map<String, Object> config) {
            return DefaultEmbeddingFunction.onnxMiniLmL6V2();
        }
    }

    public static final class OpenAI implements EmbeddingFunctionFactory {
        @Override
        public String name() {
            return OpenAIEmbeddingFunction.NAME;
        }

        @Override
        public EmbeddingFunction create(Map<String, Object> config) {
            return OpenAIEmbeddingFunction.fromConfig(config);
        }
    }

    public static final class Ollama implements EmbeddingFunctionFactory {
        @Override
        public String name() {
            return OllamaEmbeddingFunction.NAME;
        }

        @Override
        public EmbeddingFunction create(Map<String, Object> config) {
            return OllamaEmbeddingFunction.fromConfig(config);
        }
    }

    public static final class HuggingFaceServer implements EmbeddingFunctionFactory {
        @Override
        public String name() {
            return HuggingFaceServerEmbeddingFunction.NAME;
        }

        @Override
        public EmbeddingFunction create(Map<String, Object> config) {
            return HuggingFaceServerEmbeddingFunction.fromConfig(config);
        }
    }

    public static final class Cohere implements EmbeddingFunctionFactory {
        @Override
        public String name() {
            return CohereEmbeddingFunction.NAME;
        }

        @Override
        public EmbeddingFunction create(Map<String, Object> config) {
            return CohereEmbeddingFunction.fromConfig(config);
        }
    }
}
