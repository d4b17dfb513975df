package io.chroma.embeddings.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chroma.api.internal.NoDelaySocketFactory;
import io.chroma.embeddings.EmbeddingFunctionException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * POSTs JSON to an embedding provider with retries: connection failures, 429 and 5xx (but 501)
 * are retried with exponential backoff and jitter, honouring {@code Retry-After} in seconds; any
 * other status fails at once with the provider's own error message.
 */
public final class ProviderHttp {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    /** One connection pool and dispatcher for every provider; per-function clients share it. */
    private static final OkHttpClient BASE = new OkHttpClient.Builder()
            // without it every POST waits ~40 ms for a delayed ACK (see NoDelaySocketFactory)
            .socketFactory(NoDelaySocketFactory.INSTANCE)
            .build();
    /** A Retry-After longer than this is not waited for: the call fails instead. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final String provider;
    private final OkHttpClient http;
    private final int maxRetries;
    private final Duration initialBackoff;

    public ProviderHttp(String provider, Duration timeout, int maxRetries, Duration initialBackoff) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
        this.provider = provider;
        this.http = BASE.newBuilder()
                .callTimeout(timeout)
                .readTimeout(timeout)
                .build();
        this.maxRetries = maxRetries;
        this.initialBackoff = initialBackoff;
    }

    /** Sends {@code body} as JSON and returns the parsed JSON answer of a 2xx response. */
    public JsonNode post(String url, Map<String, String> headers, Object body) {
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new EmbeddingFunctionException("Cannot encode the " + provider + " request: " + e.getMessage(), e);
        }
        Request.Builder rb = new Request.Builder().url(url).post(RequestBody.create(payload, JSON_TYPE))
                .header("Accept", "application/json");
        headers.forEach(rb::header);
        Request request = rb.build();

        for (int attempt = 0; ; attempt++) {
            boolean last = attempt >= maxRetries;
            int status;
            String text;
            String retryAfter;
            try (Response response = http.newCall(request).execute()) {
                status = response.code();
                retryAfter = response.header("Retry-After");
                ResponseBody rbody = response.body();
                text = rbody == null ? "" : rbody.string();
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new EmbeddingFunctionException(provider + " request interrupted", e);
                }
                if (last) {
                    throw new EmbeddingFunctionException(provider + " did not answer " + url + " in time after "
                            + (attempt + 1) + " attempt(s): " + e.getMessage(), e);
                }
                sleep(backoff(attempt, null));
                continue;
            } catch (IOException e) {
                if (last) {
                    throw new EmbeddingFunctionException("Cannot reach " + provider + " at " + url + " after "
                            + (attempt + 1) + " attempt(s): " + e.getMessage(), e);
                }
                sleep(backoff(attempt, null));
                continue;
            }
            if (status >= 200 && status < 300) {
                try {
                    return JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new EmbeddingFunctionException(provider + " answered with invalid JSON: " + abbreviate(text),
                            status, e);
                }
            }
            boolean retryable = status == 429 || (status >= 500 && status != 501);
            Duration wait = retryable && !last ? backoff(attempt, retryAfter) : null;
            if (wait == null) {
                String why = errorMessage(text);
                throw new EmbeddingFunctionException(provider + " rejected the request (HTTP " + status + ")"
                        + (retryable ? " after " + (attempt + 1) + " attempt(s)" : "") + ": " + why, status, null);
            }
            sleep(wait);
        }
    }

    /**
     * Exponential backoff with jitter (50–100 % of initial * 2^attempt), or the server's
     * Retry-After when it gives one in seconds; null when the server asks for a longer wait than we
     * are willing to block for.
     */
    Duration backoff(int attempt, String retryAfter) {
        if (retryAfter != null) {
            try {
                long seconds = Long.parseLong(retryAfter.trim());
                Duration d = Duration.ofSeconds(Math.max(0, seconds));
                return d.compareTo(MAX_RETRY_AFTER) > 0 ? null : d;
            } catch (NumberFormatException e) {
                // an HTTP date: fall back to our own schedule
            }
        }
        long base = initialBackoff.toMillis() << Math.min(attempt, 16);
        long capped = Math.min(base, 30_000L);
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingFunctionException(provider + " request interrupted while waiting to retry", e);
        }
    }

    /**
     * The provider's own words: OpenAI {@code {"error":{"message":..}}}, Ollama and TEI
     * {@code {"error":".."}}, Cohere {@code {"message":..}}, FastAPI-style {@code {"detail":..}};
     * otherwise the raw body.
     */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "(empty response body)";
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isObject()) {
                JsonNode err = n.get("error");
                if (err != null && err.isObject() && err.hasNonNull("message")) {
                    return err.get("message").asText();
                }
                if (err != null && err.isTextual()) {
                    return err.asText();
                }
                if (n.hasNonNull("message")) {
                    return n.get("message").asText();
                }
                if (n.hasNonNull("detail")) {
                    JsonNode d = n.get("detail");
                    return d.isTextual() ? d.asText() : d.toString();
                }
            }
        } catch (JsonProcessingException e) {
            // not JSON: show it as it is
        }
        return abbreviate(body);
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 500 ? t.substring(0, 500) + "…" : t;
    }

    /**
     * Reads a JSON array of embeddings, one per input, or fails: with {@code whenNotAnArray} when the
     * answer holds no array, naming the provider when the count is off.
     */
    public List<float[]> vectors(JsonNode array, int expected, String whenNotAnArray) {
        if (array == null || !array.isArray()) {
            throw new EmbeddingFunctionException(whenNotAnArray);
        }
        List<float[]> out = new ArrayList<>(array.size());
        for (JsonNode e : array) {
            out.add(vector(e));
        }
        Inputs.requireCount(out, expected, provider);
        return out;
    }

    /** Reads a JSON array of numbers as a float vector, or fails naming the provider. */
    public float[] vector(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new EmbeddingFunctionException(provider + " answered without an embedding where one was expected");
        }
        float[] v = new float[node.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isNumber()) {
                throw new EmbeddingFunctionException(provider + " answered with a non-numeric embedding value: " + x);
            }
            v[i] = x.floatValue();
        }
        return v;
    }

    /** Splits texts into consecutive batches of at most {@code size}. */
    public static List<List<String>> batches(List<String> texts, int size) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += size) {
            out.add(texts.subList(i, Math.min(texts.size(), i + size)));
        }
        return out;
    }
}
