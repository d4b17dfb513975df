package io.chroma.server.internal;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Errors Micronaut raises before a controller runs (no such route, wrong method, body too large,
 * unreadable request) get Chroma's {@code {"error", "message"}} body instead of Micronaut's
 * HATEOAS JSON, so every client-visible failure has one shape.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class JsonErrorResponseProcessor implements ErrorResponseProcessor<byte[]> {

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        String message = context.getErrors().stream().map(Error::getMessage).findFirst()
                .orElse(response.reason());
        if (status == 413) {
            message = "Failed to buffer the request body: length limit exceeded";
        }
        String name = switch (status) {
            case 400 -> "InvalidArgumentError";
            case 404 -> "NotFoundError";
            case 500 -> "InternalError";
            default -> "ChromaError";
        };
        MutableHttpResponse<byte[]> r = (MutableHttpResponse<byte[]>) response;
        return r.body(ResponseWriter.error(name, message)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
