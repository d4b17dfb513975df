package io.chroma.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chroma.server.auth.AuthConfigurationException;
import io.chroma.server.auth.AuthProvider;
import io.chroma.server.auth.AuthSettings;
import io.chroma.server.auth.TokenHeader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Auth through the real HTTP stack (AuthFilter + Micronaut + controllers): basic with an htpasswd file of
 * {@code $2y$} hashes (what {@code htpasswd -B} writes), token in both headers, a token users file scoping tokens
 * to tenants and databases, and start-up refusal of bad settings.
 */
class AuthServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String V2_DEFAULT = "/api/v2/tenants/default_tenant/databases/default_database";
    static final List<String> PUBLIC = List.of("/api/v2", "/api/v2/heartbeat", "/api/v2/version",
            "/api/v2/pre-flight-checks", "/api/v1", "/api/v1/heartbeat", "/api/v1/version", "/api/v1/pre-flight-checks");

    record Reply(int status, String text, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** One request; {@code auth} is a header name/value pair or null. */
    static Reply send(ChromaServer s, String method, String path, String body, String... auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i + 1 < auth.length; i += 2) {
            b.header(auth[i], auth[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String[] basic(String user, String password) {
        return new String[] {"Authorization",
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))};
    }

    /** What {@code htpasswd -Bbn user password} prints: jBCrypt writes $2a$, Apache $2y$ (same algorithm). */
    static String htpasswdLine(String user, String password) {
        return user + ":$2y$" + BCrypt.hashpw(password, BCrypt.gensalt(5)).substring(4);
    }

    static void assertUnauthorized(Reply r) {
        assertThat(r.status()).as(r.text()).isEqualTo(401);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.json().get("error").asText()).isEqualTo("AuthorizationError");
    }

    static void assertForbidden(Reply r) {
        assertThat(r.status()).as(r.text()).isEqualTo(403);
        assertThat(r.json().get("error").asText()).isEqualTo("AuthError");
    }

    /** The checks every provider must pass, given right credentials and a list of wrong ones. */
    abstract static class Common {
        ChromaServer server;
        String[] right;
        List<String[]> wrong;

        abstract void assertChallenge(Reply unauthorized);

        @Test
        void publicRoutesNeedNoCredentials() {
            for (String p : PUBLIC) {
                assertThat(send(server, "GET", p, null).status()).as(p).isEqualTo(200);
            }
            assertThat(send(server, "GET", "/api/v2/heartbeat", null, wrong.get(0)).status())
                    .as("public even with wrong credentials").isEqualTo(200);
        }

        @Test
        void listCollectionsNeedsTheRightCredentials() {
            for (String p : List.of(V2_DEFAULT + "/collections", "/api/v1/collections",
                    "/api/v2/tenants/default_tenant", "/api/v2/auth/identity")) {
                Reply none = send(server, "GET", p, null);
                assertUnauthorized(none);
                assertChallenge(none);
                for (String[] w : wrong) {
                    assertUnauthorized(send(server, "GET", p, null, w));
                }
                assertThat(send(server, "GET", p, null, right).status()).as(p).isEqualTo(200);
            }
        }

        @Test
        void aRefusedCreateLeavesNothingBehind() {
            String body = "{\"name\":\"refused_" + getClass().getSimpleName() + "\"}";
            assertUnauthorized(send(server, "POST", V2_DEFAULT + "/collections", body));
            for (String[] w : wrong) {
                assertUnauthorized(send(server, "POST", V2_DEFAULT + "/collections", body, w));
                assertUnauthorized(send(server, "POST", "/api/v1/collections", body, w));
                assertUnauthorized(send(server, "POST", "/api/v2/tenants", "{\"name\":\"refused_tenant\"}", w));
            }
            Reply list = send(server, "GET", V2_DEFAULT + "/collections", null, right);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.text()).doesNotContain("refused_");
            assertThat(send(server, "GET", "/api/v2/tenants/refused_tenant", null, right).status()).isEqualTo(404);
            // and the same create with the right credentials works (so the refusal was about auth, nothing else)
            assertThat(send(server, "POST", V2_DEFAULT + "/collections", body, right).status()).isEqualTo(200);
            assertThat(send(server, "GET", V2_DEFAULT + "/collections", null, right).text()).contains("refused_");
        }

        @Test
        void aRefusedRequestsBodyIsNeverRead() {
            String malformed = "{\"name\": this is not JSON";
            for (String path : List.of(V2_DEFAULT + "/collections", "/api/v1/collections")) {
                assertUnauthorized(send(server, "POST", path, malformed));
                assertUnauthorized(send(server, "POST", path, malformed, wrong.get(0)));
                // with credentials the body is read, and rejected (v2 400, v1 422 as FastAPI did): the 401s above
                // were decided before that
                assertThat(send(server, "POST", path, malformed, right).status()).as(path).isIn(400, 422);
            }
        }

        @Test
        void v2RecordRoutesCheckTheCollectionBelongsToThePathsTenantAndDatabase() {
            Reply created = send(server, "POST", V2_DEFAULT + "/collections", "{\"name\":\"owned\",\"get_or_create\":true}", right);
            String id = created.json().get("id").asText();
            send(server, "POST", "/api/v2/tenants", "{\"name\":\"other_tenant\"}", right);
            send(server, "POST", "/api/v2/tenants/other_tenant/databases", "{\"name\":\"other_db\"}", right);
            assertThat(send(server, "GET", V2_DEFAULT + "/collections/" + id + "/count", null, right).status())
                    .isEqualTo(200);
            String elsewhere = "/api/v2/tenants/other_tenant/databases/other_db/collections/" + id;
            assertThat(send(server, "GET", elsewhere + "/count", null, right).status()).isEqualTo(404);
            assertThat(send(server, "POST", elsewhere + "/get", "{}", right).status()).isEqualTo(404);
            assertThat(send(server, "POST", elsewhere + "/add",
                    "{\"ids\":[\"a\"],\"embeddings\":[[1.0,2.0]]}", right).status()).isEqualTo(404);
            assertThat(send(server, "GET", V2_DEFAULT + "/collections/" + id + "/count", null, right).text())
                    .isEqualTo("0");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Basic extends Common {
        @BeforeAll
        void start() throws IOException {
            // (a @TempDir field is not injected before @BeforeAll in a @Nested PER_CLASS instance)
            Path dir = Files.createTempDirectory("auth-basic");
            Path htpasswd = dir.resolve("server.htpasswd");
            Files.writeString(htpasswd, htpasswdLine("admin", "admin") + "\n" + htpasswdLine("reader", "pw") + "\n");
            server = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0)
                    .withAuth(AuthSettings.none().withProvider(AuthProvider.BASIC).withCredentialsFile(htpasswd)));
            right = basic("admin", "admin");
            wrong = List.of(basic("admin", "wrong"), basic("nobody", "admin"), basic("reader", "admin"),
                    new String[] {"Authorization", "Bearer admin"}, new String[] {"Authorization", "Basic !!!"});
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Override
        void assertChallenge(Reply unauthorized) {
            assertThat(unauthorized.header("WWW-Authenticate")).startsWith("Basic");
        }

        @Test
        void identityNamesTheUser() {
            JsonNode id = send(server, "GET", "/api/v2/auth/identity", null, right).json();
            assertThat(id.get("user_id").asText()).isEqualTo("admin");
            assertThat(send(server, "GET", "/api/v2/auth/identity", null, basic("reader", "pw")).json()
                    .get("user_id").asText()).isEqualTo("reader");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TokenInAuthorization extends Common {
        @BeforeAll
        void start() {
            server = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0)
                    .withAuth(AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentials("test-token")));
            right = new String[] {"Authorization", "Bearer test-token"};
            wrong = List.of(new String[] {"Authorization", "Bearer test-tokeN"},
                    new String[] {"Authorization", "Bearer "}, new String[] {"X-Chroma-Token", "test-token"},
                    new String[] {"Authorization", "test-token"});
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Override
        void assertChallenge(Reply unauthorized) {
            // the header clients should use is advertised; a token server never asks for Basic
            assertThat(String.valueOf(unauthorized.header("WWW-Authenticate"))).doesNotStartWith("Basic");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TokenInXChromaToken extends Common {
        @BeforeAll
        void start() {
            server = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0)
                    .withAuth(AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentials("test-token")
                            .withTokenHeader(TokenHeader.X_CHROMA_TOKEN)));
            right = new String[] {"X-Chroma-Token", "test-token"};
            wrong = List.of(new String[] {"X-Chroma-Token", "nope"},
                    new String[] {"Authorization", "Bearer test-token"});
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Override
        void assertChallenge(Reply unauthorized) {
            assertThat(String.valueOf(unauthorized.header("WWW-Authenticate"))).doesNotStartWith("Basic");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TokenUsersFile {
        ChromaServer server;
        final String[] admin = {"Authorization", "Bearer admin-token"};
        final String[] acme = {"Authorization", "Bearer acme-token"};

        @BeforeAll
        void start() throws IOException {
            Path dir = Files.createTempDirectory("auth-users");
            Path users = dir.resolve("users.yaml");
            Files.writeString(users, """
                    users:
                      - id: admin
                        role: admin
                        tokens: [admin-token]
                      - id: alice
                        role: user
                        tenant: acme
                        databases: [db1]
                        tokens: [acme-token]
                    """);
            server = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("data")).withPort(0)
                    .withAuth(AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentialsFile(users)));
            assertThat(send(server, "POST", "/api/v2/tenants", "{\"name\":\"acme\"}", admin).status()).isEqualTo(200);
            assertThat(send(server, "POST", "/api/v2/tenants/acme/databases", "{\"name\":\"db1\"}", admin).status())
                    .isEqualTo(200);
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void aTokenScopedToAnotherTenantIsForbidden() {
            assertForbidden(send(server, "GET", V2_DEFAULT + "/collections", null, acme));
            assertForbidden(send(server, "POST", V2_DEFAULT + "/collections", "{\"name\":\"by_acme\"}", acme));
            assertForbidden(send(server, "GET", "/api/v2/tenants/acme/databases/db2/collections", null, acme));
            assertThat(send(server, "GET", V2_DEFAULT + "/collections", null, admin).text()).doesNotContain("by_acme");
            assertThat(send(server, "GET", "/api/v2/tenants/acme/databases/db1/collections", null, acme).status())
                    .isEqualTo(200);
            assertThat(send(server, "POST", "/api/v2/tenants/acme/databases/db1/collections",
                    "{\"name\":\"mine\"}", acme).status()).isEqualTo(200);
        }

        @Test
        void v1RecordRoutesAreScopedThroughTheCollectionsTenant() {
            String outside = send(server, "POST", V2_DEFAULT + "/collections",
                    "{\"name\":\"admins\",\"get_or_create\":true}", admin).json().get("id").asText();
            String inside = send(server, "POST", "/api/v2/tenants/acme/databases/db1/collections",
                    "{\"name\":\"alices\",\"get_or_create\":true}", acme).json().get("id").asText();
            assertForbidden(send(server, "GET", "/api/v1/collections/" + outside + "/count", null, acme));
            assertForbidden(send(server, "POST", "/api/v1/collections/" + outside + "/add",
                    "{\"ids\":[\"x\"],\"embeddings\":[[1.0]]}", acme));
            assertThat(send(server, "GET", "/api/v1/collections/" + outside + "/count", null, admin).text())
                    .isEqualTo("0");
            assertThat(send(server, "GET", "/api/v1/collections/" + inside + "/count", null, acme).status())
                    .isEqualTo(200);
        }

        @Test
        void identityCarriesTheTenantAndDatabases() {
            JsonNode id = send(server, "GET", "/api/v2/auth/identity", null, acme).json();
            assertThat(id.get("user_id").asText()).isEqualTo("alice");
            assertThat(id.get("tenant").asText()).isEqualTo("acme");
            assertThat(id.get("databases").toString()).isEqualTo("[\"db1\"]");
        }
    }

    @Test
    void withoutAuthIdentityIsTheDefaultUser() {
        try (ChromaServer s = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0))) {
            Reply r = send(s, "GET", "/api/v2/auth/identity", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(JSON.convertValue(r.json(), Map.class)).isEqualTo(Map.of("user_id", "",
                    "tenant", "default_tenant", "databases", List.of("default_database")));
            assertThat(send(s, "GET", V2_DEFAULT + "/collections", null).status()).isEqualTo(200);
        }
    }

    @Test
    void misconfigurationStopsStartBeforeTheStoreOpens(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("data");
        ServerConfig base = ServerConfig.defaults().withPath(data).withPort(0);
        assertThatThrownBy(() -> ChromaServer.start(base.withAuth(AuthSettings.none().withProvider(AuthProvider.BASIC))))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS_FILE");
        assertThatThrownBy(() -> ChromaServer.start(base.withAuth(AuthSettings.none().withProvider(AuthProvider.BASIC)
                .withCredentialsFile(dir.resolve("missing.htpasswd")))))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("does not exist");
        Path notHtpasswd = Files.writeString(dir.resolve("plain.htpasswd"), "admin:admin\n");
        assertThatThrownBy(() -> ChromaServer.start(base.withAuth(AuthSettings.none().withProvider(AuthProvider.BASIC)
                .withCredentialsFile(notHtpasswd))))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS_FILE");
        Path badYaml = Files.writeString(dir.resolve("users.yaml"), "users:\n  - id: [\n");
        assertThatThrownBy(() -> ChromaServer.start(base.withAuth(AuthSettings.none().withProvider(AuthProvider.TOKEN)
                .withCredentialsFile(badYaml)))).isInstanceOf(AuthConfigurationException.class);
        assertThat(Files.exists(data)).as("the store was never opened").isFalse();
        // the environment names work end to end too (0.4 generation)
        AuthSettings env = AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTH_PROVIDER", "chromadb.auth.token.TokenAuthServerProvider",
                "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "chromadb.auth.token.TokenConfigServerAuthCredentialsProvider",
                "CHROMA_SERVER_AUTH_CREDENTIALS", "test-token",
                "CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER", "X_CHROMA_TOKEN"));
        try (ChromaServer s = ChromaServer.start(base.withAuth(env))) {
            assertUnauthorized(send(s, "GET", V2_DEFAULT + "/collections", null, "Authorization", "Bearer test-token"));
            assertThat(send(s, "GET", V2_DEFAULT + "/collections", null, "X-Chroma-Token", "test-token").status())
                    .isEqualTo(200);
            assertThat(ChromaServer.describeAuth(s.config())).contains("token", "X-Chroma-Token")
                    .doesNotContain("test-token");
        }
    }
}
