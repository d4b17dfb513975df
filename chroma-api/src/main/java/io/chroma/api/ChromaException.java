package io.chroma.api;

/**
 * Base of every error the API raises. {@link #errorName()} is the name Chroma puts in the
 * {@code "error"} field of its JSON error bodies, so the server and the HTTP client can map
 * exceptions to and from the wire without a table of their own.
 */
public class ChromaException extends RuntimeException {
    private final String errorName;

    public ChromaException(String errorName, String message) {
        super(message);
        this.errorName = errorName;
    }

    public ChromaException(String errorName, String message, Throwable cause) {
        super(message, cause);
        this.errorName = errorName;
    }

    /** Chroma's error name, e.g. {@code InvalidArgumentError}, {@code NotFoundError}. */
    public String errorName() {
        return errorName;
    }
}
