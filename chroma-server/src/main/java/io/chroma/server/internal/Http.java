package io.chroma.server.internal;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.util.function.Function;
import java.util.function.Supplier;

/** Small helpers shared by the controllers: JSON responses and the catch-all error translation. */
final class Http {

    private Http() {
    }

    static final byte[] EMPTY_OBJECT = {'{', '}'};
    static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    static final byte[] NULL = {'n', 'u', 'l', 'l'};

    static MutableHttpResponse<byte[]> json(int status, byte[] body) {
        return HttpResponse.<byte[]>status(HttpStatus.valueOf(status))
                .body(body)
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    static MutableHttpResponse<byte[]> ok(byte[] body) {
        return json(200, body);
    }

    /**
     * Runs a handler and turns any failure into the version's error body. Every exception ends
     * here, so a client mistake can never surface as Micronaut's own 500 page.
     */
    static MutableHttpResponse<byte[]> handle(Function<Throwable, ApiError> mapping,
                                              Supplier<MutableHttpResponse<byte[]>> handler) {
        try {
            return handler.get();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme && !(t instanceof OutOfMemoryError)) {
                throw vme;
            }
            ApiError e = mapping.apply(t);
            return json(e.status(), e.body());
        }
    }

    /** Parses an optional non-negative integer query parameter as Chroma 1.x does. */
    static Integer uintParam(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            int v = Integer.parseInt(value);
            if (v < 0) {
                throw new io.chroma.api.InvalidArgumentException("Failed to deserialize query string: " + name
                        + ": invalid digit found in string");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new io.chroma.api.InvalidArgumentException("Failed to deserialize query string: " + name
                    + ": invalid digit found in string");
        }
    }
}
