package io.chroma.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Base64;

/**
 * Calls a running server's {@code /api/v2/admin} routes. The JDK's HTTP client: the CLI already
 * carries the server, and needs no second HTTP stack for three POSTs.
 */
final class AdminClient {

    /** The server could not be reached at all (exit code 4, distinct from an error answer). */
    static final class UnreachableException extends RuntimeException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server answered with an error: {@code {"error","message"}} and a status. */
    static final class ServerErrorException extends RuntimeException {
        final int status;

        ServerErrorException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String authorization; // header name + value, or null
    private final String authorizationValue;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private AdminClient(URI base, String header, String value) {
        this.base = base;
        this.authorization = header;
        this.authorizationValue = value;
    }

    /**
     * @param url         {@code http://host:port} (a trailing slash or path is ignored)
     * @param token       a token, sent as {@code Authorization: Bearer} or in {@code tokenHeader}; or null
     * @param tokenHeader {@code Authorization} (default) or {@code X-Chroma-Token}
     * @param basic       {@code user:password} for basic auth, or null
     */
    static AdminClient of(String url, String token, String tokenHeader, String basic) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid --url " + url + ": " + e.getMessage());
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
            throw new IllegalArgumentException("Invalid --url " + url + ": expected http://host:port");
        }
        URI base = URI.create(u.getScheme() + "://" + u.getRawAuthority());
        if (token != null && basic != null) {
            throw new IllegalArgumentException("Give --token or --basic-auth, not both");
        }
        if (token != null) {
            boolean xChroma = tokenHeader != null && tokenHeader.equalsIgnoreCase("X-Chroma-Token");
            return new AdminClient(base, xChroma ? "X-Chroma-Token" : "Authorization", xChroma ? token : "Bearer " + token);
        }
        if (basic != null) {
            return new AdminClient(base, "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return new AdminClient(base, null, null);
    }

    String url() {
        return base.toString();
    }

    /** POSTs {@code body} to {@code /api/v2/admin/<op>} and returns the JSON answer of a 200. */
    JsonNode post(String op, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/v2/admin/" + op))
                .timeout(Duration.ofHours(6)) // a vacuum or backup of a large store takes long
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header(authorization, authorizationValue);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw new UnreachableException("cannot reach the Chroma server at " + base + " (" + describe(e)
                    + "): is it running? is --url right?", e);
        } catch (IOException e) {
            throw new UnreachableException("lost the connection to the Chroma server at " + base + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while waiting for " + base, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            json = null;
        }
        if (r.statusCode() == 200 && json != null && json.isObject()) {
            return json;
        }
        String message = json != null && json.hasNonNull("message") ? json.get("message").asText()
                : "HTTP " + r.statusCode() + (r.body().isBlank() ? "" : ": " + r.body().strip());
        if (r.statusCode() == 404) {
            message += " (is " + base + " a Chroma (Java) server? the admin routes are ours, not Chroma's)";
        } else if (r.statusCode() == 401 || r.statusCode() == 403) {
            message += " (the admin routes need an unrestricted user: pass --token or --basic-auth)";
        }
        throw new ServerErrorException(r.statusCode(), "the server answered " + r.statusCode() + ": " + message);
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
