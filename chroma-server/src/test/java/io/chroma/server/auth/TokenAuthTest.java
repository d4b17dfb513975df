package io.chroma.server.auth;

import static io.chroma.server.auth.AuthTestSupport.NO_QUERY;
import static io.chroma.server.auth.AuthTestSupport.headers;
import static io.chroma.server.auth.AuthTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAuthTest {

    private static final String COLLECTIONS = "/api/v2/tenants/default_tenant/databases/default_database/collections";

    private static final String USERS_YAML = """
            users:
              - id: admin
                role: admin
                tokens: [admin-token-1, "admin-token-2"]
              - id: acme-user
                role: writer
                tenant: acme
                databases: [prod, staging]
                tokens:
                  - acme-token
              - id: acme-any-db
                tenant: acme
                databases: ["*"]
                tokens: [acme-any-token]
              - id: any-tenant-one-db
                tenant: "*"
                databases: [shared]
                tokens: [shared-token]
            """;

    @TempDir
    Path dir;

    private static Authenticator singleToken(TokenHeader header) {
        return Authenticator.create(AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTH_CREDENTIALS", "test-token",
                "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "chromadb.auth.token.TokenConfigServerAuthCredentialsProvider",
                "CHROMA_SERVER_AUTH_PROVIDER", "chromadb.auth.token.TokenAuthServerProvider",
                "CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER", header.name())));
    }

    private Authenticator usersFile(String yaml, String header) throws Exception {
        Path f = dir.resolve("users.yaml");
        Files.writeString(f, yaml);
        return Authenticator.create(AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_PROVIDER", "chromadb.auth.token_authn.TokenAuthenticationServerProvider",
                "CHROMA_SERVER_AUTHN_CREDENTIALS_FILE", f.toString(),
                "CHROMA_AUTH_TOKEN_TRANSPORT_HEADER", header)));
    }

    @Test
    void bearerTokenByDefault() {
        Authenticator a = singleToken(TokenHeader.AUTHORIZATION);
        AuthResult r = a.authenticate("GET", COLLECTIONS, headers("Authorization", "Bearer test-token"), NO_QUERY);
        assertThat(r).isEqualTo(new AuthResult.Allowed(new Identity("anonymous", "*", List.of("*")), true));
        assertThat(a.authenticate("GET", COLLECTIONS, headers("authorization", "bearer   test-token "), NO_QUERY).allowed()).isTrue();
    }

    @Test
    void bearerFailures() {
        Authenticator a = singleToken(TokenHeader.AUTHORIZATION);
        for (String v : new String[] {"test-token", "Bearer", "Bearer ", "Bearer test-token2", "Bearer test-toke",
                                      "Basic dGVzdC10b2tlbg==", "Bearer TEST-TOKEN"}) {
            AuthResult r = a.authenticate("GET", COLLECTIONS, headers("Authorization", v), NO_QUERY);
            assertThat(r).as(v).isInstanceOf(AuthResult.Denied.class);
            AuthResult.Denied d = (AuthResult.Denied) r;
            assertThat(d.status()).isEqualTo(401);
            assertThat(d.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"chroma\"");
        }
        assertThat(a.authenticate("GET", COLLECTIONS, headers(), NO_QUERY).allowed()).isFalse();
        assertThat(a.authenticate("GET", COLLECTIONS, headers("X-Chroma-Token", "test-token"), NO_QUERY).allowed())
                .as("only the configured header counts").isFalse();
    }

    @Test
    void xChromaTokenHeader() {
        Authenticator a = singleToken(TokenHeader.X_CHROMA_TOKEN);
        assertThat(a.authenticate("GET", COLLECTIONS, headers("X-Chroma-Token", "test-token"), NO_QUERY).allowed()).isTrue();
        assertThat(a.authenticate("GET", COLLECTIONS, headers("x-chroma-token", " test-token "), NO_QUERY).allowed()).isTrue();
        AuthResult wrong = a.authenticate("GET", COLLECTIONS, headers("X-Chroma-Token", "nope"), NO_QUERY);
        assertThat(wrong).isInstanceOf(AuthResult.Denied.class);
        assertThat(((AuthResult.Denied) wrong).headers()).as("no standard challenge for X-Chroma-Token").isEmpty();
        assertThat(a.authenticate("GET", COLLECTIONS, headers("Authorization", "Bearer test-token"), NO_QUERY).allowed())
                .as("only the configured header counts").isFalse();
        assertThat(a.authenticate("GET", COLLECTIONS, headers("X-Chroma-Token", "Bearer test-token"), NO_QUERY).allowed())
                .isFalse();
    }

    @Test
    void everyConfiguredTokenWorksInBothHeaderModes() throws Exception {
        for (String mode : new String[] {"Authorization", "X-Chroma-Token"}) {
            Authenticator a = usersFile(USERS_YAML, mode);
            for (String token : List.of("admin-token-1", "admin-token-2", "acme-token", "acme-any-token", "shared-token")) {
                Function<String, String> h = mode.equals("Authorization")
                        ? headers("Authorization", "Bearer " + token) : headers("X-Chroma-Token", token);
                assertThat(a.authenticate("GET", "/api/v2/auth/identity", h, NO_QUERY).allowed()).as(mode + " " + token).isTrue();
            }
            Function<String, String> random = mode.equals("Authorization")
                    ? headers("Authorization", "Bearer random-other") : headers("X-Chroma-Token", "random-other");
            assertThat(a.authenticate("GET", "/api/v2/auth/identity", random, NO_QUERY).allowed()).isFalse();
        }
    }

    @Test
    void identityCarriesTheUsersScope() throws Exception {
        Authenticator a = usersFile(USERS_YAML, "Authorization");
        AuthResult r = a.authenticate("GET", "/api/v2/auth/identity", headers("Authorization", "Bearer acme-token"), NO_QUERY);
        Identity id = ((AuthResult.Allowed) r).identity();
        assertThat(id).isEqualTo(new Identity("acme-user", "acme", List.of("prod", "staging")));
        assertThat(id.toJson()).isEqualTo("{\"user_id\":\"acme-user\",\"tenant\":\"acme\",\"databases\":[\"prod\",\"staging\"]}");
        Identity admin = ((AuthResult.Allowed) a.authenticate("GET", "/api/v2/auth/identity",
                headers("Authorization", "Bearer admin-token-2"), NO_QUERY)).identity();
        assertThat(admin).as("missing tenant/databases mean everything").isEqualTo(new Identity("admin", "*", List.of("*")));
    }

    @Test
    void tenantAndDatabaseScopingOnV2() throws Exception {
        Authenticator a = usersFile(USERS_YAML, "X-Chroma-Token");
        var acme = headers("X-Chroma-Token", "acme-token");
        assertThat(a.authenticate("GET", "/api/v2/tenants/acme", acme, NO_QUERY).allowed()).isTrue();
        assertThat(a.authenticate("GET", "/api/v2/tenants/acme/databases", acme, NO_QUERY).allowed()).isTrue();
        assertThat(a.authenticate("POST", "/api/v2/tenants/acme/databases/prod/collections", acme, NO_QUERY).allowed()).isTrue();
        assertThat(a.authenticate("POST", "/api/v2/tenants/acme/databases/staging/collections/3f1c/add", acme, NO_QUERY).allowed()).isTrue();
        assertForbidden(a.authenticate("GET", "/api/v2/tenants/default_tenant", acme, NO_QUERY));
        assertForbidden(a.authenticate("POST", COLLECTIONS, acme, NO_QUERY));
        assertForbidden(a.authenticate("GET", "/api/v2/tenants/acme/databases/dev/collections", acme, NO_QUERY));
        assertForbidden(a.authenticate("DELETE", "/api/v2/tenants/acme/databases/dev", acme, NO_QUERY));
        assertForbidden(a.authenticate("POST", "/api/v2/tenants", acme, NO_QUERY));
        assertForbidden(a.authenticate("POST", "/api/v2/reset", acme, NO_QUERY));
        assertThat(a.authenticate("GET", "/api/v2/auth/identity", acme, NO_QUERY).allowed()).isTrue();

        var acmeAny = headers("X-Chroma-Token", "acme-any-token");
        assertThat(a.authenticate("GET", "/api/v2/tenants/acme/databases/dev/collections", acmeAny, NO_QUERY).allowed()).isTrue();
        assertForbidden(a.authenticate("GET", "/api/v2/tenants/other/databases/dev/collections", acmeAny, NO_QUERY));
        assertForbidden(a.authenticate("POST", "/api/v2/reset", acmeAny, NO_QUERY));

        var shared = headers("X-Chroma-Token", "shared-token");
        assertThat(a.authenticate("GET", "/api/v2/tenants/t1/databases/shared/collections", shared, NO_QUERY).allowed()).isTrue();
        assertThat(a.authenticate("GET", "/api/v2/tenants/t2/databases/shared", shared, NO_QUERY).allowed()).isTrue();
        assertForbidden(a.authenticate("GET", "/api/v2/tenants/t1/databases/private/collections", shared, NO_QUERY));

        var admin = headers("X-Chroma-Token", "admin-token-1");
        assertThat(a.authenticate("POST", "/api/v2/tenants", admin, NO_QUERY).allowed()).isTrue();
        assertThat(a.authenticate("POST", "/api/v2/reset", admin, NO_QUERY).allowed()).isTrue();
        assertThat(a.authenticate("GET", "/api/v2/tenants/acme/databases/dev/collections", admin, NO_QUERY).allowed()).isTrue();
    }

    @Test
    void tenantAndDatabaseScopingOnV1QueryParameters() throws Exception {
        Authenticator a = usersFile(USERS_YAML, "Authorization");
        var acme = headers("Authorization", "Bearer acme-token");
        assertThat(a.authenticate("GET", "/api/v1/collections", acme, query("tenant", "acme", "database", "prod")).allowed()).isTrue();
        assertThat(a.authenticate("POST", "/api/v1/collections", acme, query("tenant", "acme", "database", "staging")).allowed()).isTrue();
        assertThat(a.authenticate("GET", "/api/v1/count_collections", acme, query("tenant", "acme", "database", "prod")).allowed()).isTrue();
        assertThat(a.authenticate("GET", "/api/v1/collections/my-coll", acme, query("tenant", "acme", "database", "prod")).allowed()).isTrue();
        assertThat(a.authenticate("GET", "/api/v1/tenants/acme", acme, NO_QUERY).allowed()).isTrue();
        assertThat(a.authenticate("GET", "/api/v1/databases/prod", acme, query("tenant", "acme")).allowed()).isTrue();
        // defaults are default_tenant/default_database, which acme-user may not use
        assertForbidden(a.authenticate("GET", "/api/v1/collections", acme, NO_QUERY));
        assertForbidden(a.authenticate("GET", "/api/v1/collections", acme, query("tenant", "acme")));
        assertForbidden(a.authenticate("DELETE", "/api/v1/collections/my-coll", acme, query("tenant", "other", "database", "prod")));
        assertForbidden(a.authenticate("GET", "/api/v1/databases/prod", acme, NO_QUERY));
        assertForbidden(a.authenticate("GET", "/api/v1/tenants/default_tenant", acme, NO_QUERY));
        assertForbidden(a.authenticate("POST", "/api/v1/tenants", acme, NO_QUERY));
        assertForbidden(a.authenticate("POST", "/api/v1/reset", acme, NO_QUERY));
        // record routes by collection id: no resolver given, so any authenticated user passes (documented choice)
        assertThat(a.authenticate("POST", "/api/v1/collections/0b7f4b6e-2d0c-4c61-9f0e-3a1f6d3f2d11/add", acme, NO_QUERY).allowed()).isTrue();
    }

    @Test
    void missingOrBadTokenIs401EvenWhereTheUserWouldBeForbidden() throws Exception {
        Authenticator a = usersFile(USERS_YAML, "Authorization");
        AuthResult r = a.authenticate("POST", "/api/v2/reset", headers("Authorization", "Bearer acme-tokenX"), NO_QUERY);
        assertThat(((AuthResult.Denied) r).status()).isEqualTo(401);
    }

    @Test
    void singleLineFileIsOneTokenForAnonymous() throws Exception {
        Authenticator a = usersFile("\n  file-token  \n\n", "X-Chroma-Token");
        AuthResult r = a.authenticate("POST", "/api/v2/reset", headers("X-Chroma-Token", "file-token"), NO_QUERY);
        assertThat(((AuthResult.Allowed) r).identity()).isEqualTo(Identity.unrestricted("anonymous"));
    }

    @Test
    void badUsersFilesNameTheSettingAndNeverEchoTokens() throws Exception {
        assertConfigError("users:\n  - id: a\n    tokens: [dup-secret]\n  - id: b\n    tokens: [dup-secret]\n", "unique");
        assertConfigError("users:\n  - id: a\n    role: x\n", "no 'tokens'");
        assertConfigError("users:\n  - role: x\n    tokens: [t1]\n", "no 'id'");
        assertConfigError("users: []\n", "no users");
        assertConfigError("users:\n  - id: a\n    tokens: []\n", "empty 'tokens'");
        assertConfigError("users:\n  - id: a\n    tokens: [\"has space-secret\"]\n", "ASCII");
        assertConfigError("users:\n  - id: a\n    tokens: [ok-secret]\n    databases: {a: b}\n", "'databases'");
        assertConfigError("users:\n  - id: a\n    tokens: [ok-secret\n  - id: b\n", "malformed");
        assertConfigError("users: x\nfoo: [bar-secret]\n", "'users' list");
        assertConfigError("two-secret\nlines-secret\n", "'users' list");
        assertConfigError("users:\n  - id: a\n    id: b\n    tokens: [dup-key-secret]\n", "malformed");
    }

    private void assertConfigError(String yaml, String expected) throws Exception {
        assertThatThrownBy(() -> usersFile(yaml, "Authorization"))
                .isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS_FILE")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void tokensAreComparedAsDigestsAgainstEveryEntryWithoutEarlyExit() throws Exception {
        List<Integer> lengths = new ArrayList<>();
        int[] calls = {0};
        TokenStore store = TokenStore.parse(USERS_YAML, "test").withEquality((x, y) -> {
            calls[0]++;
            lengths.add(x.length);
            lengths.add(y.length);
            return MessageDigest.isEqual(x, y);
        });
        int n = store.size();
        assertThat(n).isEqualTo(5);
        for (String token : List.of("admin-token-1", "shared-token", "no-such-token", "x", "a".repeat(500))) {
            calls[0] = 0;
            store.lookup(token);
            assertThat(calls[0]).as("compared with all %d entries for %s", n, token).isEqualTo(n);
        }
        assertThat(lengths).as("fixed-length SHA-256 digests").containsOnly(32);
        assertThat(store.lookup("shared-token")).get().extracting(Identity::userId).isEqualTo("any-tenant-one-db");
        assertThat(store.toString()).doesNotContain("token-1");
    }

    @Test
    void tokenUsersMayBeGivenInline() {
        Authenticator a = Authenticator.create(AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentials(USERS_YAML));
        assertThat(a.authenticate("GET", COLLECTIONS, headers("Authorization", "Bearer admin-token-1"), NO_QUERY).allowed()).isTrue();
        assertForbidden(a.authenticate("GET", COLLECTIONS, headers("Authorization", "Bearer acme-token"), NO_QUERY));
    }

    static void assertForbidden(AuthResult r) {
        assertThat(r).isInstanceOf(AuthResult.Denied.class);
        AuthResult.Denied d = (AuthResult.Denied) r;
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.jsonBody()).isEqualTo("{\"error\":\"AuthError\",\"message\":\"Forbidden\"}");
        assertThat(d.headers()).isEmpty();
    }
}
