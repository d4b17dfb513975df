package io.chroma.api;

/** Valid credentials, but not for this tenant/database or action (HTTP 403). */
public class ForbiddenException extends ChromaException {
    public ForbiddenException(String message) {
        super("AuthError", message);
    }
}
