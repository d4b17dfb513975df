package io.chroma.server;

import io.chroma.server.auth.AuthSettings;

import java.nio.file.Path;
import java.util.List;

/**
 * How to run a {@link ChromaServer}: where the data lives ({@code null} = in memory only), the
 * address to listen on ({@code port 0} picks a free port), whether {@code POST /reset} may wipe the
 * store, which browser origins CORS lets in (empty = CORS off, as in Chroma), and how requests
 * authenticate ({@link AuthSettings#none()} = not at all, Chroma's default), and whether {@code GET /metrics}
 * is served without credentials when auth is on ({@code metricsPublic}; off by default, because the metrics name
 * every tenant's collections).
 */
public record ServerConfig(Path path, String host, int port, boolean allowReset, List<String> corsAllowOrigins,
                           AuthSettings auth, boolean metricsPublic) {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 8000;

    public ServerConfig {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        corsAllowOrigins = corsAllowOrigins == null ? List.of() : List.copyOf(corsAllowOrigins);
        auth = auth == null ? AuthSettings.none() : auth;
    }

    /** Without auth (the shape callers used before auth existed). */
    public ServerConfig(Path path, String host, int port, boolean allowReset, List<String> corsAllowOrigins) {
        this(path, host, port, allowReset, corsAllowOrigins, AuthSettings.none());
    }

    /** Metrics behind auth when auth is on (the shape callers used before metrics existed). */
    public ServerConfig(Path path, String host, int port, boolean allowReset, List<String> corsAllowOrigins,
                        AuthSettings auth) {
        this(path, host, port, allowReset, corsAllowOrigins, auth, false);
    }

    /** {@code chroma run}'s defaults: {@code ./chroma} on localhost:8000, reset off, no CORS. */
    public static ServerConfig defaults() {
        return new ServerConfig(Path.of("chroma"), DEFAULT_HOST, DEFAULT_PORT, false, List.of(), AuthSettings.none(), false);
    }

    public ServerConfig withPath(Path v) { return new ServerConfig(v, host, port, allowReset, corsAllowOrigins, auth, metricsPublic); }

    public ServerConfig withHost(String v) { return new ServerConfig(path, v, port, allowReset, corsAllowOrigins, auth, metricsPublic); }

    public ServerConfig withPort(int v) { return new ServerConfig(path, host, v, allowReset, corsAllowOrigins, auth, metricsPublic); }

    public ServerConfig withAllowReset(boolean v) { return new ServerConfig(path, host, port, v, corsAllowOrigins, auth, metricsPublic); }

    public ServerConfig withCorsAllowOrigins(List<String> v) { return new ServerConfig(path, host, port, allowReset, v, auth, metricsPublic); }

    public ServerConfig withAuth(AuthSettings v) { return new ServerConfig(path, host, port, allowReset, corsAllowOrigins, v, metricsPublic); }

    public ServerConfig withMetricsPublic(boolean v) { return new ServerConfig(path, host, port, allowReset, corsAllowOrigins, auth, v); }
}
