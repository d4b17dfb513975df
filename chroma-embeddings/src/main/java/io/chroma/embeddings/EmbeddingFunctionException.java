package io.chroma.embeddings;

import io.chroma.api.ChromaException;

/**
 * An embedding function could not produce vectors: the model failed to load, a provider rejected
 * the input (its own message is kept), an API key is missing, or a provider stayed unreachable
 * after retries. {@link #status()} is the provider's HTTP status, or -1 when there was none.
 */
public class EmbeddingFunctionException extends ChromaException {
    private final int status;

    public EmbeddingFunctionException(String message) {
        this(message, -1, null);
    }

    public EmbeddingFunctionException(String message, Throwable cause) {
        this(message, -1, cause);
    }

    public EmbeddingFunctionException(String message, int status, Throwable cause) {
        super("EmbeddingFunctionError", message, cause);
        this.status = status;
    }

    /** The provider's HTTP status, or -1 (no HTTP answer, or not an HTTP provider). */
    public int status() {
        return status;
    }
}
