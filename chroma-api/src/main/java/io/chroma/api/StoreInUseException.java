package io.chroma.api;

/** A persistent path already opened by another process (or another client in this one). */
public class StoreInUseException extends ChromaException {
    public StoreInUseException(String message, Throwable cause) {
        super("InternalError", message, cause);
    }
}
