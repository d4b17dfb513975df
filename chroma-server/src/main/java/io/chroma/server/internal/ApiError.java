package io.chroma.server.internal;

import io.chroma.api.AlreadyExistsException;
import io.chroma.api.AuthenticationException;
import io.chroma.api.BatchSizeExceededException;
import io.chroma.api.ChromaException;
import io.chroma.api.DimensionMismatchException;
import io.chroma.api.DuplicateIdException;
import io.chroma.api.ForbiddenException;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.NotFoundException;
import io.chroma.api.ResetNotAllowedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An error as one API version puts it on the wire: status, {@code error} name and {@code message}.
 * The engine raises one exception hierarchy; what differs between Chroma 0.5 (v1) and 1.x (v2) is
 * only this mapping.
 */
public record ApiError(int status, String name, String message) {

    private static final Logger LOG = LoggerFactory.getLogger(ApiError.class);

    public byte[] body() {
        return ResponseWriter.error(name, message);
    }

    /** Chroma 1.x: only a few names are specific, every other failure is {@code ChromaError}. */
    public static ApiError v2(Throwable t) {
        return switch (t) {
            case MalformedBodyException m -> m.kind() == MalformedBodyException.Kind.SYNTAX
                    ? new ApiError(400, "InvalidArgumentError", m.getMessage())
                    : new ApiError(422, "ChromaError", m.getMessage());
            case V1Error e -> new ApiError(e.status(), e.errorName(), e.getMessage());
            case InvalidArgumentException e -> new ApiError(400, "InvalidArgumentError", e.getMessage());
            case NotFoundException e -> new ApiError(404, "NotFoundError", e.getMessage());
            case AlreadyExistsException e -> new ApiError(409, "ChromaError", e.getMessage());
            case BatchSizeExceededException e -> new ApiError(413, "BatchSizeExceededError", e.getMessage());
            case ResetNotAllowedException e -> new ApiError(403, "ChromaError", "Reset is disabled by config");
            case AuthenticationException e -> new ApiError(401, "ChromaError", e.getMessage());
            case ForbiddenException e -> new ApiError(403, "ChromaError", e.getMessage());
            default -> internal(t);
        };
    }

    /** Chroma 0.5.20 – 0.6.3 (the legacy Python server): richer names, collection misses are 400. */
    public static ApiError v1(Throwable t) {
        return switch (t) {
            case MalformedBodyException m -> new ApiError(422, "ValidationError", m.getMessage());
            case V1Error e -> new ApiError(e.status(), e.errorName(), e.getMessage());
            case DimensionMismatchException e -> new ApiError(400, "InvalidDimension", "Embedding dimension "
                    + e.actual() + " does not match collection dimensionality " + e.expected());
            case DuplicateIdException e -> new ApiError(400, "DuplicateID", e.getMessage());
            case InvalidArgumentException e -> new ApiError(400, "InvalidArgumentError", e.getMessage());
            case NotFoundException e -> new ApiError(404, "NotFoundError", unbracketed(e.getMessage()));
            case AlreadyExistsException e -> new ApiError(409, "UniqueConstraintError", unbracketed(e.getMessage()));
            case BatchSizeExceededException e -> new ApiError(413, "BatchSizeExceededError", e.getMessage());
            case ResetNotAllowedException e -> new ApiError(400, "InvalidArgumentError", ResetNotAllowedException.MESSAGE);
            case AuthenticationException e -> new ApiError(401, "AuthorizationError", e.getMessage());
            case ForbiddenException e -> new ApiError(403, "AuthError", "Forbidden");
            default -> internal(t);
        };
    }

    /** Chroma 1.x writes names in brackets ("Collection [x] already exists"); 0.5 did not. */
    private static String unbracketed(String message) {
        return message == null ? null : message.replaceAll("\\[([^\\[\\]]*)\\]", "$1");
    }

        private static ApiError internal(Throwable t) {
        LOG.error("Request failed", t);
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        String name = t instanceof ChromaException c && c.errorName() != null ? c.errorName() : "InternalError";
        return new ApiError(500, name, message);
    }

    /** An error whose v1 wire form is decided by the v1 mapping code itself. */
    public static final class V1Error extends ChromaException {
        private final int status;

        public V1Error(int status, String name, String message) {
            super(name, message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
