package io.chroma.client.internal;

import io.chroma.api.AlreadyExistsException;
import io.chroma.api.AuthenticationException;
import io.chroma.api.BatchSizeExceededException;
import io.chroma.api.ChromaException;
import io.chroma.api.ChromaServerException;
import io.chroma.api.DimensionMismatchException;
import io.chroma.api.ForbiddenException;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.NotFoundException;
import io.chroma.api.ResetNotAllowedException;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a non-2xx answer into the typed exception of {@code io.chroma.api}, carrying the server's
 * message. The status decides the type: Chroma 1.x names most errors just {@code "ChromaError"}
 * (a duplicate collection is {@code 409 ChromaError}), so the {@code error} name alone says little.
 */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    private static final Pattern DIMENSION = Pattern.compile("dimension of (\\d+), got (\\d+)");
    /** 0.x wrote {@code {"error":"ValueError('text')"}} with no message field. */
    private static final Pattern PY_REPR = Pattern.compile("(\\w+)\\('(.*)'\\)", Pattern.DOTALL);

    /**
     * @param status the HTTP status (not 2xx)
     * @param body   the response body as text, possibly empty or not JSON
     * @param what   e.g. {@code POST /api/v2/reset}, used when the body carries no message
     */
    public static ChromaException map(int status, String body, String what) {
        String errorName = null;
        String message = null;
        Map<String, Object> json = Json.object(Json.tryParse(body));
        if (json != null) {
            errorName = text(json.get("error"));
            message = text(json.get("message"));
            if (message == null) {
                message = text(json.get("detail"));
            }
            if (message == null && errorName != null) {
                Matcher m = PY_REPR.matcher(errorName);
                if (m.matches()) {
                    errorName = m.group(1);
                    message = m.group(2);
                } else {
                    message = errorName;
                }
            }
        }
        if (message == null || message.isBlank()) {
            String snippet = body == null ? "" : body.strip();
            if (snippet.length() > 200) {
                snippet = snippet.substring(0, 200) + "...";
            }
            message = "HTTP " + status + " from " + what + (snippet.isEmpty() ? "" : ": " + snippet);
        }
        if (errorName == null) {
            errorName = "ChromaError";
        }
        String lower = message.toLowerCase(Locale.ROOT);

        if (status != 401 && lower.contains("reset") && (lower.contains("disabled") || lower.contains("not allowed"))) {
            return new ResetNotAllowedException(message);
        }
        return switch (status) {
            case 400, 422 -> {
                if (lower.contains("dimension")) {
                    Matcher m = DIMENSION.matcher(message);
                    if (m.find()) {
                        yield new DimensionMismatchException(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                    }
                }
                yield new InvalidArgumentException(message);
            }
            case 401 -> new AuthenticationException(message);
            case 403 -> new ForbiddenException(message);
            case 404 -> new NotFoundException(message);
            case 409 -> new AlreadyExistsException(message);
            case 413 -> new BatchSizeExceededException(message);
            default -> new ChromaServerException(errorName, message, status);
        };
    }

    private static String text(Object v) {
        return v == null ? null : v instanceof String s ? s : new String(Json.writeValue(v), java.nio.charset.StandardCharsets.UTF_8);
    }
}
