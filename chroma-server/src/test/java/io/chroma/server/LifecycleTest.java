package io.chroma.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up, restart on the same data, reset, CORS and graceful close. */
class LifecycleTest {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";

    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestart() {
        Path data = dir.resolve("data");
        String id;
        try (ChromaServer s = ChromaServer.start(ServerConfig.defaults().withPath(data).withPort(0))) {
            Wire w = new Wire(s.url());
            id = w.post(DB + "/collections", "{\"name\":\"kept\",\"metadata\":{\"m\":\"v\"}}").json().get("id").asText();
            assertThat(w.post(DB + "/collections/" + id + "/add", "{\"ids\":[\"a\",\"b\"],\"embeddings\":[[1,2],[3,4]],"
                    + "\"documents\":[\"doc a\",\"doc b\"]}").status()).isEqualTo(201);
        }
        try (ChromaServer s = ChromaServer.start(ServerConfig.defaults().withPath(data).withPort(0))) {
            Wire w = new Wire(s.url());
            var c = w.get(DB + "/collections/kept").json();
            assertThat(c.get("id").asText()).isEqualTo(id);
            assertThat(c.get("metadata").get("m").asText()).isEqualTo("v");
            assertThat(c.get("dimension").asInt()).isEqualTo(2);
            assertThat(w.get(DB + "/collections/" + id + "/count").text()).isEqualTo("2");
            var q = w.post(DB + "/collections/" + id + "/query", "{\"query_embeddings\":[[3,4]],\"n_results\":1}").json();
            assertThat(q.get("documents").get(0).get(0).asText()).isEqualTo("doc b");
            // v1 finds the collection by id alone
            assertThat(w.get("/api/v1/collections/" + id + "/count").text()).isEqualTo("2");
        }
    }

    @Test
    void aSecondServerOnTheSamePathFailsClearly() {
        Path data = dir.resolve("data");
        try (ChromaServer s = ChromaServer.start(ServerConfig.defaults().withPath(data).withPort(0))) {
            assertThat(s.port()).isPositive();
            assertThatThrownBy(() -> ChromaServer.start(ServerConfig.defaults().withPath(data).withPort(0)))
                    .isInstanceOf(io.chroma.api.StoreInUseException.class);
        }
    }

    @Test
    void resetWhenAllowed() {
        try (ChromaServer s = ChromaServer.start(new ServerConfig(dir.resolve("r"), "127.0.0.1", 0, true, List.of()))) {
            assertThat(s.url()).startsWith("http://127.0.0.1:");
            Wire w = new Wire(s.url());
            w.post(DB + "/collections", "{\"name\":\"gone-soon\"}");
            Wire.Reply r = w.post("/api/v2/reset", "");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("true");
            assertThat(w.get(DB + "/collections_count").text()).isEqualTo("0");
            assertThat(w.post("/api/v1/reset", "").text()).isEqualTo("true");
        }
    }

    @Test
    void inMemoryWhenNoPathIsGiven() {
        try (ChromaServer s = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0))) {
            Wire w = new Wire(s.url());
            assertThat(w.post(DB + "/collections", "{\"name\":\"mem\"}").status()).isEqualTo(200);
        }
    }

    @Test
    void corsWhenConfigured() {
        var cfg = ServerConfig.defaults().withPath(dir.resolve("c")).withPort(0)
                .withCorsAllowOrigins(List.of("http://app.example"));
        try (ChromaServer s = ChromaServer.start(cfg)) {
            Wire w = new Wire(s.url());
            Wire.Reply pre = w.send(HttpRequest.newBuilder(w.uri("/api/v2/heartbeat"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "http://app.example")
                    .header("Access-Control-Request-Method", "GET"));
            assertThat(pre.status()).isEqualTo(200);
            var allowed = rawHeader(s, "http://app.example");
            assertThat(allowed).isEqualTo("http://app.example");
            assertThat(rawHeader(s, "http://evil.example")).isNull();
        }
        try (ChromaServer s = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("d")).withPort(0))) {
            assertThat(rawHeader(s, "http://app.example")).isNull();
        }
    }

    private static String rawHeader(ChromaServer s, String origin) {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            java.net.URI.create(s.url() + "/api/v2/heartbeat")).header("Origin", origin).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void closeFinishesInFlightRequestsThenRefusesConnections() throws Exception {
        ChromaServer s = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("g")).withPort(0));
        Wire w = new Wire(s.url());
        String id = w.post(DB + "/collections", "{\"name\":\"busy\"}").json().get("id").asText();
        StringBuilder sb = new StringBuilder("{\"ids\":[");
        int n = 3000;
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("\"r").append(i).append('"');
        }
        sb.append("],\"embeddings\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("[").append(i).append(",1,2,3]");
        }
        sb.append("]}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Wire.Reply>> inFlight = new java.util.ArrayList<>();
            for (int k = 0; k < 4; k++) {
                String body = sb.toString().replace("\"r", "\"k" + k + "-");
                inFlight.add(pool.submit(() -> w.post(DB + "/collections/" + id + "/add", body)));
            }
            Thread.sleep(150); // let the requests reach the server
            CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
            for (Future<Wire.Reply> f : inFlight) {
                Wire.Reply r = f.get(60, TimeUnit.SECONDS);
                // every request the server accepted completes normally
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
            }
            closing.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> w.get("/api/v2/heartbeat")).isInstanceOf(java.io.UncheckedIOException.class);
        // and the store was released: the same path opens again with everything acknowledged
        try (ChromaServer again = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("g")).withPort(0))) {
            Wire w2 = new Wire(again.url());
            assertThat(w2.get(DB + "/collections/" + id + "/count").text()).isEqualTo(String.valueOf(4 * n));
        }
    }

    @Test
    void theStartUpLineKnowsHowLongAgoTheProcessStarted() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(Path.of("/proc/self/stat")), "Linux only");
        long jvmUptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        // the process started before the JVM's clock (its own creation), at 10 ms resolution
        java.util.OptionalLong age = ChromaServer.processAgeMillis();
        assertThat(age).isPresent();
        assertThat(age.getAsLong()).isBetween(jvmUptime - 50, jvmUptime + 5_000);
    }
}
