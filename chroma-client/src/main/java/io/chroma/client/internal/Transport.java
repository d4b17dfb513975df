package io.chroma.client.internal;

import io.chroma.api.ChromaConnectionException;
import io.chroma.api.ChromaException;
import io.chroma.api.ChromaServerException;
import io.chroma.api.internal.NoDelaySocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One OkHttp client (one connection pool) shared by an {@code HttpClient} and the views
 * {@code withDatabase} derives from it; released when the last of them is closed.
 *
 * <p>Retries are ours, not OkHttp's: OkHttp's {@code retryOnConnectionFailure} may resend a POST
 * whose first copy reached the server, which for {@code add} would be a silent duplicate write.
 * We turn it off and resend only idempotent reads, once, after a dropped connection.
 */
public final class Transport {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String USER_AGENT = "Chroma Java Client (io.chroma:chroma-client)";

    /** Reads a successful response body. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    public record PreFlight(int maxBatchSize, boolean supportsBase64) {
    }

    private final ClientConfig config;
    private final OkHttpClient http;
    private final AtomicInteger openViews = new AtomicInteger(1);
    private volatile PreFlight preFlight;

    public Transport(ClientConfig config) {
        this.config = config;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.writeTimeout())
                .retryOnConnectionFailure(false)
                // a 301/302 would turn a POST into a body-less GET: report it instead of following it
                .followRedirects(false)
                .followSslRedirects(false)
                .connectionPool(new ConnectionPool(5, 5, TimeUnit.MINUTES))
                // without it every POST waits ~40 ms for a delayed ACK (see NoDelaySocketFactory)
                .socketFactory(NoDelaySocketFactory.INSTANCE)
                .build();
    }

    /** The OkHttp client itself, for tests of its settings. */
    OkHttpClient okHttp() {
        return http;
    }

    public ClientConfig config() {
        return config;
    }

    /** Another view (client) now shares this transport. */
    public void acquire() {
        if (openViews.getAndUpdate(n -> n == 0 ? 0 : n + 1) == 0) {
            throw new IllegalStateException("This HttpClient is closed");
        }
    }

    /** A view was closed; the last one releases the connection pool and threads. */
    public void release() {
        if (openViews.decrementAndGet() == 0) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    public boolean isClosed() {
        return openViews.get() <= 0;
    }

    /** {@code base/api/v2/<segments...>}; each segment is percent-encoded, so names cannot escape their slot. */
    public HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder b = config.baseUrl().newBuilder().addPathSegment("api").addPathSegment("v2");
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b;
    }

    /** The server's batch limit and base64 support, fetched once (lazily) and cached. */
    public PreFlight preFlight() {
        PreFlight p = preFlight;
        if (p == null) {
            synchronized (this) {
                p = preFlight;
                if (p == null) {
                    p = send("GET", url("pre-flight-checks").build(), null, true, in -> {
                        Object answer = Json.read(in);
                        Map<String, Object> node = Json.object(answer);
                        Integer max = node == null ? null : Json.integer(node.get("max_batch_size"));
                        if (max == null) {
                            throw new ChromaServerException("ChromaError",
                                    "pre-flight-checks answered without max_batch_size: " + answer, 200);
                        }
                        return new PreFlight(max, Boolean.TRUE.equals(node.get("supports_base64_encoding")));
                    });
                    preFlight = p;
                }
            }
        }
        return p;
    }

    /**
     * Sends one request and reads the answer.
     *
     * @param body       JSON bytes, or {@code null} for none
     * @param idempotent whether a dropped connection may be answered by sending again (reads only)
     */
    public <T> T send(String method, HttpUrl url, byte[] body, boolean idempotent, Reader<T> reader) {
        if (isClosed()) {
            throw new IllegalStateException("This HttpClient is closed");
        }
        Request.Builder rb = new Request.Builder().url(url).header("User-Agent", USER_AGENT);
        for (Map.Entry<String, String> h : config.headers().entrySet()) {
            rb.header(h.getKey(), h.getValue());
        }
        RequestBody rbody = body == null ? (method.equals("GET") || method.equals("DELETE") ? null
                : RequestBody.create(new byte[0], JSON)) : RequestBody.create(body, JSON);
        Request request = rb.method(method, rbody).build();
        String what = method + " " + url.encodedPath();

        int attempts = idempotent ? 2 : 1;
        for (int attempt = 1; ; attempt++) {
            try (Response response = http.newCall(request).execute()) {
                ResponseBody rbd = response.body();
                if (!response.isSuccessful()) {
                    String text = rbd.string();
                    throw ErrorMapper.map(response.code(), text, what);
                }
                return reader.read(rbd.byteStream());
            } catch (ChromaException e) {
                throw e;
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new ChromaServerException("ChromaError", "Could not read the answer to " + what + ": "
                        + e.getOriginalMessage(), 200);
            } catch (IllegalArgumentException e) {
                // e.g. a collection id that is not a UUID
                throw new ChromaServerException("ChromaError", "Unexpected answer to " + what + ": "
                        + e.getMessage(), 200);
            } catch (Json.BadAnswer e) {
                throw new ChromaServerException("ChromaError", "Unexpected answer to " + what + ": "
                        + e.getMessage(), 200);
            } catch (IOException e) {
                if (attempt < attempts && retryable(e)) {
                    continue;
                }
                throw connectionError(e, what, idempotent);
            }
        }
    }

    /** A dropped or refused connection may be retried; a timeout is not (the server may still be working). */
    private static boolean retryable(IOException e) {
        return !(e instanceof InterruptedIOException);
    }

    private ChromaConnectionException connectionError(IOException e, String what, boolean idempotent) {
        String base = config.baseUrl().toString();
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof UnknownHostException) {
            reason = "unknown host " + reason;
        }
        boolean connect = e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException
                || (e instanceof SocketTimeoutException && reason.toLowerCase(java.util.Locale.ROOT).contains("connect"));
        if (connect) {
            return new ChromaConnectionException("Cannot connect to " + base + ": " + reason
                    + " (is the Chroma server running?)", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new ChromaConnectionException("Timed out waiting for " + base + " to answer " + what + ": " + reason
                    + (idempotent ? "" : " (the write may or may not have been applied)"), e);
        }
        return new ChromaConnectionException("Connection to " + base + " failed during " + what + ": " + reason
                + (idempotent ? "" : " (the write may or may not have been applied; writes are not retried)"), e);
    }
}
