package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first crash test: a write the server acknowledged survives SIGKILL of the server process
 * (no shutdown hook, no flush, no close) and is there after a restart on the same directory.
 */
class CrashSmokeTest {
    private static final String COLLECTIONS = "/api/v2/tenants/default_tenant/databases/default_database/collections";

    @Test
    void acknowledgedAddSurvivesSigkill(@TempDir Path data) {
        String id;
        ServerProcess first = ServerProcess.start(data);
        try {
            Http.Response created = Http.post(first.url() + COLLECTIONS, "{\"name\":\"crash_smoke\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            id = (String) created.json().get("id");
            Http.Response added = Http.post(first.url() + COLLECTIONS + "/" + id + "/add",
                    "{\"ids\":[\"survivor\"],\"embeddings\":[[0.25,-1.5,3.0]],\"documents\":[\"still here\"],"
                            + "\"metadatas\":[{\"n\":7,\"s\":\"x\"}]}");
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            first.kill(); // SIGKILL right after the acknowledgement
        } finally {
            first.close();
        }

        try (ServerProcess second = ServerProcess.start(data)) {
            Http.Response got = Http.post(second.url() + COLLECTIONS + "/" + id + "/get",
                    "{\"include\":[\"embeddings\",\"documents\",\"metadatas\"]}");
            assertThat(got.status()).as(got.body()).isEqualTo(200);
            Map<String, Object> body = got.json();
            assertThat(body.get("ids")).isEqualTo(List.of("survivor"));
            assertThat(body.get("documents")).isEqualTo(List.of("still here"));
            assertThat(body.get("metadatas")).isEqualTo(List.of(Map.of("n", 7L, "s", "x")));
            @SuppressWarnings("unchecked")
            List<Number> embedding = ((List<List<Number>>) body.get("embeddings")).get(0);
            assertThat(embedding.stream().map(Number::doubleValue).toList()).containsExactly(0.25, -1.5, 3.0);
            assertThat(Http.get(second.url() + COLLECTIONS + "/" + id + "/count").body().trim()).isEqualTo("1");
        }
    }
}
