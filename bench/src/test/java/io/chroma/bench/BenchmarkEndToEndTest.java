package io.chroma.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole run against a tiny in-process fake of the /api/v2 routes that answers exactly (brute
 * force): every recall must be 1 and every check must pass; a fake that ignores {@code where} on
 * queries must be caught.
 */
class BenchmarkEndToEndTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void exactServerScoresPerfectlyAndBatchIsCapped(@TempDir Path dir) throws Exception {
        Fake fake = new Fake(false);
        BenchResult r = new Benchmark(config(start(fake), dir, true, "true"), quiet()).run();

        assertThat(r.params().batchSize()).isEqualTo(Fake.MAX_BATCH);
        assertThat(r.warnings()).anyMatch(w -> w.contains("max_batch_size " + Fake.MAX_BATCH));
        assertThat(r.ingest().batches()).isEqualTo(2); // 500 records in batches of 300
        assertThat(r.ingest().countCorrect()).isTrue();
        assertThat(r.ingest().queryableSeconds()).isPositive();
        assertThat(r.phases()).extracting(BenchResult.Phase::name).containsExactly("query", "query_concurrent",
                "query_filter_10pct", "query_filter_1pct", "query_stored", "get_by_id", "get_filter", "count");
        assertThat(r.phases()).allSatisfy(p -> {
            assertThat(p.correct()).as(p.name() + ": " + p.note()).isTrue();
            assertThat(p.errors()).isZero();
            if (p.recall() != null) {
                assertThat(p.recall()).as(p.name()).isEqualTo(1.0);
            }
        });
        assertThat(r.restart()).isNotNull();
        assertThat(r.restart().sameResults()).isTrue();
        assertThat(r.restart().countAfter()).isEqualTo(500);
        assertThat(fake.sawBase64).isTrue();
        assertThat(Report.single(r)).contains("| query_filter_1pct | 20 | 1 |");
    }

    @Test
    void aServerIgnoringTheFilterIsCaught(@TempDir Path dir) throws Exception {
        BenchResult r = new Benchmark(config(start(new Fake(true)), dir, false, null), quiet()).run();
        BenchResult.Phase f10 = r.phases().stream().filter(p -> p.name().equals("query_filter_10pct")).findFirst().orElseThrow();
        assertThat(f10.correct()).isFalse();
        assertThat(f10.note()).contains("does not match the filter");
        assertThat(f10.recall()).isLessThan(0.5);
        assertThat(r.phases().get(0).correct()).isTrue(); // unfiltered queries are still right
    }

    private String start(Fake fake) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", fake::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static BenchConfig config(String url, Path dir, boolean base64, String restartCmd) {
        return new BenchConfig(url, "fake", 500, 8, 1000, 3, 20, 10, 5, 20, 10, 5, 42, 25, null, base64,
                "default_tenant", "default_database", null, 30, 30, null, null, null, restartCmd,
                dir.resolve("out"), dir.resolve("work"), null);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Exact, single-collection, in-memory; just the routes and operators the benchmark uses. */
    static final class Fake {
        static final int MAX_BATCH = 300;
        final ObjectMapper json = new ObjectMapper();
        final boolean ignoreQueryWhere;
        final Map<String, Integer> order = new ConcurrentHashMap<>();
        final List<String> ids = new ArrayList<>();
        final List<float[]> vectors = new ArrayList<>();
        final List<JsonNode> metadatas = new ArrayList<>();
        final List<String> documents = new ArrayList<>();
        volatile boolean sawBase64;

        Fake(boolean ignoreQueryWhere) {
            this.ignoreQueryWhere = ignoreQueryWhere;
        }

        void handle(HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getPath();
            byte[] in = ex.getRequestBody().readAllBytes();
            Object out;
            int status = 200;
            synchronized (this) {
                if (path.endsWith("/heartbeat")) {
                    out = Map.of("nanosecond heartbeat", System.nanoTime());
                } else if (path.endsWith("/version")) {
                    out = "1.0.0";
                } else if (path.endsWith("/pre-flight-checks")) {
                    out = Map.of("max_batch_size", MAX_BATCH, "supports_base64_encoding", true);
                } else if (path.endsWith("/collections")) {
                    out = Map.of("id", "00000000-0000-4000-8000-000000000001", "name", json.readTree(in).get("name").asText());
                } else if (path.endsWith("/add")) {
                    add(json.readTree(in));
                    out = Map.of();
                    status = 201;
                } else if (path.endsWith("/query")) {
                    out = query(json.readTree(in));
                } else if (path.endsWith("/get")) {
                    out = get(json.readTree(in));
                } else if (path.endsWith("/count")) {
                    out = ids.size();
                } else {
                    out = Map.of("error", "NotFoundError", "message", path);
                    status = 404;
                }
            }
            byte[] body = json.writeValueAsBytes(out);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        }

        void add(JsonNode b) {
            for (int i = 0; i < b.get("ids").size(); i++) {
                JsonNode e = b.get("embeddings").get(i);
                float[] v;
                if (e.isTextual()) {
                    sawBase64 = true;
                    ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(e.asText())).order(ByteOrder.LITTLE_ENDIAN);
                    v = new float[buf.remaining() / 4];
                    for (int d = 0; d < v.length; d++) {
                        v[d] = buf.getFloat();
                    }
                } else {
                    v = new float[e.size()];
                    for (int d = 0; d < v.length; d++) {
                        v[d] = e.get(d).floatValue();
                    }
                }
                order.put(b.get("ids").get(i).asText(), ids.size());
                ids.add(b.get("ids").get(i).asText());
                vectors.add(v);
                metadatas.add(b.get("metadatas").get(i));
                documents.add(b.get("documents").get(i).asText());
            }
        }

        ObjectNode query(JsonNode b) {
            ObjectNode r = json.createObjectNode();
            ArrayNode idRows = r.putArray("ids");
            ArrayNode distRows = r.putArray("distances");
            int k = b.path("n_results").asInt(10);
            for (JsonNode q : b.get("query_embeddings")) {
                List<Integer> hits = IntStream.range(0, ids.size())
                        .filter(i -> ignoreQueryWhere || matches(i, b.get("where"), null)).boxed()
                        .sorted(Comparator.comparingDouble(i -> dist(q, vectors.get(i)))).limit(k).toList();
                ArrayNode idRow = idRows.addArray();
                ArrayNode distRow = distRows.addArray();
                for (int i : hits) {
                    idRow.add(ids.get(i));
                    distRow.add(dist(q, vectors.get(i)));
                }
            }
            return r;
        }

        ObjectNode get(JsonNode b) {
            ObjectNode r = json.createObjectNode();
            ArrayNode idArr = r.putArray("ids");
            ArrayNode docs = r.putArray("documents");
            ArrayNode metas = r.putArray("metadatas");
            List<Integer> hits = new ArrayList<>();
            if (b.has("ids")) {
                for (JsonNode id : b.get("ids")) {
                    Integer i = order.get(id.asText());
                    if (i != null) {
                        hits.add(i);
                    }
                }
            } else {
                for (int i = 0; i < ids.size(); i++) {
                    if (matches(i, b.get("where"), b.get("where_document"))) {
                        hits.add(i);
                    }
                }
            }
            for (int i : hits) {
                idArr.add(ids.get(i));
                docs.add(documents.get(i));
                metas.add(metadatas.get(i));
            }
            return r;
        }

        boolean matches(int i, JsonNode where, JsonNode whereDoc) {
            if (whereDoc != null && !documents.get(i).contains(whereDoc.get("$contains").asText())) {
                return false;
            }
            if (where == null) {
                return true;
            }
            if (where.has("$and")) {
                for (JsonNode w : where.get("$and")) {
                    if (!matches(i, w, null)) {
                        return false;
                    }
                }
                return true;
            }
            var field = where.fields().next();
            JsonNode value = metadatas.get(i).get(field.getKey());
            JsonNode cond = field.getValue();
            if (cond.has("$eq")) {
                return value != null && value.asDouble() == cond.get("$eq").asDouble();
            }
            if (cond.has("$lt")) {
                return value != null && value.asDouble() < cond.get("$lt").asDouble();
            }
            return value != null && value.equals(cond);
        }

        static double dist(JsonNode q, float[] v) {
            double s = 0;
            for (int d = 0; d < v.length; d++) {
                double diff = (double) v[d] - q.get(d).floatValue();
                s += diff * diff;
            }
            return s;
        }
    }
}
