package io.chroma.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** /api/v1 with Chroma 0.5.20 – 0.6.3 semantics (what Python 0.5 and JS 1.8 clients expect). */
class V1ApiTest extends ServerOnTempDir {

    static String create(String name) {
        Wire.Reply r = w.post("/api/v1/collections", "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    @Test
    void systemRoutesWithAndWithoutTrailingSlash() {
        for (String p : List.of("/api/v1", "/api/v1/", "/api/v1/heartbeat", "/api/v1/heartbeat/")) {
            Wire.Reply r = w.get(p);
            assertThat(r.status()).as(p).isEqualTo(200);
            assertThat(r.json().get("nanosecond heartbeat").asLong()).isPositive();
        }
        assertThat(w.get("/api/v1/version").json().asText()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(w.get("/api/v1/pre-flight-checks/").json().get("max_batch_size").asInt()).isEqualTo(5461);
        Wire.Reply reset = w.post("/api/v1/reset", "");
        assertThat(reset.status()).isEqualTo(400);
        assertThat(reset.error()).isEqualTo("InvalidArgumentError");
        assertThat(reset.message()).startsWith("Resetting is not allowed by this configuration");
    }

    @Test
    void tenantsAndDatabasesWithQueryParameters() {
        String t = unique("tenant");
        Wire.Reply ct = w.post("/api/v1/tenants", "{\"name\":\"" + t + "\"}");
        assertThat(ct.status()).isEqualTo(200);
        assertThat(ct.text()).isEqualTo("null");
        assertThat(w.get("/api/v1/tenants/" + t).json().get("name").asText()).isEqualTo(t);
        assertThat(w.post("/api/v1/databases?tenant=" + t, "{\"name\":\"dbv1\"}").text()).isEqualTo("null");
        JsonNode db = w.get("/api/v1/databases/dbv1?tenant=" + t).json();
        assertThat(db.get("tenant").asText()).isEqualTo(t);
        assertThat(db.get("name").asText()).isEqualTo("dbv1");
        Wire.Reply missing = w.get("/api/v1/databases/nope?tenant=" + t);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("NotFoundError");
        // v1 speaks 0.5: a database only under a tenant that exists (v2 speaks 1.x, which does not ask)
        Wire.Reply orphan = w.post("/api/v1/databases?tenant=" + unique("nobody"), "{\"name\":\"dbv1\"}");
        assertThat(orphan.status()).isEqualTo(404);
        assertThat(orphan.error()).isEqualTo("NotFoundError");

        String q = "?tenant=" + t + "&database=dbv1";
        Wire.Reply c = w.post("/api/v1/collections" + q, "{\"name\":\"in-db\"}");
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.json().get("tenant").asText()).isEqualTo(t);
        assertThat(w.get("/api/v1/count_collections" + q).text()).isEqualTo("1");
        assertThat(w.get("/api/v1/collections/in-db" + q).json().get("database").asText()).isEqualTo("dbv1");
        // not visible in the default database
        assertThat(w.get("/api/v1/collections/in-db").status()).isEqualTo(400);
    }

    @Test
    void collectionJsonHasTheLegacyShape() {
        String name = unique("shape");
        Wire.Reply r = w.post("/api/v1/collections", "{\"name\":\"" + name + "\",\"metadata\":{\"hnsw:space\":\"ip\",\"x\":1}}");
        JsonNode c = r.json();
        assertThat(c.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "name", "configuration_json",
                "metadata", "dimension", "tenant", "database", "version", "log_position");
        JsonNode cfg = c.get("configuration_json");
        assertThat(cfg.get("_type").asText()).isEqualTo("CollectionConfigurationInternal");
        JsonNode h = cfg.get("hnsw_configuration");
        assertThat(h.get("_type").asText()).isEqualTo("HNSWConfigurationInternal");
        assertThat(h.get("space").asText()).isEqualTo("ip");
        assertThat(h.get("M").asInt()).isEqualTo(16);
        assertThat(h.get("resize_factor").isFloatingPointNumber()).isTrue();
        assertThat(c.get("metadata").get("x").asInt()).isEqualTo(1);
    }

    @Test
    void collectionLifecycle() {
        String name = unique("life");
        String id = create(name);
        Wire.Reply dup = w.post("/api/v1/collections", "{\"name\":\"" + name + "\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.error()).isEqualTo("UniqueConstraintError");
        assertThat(dup.message()).isEqualTo("Collection " + name + " already exists");
        assertThat(w.post("/api/v1/collections", "{\"name\":\"" + name + "\",\"get_or_create\":true}").json()
                .get("id").asText()).isEqualTo(id);
        assertThat(w.get("/api/v1/collections/" + name).json().get("id").asText()).isEqualTo(id);
        assertThat(w.get("/api/v1/collections").json()).isNotEmpty();
        assertThat(w.get("/api/v1/collections?limit=1").json()).hasSize(1);

        Wire.Reply mod = w.put("/api/v1/collections/" + id, "{\"new_name\":\"" + name + "-b\",\"new_metadata\":{\"m\":2}}");
        assertThat(mod.status()).isEqualTo(200);
        assertThat(mod.text()).isEqualTo("null");
        JsonNode renamed = w.get("/api/v1/collections/" + name + "-b").json();
        assertThat(renamed.get("metadata").get("m").asInt()).isEqualTo(2);

        Wire.Reply del = w.delete("/api/v1/collections/" + name + "-b");
        assertThat(del.status()).isEqualTo(200);
        assertThat(del.text()).isEqualTo("null");
        Wire.Reply missing = w.get("/api/v1/collections/" + name + "-b");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.error()).isEqualTo("InvalidCollection");
        assertThat(missing.message()).isEqualTo("Collection " + name + "-b does not exist.");
        Wire.Reply delMissing = w.delete("/api/v1/collections/" + name + "-b");
        assertThat(delMissing.status()).isEqualTo(400);
        assertThat(delMissing.error()).isEqualTo("InvalidArgumentError");
    }

    @Test
    void namesFollowTheSixtyThreeCharacterRule() {
        Wire.Reply tooLong = w.post("/api/v1/collections", "{\"name\":\"" + "a".repeat(64) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.error()).isEqualTo("InvalidArgumentError");
        assertThat(tooLong.message()).startsWith("Expected collection name that (1) contains 3-63 characters");
        assertThat(w.post("/api/v1/collections", "{\"name\":\"" + "a".repeat(63) + "\"}").status()).isEqualTo(200);
        String id = create(unique("rename"));
        assertThat(w.put("/api/v1/collections/" + id, "{\"new_name\":\"" + "b".repeat(64) + "\"}").status()).isEqualTo(400);
    }

    @Test
    void recordsByCollectionId() {
        String id = create(unique("rec"));
        String c = "/api/v1/collections/" + id;
        Wire.Reply add = w.post(c + "/add", "{\"ids\":[\"a\",\"b\"],\"embeddings\":[[1,0],[0,1]],"
                + "\"metadatas\":[{\"k\":1},{\"k\":2}],\"documents\":[\"one\",\"two\"],\"uris\":null}");
        assertThat(add.status()).isEqualTo(201);
        assertThat(add.text()).isEqualTo("true");
        assertThat(add.contentType()).startsWith("application/json");
        assertThat(w.get(c + "/count").text()).isEqualTo("2");

        // Python 0.5 always sends where / where_document as {} meaning "no filter"
        JsonNode get = w.post(c + "/get", "{\"ids\":null,\"where\":{},\"sort\":null,\"limit\":null,\"offset\":null,"
                + "\"where_document\":{},\"include\":[\"metadatas\",\"documents\"]}").json();
        assertThat(get.get("ids")).hasSize(2);
        assertThat(get.get("included")).extracting(JsonNode::asText).containsExactly("metadatas", "documents");
        assertThat(get.get("embeddings").isNull()).isTrue();

        JsonNode q = w.post(c + "/query", "{\"query_embeddings\":[[0,1]],\"n_results\":1,\"where\":{},"
                + "\"where_document\":{},\"include\":[\"distances\"]}").json();
        assertThat(q.get("ids").get(0).get(0).asText()).isEqualTo("b");
        assertThat(q.get("distances").get(0).get(0).floatValue()).isZero();

        Wire.Reply upd = w.post(c + "/update", "{\"ids\":[\"a\"],\"documents\":[\"uno\"]}");
        assertThat(upd.status()).isEqualTo(200);
        assertThat(upd.text()).isEqualTo("null");
        Wire.Reply ups = w.post(c + "/upsert", "{\"ids\":[\"c\"],\"embeddings\":[[1,1]]}");
        assertThat(ups.status()).isEqualTo(200);
        assertThat(ups.text()).isEqualTo("null");
        assertThat(w.get(c + "/count/").text()).isEqualTo("3");
        Wire.Reply del = w.post(c + "/delete", "{\"ids\":[\"c\"],\"where\":{},\"where_document\":{}}");
        assertThat(del.status()).isEqualTo(200);
        assertThat(del.text()).isEqualTo("null");
        assertThat(w.post(c + "/delete", "{\"ids\":null,\"where\":{},\"where_document\":{}}").status()).isEqualTo(400);
        assertThat(w.get(c + "/count").text()).isEqualTo("2");
    }

    @Test
    void errorsUseTheLegacyNames() {
        String missing = UUID.randomUUID().toString();
        Wire.Reply unknown = w.post("/api/v1/collections/" + missing + "/get", "{}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).isEqualTo("InvalidCollection");
        assertThat(unknown.message()).isEqualTo("Collection " + missing + " does not exist.");
        Wire.Reply bad = w.post("/api/v1/collections/xyz/add", "{\"ids\":[\"a\"],\"embeddings\":[[1]]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).isEqualTo("InvalidUUID");

        String c = "/api/v1/collections/" + create(unique("dims"));
        w.post(c + "/add", "{\"ids\":[\"a\"],\"embeddings\":[[1,2]]}");
        Wire.Reply dim = w.post(c + "/upsert", "{\"ids\":[\"b\"],\"embeddings\":[[1,2,3]]}");
        assertThat(dim.status()).isEqualTo(400);
        assertThat(dim.error()).isEqualTo("InvalidDimension");
        Wire.Reply malformed = w.post(c + "/add", "{\"ids\":");
        assertThat(malformed.status()).isEqualTo(422);
        assertThat(malformed.json().has("error")).isTrue();
        Wire.Reply wrongInclude = w.post(c + "/get", "{\"include\":[\"nope\"]}");
        assertThat(wrongInclude.status()).isEqualTo(422);
        Wire.Reply tenant = w.get("/api/v1/collections?tenant=no-such-tenant");
        assertThat(tenant.status()).as(tenant.toString()).isEqualTo(404);
        assertThat(w.get("/api/v1/nothing").status()).isEqualTo(404);
    }
}
