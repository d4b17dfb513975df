package io.chroma.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client mistakes never surface as a 5xx: every write/read route on both API versions gets a set of
 * wrong bodies (wrong types in every field, nulls, huge numbers, deep nesting, garbage bytes).
 */
class NoServerErrorsTest extends ServerOnTempDir {

    static final List<String> BODIES = List.of(
            "", " ", "null", "true", "1", "\"s\"", "[]", "{}", "{\"a\":", "\u0000\u00ff\u00fe", "{\"name\":null}",
            "{\"name\":\"" + "x".repeat(600) + "\"}", "{\"name\":\"ok-name\",\"metadata\":[]}",
            "{\"name\":\"ok-name2\",\"configuration\":{\"hnsw\":{\"space\":\"nope\"}}}",
            "{\"name\":\"ok-name3\",\"configuration\":{\"hnsw\":{\"ef_search\":\"x\"}}}",
            "{\"name\":\"ok-name4\",\"configuration\":{\"embedding_function\":5}}",
            "{\"name\":\"ok-name5\",\"metadata\":{\"hnsw:M\":\"x\"}}",
            "{\"ids\":null}", "{\"ids\":[null]}", "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"metadatas\":[1]}",
            "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"metadatas\":[{\"k\":99999999999999999999999}]}",
            "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"metadatas\":[{\"k\":[1,\"a\"]}]}",
            "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"metadatas\":[{\"\":1}]}",
            "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"uris\":[5]}",
            "{\"ids\":[\"a\"],\"embeddings\":[[1]],\"documents\":[\"d\",\"e\"]}",
            "{\"ids\":[\"a\"],\"documents\":[\"text only\"]}",
            "{\"ids\":[\"a\"],\"embeddings\":{\"x\":1}}", "{\"ids\":[\"a\"],\"embeddings\":[null]}",
            "{\"ids\":[\"a\"],\"embeddings\":[[1e400]]}", "{\"ids\":[\"a\"],\"embeddings\":[[-1e39]]}",
            "{\"query_embeddings\":null}", "{\"query_embeddings\":[null]}", "{\"query_embeddings\":[[1]],\"n_results\":-5}",
            "{\"query_embeddings\":[[1]],\"n_results\":2147483648}", "{\"query_embeddings\":[[1]],\"n_results\":1e3}",
            "{\"query_texts\":[\"no ef\"]}", "{\"query_embeddings\":[[1]],\"ids\":[]}",
            "{\"where\":{\"$and\":[{\"a\":1}]}}", "{\"where\":{\"$or\":\"x\"}}", "{\"where\":{\"a\":{\"$in\":[]}}}",
            "{\"where\":{\"a\":{\"$in\":[[1]]}}}", "{\"where\":{\"a\":null}}", "{\"where\":{\"a\":{\"$eq\":{\"b\":1}}}}",
            "{\"where\":{\"#document\":{\"$contains\":5}}}", "{\"where_document\":{\"$regex\":\"[\"}}",
            "{\"where_document\":{\"$and\":[{\"$contains\":\"a\"},{\"$foo\":\"b\"}]}}",
            "{\"include\":\"documents\"}", "{\"include\":[null]}", "{\"limit\":\"5\"}", "{\"offset\":-1}",
            "{\"limit\":3,\"ids\":[]}", "{\"where\":{\"a\":1},\"limit\":0}",
            "{\"new_name\":5}", "{\"new_name\":\"x\"}", "{\"new_metadata\":{}}", "{\"new_metadata\":{\"a\":{\"b\":1}}}",
            "{\"new_configuration\":{\"hnsw\":{\"ef_search\":-1}}}", "{\"new_configuration\":5}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"where\":" + "{\"$and\":[".repeat(800) + "{\"a\":1}" + "]}".repeat(800) + "}");

    @Test
    void everyRouteAnswersWrongBodiesWithA4xx() {
        String v2 = "/api/v2/tenants/default_tenant/databases/default_database";
        String id2 = w.post(v2 + "/collections", "{\"name\":\"fuzz2\"}").json().get("id").asText();
        w.post(v2 + "/collections/" + id2 + "/add", "{\"ids\":[\"seed\"],\"embeddings\":[[1]],\"documents\":[\"d\"]}");
        String id1 = w.post("/api/v1/collections", "{\"name\":\"fuzz1\"}").json().get("id").asText();
        w.post("/api/v1/collections/" + id1 + "/add", "{\"ids\":[\"seed\"],\"embeddings\":[[1]]}");
        List<String[]> routes = new ArrayList<>();
        for (String op : List.of("add", "update", "upsert", "delete", "get", "query")) {
            routes.add(new String[] {"POST", v2 + "/collections/" + id2 + "/" + op});
            routes.add(new String[] {"POST", "/api/v1/collections/" + id1 + "/" + op});
        }
        routes.add(new String[] {"POST", v2 + "/collections"});
        routes.add(new String[] {"POST", "/api/v1/collections"});
        routes.add(new String[] {"PUT", v2 + "/collections/" + id2});
        routes.add(new String[] {"PUT", "/api/v1/collections/" + id1});
        routes.add(new String[] {"POST", "/api/v2/tenants"});
        routes.add(new String[] {"POST", "/api/v2/tenants/default_tenant/databases"});
        routes.add(new String[] {"POST", "/api/v1/tenants"});
        routes.add(new String[] {"POST", "/api/v1/databases"});
        routes.add(new String[] {"PATCH", "/api/v2/tenants/default_tenant"});
        List<String> failures = new ArrayList<>();
        for (String[] route : routes) {
            for (String body : BODIES) {
                Wire.Reply r = w.method(route[0], route[1], body);
                if (r.status() >= 500 || r.text() == null || !r.json().isContainerNode() && r.status() >= 400) {
                    failures.add(route[0] + " " + route[1] + " " + body.substring(0, Math.min(60, body.length()))
                            + " -> " + r);
                }
                if (r.status() >= 400) {
                    assertThat(r.json().has("error")).as(r.toString()).isTrue();
                    assertThat(r.contentType()).startsWith("application/json");
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(w.get("/api/v2/heartbeat").status()).isEqualTo(200);
    }
}
