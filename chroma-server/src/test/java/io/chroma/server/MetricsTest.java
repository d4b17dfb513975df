package io.chroma.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.server.auth.AuthProvider;
import io.chroma.server.auth.AuthSettings;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** GET /metrics over real HTTP: request counters by route template, collection gauges, JVM metrics, auth. */
class MetricsTest {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";
    static final String COLLECTION_ROUTE = "/api/v2/tenants/{tenant}/databases/{database}/collections/{id}";

    static ChromaServer server;
    static Wire w;

    @BeforeAll
    static void start() {
        server = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0));
        w = new Wire(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Scraped scrape(Wire wire) {
        return scrape(wire, null);
    }

    static Scraped scrape(Wire wire, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(wire.uri("/metrics")).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        Wire.Reply r = wire.send(b);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain").contains("version=0.0.4");
        return Scraped.parse(r.text());
    }

    static double count(Scraped s, String method, String uri, int status) {
        return s.value("http_server_requests_seconds_count", "method", method, "uri", uri,
                "status", Integer.toString(status)).orElse(0);
    }

    static String create(String name) {
        Wire.Reply r = w.post(DB + "/collections", "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    @Test
    void requestsAreCountedByRouteTemplateMethodAndStatusNeverByRawPath() {
        String id = create("metrics-routes");
        Scraped before = scrape(w);
        String query = COLLECTION_ROUTE + "/query";
        String add = COLLECTION_ROUTE + "/add";

        assertThat(w.post(DB + "/collections/" + id + "/add",
                "{\"ids\":[\"a\",\"b\",\"c\"],\"embeddings\":[[1,0],[0,1],[1,1]]}").status()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            Wire.Reply q = w.post(DB + "/collections/" + id + "/query", "{\"query_embeddings\":[[1,0]],\"n_results\":2}");
            assertThat(q.status()).as(q.toString()).isEqualTo(200);
        }
        // a client error on the same route, and a path no route matches
        assertThat(w.post(DB + "/collections/" + id + "/query", "{\"query_embeddings\":[[1,0,0]]}").status())
                .isEqualTo(400);
        assertThat(w.get("/no/such/route/" + id).status()).isEqualTo(404);

        Scraped after = scrape(w);
        assertThat(count(after, "POST", query, 200) - count(before, "POST", query, 200)).isEqualTo(3);
        assertThat(count(after, "POST", query, 400) - count(before, "POST", query, 400)).isEqualTo(1);
        assertThat(count(after, "POST", add, 201) - count(before, "POST", add, 201)).isEqualTo(1);
        assertThat(count(after, "GET", "NOT_FOUND", 404) - count(before, "GET", "NOT_FOUND", 404)).isEqualTo(1);
        assertThat(after.value("http_server_requests_seconds_count", "uri", query, "status", "400").orElseThrow())
                .isPositive();
        assertThat(after.find("http_server_requests_seconds_count", "uri", query, "status", "400").get(0).labels())
                .containsEntry("outcome", "CLIENT_ERROR").containsEntry("method", "POST");
        // a latency histogram: cumulative buckets up to +Inf equal to the count, and a sum
        List<Scraped.Sample> buckets = after.find("http_server_requests_seconds_bucket", "uri", query, "status", "200");
        assertThat(buckets).hasSizeGreaterThan(5);
        assertThat(after.value("http_server_requests_seconds_bucket", "uri", query, "status", "200", "le", "+Inf")
                .orElseThrow()).isEqualTo(count(after, "POST", query, 200));
        assertThat(after.value("http_server_requests_seconds_sum", "method", "POST", "uri", query, "status", "200")
                .orElseThrow()).isPositive();
        // the previous scrape is itself counted under its route
        assertThat(count(after, "GET", "/metrics", 200)).isGreaterThanOrEqualTo(1);

        // no raw ids, tenant names or unmatched paths in any route label
        assertThat(after.text()).doesNotContain(id).doesNotContain("/no/such/route");
        assertThat(after.samples()).filteredOn(s -> s.labels().containsKey("uri"))
                .allSatisfy(s -> assertThat(s.labels().get("uri"))
                        .satisfiesAnyOf(u -> assertThat(u).isIn("NOT_FOUND", "UNMATCHED", "/metrics"),
                                u -> assertThat(u).startsWith("/api/v").doesNotContain("default_tenant")));
    }

    @Test
    void recordsPerCollectionFollowAddsAndDeletes() {
        String id = create("metrics-gauge");
        String[] tags = {"tenant", "default_tenant", "database", "default_database", "collection", "metrics-gauge"};
        assertThat(scrape(w).value("chroma_collection_records", tags)).hasValue(0);

        assertThat(w.post(DB + "/collections/" + id + "/add",
                "{\"ids\":[\"a\",\"b\",\"c\",\"d\"],\"embeddings\":[[1,0],[0,1],[1,1],[2,2]]}").status()).isEqualTo(201);
        assertThat(w.post(DB + "/collections/" + id + "/upsert",
                "{\"ids\":[\"e\"],\"embeddings\":[[3,3]]}").status()).isBetween(200, 201);
        Scraped added = scrape(w);
        assertThat(added.value("chroma_collection_records", tags)).hasValue(5);
        // the first write built and committed the index; the upsert is in the write log only
        assertThat(added.value("chroma_collection_index_lag_operations", tags)).hasValue(1);
        assertThat(added.value("chroma_collections").orElseThrow()).isGreaterThanOrEqualTo(1);

        assertThat(w.post(DB + "/collections/" + id + "/delete", "{\"ids\":[\"a\",\"b\"]}").status()).isEqualTo(200);
        Scraped deleted = scrape(w);
        assertThat(deleted.value("chroma_collection_records", tags)).hasValue(3);
        assertThat(deleted.value("chroma_collection_index_lag_operations", tags)).hasValue(2);

        double collections = deleted.value("chroma_collections").orElseThrow();
        assertThat(w.delete(DB + "/collections/metrics-gauge").status()).isEqualTo(200);
        Scraped dropped = scrape(w);
        assertThat(dropped.value("chroma_collection_records", tags)).isEmpty();
        assertThat(dropped.value("chroma_collections")).hasValue(collections - 1);
    }

    @Test
    void jvmAndProcessMetricsArePresent() {
        Scraped s = scrape(w);
        assertThat(s.find("jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
        assertThat(s.value("jvm_threads_live_threads").orElseThrow()).isPositive();
        assertThat(s.has("jvm_gc_memory_allocated_bytes_total") || s.has("jvm_gc_max_data_size_bytes")).isTrue();
        assertThat(s.has("jvm_classes_loaded_classes")).isTrue();
        assertThat(s.has("process_uptime_seconds")).isTrue();
        assertThat(s.has("process_cpu_usage") || s.has("system_cpu_count")).isTrue();
    }

    @Test
    void openMetricsWhenAsked() {
        Wire.Reply r = w.send(HttpRequest.newBuilder(w.uri("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").GET());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/openmetrics-text");
        assertThat(r.text()).contains("# EOF");
    }

    /** With auth on, /metrics needs an unrestricted user unless the server was started with public metrics. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithAuth {
        ChromaServer secured;
        ChromaServer open;

        @BeforeAll
        void start() {
            AuthSettings token = AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentials("""
                    users:
                      - id: admin
                        tokens: [test-token]
                      - id: acme
                        tenant: acme
                        databases: [prod]
                        tokens: [acme-token]
                    """);
            secured = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0).withAuth(token));
            open = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0).withAuth(token)
                    .withMetricsPublic(true));
        }

        @AfterAll
        void stop() {
            secured.close();
            open.close();
        }

        @Test
        void securedByDefaultOpenWithTheFlag() {
            Wire s = new Wire(secured.url());
            assertThat(s.get("/metrics").status()).isEqualTo(401);
            Wire.Reply withToken = s.send(HttpRequest.newBuilder(s.uri("/metrics"))
                    .header("Authorization", "Bearer test-token").GET());
            assertThat(withToken.status()).isEqualTo(200);
            // a tenant-scoped user must not see other tenants' collection names
            assertThat(s.send(HttpRequest.newBuilder(s.uri("/metrics")).header("Authorization", "Bearer acme-token")
                    .GET()).status()).isEqualTo(403);
            // the denied scrape was counted too, under its route
            assertThat(count(Scraped.parse(withToken.text()), "GET", "/metrics", 401)).isEqualTo(1);
            assertThat(count(scrape(s, "Bearer test-token"), "GET", "/metrics", 403)).isEqualTo(1);

            Wire o = new Wire(open.url());
            assertThat(o.get("/metrics").status()).isEqualTo(200);
            // only the scrape route is opened: the API still needs the token
            assertThat(o.get(DB + "/collections").status()).isEqualTo(401);
            Scraped scraped = scrape(o);
            assertThat(count(scraped, "GET", "/api/v2/tenants/{tenant}/databases/{database}/collections", 401))
                    .isEqualTo(1);
        }
    }
}
