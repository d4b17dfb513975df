package io.chroma.api;

/** The HTTP client could not reach the server at all. */
public class ChromaConnectionException extends ChromaException {
    public ChromaConnectionException(String message, Throwable cause) {
        super("ConnectionError", message, cause);
    }
}
