package io.chroma.api;

/** Creating a tenant, database or collection whose name is taken (HTTP 409). */
public class AlreadyExistsException extends ChromaException {
    public AlreadyExistsException(String message) {
        super("UniqueConstraintError", message);
    }
}
