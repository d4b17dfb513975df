package io.chroma.server;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST .../search} over real HTTP: Chroma's wire format and its error statuses and texts. */
class SearchApiTest extends ServerOnTempDir {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";

    static String id;

    @BeforeAll
    static void seed() {
        Wire.Reply r = w.post(DB + "/collections", "{\"name\":\"abc\"}");
        id = r.json().get("id").asText();
        Wire.Reply add = w.post(search("add"), """
                {"ids":["a","b","c"],"embeddings":[[1,0,0],[0,1,0],[0,0,1]],
                 "documents":["The quick brown fox jumps","A lazy dog sleeps","Foxes are quick animals"],
                 "metadatas":[{"cat":"x","n":1},{"cat":"y","n":2},null]}""");
        assertThat(add.status()).as(add.toString()).isEqualTo(201);
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
                  {"$div":{"left":{"$val":1},"right":{"$sum":[{"$bm25":{"query":"quick fox","limit":100,"return_rank":true}},{"$val":60}]}}}]},
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
        UUID elsewhere = UUID.randomUUID();
        expect(w.post(DB + "/collections/" + elsewhere + "/search",
                        "{\"searches\":[{\"rank\":{\"$knn\":{\"query\":{\"indices\":[5,3],\"values\":[1,1]},\"key\":\"sp\"}}}]}"),
                404, "NotFoundError", "Collection [" + elsewhere + "] does not exist."); // 404 before validation
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

    static final String BM25_SCHEMA = """
            {"keys":{"sparse_embedding":{"sparse_vector":{"sparse_vector_index":{"enabled":true,"config":{
              "embedding_function":{"type":"known","name":"chroma_bm25","config":{"k":1.2,"b":0.75,"avg_doc_length":256,"token_max_length":40}},
              "source_key":"#document","bm25":true}}}}}}""";

    /** The reference's §9 data set with the client-computed BM25 vectors, and its examples (3) and (4). */
    @Test
    void sparseBm25KnnAndSparseMetadataFollowTheReference() {
        Wire.Reply created = w.post(DB + "/collections", "{\"name\":\"bm25\",\"schema\":" + BM25_SCHEMA + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.json().get("schema").get("keys").get("sparse_embedding").get("sparse_vector")
                .get("sparse_vector_index").get("config").get("bm25").asBoolean()).isTrue();
        String cid = created.json().get("id").asText();
        String base = DB + "/collections/" + cid;
        Wire.Reply add = w.post(base + "/add", """
                {"ids":["a","b","c"],"embeddings":["AACAPwAAAAAAAAAA","AAAAAAAAgD8AAAAA","AAAAAAAAAAAAAIA/"],
                 "documents":["The quick brown fox jumps","A lazy dog sleeps","Foxes are quick animals"],
                 "metadatas":[{"cat":"x","n":1,"sparse_embedding":{"#type":"sparse_vector","indices":[741580288,771291085,1621867415,1913189942],"values":[1.6741973840665876,1.6741973840665876,1.6741973840665876,1.6741973840665876]}},
                              {"cat":"y","n":2,"sparse_embedding":{"#type":"sparse_vector","indices":[134749957,226376294,1312749093],"values":[1.6786885245901642,1.6786885245901642,1.6786885245901642]}},
                              {"sparse_embedding":{"#type":"sparse_vector","indices":[771291085,1177748882,1621867415],"values":[1.6786885245901642,1.6786885245901642,1.6786885245901642]}}]}""");
        assertThat(add.status()).as(add.toString()).isEqualTo(201);
        Wire.Reply rrf = w.post(base + "/search", """
                {"searches":[{"limit":{"offset":0,"limit":10},"select":{"keys":["#document","#score"]},"rank":{"$mul":[{"$sum":[{"$div":{"left":{"$val":1},"right":{"$sum":[{"$knn":{"query":[1,0,0],"key":"#embedding","limit":100,"return_rank":true}},{"$val":60}]}}},{"$div":{"left":{"$val":1},"right":{"$sum":[{"$knn":{"query":{"indices":[771291085,1621867415],"values":[1.6832038254632398,1.6832038254632398]},"key":"sparse_embedding","limit":100,"return_rank":true}},{"$val":60}]}}}]},{"$val":-1}]}}]}""");
        assertThat(rrf.text()).isEqualTo("{\"ids\":[[\"a\",\"c\"]],\"documents\":[[\"The quick brown fox jumps\",\"Foxes are quick animals\"]],"
                + "\"embeddings\":[null],\"metadatas\":[null],\"scores\":[[-0.03306011,-0.032795697]],\"select\":[[\"#document\",\"#score\"]]}");
        // the sparse scores themselves: 1 - idf-weighted dot (idf = ln 1.6 for both terms)
        Wire.Reply sparse = w.post(base + "/search", """
                {"searches":[{"select":{"keys":["#score"]},"rank":{"$knn":{"query":{"indices":[771291085,1621867415],"values":[1.6832038254632398,1.6832038254632398]},"key":"sparse_embedding"}}}]}""");
        assertThat(sparse.text()).contains("\"ids\":[[\"c\",\"a\"]]");
        double c = sparse.json().get("scores").get(0).get(0).asDouble(), a = sparse.json().get("scores").get(0).get(1).asDouble();
        assertThat(c).isCloseTo(-1.6560612, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(a).isCloseTo(-1.6489551, org.assertj.core.data.Offset.offset(1e-5));
        Wire.Reply page = w.post(base + "/search", "{\"searches\":[{\"limit\":{\"offset\":1,\"limit\":2},\"select\":{\"keys\":[\"#document\",\"#metadata\"]}}]}");
        assertThat(page.text()).isEqualTo("{\"ids\":[[\"b\",\"c\"]],\"documents\":[[\"A lazy dog sleeps\",\"Foxes are quick animals\"]],\"embeddings\":[null],"
                + "\"metadatas\":[[{\"cat\":\"y\",\"n\":2,\"sparse_embedding\":{\"#type\":\"sparse_vector\",\"indices\":[134749957,226376294,1312749093],\"values\":[1.6786885,1.6786885,1.6786885],\"tokens\":null}},"
                + "{\"sparse_embedding\":{\"#type\":\"sparse_vector\",\"indices\":[771291085,1177748882,1621867415],\"values\":[1.6786885,1.6786885,1.6786885],\"tokens\":null}}]],"
                + "\"scores\":[null],\"select\":[[\"#document\",\"#metadata\"]]}");
        // a key without a sparse index in the schema
        expect(w.post(base + "/search", "{\"searches\":[{\"rank\":{\"$knn\":{\"query\":{\"indices\":[1],\"values\":[1]},\"key\":\"other\"}}}]}"),
                400, "InvalidArgumentError", "Cannot filter using metadata key 'other' with type 'SparseVector' because indexing is disabled");
        // invalid sparse metadata on write
        Wire.Reply bad = w.post(base + "/add", "{\"ids\":[\"d\"],\"embeddings\":[[1,1,1]],\"metadatas\":[{\"s\":{\"indices\":[2,1],\"values\":[1,1]}}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.message()).isEqualTo("Sparse vector indices must be sorted in strictly ascending order (no duplicates)");
    }
}
