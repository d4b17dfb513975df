package io.chroma.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chroma.core.StoreMaintenance;
import io.chroma.server.auth.AuthProvider;
import io.chroma.server.auth.AuthSettings;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v2/admin}: vacuum, backup and check of the store a running server holds. */
class AdminApiTest {
    private static final String COLLECTIONS = "/api/v2/tenants/default_tenant/databases/default_database/collections";

    /** Adds {@code n} 4-d records to a new collection, deletes every other one; returns its id. */
    private static String collectionWithDeletes(Wire w, int n) {
        String id = w.post(COLLECTIONS, "{\"name\":\"admin_test\"}").json().get("id").asText();
        StringBuilder ids = new StringBuilder(), embs = new StringBuilder(), gone = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String sep = i == 0 ? "" : ",";
            ids.append(sep).append("\"r").append(i).append('"');
            embs.append(sep).append("[").append(i).append(",1,2,3]");
            if (i % 2 == 0) {
                gone.append(gone.isEmpty() ? "" : ",").append("\"r").append(i).append('"');
            }
        }
        Wire.Reply add = w.post(COLLECTIONS + "/" + id + "/add", "{\"ids\":[" + ids + "],\"embeddings\":[" + embs + "]}");
        assertThat(add.status()).as(add.toString()).isIn(200, 201);
        assertThat(w.post(COLLECTIONS + "/" + id + "/delete", "{\"ids\":[" + gone + "]}").status()).isEqualTo(200);
        return id;
    }

    @Test
    void vacuumBackupAndCheckOnARunningServer(@TempDir Path tmp) throws Exception {
        try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPath(tmp.resolve("data")).withPort(0))) {
            Wire w = new Wire(server.url());
            String id = collectionWithDeletes(w, 2000);

            Wire.Reply vacuum = w.post("/api/v2/admin/vacuum", "");
            assertThat(vacuum.status()).as(vacuum.toString()).isEqualTo(200);
            JsonNode v = vacuum.json();
            assertThat(v.get("bytes_before").asLong()).isPositive();
            assertThat(v.get("bytes_after").asLong()).isPositive().isLessThan(v.get("bytes_before").asLong());
            assertThat(v.get("indexes").asInt()).isEqualTo(1);

            Wire.Reply check = w.post("/api/v2/admin/check", "");
            assertThat(check.status()).isEqualTo(200);
            assertThat(check.json().get("consistent").asBoolean()).as(check.toString()).isTrue();
            assertThat(check.json().get("records").asLong()).isEqualTo(1000);

            Path backup = tmp.resolve("backup");
            Wire.Reply b = w.post("/api/v2/admin/backup", "{\"path\":" + Wire.json(backup.toString()) + "}");
            assertThat(b.status()).as(b.toString()).isEqualTo(200);
            assertThat(b.json().get("records").asLong()).isEqualTo(1000);
            assertThat(b.json().get("format_version").asInt()).isEqualTo(1);
            assertThat(backup.resolve("manifest.properties")).exists();

            // the server keeps serving
            assertThat(w.get(COLLECTIONS + "/" + id + "/count").text()).isEqualTo("1000");

            // errors are {"error","message"} with a status a client can act on
            Wire.Reply again = w.post("/api/v2/admin/backup", "{\"path\":" + Wire.json(backup.toString()) + "}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.message()).contains("not empty");
            Wire.Reply relative = w.post("/api/v2/admin/backup", "{\"path\":\"relative/dir\"}");
            assertThat(relative.status()).isEqualTo(400);
            assertThat(relative.error()).isEqualTo("InvalidArgumentError");
            assertThat(relative.message()).contains("absolute");
            Wire.Reply noPath = w.post("/api/v2/admin/backup", "{}");
            assertThat(noPath.status()).isEqualTo(422);
            assertThat(noPath.message()).contains("path");
            Wire.Reply inside = w.post("/api/v2/admin/backup",
                    "{\"path\":" + Wire.json(tmp.resolve("data").resolve("x").toString()) + "}");
            assertThat(inside.status()).isEqualTo(400);
        }
        // the backup restores into a store that serves the same records
        StoreMaintenance.RestoreResult r = StoreMaintenance.restore(tmp.resolve("backup"), tmp.resolve("restored"), false);
        assertThat(r.check().problems()).isEmpty();
        assertThat(r.check().records()).isEqualTo(1000);
    }

    @Test
    void anInMemoryServerHasNothingToVacuumOrBackUp(@TempDir Path tmp) {
        try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0))) {
            Wire w = new Wire(server.url());
            Wire.Reply vacuum = w.post("/api/v2/admin/vacuum", "");
            assertThat(vacuum.status()).isEqualTo(400);
            assertThat(vacuum.message()).contains("memory");
            Wire.Reply backup = w.post("/api/v2/admin/backup", "{\"path\":" + Wire.json(tmp.resolve("b").toString()) + "}");
            assertThat(backup.status()).isEqualTo(400);
            assertThat(Files.exists(tmp.resolve("b"))).isFalse();
        }
    }

    @Test
    void withTokenAuthOnlyAnUnrestrictedUserMayRunMaintenance(@TempDir Path tmp) throws Exception {
        Path users = tmp.resolve("users.yaml");
        Files.writeString(users, """
                users:
                  - id: admin
                    role: admin
                    tokens: [admin-token]
                  - id: alice
                    role: user
                    tenant: default_tenant
                    databases: [default_database]
                    tokens: [alice-token]
                """);
        try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPath(tmp.resolve("data")).withPort(0)
                .withAuth(AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentialsFile(users)))) {
            Wire w = new Wire(server.url());
            assertThat(send(w, "/api/v2/admin/vacuum", null).status()).isEqualTo(401);
            assertThat(send(w, "/api/v2/admin/vacuum", "alice-token").status()).isEqualTo(403);
            Wire.Reply ok = send(w, "/api/v2/admin/vacuum", "admin-token");
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
            assertThat(send(w, "/api/v2/admin/check", "admin-token").json().get("consistent").asBoolean()).isTrue();
        }
    }

    private static Wire.Reply send(Wire w, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(w.uri(path).toString()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return w.send(b);
    }
}
