package io.chroma.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chroma.api.AlreadyExistsException;
import io.chroma.api.AuthenticationException;
import io.chroma.api.BatchSizeExceededException;
import io.chroma.api.ChromaClient;
import io.chroma.api.ChromaConnectionException;
import io.chroma.api.ChromaException;
import io.chroma.api.ChromaServerException;
import io.chroma.api.Collection;
import io.chroma.api.CreateCollection;
import io.chroma.api.Delete;
import io.chroma.api.DimensionMismatchException;
import io.chroma.api.ForbiddenException;
import io.chroma.api.Get;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.NotFoundException;
import io.chroma.api.Query;
import io.chroma.api.Records;
import io.chroma.api.ResetNotAllowedException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wire behaviour that needs a scripted server: headers, error mapping, retries, pre-flight
 * caching, base64, URLs, close. Every test checks what actually reached the server.
 */
class HttpClientMockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ID = UUID.fromString("e0d5f8f3-988b-40c2-a8a2-bdcc41a77f55");
    private static final String COLLECTION = """
            {"id":"%s","name":"coll","configuration_json":{"hnsw":{"space":"l2","ef_construction":100,
             "ef_search":100,"max_neighbors":16,"resize_factor":1.2,"sync_threshold":1000},"spann":null,
             "embedding_function":%s},"schema":null,"metadata":{"k":1},"dimension":null,
             "tenant":"default_tenant","database":"default_database","log_position":0,"version":0}""";

    private MockWebServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        client = builder().build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private HttpClient.Builder builder() {
        return HttpClient.builder().url(server.url("/").toString());
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse ok(String body) {
        return json(200, body);
    }

    /** The server reads the request, then drops the connection without answering. */
    private static MockResponse dropped() {
        return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
    }

    private static String collectionJson(String ef) {
        return COLLECTION.formatted(ID, ef);
    }

    private Collection collection() throws Exception {
        server.enqueue(ok(collectionJson("null")));
        Collection c = client.getCollection("coll");
        server.takeRequest();
        return c;
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("request reached the server").isNotNull();
        return r;
    }

    private static JsonNode body(RecordedRequest r) throws Exception {
        return JSON.readTree(r.getBody().utf8());
    }

    // ------------------------------------------------------------------ headers and URLs

    @Test
    void basicAuthIsSentOnEveryRequest() throws Exception {
        try (HttpClient c = builder().basicAuth("admin", "s3cret").build()) {
            server.enqueue(ok("{\"nanosecond heartbeat\":1}"));
            server.enqueue(ok("\"1.0.0\""));
            c.heartbeat();
            c.version();
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes());
        assertThat(take().getHeaders().get("Authorization")).isEqualTo(expected);
        assertThat(take().getHeaders().get("Authorization")).isEqualTo(expected);
    }

    @Test
    void tokenAuthAsBearerOrXChromaToken() throws Exception {
        try (HttpClient bearer = builder().tokenAuth("t0k").build();
             HttpClient x = builder().tokenAuth("t0k", TokenHeader.X_CHROMA_TOKEN).build()) {
            server.enqueue(ok("{\"nanosecond heartbeat\":1}"));
            server.enqueue(ok("{\"nanosecond heartbeat\":1}"));
            bearer.heartbeat();
            x.heartbeat();
        }
        RecordedRequest b = take();
        assertThat(b.getHeaders().get("Authorization")).isEqualTo("Bearer t0k");
        assertThat(b.getHeaders().get("X-Chroma-Token")).isNull();
        RecordedRequest xr = take();
        assertThat(xr.getHeaders().get("X-Chroma-Token")).isEqualTo("t0k");
        assertThat(xr.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void extraHeadersUserAgentAndJsonContentType() throws Exception {
        try (HttpClient c = builder().header("X-Team", "blue").headers(Map.of("X-Other", "1")).build()) {
            server.enqueue(ok("{}"));
            c.createTenant("acme");
        }
        RecordedRequest r = take();
        assertThat(r.getHeaders().get("X-Team")).isEqualTo("blue");
        assertThat(r.getHeaders().get("X-Other")).isEqualTo("1");
        assertThat(r.getHeaders().get("User-Agent")).contains("Chroma Java Client");
        assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/api/v2/tenants");
        assertThat(body(r).get("name").asText()).isEqualTo("acme");
    }

    @Test
    void anExplicitAuthorizationHeaderAndAuthConflict() {
        assertThatThrownBy(() -> builder().header("authorization", "x").tokenAuth("t").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use one");
    }

    @Test
    void urlWithPathPrefixAndApiSuffix() throws Exception {
        try (HttpClient c = HttpClient.builder().url(server.url("/chroma/api/v2").toString()).build()) {
            server.enqueue(ok("{\"nanosecond heartbeat\":42}"));
            assertThat(c.heartbeat()).isEqualTo(42L);
        }
        assertThat(take().getTarget()).isEqualTo("/chroma/api/v2/heartbeat");
    }

    @Test
    void builderIsImmutableAndHostPortSslMakeTheUrl() {
        HttpClient.Builder base = HttpClient.builder().host("db.example.com");
        HttpClient.Builder tls = base.ssl(true).port(8443);
        try (HttpClient a = base.build(); HttpClient b = tls.build();
             HttpClient c = HttpClient.builder().host("https://h.example.com:9000").build()) {
            assertThat(a.url()).isEqualTo("http://db.example.com:8000/");
            assertThat(b.url()).isEqualTo("https://db.example.com:8443/");
            assertThat(c.url()).isEqualTo("https://h.example.com:9000/");
        }
        try (HttpClient fromUrl = HttpClient.builder().url("https://h.example.com/chroma/api/v2/").port(9000).build()) {
            assertThat(fromUrl.url()).as("port() after url() changes only the port").isEqualTo("https://h.example.com:9000/chroma");
        }
        try (HttpClient unchanged = base.build()) {
            assertThat(unchanged.url()).as("deriving did not change the template").isEqualTo("http://db.example.com:8000/");
        }
        assertThatThrownBy(() -> HttpClient.builder().url("localhost:8000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid URL");
        assertThatThrownBy(() -> HttpClient.builder().port(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tenantAndDatabaseGoIntoThePathEncoded() throws Exception {
        try (HttpClient c = builder().tenant("my tenant").database("db/x").build()) {
            server.enqueue(ok("3"));
            assertThat(c.countCollections()).isEqualTo(3);
        }
        assertThat(take().getTarget())
                .isEqualTo("/api/v2/tenants/my%20tenant/databases/db%2Fx/collections_count");
    }

    // ------------------------------------------------------------------ error mapping

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(400, "{\"error\":\"InvalidArgumentError\",\"message\":\"Invalid where clause\"}",
                        InvalidArgumentException.class, "Invalid where clause"),
                Arguments.of(400, "{\"error\":\"InvalidArgumentError\",\"message\":\"Collection expecting embedding with dimension of 3, got 2\"}",
                        DimensionMismatchException.class, "Collection expecting embedding with dimension of 3, got 2"),
                Arguments.of(400, "{\"error\":\"InvalidDimension\",\"message\":\"Embedding dimension 2 does not match collection dimensionality 3\"}",
                        InvalidArgumentException.class, "Embedding dimension 2 does not match collection dimensionality 3"),
                Arguments.of(401, "{\"error\":\"AuthorizationError\",\"message\":\"Unauthorized\"}",
                        AuthenticationException.class, "Unauthorized"),
                Arguments.of(403, "{\"error\":\"AuthError\",\"message\":\"Forbidden\"}",
                        ForbiddenException.class, "Forbidden"),
                Arguments.of(404, "{\"error\":\"NotFoundError\",\"message\":\"Collection [x] does not exist\"}",
                        NotFoundException.class, "Collection [x] does not exist"),
                Arguments.of(409, "{\"error\":\"ChromaError\",\"message\":\"Collection [x] already exists\"}",
                        AlreadyExistsException.class, "Collection [x] already exists"),
                Arguments.of(413, "{\"error\":\"BatchSizeExceededError\",\"message\":\"Batch size 9 exceeds maximum batch size 5\"}",
                        BatchSizeExceededException.class, "Batch size 9 exceeds maximum batch size 5"),
                Arguments.of(422, "{\"error\":\"ChromaError\",\"message\":\"Failed to deserialize the JSON body\"}",
                        InvalidArgumentException.class, "Failed to deserialize the JSON body"),
                Arguments.of(500, "{\"error\":\"InternalError\",\"message\":\"Database error: disk full\"}",
                        ChromaServerException.class, "Database error: disk full"),
                // 0.x servers: python repr in "error", no message
                Arguments.of(500, "{\"error\":\"ValueError('Collection x does not exist.')\"}",
                        ChromaServerException.class, "Collection x does not exist."),
                // FastAPI shape
                Arguments.of(500, "{\"detail\":\"Embedding dimension 2 does not match collection dimensionality 3\"}",
                        ChromaServerException.class, "Embedding dimension 2 does not match collection dimensionality 3"),
                Arguments.of(502, "<html>Bad gateway</html>",
                        ChromaServerException.class, "HTTP 502 from GET /api/v2/heartbeat: <html>Bad gateway</html>"),
                Arguments.of(404, "",
                        NotFoundException.class, "HTTP 404 from GET /api/v2/heartbeat"),
                Arguments.of(301, "",
                        ChromaServerException.class, "HTTP 301 from GET /api/v2/heartbeat"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("errors")
    void errorsBecomeTypedExceptionsWithTheServersMessage(int status, String body,
                                                          Class<? extends ChromaException> type, String message) {
        server.enqueue(json(status, body));
        assertThatThrownBy(client::heartbeat).isExactlyInstanceOf(type).hasMessage(message);
    }

    @Test
    void serverErrorsCarryStatusAndName() {
        server.enqueue(json(503, "{\"error\":\"ChromaError\",\"message\":\"busy\"}"));
        assertThatThrownBy(client::heartbeat).isInstanceOfSatisfying(ChromaServerException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.errorName()).isEqualTo("ChromaError");
        });
    }

    @Test
    void malformedSuccessAnswersAreServerErrorsAndNotRetried() throws Exception {
        server.enqueue(ok("<html>proxy page</html>"));
        assertThatThrownBy(client::heartbeat).isInstanceOf(ChromaServerException.class)
                .hasMessageContaining("GET /api/v2/heartbeat");
        server.enqueue(ok("{}"));
        assertThatThrownBy(client::countCollections).isInstanceOf(ChromaServerException.class)
                .hasMessageContaining("expected an integer");
        server.enqueue(ok(COLLECTION.formatted("not-a-uuid", "null")));
        assertThatThrownBy(() -> client.getCollection("coll")).isInstanceOf(ChromaServerException.class)
                .hasMessageContaining("Unexpected answer");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void resetRefusalIsResetNotAllowed() {
        server.enqueue(json(403, "{\"error\":\"ChromaError\",\"message\":\"Reset is disabled by config\"}"));
        assertThatThrownBy(client::reset).isInstanceOf(ResetNotAllowedException.class)
                .hasMessage("Reset is disabled by config");
        // the 0.x wording, as a 400
        server.enqueue(json(400, "{\"error\":\"InvalidArgumentError\",\"message\":\"" + ResetNotAllowedException.MESSAGE + "\"}"));
        assertThatThrownBy(client::reset).isInstanceOf(ResetNotAllowedException.class)
                .hasMessage(ResetNotAllowedException.MESSAGE);
    }

    @Test
    void serverThatIsDownGivesOneClearConnectionError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (HttpClient down = HttpClient.builder().host("localhost").port(port).build()) {
            assertThatThrownBy(down::heartbeat).isInstanceOf(ChromaConnectionException.class)
                    .hasMessageStartingWith("Cannot connect to http://localhost:" + port + "/: ");
            assertThatThrownBy(() -> down.createCollection("abc")).isInstanceOf(ChromaConnectionException.class)
                    .hasMessageStartingWith("Cannot connect to http://localhost:" + port + "/: ");
        }
    }

    // ------------------------------------------------------------------ retries

    @Test
    void getRequestsAreRetriedOnceAfterADroppedConnection() {
        server.enqueue(dropped());
        server.enqueue(ok("{\"nanosecond heartbeat\":7}"));
        assertThat(client.heartbeat()).isEqualTo(7L);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void readsAreRetriedOnlyOnce() {
        server.enqueue(dropped());
        server.enqueue(dropped());
        server.enqueue(ok("{\"nanosecond heartbeat\":7}"));
        assertThatThrownBy(client::heartbeat).isInstanceOf(ChromaConnectionException.class)
                .hasMessageContaining("failed during GET /api/v2/heartbeat");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void getQueryAndCountPostsAreRetried() throws Exception {
        Collection c = collection();
        int before = server.getRequestCount();
        server.enqueue(dropped());
        server.enqueue(ok("{\"ids\":[\"a\"],\"embeddings\":null,\"documents\":[\"d\"],\"uris\":null,"
                + "\"metadatas\":[{\"n\":1,\"f\":2.0}],\"include\":[\"documents\",\"metadatas\"]}"));
        var got = c.get(Get.all());
        assertThat(got.ids()).containsExactly("a");
        assertThat(got.metadatas().get(0)).containsEntry("n", 1L).containsEntry("f", 2.0);

        server.enqueue(dropped());
        server.enqueue(ok("{\"ids\":[[\"a\"]],\"distances\":[[0.5]],\"documents\":null,\"metadatas\":null,"
                + "\"embeddings\":null,\"uris\":null,\"include\":[\"distances\"]}"));
        var q = c.query(Query.embeddings(new float[]{1, 2}).include(io.chroma.api.Include.DISTANCES));
        assertThat(q.distances()).containsExactly(List.of(0.5f));

        server.enqueue(dropped());
        server.enqueue(ok("5"));
        assertThat(c.count()).isEqualTo(5);
        assertThat(server.getRequestCount() - before).isEqualTo(6);
    }

    @Test
    void writesAreNeverRetried() throws Exception {
        Collection c = collection();
        server.enqueue(ok("{\"max_batch_size\":100,\"supports_base64_encoding\":false}"));
        int before = server.getRequestCount();
        for (Consumer<Collection> write : List.<Consumer<Collection>>of(
                x -> x.add(Records.ids("a").embeddings(new float[]{1})),
                x -> x.upsert(Records.ids("a").embeddings(new float[]{1})),
                x -> x.update(Records.ids("a").embeddings(new float[]{1})),
                x -> x.delete(Delete.ids("a")))) {
            server.enqueue(dropped());
            server.enqueue(ok("{\"nanosecond heartbeat\":1}")); // a (wrong) retry would take this as success
            assertThatThrownBy(() -> write.accept(c)).isInstanceOf(ChromaConnectionException.class)
                    .hasMessageContaining("writes are not retried");
            // a retry would have consumed the spare 201; since none happened, drain it before the next write
            client.heartbeat();
        }
        // pre-flight once + per write: the dropped attempt and our draining heartbeat
        assertThat(server.getRequestCount() - before).isEqualTo(1 + 4 * 2);
    }

    @Test
    void timeoutsAreNotRetried() throws Exception {
        try (HttpClient slow = builder().readTimeout(Duration.ofMillis(200)).build()) {
            server.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).body("{}").build());
            assertThatThrownBy(slow::heartbeat).isInstanceOf(ChromaConnectionException.class)
                    .hasMessageStartingWith("Timed out waiting for");
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ pre-flight, batches, base64

    @Test
    void preFlightIsFetchedOnceAndBase64IsUsedWhenSupported() throws Exception {
        Collection c = collection();
        server.enqueue(ok("{\"max_batch_size\":100,\"supports_base64_encoding\":true}"));
        server.enqueue(json(201, "{}"));
        server.enqueue(json(201, "{}"));
        float[] v = {0.5f, -1.25f, 3e-8f};
        c.add(Records.ids("a").embeddings(v));
        c.add(Records.ids("b").embeddings(v));
        assertThat(take().getTarget()).isEqualTo("/api/v2/pre-flight-checks");
        RecordedRequest add = take();
        assertThat(add.getTarget()).isEqualTo("/api/v2/tenants/default_tenant/databases/default_database/collections/"
                + ID + "/add");
        JsonNode body = body(add);
        String b64 = body.get("embeddings").get(0).asText();
        float[] decoded = new float[3];
        ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
        assertThat(decoded).containsExactly(v);
        assertThat(take().getTarget()).endsWith("/add");
        assertThat(server.getRequestCount()).isEqualTo(4); // get collection, pre-flight, add, add
        assertThat(client.maxBatchSize()).isEqualTo(100);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void floatArraysWhenTheServerHasNoBase64() throws Exception {
        Collection c = collection();
        server.enqueue(ok("{\"max_batch_size\":100}"));
        server.enqueue(json(201, "{}"));
        c.add(Records.ids("a").embeddings(new float[]{0.1f, 2f}).documents("d").metadatas(Map.of("k", 1)));
        take();
        JsonNode body = body(take());
        assertThat(body.get("embeddings").toString()).isEqualTo("[[0.1,2.0]]");
        assertThat(body.get("documents").toString()).isEqualTo("[\"d\"]");
        assertThat(body.get("metadatas").toString()).isEqualTo("[{\"k\":1}]");
        assertThat(body.has("uris")).isFalse();
    }

    @Test
    void batchesOverTheLimitAreRefusedWithoutSendingThem() throws Exception {
        Collection c = collection();
        server.enqueue(ok("{\"max_batch_size\":2,\"supports_base64_encoding\":true}"));
        assertThatThrownBy(() -> c.upsert(Records.ids("a", "b", "c")
                .embeddings(new float[]{1}, new float[]{2}, new float[]{3})))
                .isInstanceOf(BatchSizeExceededException.class)
                .hasMessage("Batch size 3 exceeds maximum batch size 2");
        assertThat(take().getTarget()).isEqualTo("/api/v2/pre-flight-checks");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ collections and embedding functions

    @Test
    void createSendsTheEmbeddingFunctionDescriptorAndNothingWithoutOne() throws Exception {
        server.enqueue(ok(collectionJson("{\"type\":\"known\",\"name\":\"test-letters\",\"config\":{\"dims\":4}}")));
        Collection c = client.createCollection(CreateCollection.named("coll").metadata(Map.of("k", 1))
                .embeddingFunction(new HashEmbeddingFunction(4)));
        JsonNode body = body(take());
        assertThat(body.get("name").asText()).isEqualTo("coll");
        assertThat(body.get("get_or_create").asBoolean()).isFalse();
        assertThat(body.get("metadata").toString()).isEqualTo("{\"k\":1}");
        assertThat(body.get("configuration").get("embedding_function").toString())
                .isEqualTo("{\"type\":\"known\",\"name\":\"test-letters\",\"config\":{\"dims\":4}}");
        assertThat(c.embeddingFunction()).isInstanceOf(HashEmbeddingFunction.class);

        server.enqueue(ok(collectionJson("null")));
        client.getOrCreateCollection("coll");
        JsonNode plain = body(take());
        assertThat(plain.has("configuration")).isFalse();
        assertThat(plain.get("get_or_create").asBoolean()).isTrue();
    }

    @Test
    void theFunctionsDefaultSpaceAppliesWhenNoneIsChosen() throws Exception {
        io.chroma.api.EmbeddingFunction cosine = new io.chroma.api.EmbeddingFunction() {
            @Override
            public List<float[]> embed(List<String> texts) {
                return texts.stream().map(t -> new float[]{t.length()}).toList();
            }

            @Override
            public io.chroma.api.Space defaultSpace() {
                return io.chroma.api.Space.COSINE;
            }
        };
        server.enqueue(ok(collectionJson("null")));
        client.createCollection(CreateCollection.named("coll").embeddingFunction(cosine));
        assertThat(body(take()).get("configuration").get("hnsw").toString()).isEqualTo("{\"space\":\"cosine\"}");

        server.enqueue(ok(collectionJson("null")));
        client.createCollection(CreateCollection.named("coll").embeddingFunction(cosine).metadata(Map.of("hnsw:space", "ip")));
        JsonNode legacy = body(take());
        assertThat(legacy.get("configuration").has("hnsw")).as("hnsw:space in metadata was chosen").isFalse();
        assertThat(legacy.get("metadata").get("hnsw:space").asText()).isEqualTo("ip");
    }

    @Test
    void getRebuildsTheRecordedFunctionOrUsesTheGivenOne() throws Exception {
        server.enqueue(ok(collectionJson("{\"type\":\"known\",\"name\":\"test-letters\",\"config\":{\"dims\":5}}")));
        Collection rebuilt = client.getCollection("coll");
        assertThat(rebuilt.embeddingFunction()).isInstanceOf(HashEmbeddingFunction.class);
        assertThat(rebuilt.embeddingFunction().embed(List.of("x")).get(0)).hasSize(5);

        server.enqueue(ok(collectionJson("{\"type\":\"known\",\"name\":\"default\",\"config\":{}}")));
        assertThat(client.getCollection("coll").embeddingFunction()).as("no factory for 'default' here").isNull();

        HashEmbeddingFunction mine = new HashEmbeddingFunction(3);
        server.enqueue(ok(collectionJson("{\"type\":\"known\",\"name\":\"default\",\"config\":{}}")));
        assertThat(client.getCollection("coll", mine).embeddingFunction()).isSameAs(mine);
    }

    @Test
    void queryTextsAreEmbeddedClientSide() throws Exception {
        server.enqueue(ok(collectionJson("{\"type\":\"known\",\"name\":\"test-letters\",\"config\":{\"dims\":4}}")));
        Collection c = client.getCollection("coll");
        take();
        server.enqueue(ok("{\"ids\":[[]],\"distances\":[[]],\"documents\":[[]],\"metadatas\":[[]],"
                + "\"include\":[\"documents\",\"metadatas\",\"distances\"]}"));
        c.query(Query.texts("abcd").nResults(3));
        JsonNode body = body(take());
        assertThat(body.get("query_embeddings").size()).isEqualTo(1);
        assertThat(body.get("query_embeddings").get(0).size()).isEqualTo(4);
        assertThat(body.get("n_results").asInt()).isEqualTo(3);
        assertThat(body.get("include").toString()).isEqualTo("[\"documents\",\"metadatas\",\"distances\"]");
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeIsIdempotentAndViewsShareThePool() {
        HttpClient root = builder().build();
        ChromaClient view = root.withDatabase("t1x", "d1x");
        root.close();
        root.close();
        assertThatThrownBy(root::heartbeat).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        server.enqueue(ok("{\"nanosecond heartbeat\":3}"));
        assertThat(view.heartbeat()).as("a view outlives the root until it is closed").isEqualTo(3L);
        view.close();
        view.close();
        assertThatThrownBy(view::heartbeat).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> root.withDatabase("a", "b")).isInstanceOf(IllegalStateException.class);
    }
}
