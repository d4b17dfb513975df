package io.chroma.api;

/** The request itself is wrong: bad name, bad filter, bad metadata, bad include... (HTTP 400). */
public class InvalidArgumentException extends ChromaException {
    public InvalidArgumentException(String message) {
        super("InvalidArgumentError", message);
    }

    protected InvalidArgumentException(String errorName, String message) {
        super(errorName, message);
    }
}
