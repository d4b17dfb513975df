package io.chroma.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST .../search} over real HTTP: Chroma's wire format and its error statuses and texts. */
class SearchApiTest {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";

    @TempDir
    static Path dir;
    static ChromaServer server;
    static Wire w;
    static String id;

    @BeforeAll
    static void start() {
        server = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("data")).withPort(0));
        w = new Wire(server.url());
        Wire.Reply r = w.post(DB + "/collections", "{\"name\":\"abc\"}");
        id = r.json().get("id").asText();
        Wire.Reply add = w.post(search("add"), """
                {"ids":["a","b","c"],"embeddings":[[1,0,0],[0,1,0],[0,0,1]],
                 "documents":["The quick brown fox jumps","A lazy dog sleeps","Foxes are quick animals"],
                 "metadatas":[{"cat":"x","n":1},{"cat":"y","n":2},null]}""");
        assertThat(add.status()).as(add.toString()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String search(String op) {
        return DB + "/collections/" + id + "/" + op;
    }

    static Wire.Reply post(String body) {
        return w.post(search("search"), body);
    }

    @Test
    void knnWithFilterSelectAndLimitIsChromasExampleByteForByte() {
        Wire.Reply r = post("""
                {"searches":[{"limit":{"offset":0,"limit":5},"select":{"keys":["#document","#score","cat"]},
                "filter":{"cat":{"$eq":"x"}},"rank":{"$knn":{"query":[1,0,0],"key":"#embedding","limit":10}}}]}""");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"ids\":[[\"a\"]],\"documents\":[[\"The quick brown fox jumps\"]],\"embeddings\":[null],"
                + "\"metadatas\":[[{\"cat\":\"x\"}]],\"scores\":[[0.0]],\"select\":[[\"#document\",\"#score\",\"cat\"]]}");
    }

    @Test
    void plainKnnAndNoRankPaging() {
        Wire.Reply r = post("""
                {"searches":[{"limit":{"offset":0},"select":{"keys":[]},"rank":{"$knn":{"query":[1,0,0],"key":"#embedding","limit":128}}},
                             {"limit":{"offset":1,"limit":2},"select":{"keys":["#document","#score"]}}]}""");
        assertThat(r.text()).isEqualTo("{\"ids\":[[\"a\",\"b\",\"c\"],[\"b\",\"c\"]],\"documents\":[null,[\"A lazy dog sleeps\",\"Foxes are quick animals\"]],"
                + "\"embeddings\":[null,null],\"metadatas\":[null,null],\"scores\":[null,[0.0,1.0]],\"select\":[[],[\"#document\",\"#score\"]]}");
    }

    @Test
    void rrfAsJsExpandsItWithF32Scores() {
        // JS chromadb 3.5.0's expansion of Rrf over two knn ranks (k = 60); the second is a full-text rank
        Wire.Reply r = post("""
                {"searches":[{"limit":{"offset":0,"limit":10},"select":{"keys":["#score","#id"]},"rank":{"$mul":[{"$sum":[
                  {"$div":{"left":{"$val":1},"right":{"$sum":[{"$knn":{"query":[1,0,0],"key":"#embedding","limit":100,"return_rank":true}},{"$val":60}]}}},
                  {"$div":{"left":{"$val":1},"right":{"$sum":[{"$knn":{"query":"quick fox","key":"#document","limit":100,"return_rank":true}},{"$val":60}]}}}]},
                  {"$val":-1}]}}]}""");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var ids = r.json().get("ids").get(0);
        assertThat(ids.size()).isEqualTo(2); // b shares no word with the text query: not a candidate
        assertThat(r.json().get("select").get(0).toString()).isEqualTo("[\"#score\",\"#id\"]");
        assertThat(r.json().get("metadatas").get(0).toString()).isEqualTo("[null,null]"); // #id switches the column on
        // a is first in the dense rank; the text rank puts "fox" docs first: scores are −(1/(60+r1) + 1/(60+r2))
        assertThat(r.text()).contains("[[-0.033333335,").startsWith("{\"ids\":[[\"a\"");
    }

    @Test
    void errorsFollowChromaStatusesAndTexts() {
        expect(post("{\"searches\":[{\"rank\":{\"$foo\":1}}]}"), 422, "ChromaError",
                "Failed to deserialize the JSON body into the target type: searches[0].rank: unknown variant `$foo`, expected one of "
                        + "`$abs`, `$div`, `$exp`, `$knn`, `$log`, `$max`, `$min`, `$mul`, `$sub`, `$sum`, `$val`");
        expect(post("{}"), 422, "ChromaError", "Failed to deserialize the JSON body into the target type: missing field `searches`");
        expect(post("{\"searches\":[{\"rank\":{\"$knn\":{\"limit\":3}}}]}"), 422, "ChromaError",
                "Failed to deserialize the JSON body into the target type: searches[0].rank.$knn: missing field `query`");
        expect(post("{\"searches\":[{\"rank\":{\"$knn\":{\"query\":\"text\"}}}]}"), 422, "ChromaError",
                "Failed to deserialize the JSON body into the target type: searches[0].rank.$knn.query: data did not match any variant of untagged enum QueryVector");
        expect(post("{\"searches\":[{\"rank\":{\"$val\":\"x\"}}]}"), 422, "ChromaError",
                "Failed to deserialize the JSON body into the target type: searches[0].rank.$val: invalid type: string \"x\", expected f32");
        expect(post("{\"searches\":[{\"limit\":{\"limit\":-1}}]}"), 422, "ChromaError",
                "Failed to deserialize the JSON body into the target type: searches[0].limit.limit: invalid value: integer `-1`, expected u32");
        expect(post("{\"searches\":[],\"read_level\":\"bogus\"}"), 422, "ChromaError",
                "Failed to deserialize the JSON body into the target type: read_level: unknown variant `bogus`, expected one of `index_and_wal`, `index_only`, `index_and_bounded_wal`");
        Wire.Reply badWhere = post("{\"searches\":[{\"filter\":{\"$foo\":1}}]}");
        assertThat(badWhere.status()).isEqualTo(422);
        assertThat(badWhere.message()).startsWith("Failed to deserialize the JSON body into the target type: searches[0].filter: Invalid where clause");
        expect(post("{\"searches\":[{\"group_by\":{\"keys\":[\"cat\"],\"aggregate\":{\"$min_k\":{\"keys\":[\"#score\"],\"k\":1}}}}]}"),
                400, "InvalidArgumentError", "Validation error: searches[0].__all__: group_by requires rank expression to be specified");
        expect(post("{\"searches\":[{\"rank\":{\"$knn\":{\"query\":[1]}},\"group_by\":{\"keys\":[\"cat\"]}}]}"), 400, "InvalidArgumentError",
                "Validation error: searches[0].group_by: group_by keys and aggregate must both be specified or both be omitted");
        expect(post("{\"searches\":[{\"rank\":{\"$knn\":{\"query\":{\"indices\":[5,3],\"values\":[1,1]},\"key\":\"sp\"}}}]}"), 400,
                "InvalidArgumentError", "Validation error: searches[0].rank: Invalid sparse vector in KNN query: "
                        + "Sparse vector indices must be sorted in strictly ascending order (no duplicates)");
        Wire.Reply notJson = post("{x");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.error()).isEqualTo("InvalidArgumentError");
        expect(w.post(DB + "/collections/not-a-uuid/search", "{\"searches\":[]}"), 400, "InvalidArgumentError",
                "Collection ID is not a valid UUIDv4");
        UUID missing = UUID.randomUUID();
        expect(w.post(DB + "/collections/" + missing + "/search", "{\"searches\":[]}"), 404, "NotFoundError",
                "Collection [" + missing + "] does not exist.");
        Wire.Reply wrongType = w.send(HttpRequest.newBuilder(w.uri(search("search"))).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"searches\":[]}")));
        expect(wrongType, 415, "ChromaError", "Expected request with `Content-Type: application/json`");
        Wire.Reply empty = post("{\"searches\":[],\"read_level\":\"index_only\"}");
        assertThat(empty.text()).isEqualTo("{\"ids\":[],\"documents\":[],\"embeddings\":[],\"metadatas\":[],\"scores\":[],\"select\":[]}");
    }

    private static void expect(Wire.Reply r, int status, String error, String message) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.error()).as(r.toString()).isEqualTo(error);
        assertThat(r.message()).as(r.toString()).isEqualTo(message);
    }
}
