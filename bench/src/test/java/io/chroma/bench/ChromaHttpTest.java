package io.chroma.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChromaHttpTest {

    @Test
    void addBodyCarriesEveryFieldExactly() throws Exception {
        Dataset ds = Dataset.clustered(20, 5, 3, 1, 9);
        JsonNode body = ChromaHttp.JSON.readTree(ChromaHttp.addBody(ds, 10, 13, false));
        assertThat(body.get("ids")).hasSize(3);
        assertThat(body.get("ids").get(0).asText()).isEqualTo("id-10");
        JsonNode emb = body.get("embeddings").get(2);
        for (int d = 0; d < 5; d++) {
            // the printed decimal parses back to the very same float32
            assertThat(emb.get(d).floatValue()).isEqualTo(ds.vector(12)[d]);
        }
        assertThat(body.get("metadatas").get(1).get("sel1").isInt()).isTrue();
        assertThat(body.get("metadatas").get(1).get("score").isFloatingPointNumber()).isTrue();
        assertThat(body.get("metadatas").get(1).get("score").asDouble()).isEqualTo(Records.score(11));
        assertThat(body.get("documents").get(0).asText()).isEqualTo(Records.document(10));
    }

    @Test
    void base64EmbeddingsAreLittleEndianFloat32() throws Exception {
        Dataset ds = Dataset.clustered(4, 3, 2, 1, 1);
        JsonNode body = ChromaHttp.JSON.readTree(ChromaHttp.addBody(ds, 0, 2, true));
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(body.get("embeddings").get(1).asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.remaining()).isEqualTo(12);
        assertThat(new float[] {b.getFloat(), b.getFloat(), b.getFloat()}).containsExactly(ds.vector(1));
    }

    @Test
    void queryBodyHasWhereAndInclude() throws Exception {
        JsonNode body = ChromaHttp.JSON.readTree(ChromaHttp.queryBody(List.of(new float[] {1f, 2.5f}), 10,
                Map.of("sel10", Map.of("$eq", 3)), List.of("distances")));
        assertThat(body.toString()).isEqualTo(
                "{\"query_embeddings\":[[1.0,2.5]],\"n_results\":10,\"where\":{\"sel10\":{\"$eq\":3}},\"include\":[\"distances\"]}");
    }
}
