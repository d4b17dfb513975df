package io.chroma.embeddings;

import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Space;
import io.chroma.embeddings.internal.Inputs;
import io.chroma.embeddings.internal.MiniLmL6V2;

import java.util.List;
import java.util.Map;

/**
 * Chroma's default embedding function: all-MiniLM-L6-v2 run in-process with ONNX Runtime, giving
 * the same 384-d vectors as Chroma's Python {@code DefaultEmbeddingFunction} (WordPiece,
 * truncation at 256 tokens, masked mean pooling, L2 normalisation). Works offline: the model ships
 * in a Maven artifact.
 *
 * <p>Cheap to create: the model loads on the first {@link #embed} and is then shared by every
 * instance in the JVM. Thread-safe.
 */
public final class DefaultEmbeddingFunction implements EmbeddingFunction {
    /** The registry name Chroma records for this function. */
    public static final String NAME = "default";
    /** The registry name of Chroma's ONNX class, which this function also stands for. */
    public static final String ONNX_NAME = "onnx_mini_lm_l6_v2";

    private final String name;
    private final Space defaultSpace;

    public DefaultEmbeddingFunction() {
        this(NAME, Space.L2);
    }

    private DefaultEmbeddingFunction(String name, Space defaultSpace) {
        this.name = name;
        this.defaultSpace = defaultSpace;
    }

    /**
     * The same model under the name of Chroma's {@code ONNXMiniLM_L6_V2} class, whose default space
     * is cosine (what a Python client records when given that class directly).
     */
    public static DefaultEmbeddingFunction onnxMiniLmL6V2() {
        return new DefaultEmbeddingFunction(ONNX_NAME, Space.COSINE);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Inputs.requireTexts(texts);
        if (texts.isEmpty()) {
            return List.of();
        }
        return MiniLmL6V2.shared().embed(texts);
    }

    @Override
    public String name() {
        return name;
    }

    /** Chroma records {@code {}}. */
    @Override
    public Map<String, Object> config() {
        return Map.of();
    }

    /**
     * {@code l2} for {@code default}: Chroma's {@code DefaultEmbeddingFunction} inherits the
     * protocol's default; only the underlying {@code ONNXMiniLM_L6_V2} class says cosine.
     */
    @Override
    public Space defaultSpace() {
        return defaultSpace;
    }

    /** Longest input, in tokens ([CLS] and [SEP] included), that is embedded whole. */
    public int maxTokens() {
        return MiniLmL6V2.MAX_TOKENS;
    }

    /** Vector length. */
    public int dimensions() {
        return MiniLmL6V2.DIMENSIONS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DefaultEmbeddingFunction d && d.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "DefaultEmbeddingFunction[" + name + ", all-MiniLM-L6-v2]";
    }
}
