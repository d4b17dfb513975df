package io.chroma.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** /api/v2 against a real engine on a temp dir, over real HTTP: Chroma 1.x shapes and statuses. */
class V2ApiTest extends ServerOnTempDir {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";

    /** Creates a collection and returns its id. */
    static String create(String name) {
        Wire.Reply r = w.post(DB + "/collections", "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    static String records(String id) {
        return DB + "/collections/" + id;
    }

    /** Chroma answers uncompressed even when the client accepts gzip; compressing cost CPU for nothing. */
    @Test
    void responsesAreNotCompressedAsInChroma() throws Exception {
        String id = create("uncompressed");
        StringBuilder add = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < 40; i++) {
            add.append(i == 0 ? "" : ",").append("\"r").append(i).append('"');
        }
        add.append("],\"embeddings\":[");
        for (int i = 0; i < 40; i++) {
            add.append(i == 0 ? "" : ",").append("[").append(i).append(".5,1.25,2.0]");
        }
        add.append("],\"documents\":[");
        for (int i = 0; i < 40; i++) {
            add.append(i == 0 ? "" : ",").append("\"a document long enough to make the answer big ").append(i).append('"');
        }
        add.append("]}");
        assertThat(w.post(records(id) + "/add", add.toString()).status()).isEqualTo(201);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(w.uri(records(id) + "/get"))
                .header("Content-Type", "application/json").header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("{\"include\":[\"documents\",\"embeddings\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-encoding")).isEmpty();
        assertThat(r.body().length()).isGreaterThan(2048);
        assertThat(Wire.JSON.readTree(r.body()).get("ids")).hasSize(40);
    }

    // ---------------------------------------------------------------- system

    @Test
    void heartbeatVersionAndPreflight() {
        for (String path : List.of("/api/v2", "/api/v2/heartbeat", "/api/v2/heartbeat/")) {
            Wire.Reply r = w.get(path);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("application/json");
            long ns = r.json().get("nanosecond heartbeat").asLong();
            assertThat(Math.abs(ns / 1_000_000 - System.currentTimeMillis())).isLessThan(10_000);
        }
        assertThat(w.get("/api/v2/version").text()).isEqualTo("\"1.0.0\"");
        assertThat(w.get("/api/v2/healthcheck").json().get("is_executor_ready").asBoolean()).isTrue();
        JsonNode pre = w.get("/api/v2/pre-flight-checks").json();
        assertThat(pre.get("max_batch_size").asInt()).isEqualTo(5461);
        assertThat(pre.get("supports_base64_encoding").asBoolean()).isTrue();
        JsonNode id = w.get("/api/v2/auth/identity").json();
        assertThat(id.get("user_id").asText()).isEmpty();
        assertThat(id.get("tenant").asText()).isEqualTo("default_tenant");
        assertThat(id.get("databases").get(0).asText()).isEqualTo("default_database");
    }

    @Test
    void resetIsForbiddenUnlessAllowed() {
        Wire.Reply r = w.post("/api/v2/reset", "");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.error()).isEqualTo("ChromaError");
        assertThat(r.message()).isEqualTo("Reset is disabled by config");
    }

    @Test
    void unknownRoutesAndMethodsAnswerJson() {
        Wire.Reply r = w.get("/api/v2/nothing/here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.error()).isEqualTo("NotFoundError");
        Wire.Reply m = w.method("DELETE", "/api/v2/heartbeat", null);
        assertThat(m.status()).isEqualTo(405);
        assertThat(m.json().has("message")).isTrue();
    }

    // ---------------------------------------------------------------- tenants and databases

    @Test
    void tenants() {
        String t = unique("tenant");
        assertThat(w.post("/api/v2/tenants", "{\"name\":\"" + t + "\"}").text()).isEqualTo("{}");
        Wire.Reply dup = w.post("/api/v2/tenants", "{\"name\":\"" + t + "\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.error()).isEqualTo("ChromaError");
        JsonNode got = w.get("/api/v2/tenants/" + t).json();
        assertThat(got.get("name").asText()).isEqualTo(t);
        assertThat(got.has("resource_name")).isTrue();
        assertThat(got.get("resource_name").isNull()).isTrue();
        assertThat(w.method("PATCH", "/api/v2/tenants/" + t, "{\"resource_name\":\"x\"}").text()).isEqualTo("{}");
        Wire.Reply missing = w.get("/api/v2/tenants/nope-" + t);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("NotFoundError");
        assertThat(w.post("/api/v2/tenants", "{\"name\":\"ab\"}").status()).isEqualTo(400);
        assertThat(w.post("/api/v2/tenants", "{}").status()).isEqualTo(422);
    }

    @Test
    void databases() {
        String t = unique("tenant");
        w.post("/api/v2/tenants", "{\"name\":\"" + t + "\"}");
        String base = "/api/v2/tenants/" + t + "/databases";
        assertThat(w.post(base, "{\"name\":\"db-one\"}").text()).isEqualTo("{}");
        assertThat(w.post(base, "{\"name\":\"db-two\"}").text()).isEqualTo("{}");
        assertThat(w.post(base, "{\"name\":\"db-one\"}").status()).isEqualTo(409);
        Wire.Reply shortName = w.post(base, "{\"name\":\"d\"}");
        assertThat(shortName.status()).isEqualTo(400);
        assertThat(shortName.error()).isEqualTo("InvalidArgumentError");

        JsonNode all = w.get(base).json();
        assertThat(all).hasSize(2);
        assertThat(w.get(base + "?limit=1&offset=1").json()).hasSize(1);
        assertThat(w.get(base + "?limit=abc").status()).isEqualTo(400);

        JsonNode db = w.get(base + "/db-one").json();
        assertThat(db.get("name").asText()).isEqualTo("db-one");
        assertThat(db.get("tenant").asText()).isEqualTo(t);
        assertThat(UUID.fromString(db.get("id").asText())).isNotNull();

        assertThat(w.delete(base + "/db-one").text()).isEqualTo("{}");
        Wire.Reply gone = w.get(base + "/db-one");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.error()).isEqualTo("NotFoundError");
    }

    // ---------------------------------------------------------------- collections

    @Test
    void collectionJsonHasTheOneXShape() {
        String name = unique("shape");
        Wire.Reply r = w.post(DB + "/collections", Wire.json(Map.of("name", name,
                "metadata", Map.of("hnsw:space", "cosine", "a", 1))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode c = r.json();
        assertThat(c.fieldNames()).toIterable().containsExactly("id", "name", "configuration_json", "schema",
                "metadata", "dimension", "tenant", "database", "log_position", "version");
        assertThat(c.get("name").asText()).isEqualTo(name);
        assertThat(c.get("configuration_json").get("hnsw").get("space").asText()).isEqualTo("cosine");
        assertThat(c.get("configuration_json").get("hnsw").get("ef_search").asInt()).isEqualTo(100);
        assertThat(c.get("configuration_json").has("embedding_function")).isTrue();
        assertThat(c.get("schema").isNull()).isTrue();
        assertThat(c.get("metadata").get("a").asInt()).isEqualTo(1);
        assertThat(c.get("dimension").isNull()).isTrue();
        assertThat(c.get("tenant").asText()).isEqualTo("default_tenant");
        assertThat(c.get("database").asText()).isEqualTo("default_database");
        assertThat(c.get("log_position").asInt()).isZero();
        assertThat(c.get("version").asInt()).isZero();
    }

    @Test
    void configurationIsAppliedAndEmbeddingFunctionEchoedVerbatim() {
        String name = unique("conf");
        Map<String, Object> ef = Map.of("type", "known", "name", "default", "config", Map.of("k", List.of(1, 2)));
        JsonNode c = w.post(DB + "/collections", Wire.json(Map.of("name", name, "configuration",
                Map.of("hnsw", Map.of("space", "ip", "ef_search", 20), "embedding_function", ef)))).json();
        JsonNode cfg = c.get("configuration_json");
        assertThat(cfg.get("hnsw").get("space").asText()).isEqualTo("ip");
        assertThat(cfg.get("hnsw").get("ef_search").asInt()).isEqualTo(20);
        assertThat(Wire.JSON.convertValue(cfg.get("embedding_function"), Map.class)).isEqualTo(ef);
        // and it survives a fresh read
        JsonNode again = w.get(DB + "/collections/" + name).json();
        assertThat(Wire.JSON.convertValue(again.get("configuration_json").get("embedding_function"), Map.class))
                .isEqualTo(ef);

        Wire.Reply both = w.post(DB + "/collections", Wire.json(Map.of("name", unique("both"), "configuration",
                Map.of("hnsw", Map.of(), "spann", Map.of()))));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.message()).isEqualTo("Multiple vector index configurations provided");
    }

    @Test
    void createGetOrCreateDuplicateGetByNameAndId() {
        String name = unique("coll");
        String id = create(name);
        Wire.Reply dup = w.post(DB + "/collections", "{\"name\":\"" + name + "\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.error()).isEqualTo("ChromaError");
        JsonNode goc = w.post(DB + "/collections", "{\"name\":\"" + name + "\",\"get_or_create\":true,"
                + "\"metadata\":{\"other\":true}}").json();
        assertThat(goc.get("id").asText()).isEqualTo(id);
        assertThat(w.get(DB + "/collections/" + name).json().get("id").asText()).isEqualTo(id);
        assertThat(w.get(DB + "/collections/by-id/" + id).json().get("name").asText()).isEqualTo(name);
        Wire.Reply missing = w.get(DB + "/collections/" + unique("none"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("NotFoundError");
        Wire.Reply badId = w.get(DB + "/collections/by-id/not-a-uuid");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.message()).isEqualTo("Collection ID is not a valid UUIDv4");
    }

    @Test
    void namesUpTo512CharactersAreAllowed() {
        String longName = "a".repeat(512);
        assertThat(w.post(DB + "/collections", "{\"name\":\"" + longName + "\"}").status()).isEqualTo(200);
        Wire.Reply tooLong = w.post(DB + "/collections", "{\"name\":\"" + "b".repeat(513) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.error()).isEqualTo("InvalidArgumentError");
        assertThat(w.post(DB + "/collections", "{\"name\":\"1.2.3.4\"}").status()).isEqualTo(400);
        assertThat(w.post(DB + "/collections", "{\"name\":\"ab\"}").status()).isEqualTo(400);
    }

    @Test
    void listCountModifyDelete() {
        String t = unique("lcm");
        w.post("/api/v2/tenants", "{\"name\":\"" + t + "\"}");
        w.post("/api/v2/tenants/" + t + "/databases", "{\"name\":\"dbx\"}");
        String base = "/api/v2/tenants/" + t + "/databases/dbx";
        for (String n : List.of("c-one", "c-two", "c-three")) {
            assertThat(w.post(base + "/collections", "{\"name\":\"" + n + "\"}").status()).isEqualTo(200);
        }
        assertThat(w.get(base + "/collections").json()).hasSize(3);
        assertThat(w.get(base + "/collections?limit=2").json()).hasSize(2);
        assertThat(w.get(base + "/collections?limit=2&offset=2").json()).hasSize(1);
        assertThat(w.get(base + "/collections_count").text()).isEqualTo("3");

        String id = w.get(base + "/collections/c-one").json().get("id").asText();
        assertThat(w.put(base + "/collections/" + id, "{\"new_name\":\"c-renamed\",\"new_metadata\":{\"q\":1},"
                + "\"new_configuration\":{\"hnsw\":{\"ef_search\":7}}}").text()).isEqualTo("{}");
        JsonNode renamed = w.get(base + "/collections/c-renamed").json();
        assertThat(renamed.get("id").asText()).isEqualTo(id);
        assertThat(renamed.get("metadata").get("q").asInt()).isEqualTo(1);
        assertThat(renamed.get("configuration_json").get("hnsw").get("ef_search").asInt()).isEqualTo(7);
        assertThat(w.get(base + "/collections/c-one").status()).isEqualTo(404);

        assertThat(w.delete(base + "/collections/c-renamed").text()).isEqualTo("{}");
        assertThat(w.delete(base + "/collections/c-renamed").status()).isEqualTo(404);
        assertThat(w.get(base + "/collections_count").text()).isEqualTo("2");
    }

    // ---------------------------------------------------------------- records

    @Test
    void addGetQueryUpdateUpsertCountDelete() {
        String id = create(unique("rec"));
        String c = records(id);
        Wire.Reply add = w.post(c + "/add", "{\"ids\":[\"a\",\"b\",\"c\"],\"embeddings\":[[1,0,0],[0,1,0],[0,0,1]],"
                + "\"documents\":[\"apple pie\",\"banana\",null],\"metadatas\":[{\"k\":1},null,{\"k\":3,\"tags\":[\"x\",\"y\"]}]}");
        assertThat(add.status()).as(add.toString()).isEqualTo(201);
        assertThat(add.text()).isEqualTo("{}");
        assertThat(w.get(c + "/count").text()).isEqualTo("3");
        assertThat(w.get(c + "/count?read_level=index_only").text()).isEqualTo("3");

        JsonNode get = w.post(c + "/get", "{}").json();
        assertThat(get.get("ids")).extracting(JsonNode::asText).containsExactly("a", "b", "c");
        assertThat(get.get("embeddings").isNull()).isTrue();
        assertThat(get.get("uris").isNull()).isTrue();
        assertThat(get.get("documents").get(0).asText()).isEqualTo("apple pie");
        assertThat(get.get("documents").get(2).isNull()).isTrue();
        assertThat(get.get("metadatas").get(0).get("k").asInt()).isEqualTo(1);
        assertThat(get.get("metadatas").get(1).isNull()).isTrue();
        assertThat(get.get("metadatas").get(2).get("tags").get(1).asText()).isEqualTo("y");
        assertThat(get.get("include")).extracting(JsonNode::asText).containsExactly("documents", "metadatas");
        // exactly Chroma 1.x's keys: no 0.5-era "included" or "data"
        assertThat(get.fieldNames()).toIterable().containsExactly("ids", "embeddings", "documents", "uris", "metadatas", "include");

        JsonNode emb = w.post(c + "/get", "{\"ids\":[\"b\"],\"include\":[\"embeddings\"]}").json();
        assertThat(emb.get("embeddings").get(0)).extracting(JsonNode::floatValue).containsExactly(0f, 1f, 0f);
        assertThat(emb.get("documents").isNull()).isTrue();
        assertThat(emb.get("metadatas").isNull()).isTrue();

        JsonNode filtered = w.post(c + "/get", "{\"where\":{\"k\":{\"$gte\":2}}}").json();
        assertThat(filtered.get("ids")).extracting(JsonNode::asText).containsExactly("c");
        JsonNode byDoc = w.post(c + "/get", "{\"where_document\":{\"$contains\":\"banana\"}}").json();
        assertThat(byDoc.get("ids")).extracting(JsonNode::asText).containsExactly("b");
        JsonNode page = w.post(c + "/get", "{\"limit\":1,\"offset\":1,\"include\":[]}").json();
        assertThat(page.get("ids")).extracting(JsonNode::asText).containsExactly("b");

        JsonNode q = w.post(c + "/query", "{\"query_embeddings\":[[1,0,0],[0,0,1]],\"n_results\":2}").json();
        assertThat(q.get("ids").get(0).get(0).asText()).isEqualTo("a");
        assertThat(q.get("ids").get(1).get(0).asText()).isEqualTo("c");
        assertThat(q.get("distances").get(0).get(0).floatValue()).isEqualTo(0f);
        assertThat(q.get("distances").get(0).get(1).floatValue()).isEqualTo(2f);
        assertThat(q.get("embeddings").isNull()).isTrue();
        assertThat(q.get("include")).extracting(JsonNode::asText)
                .containsExactly("documents", "metadatas", "distances");
        assertThat(q.fieldNames()).toIterable()
                .containsExactly("ids", "embeddings", "documents", "uris", "metadatas", "distances", "include");

        assertThat(w.post(c + "/update", "{\"ids\":[\"a\"],\"documents\":[\"apple tart\"],"
                + "\"metadatas\":[{\"k\":10}]}").text()).isEqualTo("{}");
        assertThat(w.post(c + "/upsert", "{\"ids\":[\"a\",\"z\"],\"embeddings\":[[1,1,0],[0,1,1]]}").text())
                .isEqualTo("{}");
        JsonNode after = w.post(c + "/get", "{\"ids\":[\"a\",\"z\"],\"include\":[\"documents\",\"metadatas\",\"embeddings\"]}").json();
        assertThat(after.get("ids")).extracting(JsonNode::asText).containsExactlyInAnyOrder("a", "z");
        int ai = after.get("ids").get(0).asText().equals("a") ? 0 : 1;
        assertThat(after.get("documents").get(ai).asText()).isEqualTo("apple tart");
        assertThat(after.get("metadatas").get(ai).get("k").asInt()).isEqualTo(10);
        assertThat(after.get("embeddings").get(ai)).extracting(JsonNode::floatValue).containsExactly(1f, 1f, 0f);
        assertThat(w.get(c + "/count").text()).isEqualTo("4");

        JsonNode del = w.post(c + "/delete", "{\"ids\":[\"z\"]}").json();
        assertThat(del.get("deleted").asInt()).isEqualTo(1);
        JsonNode delWhere = w.post(c + "/delete", "{\"where\":{\"k\":3}}").json();
        assertThat(delWhere.get("deleted").asInt()).isEqualTo(1);
        assertThat(w.post(c + "/delete", "{}").json().get("deleted").asInt()).isZero();
        assertThat(w.get(c + "/count").text()).isEqualTo("2");
        Wire.Reply emptyIds = w.post(c + "/delete", "{\"ids\":[]}");
        assertThat(emptyIds.status()).isEqualTo(400);
        assertThat(emptyIds.message()).contains("Either ids or where must be specified");
    }

    static String base64(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    @Test
    void base64EmbeddingsAreAcceptedForWritesAndQueries() {
        String c = records(create(unique("b64")));
        float[] v1 = {0.1f, -2.5f, 3.25e-7f};
        float[] v2 = {1f, 2f, 3f};
        Wire.Reply add = w.post(c + "/add", "{\"ids\":[\"p\",\"q\"],\"embeddings\":[\"" + base64(v1) + "\",\""
                + base64(v2) + "\"]}");
        assertThat(add.status()).as(add.toString()).isEqualTo(201);
        JsonNode got = w.post(c + "/get", "{\"ids\":[\"p\"],\"include\":[\"embeddings\"]}").json();
        assertThat(got.get("embeddings").get(0)).extracting(JsonNode::floatValue).containsExactly(0.1f, -2.5f, 3.25e-7f);
        JsonNode q = w.post(c + "/query", "{\"query_embeddings\":[\"" + base64(v2) + "\"],\"n_results\":1}").json();
        assertThat(q.get("ids").get(0).get(0).asText()).isEqualTo("q");
        assertThat(w.post(c + "/update", "{\"ids\":[\"p\"],\"embeddings\":[\"" + base64(3f, 2f, 1f) + "\"]}").status())
                .isEqualTo(200);

        Wire.Reply nan = w.post(c + "/add", "{\"ids\":[\"n\"],\"embeddings\":[\"" + base64(Float.NaN, 0f, 0f) + "\"]}");
        assertThat(nan.status()).isEqualTo(400);
        assertThat(nan.error()).isEqualTo("InvalidArgumentError");
        Wire.Reply badB64 = w.post(c + "/add", "{\"ids\":[\"n\"],\"embeddings\":[\"AACAPwAAAAAAAA\"]}");
        assertThat(badB64.status()).isEqualTo(400);
        Wire.Reply notFloats = w.post(c + "/add", "{\"ids\":[\"n\"],\"embeddings\":[\"AACA\"]}");
        assertThat(notFloats.status()).isEqualTo(400);
        assertThat(w.get(c + "/count").text()).isEqualTo("2");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void malformedAndMistypedBodiesAreClientErrors() {
        String c = records(create(unique("err")));
        Wire.Reply syntax = w.post(c + "/add", "{\"ids\":[\"a\"],");
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(syntax.error()).isEqualTo("InvalidArgumentError");
        assertThat(syntax.message()).startsWith("Failed to parse the request body as JSON");

        Wire.Reply notJson = w.post(c + "/get", "hello");
        assertThat(notJson.status()).isEqualTo(400);
        Wire.Reply empty = w.post(c + "/get", "");
        assertThat(empty.status()).isEqualTo(400);

        for (String body : List.of("{\"ids\":\"x\",\"embeddings\":[[1]]}", "{\"ids\":[1],\"embeddings\":[[1]]}",
                "{\"ids\":[\"a\"],\"embeddings\":[[\"a\"]]}", "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"metadatas\":[{\"x\":{\"y\":1}}]}",
                "{\"embeddings\":[[1]]}", "[]", "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"documents\":[5]}")) {
            Wire.Reply r = w.post(c + "/add", body);
            assertThat(r.status()).as(body + " -> " + r).isEqualTo(422);
            assertThat(r.error()).isEqualTo("ChromaError");
            assertThat(r.message()).startsWith("Failed to deserialize the JSON body into the target type");
        }
        Wire.Reply include = w.post(c + "/get", "{\"include\":[\"bogus\"]}");
        assertThat(include.status()).isEqualTo(422);
        assertThat(include.message()).contains("unknown variant `bogus`");
        assertThat(w.post(c + "/get", "{\"limit\":-1}").status()).isEqualTo(422);
        assertThat(w.post(c + "/query", "{\"n_results\":2}").status()).isEqualTo(422);

        for (String where : List.of("{\"where\":{\"k\":{\"$foo\":1}}}", "{\"where\":{}}", "{\"where\":\"x\"}",
                "{\"where_document\":{}}",
                "{\"where\":{\"a\":1,\"b\":2}}")) {
            Wire.Reply r = w.post(c + "/get", where);
            assertThat(r.status()).as(where + " -> " + r).isEqualTo(400);
            assertThat(r.error()).isEqualTo("InvalidArgumentError");
            assertThat(r.message()).startsWith("Invalid where");
        }
        assertThat(w.get(c + "/count").text()).isEqualTo("0");
    }

    @Test
    void badIdsAndMissingCollections() {
        Wire.Reply bad = w.post(DB + "/collections/not-a-uuid/add", "{\"ids\":[\"a\"],\"embeddings\":[[1]]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).isEqualTo("InvalidArgumentError");
        assertThat(bad.message()).isEqualTo("Collection ID is not a valid UUIDv4");
        assertThat(w.get(DB + "/collections/not-a-uuid/count").message()).isEqualTo("Collection ID is not a valid UUIDv4");
        String missing = UUID.randomUUID().toString();
        for (Wire.Reply r : List.of(w.get(DB + "/collections/" + missing + "/count"),
                w.post(DB + "/collections/" + missing + "/get", "{}"),
                w.post(DB + "/collections/" + missing + "/add", "{\"ids\":[\"a\"],\"embeddings\":[[1]]}"))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.error()).isEqualTo("NotFoundError");
        }
    }

    @Test
    void invalidRecordsAreRejectedWholeAndNothingIsWritten() {
        String c = records(create(unique("atomic")));
        assertThat(w.post(c + "/add", "{\"ids\":[\"a\"],\"embeddings\":[[1,2]]}").status()).isEqualTo(201);
        Wire.Reply dim = w.post(c + "/add", "{\"ids\":[\"b\",\"c\"],\"embeddings\":[[1,2],[1,2,3]]}");
        assertThat(dim.status()).isEqualTo(400);
        Wire.Reply dim2 = w.post(c + "/add", "{\"ids\":[\"b\"],\"embeddings\":[[1,2,3]]}");
        assertThat(dim2.status()).isEqualTo(400);
        assertThat(dim2.error()).isEqualTo("InvalidArgumentError");
        assertThat(dim2.message()).isEqualTo("Collection expecting embedding with dimension of 2, got 3");
        Wire.Reply qdim = w.post(c + "/query", "{\"query_embeddings\":[[1,2,3]]}");
        assertThat(qdim.status()).isEqualTo(400);
        Wire.Reply lengths = w.post(c + "/add", "{\"ids\":[\"b\",\"c\"],\"embeddings\":[[1,2]]}");
        assertThat(lengths.status()).isEqualTo(400);
        Wire.Reply emptyId = w.post(c + "/add", "{\"ids\":[\"\"],\"embeddings\":[[1,2]]}");
        assertThat(emptyId.status()).isEqualTo(400);
        Wire.Reply huge = w.post(c + "/add", "{\"ids\":[\"b\"],\"embeddings\":[[1e39,2]]}");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.message()).contains("NaN or Infinity");
        Wire.Reply badMeta = w.post(c + "/add", "{\"ids\":[\"b\",\"c\"],\"embeddings\":[[1,2],[3,4]],"
                + "\"metadatas\":[{\"ok\":1},{\"bad\":{\"nested\":true}}]}");
        assertThat(badMeta.status()).isEqualTo(422);
        assertThat(w.get(c + "/count").text()).isEqualTo("1");
    }

    @Test
    void batchesOverTheMaximumAreRefused() {
        String c = records(create(unique("batch")));
        int n = 5462;
        StringBuilder sb = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(i).append('"');
        }
        sb.append("],\"embeddings\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("[1.5]");
        }
        sb.append("]}");
        Wire.Reply r = w.post(c + "/add", sb.toString());
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.error()).isEqualTo("BatchSizeExceededError");
        assertThat(r.message()).contains("5462").contains("5461");
        assertThat(w.get(c + "/count").text()).isEqualTo("0");
    }

    @Test
    void bodiesBetween10And40MiBAreAccepted() {
        // 1000 records of 1536 dimensions (OpenAI's embedding size): ~20 MiB of JSON, one batch
        String c = records(create(unique("wide")));
        int n = 1000, dim = 1536;
        StringBuilder sb = new StringBuilder(24 << 20).append("{\"ids\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("\"r").append(i).append('"');
        }
        sb.append("],\"embeddings\":[");
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "[" : ",[");
            for (int d = 0; d < dim; d++) {
                sb.append(d == 0 ? "" : ",").append(rnd.nextFloat() * 2 - 1);
            }
            sb.append(']');
        }
        sb.append("]}");
        assertThat(sb.length()).isGreaterThan(12 << 20).isLessThan(40 << 20);
        Wire.Reply r = w.post(c + "/add", sb.toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(w.get(c + "/count").text()).isEqualTo("1000");
    }

    @Test
    void bodiesOver40MiBAreRefusedWith413() {
        String c = records(create(unique("huge")));
        byte[] body = new byte[40 * 1024 * 1024 + 10];
        java.util.Arrays.fill(body, (byte) ' ');
        Wire.Reply r = w.post(c + "/get", body);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().has("error")).isTrue();
        assertThat(r.json().has("message")).isTrue();
        // the server is still fine afterwards
        assertThat(w.get("/api/v2/heartbeat").status()).isEqualTo(200);
    }

    @Test
    void bodiesWithoutJsonContentTypeAreStillRead() {
        // Chroma 1.x defaults a missing Content-Type to JSON; we are lenient with any type
        Wire.Reply r = w.send(java.net.http.HttpRequest.newBuilder(w.uri(DB + "/collections"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"" + unique("noct") + "\"}")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
            Wire.Reply t = w.send(java.net.http.HttpRequest.newBuilder(w.uri(DB + "/collections"))
                    .header("Content-Type", type)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"" + unique("ct") + "\"}")));
            assertThat(t.status()).as(type + " " + t).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- behaviours checked against real Chroma 1.x

    @Test
    void nResultsZeroGivesEmptyRows() {
        String c = records(create(unique("n0")));
        w.post(c + "/add", "{\"ids\":[\"a\"],\"embeddings\":[[1,2]]}");
        JsonNode q = w.post(c + "/query", "{\"query_embeddings\":[[1,2],[2,1]],\"n_results\":0}").json();
        assertThat(q.get("ids")).hasSize(2);
        assertThat(q.get("ids").get(0)).isEmpty();
        assertThat(q.get("distances").get(1)).isEmpty();
        assertThat(q.get("embeddings").isNull()).isTrue();
    }

    @Test
    void unknownTenantOrDatabaseListsNothing() {
        assertThat(w.get("/api/v2/tenants/no-such-tenant/databases").text()).isEqualTo("[]");
        assertThat(w.get("/api/v2/tenants/default_tenant/databases/no-such-db/collections").text()).isEqualTo("[]");
        assertThat(w.get("/api/v2/tenants/default_tenant/databases/no-such-db/collections_count").text()).isEqualTo("0");
        // but addressing one directly is a 404
        assertThat(w.get("/api/v2/tenants/default_tenant/databases/no-such-db").status()).isEqualTo(404);
    }

    @Test
    void shapeRulesOfOneX() {
        String c = records(create(unique("shape1x")));
        Wire.Reply nullMeta = w.post(c + "/add", "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"metadatas\":[{\"k\":null}]}");
        assertThat(nullMeta.status()).isEqualTo(422);
        assertThat(nullMeta.message()).contains("metadatas[0].k");
        // on upsert a null value means "remove the key"
        assertThat(w.post(c + "/upsert", "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"metadatas\":[{\"k\":null}]}").status())
                .isEqualTo(200);
        Wire.Reply noEmb = w.post(c + "/add", "{\"ids\":[\"b\"]}");
        assertThat(noEmb.status()).isEqualTo(422);
        assertThat(noEmb.message()).contains("missing field `embeddings`");

        Wire.Reply unknownKey = w.post(DB + "/collections", "{\"name\":\"" + unique("uk") + "\",\"configuration\":{\"hnsw\":{\"foo\":1}}}");
        assertThat(unknownKey.status()).isEqualTo(422);
        String id = create(unique("space"));
        Wire.Reply space = w.put(DB + "/collections/" + id, "{\"new_configuration\":{\"hnsw\":{\"space\":\"ip\"}}}");
        assertThat(space.status()).isEqualTo(422);
        assertThat(w.get(DB + "/collections/by-id/" + id).json().get("configuration_json").get("hnsw").get("space").asText())
                .isEqualTo("l2");
    }

    @Test
    void concurrentWritersAndReaders() throws Exception {
        String c = records(create(unique("conc")));
        int threads = 6;
        int perThread = 20;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        Wire.Reply r = w.post(c + "/add", "{\"ids\":[\"t" + tt + "-" + i + "\"],\"embeddings\":[["
                                + tt + "," + i + "]]}");
                        assertThat(r.status()).as(r.toString()).isEqualTo(201);
                        Wire.Reply q = w.post(c + "/query", "{\"query_embeddings\":[[" + tt + "," + i + "]],\"n_results\":1}");
                        assertThat(q.status()).as(q.toString()).isEqualTo(200);
                        // a reader sees every write acknowledged before its request began
                        assertThat(q.json().get("ids").get(0).get(0).asText()).isEqualTo("t" + tt + "-" + i);
                    }
                    return null;
                }));
            }
            for (var f : fs) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(w.get(c + "/count").text()).isEqualTo(String.valueOf(threads * perThread));
    }
}
