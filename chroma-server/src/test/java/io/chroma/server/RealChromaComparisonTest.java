package io.chroma.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends the same /api/v2 requests to our server and to the REAL Chroma 1.x server and compares
 * status, error name and the key set of JSON objects. Runs only with
 * {@code -Dreal.chroma.url=http://localhost:8123} (see run-real-chroma.sh); known, deliberate
 * differences are listed in {@link #KNOWN}.
 */
@EnabledIfSystemProperty(named = "real.chroma.url", matches = ".+")
class RealChromaComparisonTest {

    /** Requests where we differ on purpose (documented in the server's report). */
    static final List<String> KNOWN = List.of(
            "add batch over max",        // real 1.x does not enforce max_batch_size on a single node; we answer 413
            "add duplicate ids",         // the engine rejects duplicate ids in a batch; real 1.x accepts them
            "modify to taken name");     // real 1.x fails with a 500 (SQLite UNIQUE); we answer 409

    @TempDir
    Path dir;

    record Case(String label, String method, String path, String body) {
    }

    @Test
    void sameStatusesErrorNamesAndShapes() {
        String realUrl = System.getProperty("real.chroma.url");
        try (ChromaServer ours = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("d")).withPort(0))) {
            Wire a = new Wire(ours.url());
            Wire b = new Wire(realUrl);
            String suffix = UUID.randomUUID().toString().substring(0, 6);
            String db = "/api/v2/tenants/default_tenant/databases/default_database";
            String name = "cmp-" + suffix;
            String idA = a.post(db + "/collections", "{\"name\":\"" + name + "\",\"metadata\":{\"hnsw:space\":\"cosine\"}}").json().get("id").asText();
            String idB = b.post(db + "/collections", "{\"name\":\"" + name + "\",\"metadata\":{\"hnsw:space\":\"cosine\"}}").json().get("id").asText();
            StringBuilder big = new StringBuilder("{\"ids\":[");
            for (int i = 0; i < 5462; i++) {
                big.append(i == 0 ? "" : ",").append("\"b").append(i).append('"');
            }
            big.append("],\"embeddings\":[");
            for (int i = 0; i < 5462; i++) {
                big.append(i == 0 ? "" : ",").append("[1,2,3]");
            }
            big.append("]}");
            String C = db + "/collections/{id}";
            List<Case> cases = List.of(
                    new Case("heartbeat", "GET", "/api/v2/heartbeat", null),
                    new Case("version", "GET", "/api/v2/version", null),
                    new Case("preflight", "GET", "/api/v2/pre-flight-checks", null),
                    new Case("identity", "GET", "/api/v2/auth/identity", null),
                    new Case("healthcheck", "GET", "/api/v2/healthcheck", null),
                    new Case("reset", "POST", "/api/v2/reset", ""),
                    new Case("tenant short", "POST", "/api/v2/tenants", "{\"name\":\"ab\"}"),
                    new Case("tenant missing name", "POST", "/api/v2/tenants", "{}"),
                    new Case("tenant create", "POST", "/api/v2/tenants", "{\"name\":\"t-" + suffix + "\"}"),
                    new Case("tenant dup", "POST", "/api/v2/tenants", "{\"name\":\"t-" + suffix + "\"}"),
                    new Case("tenant get", "GET", "/api/v2/tenants/t-" + suffix, null),
                    new Case("tenant missing", "GET", "/api/v2/tenants/nope-" + suffix, null),
                    new Case("db create", "POST", "/api/v2/tenants/t-" + suffix + "/databases", "{\"name\":\"dbz\"}"),
                    new Case("db dup", "POST", "/api/v2/tenants/t-" + suffix + "/databases", "{\"name\":\"dbz\"}"),
                    new Case("db short", "POST", "/api/v2/tenants/t-" + suffix + "/databases", "{\"name\":\"d\"}"),
                    new Case("db get", "GET", "/api/v2/tenants/t-" + suffix + "/databases/dbz", null),
                    new Case("db list", "GET", "/api/v2/tenants/t-" + suffix + "/databases?limit=5", null),
                    new Case("db bad limit", "GET", "/api/v2/tenants/t-" + suffix + "/databases?limit=x", null),
                    new Case("db delete", "DELETE", "/api/v2/tenants/t-" + suffix + "/databases/dbz", null),
                    new Case("db missing", "GET", "/api/v2/tenants/t-" + suffix + "/databases/dbz", null),
                    new Case("coll get", "GET", db + "/collections/" + name, null),
                    new Case("coll by id", "GET", db + "/collections/by-id/{id}", null),
                    new Case("coll missing", "GET", db + "/collections/nope-" + suffix, null),
                    new Case("coll dup", "POST", db + "/collections", "{\"name\":\"" + name + "\"}"),
                    new Case("coll short name", "POST", db + "/collections", "{\"name\":\"ab\"}"),
                    new Case("coll ip name", "POST", db + "/collections", "{\"name\":\"1.2.3.4\"}"),
                    new Case("coll empty metadata", "POST", db + "/collections", "{\"name\":\"e-" + suffix + "\",\"metadata\":{}}"),
                    new Case("coll nested metadata", "POST", db + "/collections", "{\"name\":\"n-" + suffix + "\",\"metadata\":{\"x\":{\"a\":1}}}"),
                    new Case("coll bad hnsw key", "POST", db + "/collections", "{\"name\":\"h-" + suffix + "\",\"metadata\":{\"hnsw:foo\":1}}"),
                    new Case("add", "POST", C + "/add", "{\"ids\":[\"a\",\"b\"],\"embeddings\":[[1,0,0],[0,1,0]],\"documents\":[\"x\",\"y\"],\"metadatas\":[{\"k\":1},null]}"),
                    new Case("add dim", "POST", C + "/add", "{\"ids\":[\"c\"],\"embeddings\":[[1,0]]}"),
                    new Case("add no embeddings", "POST", C + "/add", "{\"ids\":[\"c\"]}"),
                    new Case("add empty id", "POST", C + "/add", "{\"ids\":[\"\"],\"embeddings\":[[1,0,0]]}"),
                    new Case("add empty embedding", "POST", C + "/add", "{\"ids\":[\"x\"],\"embeddings\":[[]]}"),
                    new Case("add lengths", "POST", C + "/add", "{\"ids\":[\"x\",\"y\"],\"embeddings\":[[1,0,0]]}"),
                    new Case("add base64", "POST", C + "/add", "{\"ids\":[\"x\"],\"embeddings\":[\"AACAPwAAAAAAAAAA\"]}"),
                    new Case("add bad base64", "POST", C + "/add", "{\"ids\":[\"x2\"],\"embeddings\":[\"AACAPwAAAAAAAA\"]}"),
                    new Case("add nan base64", "POST", C + "/add", "{\"ids\":[\"x3\"],\"embeddings\":[\"AADAfwAAAAAAAAAA\"]}"),
                    new Case("add overflow", "POST", C + "/add", "{\"ids\":[\"q\"],\"embeddings\":[[1e39,0,0]]}"),
                    new Case("add string in vector", "POST", C + "/add", "{\"ids\":[\"q\"],\"embeddings\":[[\"a\"]]}"),
                    new Case("add syntax", "POST", C + "/add", "{\"ids\":"),
                    new Case("add batch over max", "POST", C + "/add", big.toString()),
                    new Case("get", "POST", C + "/get", "{}"),
                    new Case("get include", "POST", C + "/get", "{\"include\":[\"embeddings\"],\"limit\":1}"),
                    new Case("get bogus include", "POST", C + "/get", "{\"include\":[\"bogus\"]}"),
                    new Case("get bad op", "POST", C + "/get", "{\"where\":{\"k\":{\"$foo\":1}}}"),
                    new Case("get empty where", "POST", C + "/get", "{\"where\":{}}"),
                    new Case("get empty where_document", "POST", C + "/get", "{\"where_document\":{}}"),
                    new Case("get string where", "POST", C + "/get", "{\"where\":\"x\"}"),
                    new Case("get ids string", "POST", C + "/get", "{\"ids\":\"x\"}"),
                    new Case("get negative limit", "POST", C + "/get", "{\"limit\":-1}"),
                    new Case("get array body", "POST", C + "/get", "[]"),
                    new Case("query", "POST", C + "/query", "{\"query_embeddings\":[[1,0,0]],\"n_results\":2}"),
                    new Case("query dim", "POST", C + "/query", "{\"query_embeddings\":[[1,0]]}"),
                    new Case("query missing embeddings", "POST", C + "/query", "{\"n_results\":1}"),
                    new Case("update", "POST", C + "/update", "{\"ids\":[\"a\"],\"documents\":[\"hi\"]}"),
                    new Case("upsert", "POST", C + "/upsert", "{\"ids\":[\"z\"],\"embeddings\":[[0,0,1]]}"),
                    new Case("count", "GET", C + "/count?read_level=index_only", null),
                    new Case("delete ids", "POST", C + "/delete", "{\"ids\":[\"z\"]}"),
                    new Case("delete empty", "POST", C + "/delete", "{}"),
                    new Case("delete empty ids", "POST", C + "/delete", "{\"ids\":[]}"),
                    new Case("bad uuid", "GET", db + "/collections/not-a-uuid/count", null),
                    new Case("unknown uuid", "GET", db + "/collections/00000000-0000-0000-0000-000000000000/count", null),
                    new Case("modify", "PUT", C, "{\"new_metadata\":{\"q\":1},\"new_configuration\":{\"hnsw\":{\"ef_search\":7}}}"),
                    new Case("coll get after modify", "GET", db + "/collections/" + name, null),
                    new Case("list", "GET", db + "/collections?limit=1", null),
                    new Case("query n0", "POST", C + "/query", "{\"query_embeddings\":[[1,0,0]],\"n_results\":0}"),
                    new Case("query huge n", "POST", C + "/query", "{\"query_embeddings\":[[1,0,0]],\"n_results\":100000,\"include\":[]}"),
                    new Case("query ids", "POST", C + "/query", "{\"query_embeddings\":[[1,0,0]],\"ids\":[\"b\"],\"include\":[\"uris\",\"embeddings\"]}"),
                    new Case("query empty list", "POST", C + "/query", "{\"query_embeddings\":[]}"),
                    new Case("get unknown ids", "POST", C + "/get", "{\"ids\":[\"nope\"]}"),
                    new Case("get $contains list", "POST", C + "/get", "{\"where\":{\"k\":{\"$contains\":1}}}"),
                    new Case("get $in mixed", "POST", C + "/get", "{\"where\":{\"k\":{\"$in\":[1,\"a\"]}}}"),
                    new Case("get $gt string", "POST", C + "/get", "{\"where\":{\"k\":{\"$gt\":\"a\"}}}"),
                    new Case("get regex", "POST", C + "/get", "{\"where_document\":{\"$regex\":\"h.\"}}"),
                    new Case("get bad regex", "POST", C + "/get", "{\"where_document\":{\"$regex\":\"(\"}}"),
                    new Case("update missing id", "POST", C + "/update", "{\"ids\":[\"missing\"],\"documents\":[\"x\"]}"),
                    new Case("upsert null meta value", "POST", C + "/upsert", "{\"ids\":[\"a\"],\"embeddings\":[[1,0,0]],\"metadatas\":[{\"k\":null}]}"),
                    new Case("add null meta value", "POST", C + "/add", "{\"ids\":[\"nm\"],\"embeddings\":[[1,0,0]],\"metadatas\":[{\"k\":null}]}"),
                    new Case("add meta list", "POST", C + "/add", "{\"ids\":[\"ml\"],\"embeddings\":[[1,0,0]],\"metadatas\":[{\"k\":[1,2]}]}"),
                    new Case("add meta empty list", "POST", C + "/add", "{\"ids\":[\"me\"],\"embeddings\":[[1,0,0]],\"metadatas\":[{\"k\":[]}]}"),
                    new Case("add meta bad key", "POST", C + "/add", "{\"ids\":[\"mk\"],\"embeddings\":[[1,0,0]],\"metadatas\":[{\"$k\":1}]}"),
                    new Case("delete limit no where", "POST", C + "/delete", "{\"ids\":[\"a\"],\"limit\":1}"),
                    new Case("coll bad ef", "POST", db + "/collections", "{\"name\":\"ef-" + suffix + "\",\"configuration\":{\"hnsw\":{\"ef_search\":0}}}"),
                    new Case("coll unknown hnsw", "POST", db + "/collections", "{\"name\":\"uh-" + suffix + "\",\"configuration\":{\"hnsw\":{\"foo\":1}}}"),
                    new Case("coll spann", "POST", db + "/collections", "{\"name\":\"sp-" + suffix + "\",\"configuration\":{\"spann\":{\"space\":\"ip\"}}}"),
                    new Case("coll other", "POST", db + "/collections", "{\"name\":\"other-" + suffix + "\"}"),
                    new Case("modify to taken name", "PUT", C, "{\"new_name\":\"other-" + suffix + "\"}"),
                    new Case("modify space", "PUT", C, "{\"new_configuration\":{\"hnsw\":{\"space\":\"l2\"}}}"),
                    new Case("modify empty metadata", "PUT", C, "{\"new_metadata\":{}}"),
                    new Case("list dbs unknown tenant", "GET", "/api/v2/tenants/zz-" + suffix + "/databases", null),
                    new Case("colls unknown db", "GET", db.replace("default_database", "nodb") + "/collections", null),
                    new Case("count unknown db", "GET", db.replace("default_database", "nodb") + "/collections_count", null),
                    new Case("add duplicate ids", "POST", C + "/add", "{\"ids\":[\"d\",\"d\"],\"embeddings\":[[1,0,0],[1,0,0]]}"),
                    new Case("delete coll", "DELETE", db + "/collections/" + name, null),
                    new Case("delete coll again", "DELETE", db + "/collections/" + name, null));

            List<String> differences = new ArrayList<>();
            for (Case c : cases) {
                Wire.Reply ra = a.method(c.method(), c.path().replace("{id}", idA), c.body());
                Wire.Reply rb = b.method(c.method(), c.path().replace("{id}", idB), c.body());
                String diff = compare(ra, rb);
                String line = String.format("%-26s ours %s | real %s", c.label(), abbreviate(ra), abbreviate(rb));
                System.out.println((diff == null ? "  same  " : "  DIFF  ") + line + (diff == null ? "" : "  <- " + diff));
                if (diff != null && !KNOWN.contains(c.label())) {
                    differences.add(c.label() + ": " + diff);
                }
            }
            assertThat(differences).isEmpty();
        }
    }

    private static String abbreviate(Wire.Reply r) {
        String t = r.text() == null ? "" : r.text().replace('\n', ' ');
        return r.status() + " " + (t.length() > 110 ? t.substring(0, 110) + "…" : t);
    }

    /** null when status, error name and JSON key sets agree. */
    private static String compare(Wire.Reply a, Wire.Reply b) {
        if (a.status() != b.status()) {
            return "status " + a.status() + " vs " + b.status();
        }
        if (b.text() == null || b.text().isEmpty()) {
            return null;
        }
        JsonNode ja = a.json();
        JsonNode jb = b.json();
        if (jb.isObject() && jb.has("error")) {
            return ja.path("error").asText().equals(jb.get("error").asText()) ? null
                    : "error " + ja.path("error").asText() + " vs " + jb.get("error").asText();
        }
        if (jb.isObject() && !keys(ja).containsAll(keys(jb))) {
            return "keys " + keys(ja) + " vs " + keys(jb);
        }
        if (jb.isArray() && jb.size() > 0 && ja.size() > 0 && jb.get(0).isObject()
                && !keys(ja.get(0)).containsAll(keys(jb.get(0)))) {
            return "item keys " + keys(ja.get(0)) + " vs " + keys(jb.get(0));
        }
        return null;
    }

    private static TreeSet<String> keys(JsonNode n) {
        TreeSet<String> out = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
