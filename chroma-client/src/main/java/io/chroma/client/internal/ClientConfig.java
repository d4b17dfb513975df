package io.chroma.client.internal;

import okhttp3.HttpUrl;

import java.time.Duration;
import java.util.Map;

/**
 * Everything an {@code HttpClient} is built from, after validation. Immutable; shared by a client
 * and the views {@code withDatabase} derives from it.
 *
 * @param baseUrl     scheme, host, port and any path prefix in front of {@code /api/v2}
 * @param headers     sent with every request (extra headers plus the auth header)
 * @param base64      send embeddings as base64 float32 when the server supports it
 */
public record ClientConfig(HttpUrl baseUrl, Map<String, String> headers, String tenant, String database,
                           Duration connectTimeout, Duration readTimeout, Duration writeTimeout, boolean base64) {

    public ClientConfig {
        headers = Map.copyOf(headers);
    }
}
