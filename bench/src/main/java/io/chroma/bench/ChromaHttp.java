package io.chroma.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.SocketFactory;

import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The few /api/v2 calls the benchmark makes, over OkHttp with TCP_NODELAY. Request bodies
 * are written with Jackson's streaming generator (4 MB batches of floats; a tree would double the
 * work) and can be built ahead of time so that timed calls measure the server, not the tool.
 *
 * <p>One instance = one client with its own connection(s); concurrent benchmark clients each get
 * their own instance. HTTP/1.1 (what the real clients speak). The JDK's HttpClient, used before,
 * added about 0.5 ms per request more than OkHttp after warm-up; OkHttp's default sockets keep
 * Nagle's algorithm on, which makes every POST wait ~40 ms for the server's delayed ACK, hence
 * {@link NoDelay}.
 */
public final class ChromaHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;
    private final String base;
    private final String collections;

    /** A non-2xx answer, or a body that is not what the API promises. */
    public static final class ApiException extends RuntimeException {
        public final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** A response as received: status, raw body and the round-trip time. */
    public record Response(int status, byte[] body, long nanos) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new ApiException(status, "response is not JSON: " + preview(body));
            }
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The parsed body of a successful response, or an {@link ApiException} naming the error. */
        public JsonNode okJson(String what) {
            if (!ok()) {
                throw new ApiException(status, what + " failed: HTTP " + status + " " + preview(body));
            }
            return json();
        }
    }

    public ChromaHttp(String url, String tenant, String database, Duration timeout) {
        this.http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .callTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(2, 5, TimeUnit.MINUTES))
                .socketFactory(new NoDelay())
                .build();
        String root = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.base = root + "/api/v2";
        this.collections = base + "/tenants/" + enc(tenant) + "/databases/" + enc(database) + "/collections";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---------------------------------------------------------------- raw calls

    public Response get(String url) {
        return send(new Request.Builder().url(url).get().build());
    }

    public Response post(String url, byte[] body) {
        return send(new Request.Builder().url(url).post(RequestBody.create(body, JSON_TYPE)).build());
    }

    public Response delete(String url) {
        return send(new Request.Builder().url(url).delete().build());
    }

    private Response send(Request request) {
        long t0 = System.nanoTime();
        try (okhttp3.Response r = http.newCall(request).execute()) {
            byte[] body = r.body().bytes();
            return new Response(r.code(), body, System.nanoTime() - t0);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.url() + ": " + e, e);
        }
    }

    /** Plain sockets with Nagle's algorithm off. */
    private static final class NoDelay extends SocketFactory {
        private final SocketFactory plain = SocketFactory.getDefault();

        private static Socket on(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return on(plain.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return on(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return on(plain.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return on(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return on(plain.createSocket(host, port, local, localPort));
        }
    }

    // ---------------------------------------------------------------- routes

    public String heartbeatUrl() {
        return base + "/heartbeat";
    }

    public String versionUrl() {
        return base + "/version";
    }

    public String preflightUrl() {
        return base + "/pre-flight-checks";
    }

    public String collectionsUrl() {
        return collections;
    }

    public String collectionUrl(String nameOrId) {
        return collections + "/" + enc(nameOrId);
    }

    public String recordsUrl(String collectionId, String op) {
        return collections + "/" + collectionId + "/" + op;
    }

    // ---------------------------------------------------------------- bodies

    /** Runs {@code body} against a fresh generator and returns the bytes written. */
    static byte[] write(GeneratorBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    interface GeneratorBody {
        void write(JsonGenerator g) throws IOException;
    }

    static void writeFloats(JsonGenerator g, float[] data, int offset, int len) throws IOException {
        g.writeStartArray();
        for (int d = 0; d < len; d++) {
            // Jackson prints the shortest decimal that parses back to the same float32
            g.writeNumber(data[offset + d]);
        }
        g.writeEndArray();
    }

    /** Base64 of the little-endian float32 bytes: the 1.x wire form for embeddings. */
    static String base64(float[] data, int offset, int len) {
        ByteBuffer buf = ByteBuffer.allocate(4 * len).order(ByteOrder.LITTLE_ENDIAN);
        for (int d = 0; d < len; d++) {
            buf.putFloat(data[offset + d]);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }

    /** The add body for records [from, to): ids, embeddings, metadatas and documents. */
    public static byte[] addBody(Dataset ds, int from, int to, boolean base64) {
        int dim = ds.dim();
        int size = to - from;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size * (base64 ? dim * 6 : dim * 11) + size * 120);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("ids");
            for (int i = from; i < to; i++) {
                g.writeString(Records.id(i));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("embeddings");
            for (int i = from; i < to; i++) {
                if (base64) {
                    g.writeString(base64(ds.vectors(), i * dim, dim));
                } else {
                    writeFloats(g, ds.vectors(), i * dim, dim);
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("metadatas");
            for (int i = from; i < to; i++) {
                g.writeStartObject();
                g.writeNumberField("sel10", Records.sel10(i));
                g.writeNumberField("sel1", Records.sel1(i));
                g.writeNumberField("score", Records.score(i));
                g.writeStringField("category", Records.category(i));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("documents");
            for (int i = from; i < to; i++) {
                g.writeString(Records.document(i));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A query body: the given vectors, n_results, optional where (a JSON-able map) and include.
     */
    public static byte[] queryBody(List<float[]> vectors, int k, Map<String, Object> where, List<String> include) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("query_embeddings");
            for (float[] v : vectors) {
                writeFloats(g, v, 0, v.length);
            }
            g.writeEndArray();
            g.writeNumberField("n_results", k);
            if (where != null) {
                g.writeFieldName("where");
                JSON.writeValue(g, where);
            }
            g.writeFieldName("include");
            JSON.writeValue(g, include);
            g.writeEndObject();
        });
    }

    /** Any small body (get, create collection): plain Jackson. */
    public static byte[] jsonBody(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String preview(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
