package io.chroma.api;

/** A tenant, database or collection that does not exist (HTTP 404). */
public class NotFoundException extends ChromaException {
    public NotFoundException(String message) {
        super("NotFoundError", message);
    }
}
