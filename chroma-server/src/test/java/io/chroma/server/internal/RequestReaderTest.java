package io.chroma.server.internal;

import io.chroma.api.Include;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Where;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestReaderTest {

    static final RequestReader V2 = new RequestReader(false);
    static final RequestReader V1 = new RequestReader(true);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String b64(float... v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            buf.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }

    @Test
    void readsRecordsWithFloatArraysAndBase64() {
        var r = V2.records(b("{\"ids\":[\"a\",\"b\",\"c\"],\"embeddings\":[[1,2.5,-3e-2],\"" + b64(0.1f, 7f) + "\",null],"
                + "\"documents\":[\"d\",null,\"f\"],\"metadatas\":[{\"i\":1,\"f\":1.5,\"s\":\"x\",\"b\":true,\"l\":[1,2],\"n\":null},null,{}],"
                + "\"unknown\":{\"deep\":[1,{\"x\":2}]}}"));
        assertThat(r.ids()).containsExactly("a", "b", "c");
        assertThat(r.embeddings().get(0)).containsExactly(1f, 2.5f, -3e-2f);
        assertThat(r.embeddings().get(1)).containsExactly(0.1f, 7f);
        assertThat(r.embeddings().get(2)).isNull();
        assertThat(r.documents()).containsExactly("d", null, "f");
        Map<String, Object> m = r.metadatas().get(0);
        assertThat(m).containsEntry("i", 1L).containsEntry("f", 1.5).containsEntry("s", "x")
                .containsEntry("b", true).containsEntry("l", List.of(1L, 2L)).containsEntry("n", null);
        assertThat(r.metadatas().get(1)).isNull();
        assertThat(r.metadatas().get(2)).isEmpty();
    }

    @Test
    void longVectorsGrowTheScratchBuffer() {
        StringBuilder sb = new StringBuilder("{\"ids\":[\"a\"],\"embeddings\":[[");
        for (int i = 0; i < 1536; i++) {
            sb.append(i == 0 ? "" : ",").append(i);
        }
        sb.append("]]}");
        float[] v = V2.records(b(sb.toString())).embeddings().get(0);
        assertThat(v).hasSize(1536);
        assertThat(v[1535]).isEqualTo(1535f);
    }

    @Test
    void nonFiniteAndBrokenBase64AreInvalidArguments() {
        assertThatThrownBy(() -> V2.records(b("{\"ids\":[\"a\"],\"embeddings\":[\"" + b64(Float.POSITIVE_INFINITY) + "\"]}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("NaN or Infinity");
        assertThatThrownBy(() -> V2.records(b("{\"ids\":[\"a\"],\"embeddings\":[[3.5e38, 1e39]]}")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> V2.records(b("{\"ids\":[\"a\"],\"embeddings\":[\"!!!\"]}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("Invalid base64");
        assertThatThrownBy(() -> V2.records(b("{\"ids\":[\"a\"],\"embeddings\":[\"AAAA\"]}")))
                .isInstanceOf(InvalidArgumentException.class);
        // NaN is not JSON: a syntax error, not a value
        assertThatThrownBy(() -> V2.records(b("{\"ids\":[\"a\"],\"embeddings\":[[NaN]]}")))
                .isInstanceOfSatisfying(MalformedBodyException.class,
                        e -> assertThat(e.kind()).isEqualTo(MalformedBodyException.Kind.SYNTAX));
    }

    @Test
    void shapeErrorsNameTheField() {
        assertThatThrownBy(() -> V2.records(b("{\"ids\":[\"a\",2]}")))
                .isInstanceOfSatisfying(MalformedBodyException.class, e -> {
                    assertThat(e.kind()).isEqualTo(MalformedBodyException.Kind.TYPE);
                    assertThat(e.getMessage()).contains("ids[1]");
                });
        assertThatThrownBy(() -> V2.get(b("{\"limit\":1.5}"))).isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> V2.get(b("{\"limit\":99999999999}"))).isInstanceOf(MalformedBodyException.class);
        assertThatThrownBy(() -> V2.get(b("{} {}"))).isInstanceOf(MalformedBodyException.class);
        assertThatThrownBy(() -> V2.get(b("{\"a\":1,}"))).isInstanceOf(MalformedBodyException.class);
        assertThatThrownBy(() -> V2.name(b("\"x\""))).isInstanceOf(MalformedBodyException.class);
    }

    @Test
    void getAndQueryRequests() {
        var g = V2.get(b("{\"ids\":[\"a\"],\"where\":{\"k\":{\"$in\":[1,2]}},\"where_document\":{\"$contains\":\"x\"},"
                + "\"limit\":5,\"offset\":2,\"include\":[\"embeddings\",\"metadatas\",\"embeddings\"],\"sort\":null}"));
        assertThat(g.ids()).containsExactly("a");
        assertThat(g.where()).isEqualTo(Where.in("k", 1L, 2L));
        assertThat(g.limit()).isEqualTo(5);
        assertThat(g.offset()).isEqualTo(2);
        assertThat(g.include()).containsExactly(Include.EMBEDDINGS, Include.METADATAS);
        // "data" is Chroma 0.5's include value: v1 reads it as metadatas, v2 refuses it as Chroma 1.x does
        assertThat(V1.get(b("{\"include\":[\"data\"]}")).include()).containsExactly(Include.METADATAS);
        assertThatThrownBy(() -> V2.get(b("{\"include\":[\"data\"]}"))).isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("unknown variant `data`");

        var q = V2.query(b("{\"query_embeddings\":[[1,2]],\"n_results\":3,\"include\":[]}"));
        assertThat(q.queryEmbeddings().get(0)).containsExactly(1f, 2f);
        assertThat(q.nResults()).isEqualTo(3);
        assertThat(q.include()).isEmpty();
    }

    @Test
    void emptyFiltersMeanNoFilterOnlyOnV1() {
        assertThat(V1.get(b("{\"where\":{},\"where_document\":{}}")).where()).isNull();
        assertThatThrownBy(() -> V2.get(b("{\"where\":{}}"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Invalid where clause");
        assertThatThrownBy(() -> V2.get(b("{\"where_document\":{}}"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Invalid where document clause");
    }

    @Test
    void collectionBodies() {
        var c = V2.createCollection(b("{\"name\":\"abc\",\"metadata\":{\"hnsw:space\":\"ip\"},\"get_or_create\":true,"
                + "\"configuration\":{\"hnsw\":{\"ef_search\":5},\"embedding_function\":{\"type\":\"known\",\"name\":\"x\",\"config\":{}}}}"));
        assertThat(c.name()).isEqualTo("abc");
        assertThat(c.getOrCreate()).isTrue();
        var cfg = ChromaService.configuration(c.configuration());
        assertThat(cfg.hnsw().efSearch()).isEqualTo(5);
        assertThat(cfg.embeddingFunction()).containsEntry("name", "x");
        assertThat(ChromaService.configuration(Map.of())).isNull();

        var legacy = ChromaService.legacyConfiguration(Map.of("_type", "CollectionConfigurationInternal",
                "hnsw_configuration", Map.of("_type", "HNSWConfigurationInternal", "M", 32L, "space", "cosine")));
        assertThat(legacy.hnsw().maxNeighbors()).isEqualTo(32);

        var m = V2.modifyCollection(b("{\"new_name\":null,\"new_metadata\":{\"a\":1}}"));
        assertThat(m.newName()).isNull();
        assertThat(m.newMetadata()).containsEntry("a", 1L);
    }

    @Test
    void deleteWithoutBodyIsEmpty() {
        var d = V2.delete(new byte[0]);
        assertThat(d.ids()).isNull();
        assertThat(d.where()).isNull();
    }

    /**
     * The fast float parser must round exactly as Float.parseFloat: float text written by
     * Float.toString comes back bit for bit, and longer decimal text (what a client holding doubles
     * sends) rounds to the same float.
     */
    @Test
    void floatTextParsesToTheCorrectlyRoundedFloat() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        int n = 20_000;
        float[] expected = new float[n];
        StringBuilder json = new StringBuilder("{\"ids\":[\"a\"],\"embeddings\":[[");
        for (int i = 0; i < n; i++) {
            String text;
            if (i % 2 == 0) {
                float f;
                do {
                    f = Float.intBitsToFloat(r.nextInt());
                } while (!Float.isFinite(f));
                text = Float.toString(f);
            } else {
                text = Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(-30, 30)));
            }
            expected[i] = Float.parseFloat(text);
            json.append(i == 0 ? "" : ",").append(text);
        }
        json.append("]]}");
        float[] got = V2.records(b(json.toString())).embeddings().get(0);
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToRawIntBits(got[i])).as("value %d", i).isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }
}
