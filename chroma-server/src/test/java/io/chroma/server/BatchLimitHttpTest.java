package io.chroma.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches exactly at {@code max_batch_size} are accepted on add, upsert and update; one more
 * record is a 413 {@code BatchSizeExceededError} with an error body, and changes nothing.
 */
class BatchLimitHttpTest {

    @TempDir
    static Path dir;
    static ChromaServer server;
    static RawHttp http;

    @BeforeAll
    static void start() {
        server = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("data")).withPort(0));
        http = new RawHttp(server.url(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String batch(String prefix, int n) {
        StringBuilder b = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append('"').append(prefix).append(i).append('"');
        }
        b.append("],\"embeddings\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append('[').append(i % 97).append(",1]");
        }
        b.append("],\"metadatas\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"p\":\"").append(prefix).append("\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void atTheLimitIsAcceptedOneOverIs413() {
        int max = http.get("/api/v2/pre-flight-checks").json().get("max_batch_size").asInt();
        assertThat(max).isEqualTo(5461);
        String id = http.createCollection("batches");
        String coll = RawHttp.V2 + "/collections/" + id;

        RawHttp.Answer over = http.post(coll + "/add", batch("o", max + 1));
        assertThat(over.status()).as(over.toString()).isEqualTo(413);
        assertThat(over.isClientErrorWithBody()).isTrue();
        assertThat(over.json().get("error").asText()).isEqualTo("BatchSizeExceededError");
        assertThat(http.get(coll + "/count").body()).isEqualTo("0");

        RawHttp.Answer at = http.post(coll + "/add", batch("a", max));
        assertThat(at.status()).as(at.toString()).isEqualTo(201);
        assertThat(http.get(coll + "/count").body()).isEqualTo(String.valueOf(max));

        for (String op : new String[] {"upsert", "update"}) {
            RawHttp.Answer o = http.post(coll + "/" + op, batch("a", max + 1).replace("\"p\":\"a\"", "\"p\":\"" + op + "\""));
            assertThat(o.status()).as(op + " " + o).isEqualTo(413);
            assertThat(o.isClientErrorWithBody()).isTrue();
            RawHttp.Answer a = http.post(coll + "/" + op, batch("a", max).replace("\"p\":\"a\"", "\"p\":\"" + op + "\""));
            assertThat(a.status()).as(op + " " + a).isEqualTo(200);
        }
        // the accepted update re-tagged every record; the refused batches left nothing behind
        assertThat(http.get(coll + "/count").body()).isEqualTo(String.valueOf(max));
        RawHttp.Answer tagged = http.post(coll + "/get", "{\"where\":{\"p\":\"update\"},\"include\":[]}");
        assertThat(tagged.json().get("ids").size()).isEqualTo(max);
        // the v1 API enforces the same limit
        RawHttp.Answer v1 = http.post("/api/v1/collections/" + id + "/add", batch("v", max + 1));
        assertThat(v1.status()).as(v1.toString()).isEqualTo(413);
        assertThat(v1.isClientErrorWithBody()).isTrue();
    }
}
