package io.chroma.server.internal;

import io.chroma.api.ChromaException;

/**
 * A request body that is not JSON ({@link Kind#SYNTAX}) or whose JSON has the wrong shape for the
 * route ({@link Kind#TYPE}). Chroma 1.x answers the first with 400 and the second with 422, so the
 * kind is kept for the error mapping.
 */
public final class MalformedBodyException extends ChromaException {

    public enum Kind { SYNTAX, TYPE }

    private final Kind kind;

    public MalformedBodyException(Kind kind, String message) {
        super(kind == Kind.SYNTAX ? "InvalidArgumentError" : "ChromaError", message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static MalformedBodyException syntax(String detail) {
        return new MalformedBodyException(Kind.SYNTAX, "Failed to parse the request body as JSON: " + detail);
    }

    static MalformedBodyException type(String field, String detail) {
        return new MalformedBodyException(Kind.TYPE, "Failed to deserialize the JSON body into the target type: "
                + (field == null ? "" : field + ": ") + detail);
    }
}
