package io.chroma.api;

/** The server failed for a reason of its own (HTTP 5xx), or answered in a way we cannot read. */
public class ChromaServerException extends ChromaException {
    private final int status;

    public ChromaServerException(String errorName, String message, int status) {
        super(errorName, message);
        this.status = status;
    }

    public int status() { return status; }
}
