package io.chroma.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends raw bytes (not necessarily JSON, not necessarily UTF-8) and times the answer, for the
 * reliability tests. A request that gets no answer within the hard timeout is reported as status
 * -1 rather than thrown, so a hang shows up as a failed assertion naming the input.
 */
final class RawHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String V2 = "/api/v2/tenants/default_tenant/databases/default_database";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Duration hardTimeout;

    RawHttp(String base, Duration hardTimeout) {
        this.base = base;
        this.hardTimeout = hardTimeout;
    }

    record Answer(int status, String body, long millis) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        /** A 4xx whose body is Chroma's {@code {"error": str, "message": str}}. */
        boolean isClientErrorWithBody() {
            JsonNode j = json();
            return status >= 400 && status < 500 && j != null && j.path("error").isTextual()
                    && j.path("message").isTextual();
        }

        @Override
        public String toString() {
            String b = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
            return status + " in " + millis + " ms: " + b;
        }
    }

    Answer send(String method, String path, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(hardTimeout)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1_000_000);
        } catch (HttpTimeoutException e) {
            return new Answer(-1, "no answer within " + hardTimeout, (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer post(String path, String body) {
        return send("POST", path, body.getBytes(StandardCharsets.UTF_8));
    }

    Answer post(String path, byte[] body) {
        return send("POST", path, body);
    }

    Answer get(String path) {
        return send("GET", path, null);
    }

    /** Creates a v2 collection in the default database and returns its id. */
    String createCollection(String name) {
        Answer a = post(V2 + "/collections", "{\"name\":\"" + name + "\",\"get_or_create\":true}");
        if (a.status() != 200) {
            throw new IllegalStateException("create " + name + ": " + a);
        }
        return a.json().get("id").asText();
    }
}
