package io.chroma.server.internal;

import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.QueryResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseWriterTest {

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void getResultWritesChroma1xKeysAndOnV1AlsoChroma05s() {
        var r = new GetResult(List.of("a", "b"), List.of(new float[] {1f, 0.5f}, new float[] {-2f, 3.25e-7f}),
                null, Arrays.asList(Map.of("k", 1L), null), null, List.of(Include.EMBEDDINGS, Include.METADATAS));
        assertThat(s(ResponseWriter.json(g -> ResponseWriter.writeGetResult(g, r, true)))).isEqualTo(
                "{\"ids\":[\"a\",\"b\"],\"embeddings\":[[1.0,0.5],[-2.0,3.25E-7]],\"documents\":null,\"uris\":null,"
                        + "\"data\":null,\"metadatas\":[{\"k\":1},null],\"include\":[\"embeddings\",\"metadatas\"],"
                        + "\"included\":[\"embeddings\",\"metadatas\"]}");
        // /api/v2: exactly Chroma 1.x's keys
        assertThat(s(ResponseWriter.json(g -> ResponseWriter.writeGetResult(g, r, false)))).isEqualTo(
                "{\"ids\":[\"a\",\"b\"],\"embeddings\":[[1.0,0.5],[-2.0,3.25E-7]],\"documents\":null,\"uris\":null,"
                        + "\"metadatas\":[{\"k\":1},null],\"include\":[\"embeddings\",\"metadatas\"]}");
    }

    @Test
    void queryResultNestsPerQueryRow() {
        var r = new QueryResult(List.of(List.of("a"), List.of()), null, List.of(List.of("doc"), List.of()), null, null,
                List.of(List.of(0.25f), List.of()), List.of(Include.DOCUMENTS, Include.DISTANCES));
        assertThat(s(ResponseWriter.json(g -> ResponseWriter.writeQueryResult(g, r, true)))).isEqualTo(
                "{\"ids\":[[\"a\"],[]],\"embeddings\":null,\"documents\":[[\"doc\"],[]],\"uris\":null,\"data\":null,"
                        + "\"metadatas\":null,\"distances\":[[0.25],[]],\"include\":[\"documents\",\"distances\"],"
                        + "\"included\":[\"documents\",\"distances\"]}");
        assertThat(s(ResponseWriter.json(g -> ResponseWriter.writeQueryResult(g, r, false)))).isEqualTo(
                "{\"ids\":[[\"a\"],[]],\"embeddings\":null,\"documents\":[[\"doc\"],[]],\"uris\":null,"
                        + "\"metadatas\":null,\"distances\":[[0.25],[]],\"include\":[\"documents\",\"distances\"]}");
    }

    @Test
    void errorsAreEscaped() {
        assertThat(s(ResponseWriter.error("InvalidArgumentError", "bad \"x\"\n")))
                .isEqualTo("{\"error\":\"InvalidArgumentError\",\"message\":\"bad \\\"x\\\"\\n\"}");
    }
}
