package io.chroma.client;

import io.chroma.api.ChromaClient;
import io.chroma.api.ChromaServerException;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.Database;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Tenant;
import io.chroma.api.internal.EmbeddingFunctions;
import io.chroma.api.internal.Values;
import io.chroma.client.internal.ClientConfig;
import io.chroma.client.internal.CollectionInfo;
import io.chroma.client.internal.HttpCollection;
import io.chroma.client.internal.Json;
import io.chroma.client.internal.Transport;
import okhttp3.Credentials;
import okhttp3.HttpUrl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link ChromaClient} that talks to a Chroma server over its HTTP API ({@code /api/v2}), with
 * the same contract as the embedded clients.
 *
 * <pre>{@code
 * try (ChromaClient client = HttpClient.builder().host("localhost").port(8000).build()) {
 *     Collection c = client.getOrCreateCollection("docs");
 *     c.add(Records.ids("a").embeddings(new float[]{1, 2, 3}));
 * }
 * }</pre>
 *
 * <p>Behaviour worth knowing:
 * <ul>
 *   <li>Building makes no request. The server's {@code pre-flight-checks} (batch limit, base64
 *       support) are fetched once, on the first write or {@link #maxBatchSize()}.</li>
 *   <li>A batch larger than the server's {@code max_batch_size} is <b>refused</b> with
 *       {@link io.chroma.api.BatchSizeExceededException} ("Batch size N exceeds maximum batch size M"),
 *       as Chroma's Python client does; it is never split, because a split batch is no longer atomic.</li>
 *   <li>Embeddings go as base64 little-endian float32 when the server supports it.</li>
 *   <li>There is no default embedding function: documents without embeddings need one
 *       ({@link CreateCollection#embeddingFunction} or {@link #getCollection(String, EmbeddingFunction)}).
 *       Query texts are embedded here, with the collection's function.</li>
 *   <li>Errors arrive as the typed exceptions of {@code io.chroma.api} with the server's message; an
 *       unreachable server is one {@link io.chroma.api.ChromaConnectionException}
 *       ("Cannot connect to http://host:port/: ...").</li>
 *   <li>Reads (GET, and the get/query POSTs) are resent once after a dropped connection; writes
 *       never are, since the first copy may have been applied.</li>
 *   <li>{@link Collection#delete} returns the server's {@code deleted} count, or -1 when the
 *       server does not report one (Chroma before 1.5.3).</li>
 *   <li>Thread-safe. One connection pool per built client, shared with the views
 *       {@link #withDatabase} returns; it is released when the client and all its views are closed.</li>
 * </ul>
 */
public final class HttpClient implements ChromaClient {
    private final Transport transport;
    private final String tenant;
    private final String database;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpClient(Transport transport, String tenant, String database) {
        this.transport = transport;
        this.tenant = tenant;
        this.database = database;
    }

    public static Builder builder() {
        return Builder.DEFAULT;
    }

    /** The base URL requests go to (before {@code /api/v2}). */
    public String url() {
        return transport.config().baseUrl().toString();
    }

    // ------------------------------------------------------------------ system

    @Override
    public long heartbeat() {
        return call("GET", transport.url("heartbeat").build(), null, true, in -> {
            Map<String, Object> answer = Json.object(Json.read(in));
            Object n = answer == null ? null : answer.get("nanosecond heartbeat");
            if (n instanceof Number num) {
                return num.longValue();
            }
            throw new ChromaServerException("ChromaError", "Unexpected heartbeat answer: " + answer, 200);
        });
    }

    @Override
    public String version() {
        return call("GET", transport.url("version").build(), null, true, in -> Json.string(Json.read(in)));
    }

    @Override
    public void reset() {
        call("POST", transport.url("reset").build(), null, false, in -> null);
    }

    @Override
    public int maxBatchSize() {
        checkOpen();
        return transport.preFlight().maxBatchSize();
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public String database() {
        return database;
    }

    /** A client on the same server and connection pool, bound to another tenant and database. Close it too. */
    @Override
    public ChromaClient withDatabase(String tenant, String database) {
        checkOpen();
        requireName(tenant, "tenant");
        requireName(database, "database");
        transport.acquire();
        return new HttpClient(transport, tenant, database);
    }

    // ------------------------------------------------------------------ tenants and databases

    @Override
    public Tenant createTenant(String name) {
        requireName(name, "tenant");
        call("POST", transport.url("tenants").build(), Json.writeValue(Map.of("name", name)), false, in -> null);
        return new Tenant(name);
    }

    @Override
    public Tenant getTenant(String name) {
        requireName(name, "tenant");
        return call("GET", transport.url("tenants", name).build(), null, true,
                in -> {
                    Map<String, Object> answer = Json.object(Json.read(in));
                    Object n = answer == null ? null : answer.get("name");
                    return new Tenant(n instanceof String s ? s : name);
                });
    }

    /** Creates the database and returns it as the server then reports it (with its id). */
    @Override
    public Database createDatabase(String tenant, String name) {
        requireName(tenant, "tenant");
        requireName(name, "database");
        call("POST", transport.url("tenants", tenant, "databases").build(), Json.writeValue(Map.of("name", name)),
                false, in -> null);
        return getDatabase(tenant, name);
    }

    @Override
    public Database getDatabase(String tenant, String name) {
        requireName(tenant, "tenant");
        requireName(name, "database");
        return call("GET", transport.url("tenants", tenant, "databases", name).build(), null, true,
                in -> database(Json.read(in)));
    }

    @Override
    public List<Database> listDatabases(String tenant, Integer limit, Integer offset) {
        requireName(tenant, "tenant");
        HttpUrl.Builder url = transport.url("tenants", tenant, "databases");
        page(url, limit, offset);
        return call("GET", url.build(), null, true, in -> {
            List<Database> out = new ArrayList<>();
            for (Object n : list(Json.read(in))) {
                out.add(database(n));
            }
            return List.copyOf(out);
        });
    }

    @Override
    public void deleteDatabase(String tenant, String name) {
        requireName(tenant, "tenant");
        requireName(name, "database");
        call("DELETE", transport.url("tenants", tenant, "databases", name).build(), null, false, in -> null);
    }

    private static Database database(Object json) {
        Map<String, Object> n = Json.object(json);
        if (n == null) {
            throw new ChromaServerException("ChromaError", "Unexpected database JSON from the server: " + json, 200);
        }
        String id = Json.string(n.get("id"));
        return new Database(id == null ? null : UUID.fromString(id), Json.string(n.get("name")),
                Json.string(n.get("tenant")));
    }

    private static List<?> list(Object json) {
        if (json instanceof List<?> l) {
            return l;
        }
        throw new ChromaServerException("ChromaError", "Expected a JSON list from the server, got: " + json, 200);
    }

    // ------------------------------------------------------------------ collections

    private HttpUrl.Builder collections(String... more) {
        String[] segs = new String[4 + more.length];
        segs[0] = "tenants";
        segs[1] = tenant;
        segs[2] = "databases";
        segs[3] = database;
        System.arraycopy(more, 0, segs, 4, more.length);
        return transport.url(segs);
    }

    /**
     * Creates (or with {@code getOrCreate} gets) a collection. The embedding function's descriptor
     * ({@link CollectionConfiguration#describe}) is recorded with the collection so any Chroma
     * client can rebuild it; without a function none is recorded (unlike the JS client, which
     * records its {@code default} function — this client has no default to record).
     */
    @Override
    public Collection createCollection(CreateCollection request) {
        Objects.requireNonNull(request, "request");
        if (request.name() == null) {
            throw new InvalidArgumentException("Expected a collection name, got null");
        }
        Map<String, Object> metadata = Values.collectionMetadata(request.metadata());
        EmbeddingFunction ef = request.embeddingFunction();
        CollectionConfiguration cfg = request.configuration();
        // as the embedded engine: a descriptor given in the configuration wins over describing the function
        Map<String, Object> efDescriptor = cfg != null && cfg.embeddingFunction() != null
                ? cfg.embeddingFunction() : CollectionConfiguration.describe(ef);

        HnswConfiguration hnsw = cfg == null ? HnswConfiguration.DEFAULT : cfg.hnsw();
        boolean legacySpace = metadata != null && metadata.containsKey("hnsw:space");
        // the function's preferred space applies when nobody chose one (JS 3.x and the embedded engine do the same)
        if (ef != null && hnsw.space() == null && !legacySpace && ef.defaultSpace() != null
                && ef.defaultSpace() != io.chroma.api.Space.L2) {
            hnsw = hnsw.withSpace(ef.defaultSpace());
        }
        Map<String, Object> configuration = new LinkedHashMap<>();
        if (!hnsw.equals(HnswConfiguration.DEFAULT)) {
            configuration.put("hnsw", HttpCollection.hnswFields(hnsw));
        }
        if (efDescriptor != null) {
            configuration.put("embedding_function", efDescriptor);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", request.name());
        if (!configuration.isEmpty()) {
            body.put("configuration", configuration);
        }
        if (cfg != null && cfg.schema() != null) {
            body.put("schema", cfg.schema()); // Chroma 1.x schema, e.g. sparse-vector indexes for search
        }
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        body.put("get_or_create", request.getOrCreate());
        CollectionInfo info = call("POST", collections("collections").build(), Json.writeValue(body), false,
                in -> CollectionInfo.fromJson(Json.read(in)));
        return handle(info, ef);
    }

    @Override
    public Collection getCollection(String name, EmbeddingFunction embeddingFunction) {
        requireName(name, "collection");
        CollectionInfo info = call("GET", collections("collections", name).build(), null, true,
                in -> CollectionInfo.fromJson(Json.read(in)));
        return handle(info, embeddingFunction);
    }

    @Override
    public Collection getCollectionById(UUID id) {
        Objects.requireNonNull(id, "id");
        CollectionInfo info = call("GET", collections("collections", "by-id", id.toString()).build(), null, true,
                in -> CollectionInfo.fromJson(Json.read(in)));
        return handle(info, null);
    }

    @Override
    public List<Collection> listCollections(Integer limit, Integer offset) {
        HttpUrl.Builder url = collections("collections");
        page(url, limit, offset);
        List<CollectionInfo> infos = call("GET", url.build(), null, true, in -> {
            List<CollectionInfo> out = new ArrayList<>();
            for (Object n : list(Json.read(in))) {
                out.add(CollectionInfo.fromJson(n));
            }
            return out;
        });
        List<Collection> out = new ArrayList<>(infos.size());
        for (CollectionInfo i : infos) {
            out.add(handle(i, null));
        }
        return List.copyOf(out);
    }

    @Override
    public int countCollections() {
        return call("GET", collections("collections_count").build(), null, true, Json::readInt);
    }

    @Override
    public void deleteCollection(String name) {
        requireName(name, "collection");
        call("DELETE", collections("collections", name).build(), null, false, in -> null);
    }

    /** With no function given, rebuild the one the collection recorded if a factory for it is on the class path. */
    private Collection handle(CollectionInfo info, EmbeddingFunction given) {
        EmbeddingFunction ef = given != null ? given
                : EmbeddingFunctions.rebuild(info.configuration().embeddingFunction());
        return new HttpCollection(transport, info, ef);
    }

    private static void page(HttpUrl.Builder url, Integer limit, Integer offset) {
        if (limit != null) {
            url.addQueryParameter("limit", limit.toString());
        }
        if (offset != null) {
            url.addQueryParameter("offset", offset.toString());
        }
    }

    /** Names go into URL paths: an empty one would address a different route, so refuse it here. */
    private static void requireName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("Expected a " + what + " name, got " + (name == null ? "null" : "\"\""));
        }
    }

    private <T> T call(String method, HttpUrl url, byte[] body, boolean idempotent, Transport.Reader<T> reader) {
        checkOpen();
        return transport.send(method, url, body, idempotent, reader);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("This HttpClient is closed");
        }
    }

    /** Idempotent. The connection pool goes when this client and every view from {@link #withDatabase} are closed. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            transport.release();
        }
    }

    @Override
    public String toString() {
        return "HttpClient(" + url() + ", tenant=" + tenant + ", database=" + database + ")";
    }

    // ------------------------------------------------------------------ builder

    /**
     * Settings for an {@link HttpClient}. Immutable: every method returns a new builder, so one
     * builder can serve as a template for several clients, from several threads.
     */
    public static final class Builder {
        static final Builder DEFAULT = new Builder(new Draft());

        private final boolean ssl;
        private final String host;
        private final int port;
        private final List<String> pathPrefix;
        private final Map<String, String> headers;
        private final Map.Entry<String, String> auth;
        private final String tenant;
        private final String database;
        private final Duration connectTimeout;
        private final Duration readTimeout;
        private final Duration writeTimeout;
        private final boolean base64;

        /** The mutable copy a change is made on before it becomes a new (immutable) builder. */
        private static final class Draft {
            boolean ssl = false;
            String host = "localhost";
            int port = 8000;
            List<String> pathPrefix = List.of();
            Map<String, String> headers = Map.of();
            Map.Entry<String, String> auth;
            String tenant = DEFAULT_TENANT;
            String database = DEFAULT_DATABASE;
            Duration connectTimeout = Duration.ofSeconds(10);
            Duration readTimeout = Duration.ofSeconds(60);
            Duration writeTimeout = Duration.ofSeconds(60);
            boolean base64 = true;

            Draft() {
            }

            Draft(Builder b) {
                ssl = b.ssl;
                host = b.host;
                port = b.port;
                pathPrefix = b.pathPrefix;
                headers = b.headers;
                auth = b.auth;
                tenant = b.tenant;
                database = b.database;
                connectTimeout = b.connectTimeout;
                readTimeout = b.readTimeout;
                writeTimeout = b.writeTimeout;
                base64 = b.base64;
            }
        }

        private Builder(Draft d) {
            ssl = d.ssl;
            host = d.host;
            port = d.port;
            pathPrefix = List.copyOf(d.pathPrefix);
            headers = Map.copyOf(d.headers);
            auth = d.auth;
            tenant = d.tenant;
            database = d.database;
            connectTimeout = d.connectTimeout;
            readTimeout = d.readTimeout;
            writeTimeout = d.writeTimeout;
            base64 = d.base64;
        }

        private Builder with(java.util.function.Consumer<Draft> change) {
            Draft d = new Draft(this);
            change.accept(d);
            return new Builder(d);
        }

        /**
         * The whole server address, e.g. {@code http://localhost:8000} or
         * {@code https://example.com/chroma} (a path is kept as a prefix before {@code /api/v2}; a
         * trailing {@code /api/v2} is dropped). Sets ssl, host, port and the prefix; a later
         * {@link #port} or {@link #host} changes just that part.
         */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            HttpUrl u = HttpUrl.parse(url.strip());
            if (u == null) {
                throw new IllegalArgumentException("Invalid URL: " + url + " (expected http://host:port or https://...)");
            }
            List<String> segs = new ArrayList<>(u.pathSegments());
            segs.removeIf(String::isEmpty);
            // accept a URL that already ends in the API path, as users copy it from docs and logs
            if (segs.size() >= 2 && segs.get(segs.size() - 2).equals("api")
                    && segs.get(segs.size() - 1).toLowerCase(Locale.ROOT).matches("v[12]")) {
                segs = segs.subList(0, segs.size() - 2);
            }
            List<String> prefix = List.copyOf(segs);
            return with(d -> {
                d.ssl = u.isHttps();
                d.host = u.host();
                d.port = u.port();
                d.pathPrefix = prefix;
            });
        }

        /** Host name or address (default {@code localhost}). A value with a scheme is read as a full URL. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.contains("://")) {
                return url(host);
            }
            try {
                new HttpUrl.Builder().scheme("http").host(host); // fail now, not at build()
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid host: " + host, e);
            }
            return with(d -> d.host = host);
        }

        /** Default 8000. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535, got " + port);
            }
            return with(d -> d.port = port);
        }

        /** HTTPS instead of HTTP (default false). */
        public Builder ssl(boolean ssl) {
            return with(d -> d.ssl = ssl);
        }

        /** A header sent with every request; replaces an earlier value of the same name. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            return with(d -> {
                Map<String, String> h = new LinkedHashMap<>(d.headers);
                h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
                h.put(name, value);
                d.headers = h;
            });
        }

        public Builder headers(Map<String, String> extra) {
            Builder b = this;
            for (Map.Entry<String, String> e : extra.entrySet()) {
                b = b.header(e.getKey(), e.getValue());
            }
            return b;
        }

        /** HTTP basic auth ({@code Authorization: Basic ...}). Replaces a token. */
        public Builder basicAuth(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            return with(d -> d.auth = Map.entry("Authorization", Credentials.basic(user, password)));
        }

        /** Token auth as {@code Authorization: Bearer <token>}. */
        public Builder tokenAuth(String token) {
            return tokenAuth(token, TokenHeader.AUTHORIZATION);
        }

        /** Token auth in the given header. Replaces basic auth or an earlier token. */
        public Builder tokenAuth(String token, TokenHeader header) {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(header, "header");
            Map.Entry<String, String> a = header == TokenHeader.AUTHORIZATION
                    ? Map.entry("Authorization", "Bearer " + token)
                    : Map.entry("X-Chroma-Token", token);
            return with(d -> d.auth = a);
        }

        /** Default {@code default_tenant}. */
        public Builder tenant(String tenant) {
            requireName(tenant, "tenant");
            return with(d -> d.tenant = tenant);
        }

        /** Default {@code default_database}. */
        public Builder database(String database) {
            requireName(database, "database");
            return with(d -> d.database = database);
        }

        /** Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            Duration t = nonNegative(timeout);
            return with(d -> d.connectTimeout = t);
        }

        /** Longest silence while waiting for an answer; default 60 s. Zero means no limit. */
        public Builder readTimeout(Duration timeout) {
            Duration t = nonNegative(timeout);
            return with(d -> d.readTimeout = t);
        }

        /** Default 60 s. */
        public Builder writeTimeout(Duration timeout) {
            Duration t = nonNegative(timeout);
            return with(d -> d.writeTimeout = t);
        }

        /**
         * Whether to send embeddings as base64 when the server supports it (default true). Turning
         * it off forces JSON float arrays, e.g. to read the wire traffic.
         */
        public Builder base64Embeddings(boolean enabled) {
            return with(d -> d.base64 = enabled);
        }

        /** Builds the client. Makes no request: an unreachable server shows on the first call. */
        public HttpClient build() {
            HttpUrl.Builder b = new HttpUrl.Builder().scheme(ssl ? "https" : "http").host(host).port(port);
            for (String s : pathPrefix) {
                b.addPathSegment(s);
            }
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (auth != null) {
                for (String k : h.keySet()) {
                    if (k.equalsIgnoreCase(auth.getKey())) {
                        throw new IllegalArgumentException("Both an explicit " + k
                                + " header and basicAuth/tokenAuth were given; use one");
                    }
                }
                h.put(auth.getKey(), auth.getValue());
            }
            ClientConfig config = new ClientConfig(b.build(), h, tenant, database, connectTimeout, readTimeout,
                    writeTimeout, base64);
            return new HttpClient(new Transport(config), tenant, database);
        }

        private static Duration nonNegative(Duration d) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative, got " + d);
            }
            return d;
        }
    }
}
