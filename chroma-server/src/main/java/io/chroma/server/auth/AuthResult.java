package io.chroma.server.auth;

import java.util.Map;
import java.util.Objects;

/** The decision for one request. */
public sealed interface AuthResult {

    /** Whether the request may proceed. */
    boolean allowed();

    /**
     * Proceed.
     *
     * @param identity      the caller; {@link Identity#unauthenticated()} on public routes or when auth is off
     * @param authenticated whether credentials were checked (false for public routes and when auth is off)
     */
    record Allowed(Identity identity, boolean authenticated) implements AuthResult {
        public Allowed {
            Objects.requireNonNull(identity, "identity");
        }

        @Override
        public boolean allowed() {
            return true;
        }
    }

    /**
     * Stop and answer with {@code status} and the Chroma error body {@link #jsonBody()}, plus {@code headers}.
     *
     * @param status  401 (no or bad credentials) or 403 (valid user outside its tenant/databases)
     * @param error   the {@code error} field: {@code AuthorizationError} (401) or {@code AuthError} (403)
     * @param message the {@code message} field: {@code Unauthorized} or {@code Forbidden}
     * @param headers extra response headers, e.g. {@code WWW-Authenticate}
     */
    record Denied(int status, String error, String message, Map<String, String> headers) implements AuthResult {
        public Denied {
            headers = Map.copyOf(headers);
        }

        @Override
        public boolean allowed() {
            return false;
        }

        /** {@code {"error":"...","message":"..."}}. */
        public String jsonBody() {
            StringBuilder sb = new StringBuilder(64).append("{\"error\":");
            Json.appendString(sb, error).append(",\"message\":");
            return Json.appendString(sb, message).append('}').toString();
        }
    }
}
