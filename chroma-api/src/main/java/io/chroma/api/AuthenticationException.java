package io.chroma.api;

/** Credentials missing or wrong (HTTP 401). */
public class AuthenticationException extends ChromaException {
    public AuthenticationException(String message) {
        super("AuthorizationError", message);
    }
}
