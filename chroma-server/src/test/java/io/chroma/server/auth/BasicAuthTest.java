package io.chroma.server.auth;

import static io.chroma.server.auth.AuthTestSupport.NO_QUERY;
import static io.chroma.server.auth.AuthTestSupport.basic;
import static io.chroma.server.auth.AuthTestSupport.headers;
import static io.chroma.server.auth.AuthTestSupport.htpasswdLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicAuthTest {

    private static final String LIST = "/api/v2/tenants/default_tenant/databases/default_database/collections";

    @TempDir
    Path dir;

    private Path htpasswd;
    private AuthTestSupport.CountingVerifier bcrypt;
    private Authenticator auth;

    @BeforeEach
    void setUp() throws Exception {
        htpasswd = dir.resolve("server.htpasswd");
        Files.writeString(htpasswd, String.join("\n",
                htpasswdLine("admin", "admin", "$2y$"),
                "",
                htpasswdLine("alice", "wonder:land", "$2b$"),   // a colon in the password
                "# a comment line",
                htpasswdLine("bob", "bu1lder", "$2a$"),
                htpasswdLine("zoë", "pässwörd", "$2y$")) + "\r\n");
        bcrypt = new AuthTestSupport.CountingVerifier();
        auth = Authenticator.create(basicSettings(htpasswd), null, bcrypt, Authenticator.DEFAULT_CACHE_CAPACITY);
    }

    private static AuthSettings basicSettings(Path file) {
        return AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTH_CREDENTIALS_FILE", file.toString(),
                "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider",
                "CHROMA_SERVER_AUTH_PROVIDER", "chromadb.auth.basic.BasicAuthServerProvider"));
    }

    private AuthResult get(String authorization) {
        return auth.authenticate("GET", LIST,
                authorization == null ? headers() : headers("Authorization", authorization), NO_QUERY);
    }

    @Test
    void everyUserLineCountsWhateverTheBcryptPrefix() {
        assertAllowed(get(basic("admin", "admin")), "admin");
        assertAllowed(get(basic("alice", "wonder:land")), "alice");
        assertAllowed(get(basic("bob", "bu1lder")), "bob");
        assertAllowed(get(basic("zoë", "pässwörd")), "zoë");
    }

    @Test
    void basicUsersAreUnrestricted() {
        AuthResult r = get(basic("bob", "bu1lder"));
        assertThat(((AuthResult.Allowed) r).identity()).isEqualTo(new Identity("bob", "*", List.of("*")));
        assertAllowed(auth.authenticate("POST", "/api/v2/tenants/other/databases/x/collections",
                headers("Authorization", basic("bob", "bu1lder")), NO_QUERY), "bob");
        assertAllowed(auth.authenticate("POST", "/api/v2/reset",
                headers("Authorization", basic("bob", "bu1lder")), NO_QUERY), "bob");
    }

    @Test
    void wrongPasswordIs401WithChallenge() {
        AuthResult r = get(basic("admin", "nimda"));
        assertUnauthorized(r);
        AuthResult.Denied d = (AuthResult.Denied) r;
        assertThat(d.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"chroma\"");
        assertThat(d.jsonBody()).isEqualTo("{\"error\":\"AuthorizationError\",\"message\":\"Unauthorized\"}");
    }

    @Test
    void unknownUserIs401AndCostsOneBcryptLikeAKnownUser() {
        assertUnauthorized(get(basic("mallory", "admin")));
        assertThat(bcrypt.calls.get()).as("decoy check keeps timing like a wrong password").isEqualTo(1);
        // another user's password does not open an unknown user name
        assertUnauthorized(get(basic("nobody", "bu1lder")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "Basic", "Basic ", "Basic !!!notbase64!!!", "Bearer admin", "Digest abc",
        "Basic YWRtaW4=",       // "admin", no colon
        "Basic OmFkbWlu",       // ":admin", empty user
        "Basic YWRtaW46",       // "admin:", empty password
        "Basic /w==",           // not UTF-8
    })
    void malformedHeadersAre401WithoutBcrypt(String value) {
        assertUnauthorized(get(value));
        assertThat(bcrypt.calls.get()).isZero();
    }

    @Test
    void missingHeaderIs401() {
        assertUnauthorized(get(null));
        assertUnauthorized(auth.authenticate("GET", LIST, headers("X-Chroma-Token", "admin"), NO_QUERY));
    }

    @Test
    void schemeIsCaseInsensitiveAndHeaderLookupIsTheCallersJob() {
        String b64 = Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        assertAllowed(get("basic " + b64), "admin");
        assertAllowed(get("  BASIC   " + b64 + "  "), "admin");
    }

    @Test
    void bcryptRunsOncePerDistinctCredential() {
        for (int i = 0; i < 50; i++) {
            assertAllowed(get(basic("admin", "admin")), "admin");
            assertUnauthorized(get(basic("admin", "wrong")));
        }
        assertThat(bcrypt.calls.get()).isEqualTo(2);
        assertAllowed(get(basic("bob", "bu1lder")), "bob");
        assertThat(bcrypt.calls.get()).isEqualTo(3);
        assertThat(auth.cachedCredentials()).isEqualTo(3);
    }

    @Test
    void concurrentFirstRequestsShareOneBcrypt() throws Exception {
        int threads = 8;
        var latch = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<AuthResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < threads * 4; i++) {
                String pw = i % 2 == 0 ? "admin" : "wrong";
                results.add(pool.submit(() -> {
                    latch.await();
                    return get(basic("admin", pw));
                }));
            }
            latch.countDown();
            for (int i = 0; i < results.size(); i++) {
                AuthResult r = results.get(i).get(30, TimeUnit.SECONDS);
                assertThat(r.allowed()).isEqualTo(i % 2 == 0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(bcrypt.calls.get()).as("one bcrypt per distinct credential, even under concurrency").isEqualTo(2);
    }

    @Test
    void cacheIsBoundedAndEvictsLeastRecentlyUsed() throws Exception {
        Authenticator small = Authenticator.create(basicSettings(htpasswd), null, bcrypt, 2);
        small.authenticate("GET", LIST, headers("Authorization", basic("admin", "admin")), NO_QUERY);
        small.authenticate("GET", LIST, headers("Authorization", basic("bob", "bu1lder")), NO_QUERY);
        small.authenticate("GET", LIST, headers("Authorization", basic("admin", "admin")), NO_QUERY); // hit, now MRU
        small.authenticate("GET", LIST, headers("Authorization", basic("alice", "wonder:land")), NO_QUERY); // evicts bob
        assertThat(bcrypt.calls.get()).isEqualTo(3);
        assertThat(small.cachedCredentials()).isEqualTo(2);
        small.authenticate("GET", LIST, headers("Authorization", basic("admin", "admin")), NO_QUERY);
        assertThat(bcrypt.calls.get()).as("admin still cached").isEqualTo(3);
        small.authenticate("GET", LIST, headers("Authorization", basic("bob", "bu1lder")), NO_QUERY);
        assertThat(bcrypt.calls.get()).as("bob was evicted").isEqualTo(4);
    }

    @Test
    void nonBlockingCallDefersOnlyCacheMisses() {
        var h = headers("Authorization", basic("admin", "admin"));
        assertThat(auth.authenticateWithoutBlocking("GET", LIST, h, NO_QUERY)).isEmpty();
        assertThat(bcrypt.calls.get()).isZero();
        assertAllowed(auth.authenticate("GET", LIST, h, NO_QUERY), "admin");
        assertThat(auth.authenticateWithoutBlocking("GET", LIST, h, NO_QUERY)).get()
                .satisfies(r -> assertAllowed(r, "admin"));
        // decisions that need no bcrypt are never deferred
        assertThat(auth.authenticateWithoutBlocking("GET", LIST, headers(), NO_QUERY)).get()
                .satisfies(BasicAuthTest::assertUnauthorized);
        assertThat(auth.authenticateWithoutBlocking("GET", "/api/v2/heartbeat", headers(), NO_QUERY)).get()
                .satisfies(r -> assertThat(r.allowed()).isTrue());
        assertThat(bcrypt.calls.get()).isEqualTo(1);
    }

    @Test
    void inlineHtpasswdCredentialsWork() {
        AuthSettings s = AuthSettings.none().withProvider(AuthProvider.BASIC)
                .withCredentials(htpasswdLine("admin", "admin", "$2y$"));
        Authenticator a = Authenticator.create(s);
        assertAllowed(a.authenticate("GET", LIST, headers("Authorization", basic("admin", "admin")), NO_QUERY), "admin");
    }

    @Test
    void badHtpasswdContentNamesTheSettingAndLineButNotTheSecret() throws Exception {
        Path md5 = dir.resolve("md5.htpasswd");
        Files.writeString(md5, htpasswdLine("ok", "ok", "$2y$") + "\nadmin:$apr1$Wm8Nq5Xb$4qkXH5VgkqZ8fq1pFd2oA/\n");
        assertThatThrownBy(() -> Authenticator.create(basicSettings(md5)))
                .isInstanceOf(AuthConfigurationException.class)
                .hasMessageContaining("CHROMA_SERVER_AUTHN_CREDENTIALS_FILE").hasMessageContaining("Line 2")
                .hasMessageContaining("bcrypt")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("$apr1$"));

        Path dup = dir.resolve("dup.htpasswd");
        Files.writeString(dup, htpasswdLine("admin", "a", "$2y$") + "\n" + htpasswdLine("admin", "b", "$2y$"));
        assertThatThrownBy(() -> Authenticator.create(basicSettings(dup)))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("Line 2").hasMessageContaining("unique");

        Path plain = dir.resolve("plain.htpasswd");
        Files.writeString(plain, "admin:admin\n");
        assertThatThrownBy(() -> Authenticator.create(basicSettings(plain)))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("Line 1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("admin:admin"));

        Path noColon = dir.resolve("nocolon.htpasswd");
        Files.writeString(noColon, "admin\n");
        assertThatThrownBy(() -> Authenticator.create(basicSettings(noColon)))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("user:bcrypt-hash");

        Path empty = dir.resolve("empty.htpasswd");
        Files.writeString(empty, "\n# nothing\n");
        assertThatThrownBy(() -> Authenticator.create(basicSettings(empty)))
                .isInstanceOf(AuthConfigurationException.class).hasMessageContaining("no user");
    }

    @Test
    void realHtpasswdBinaryOutputIsAccepted() throws Exception {
        Path bin = Path.of("/usr/bin/htpasswd");
        assumeTrue(Files.isExecutable(bin), "apache2-utils (htpasswd) not installed");
        Process p = new ProcessBuilder(bin.toString(), "-Bbn", "admin", "admin").redirectErrorStream(false).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).startsWith("admin:$2y$");
        Path file = dir.resolve("real.htpasswd");
        Files.writeString(file, out);   // htpasswd -n ends with an empty line: must be tolerated
        Authenticator a = Authenticator.create(basicSettings(file));
        assertAllowed(a.authenticate("GET", LIST, headers("Authorization", basic("admin", "admin")), NO_QUERY), "admin");
        assertUnauthorized(a.authenticate("GET", LIST, headers("Authorization", basic("admin", "Admin")), NO_QUERY));
    }

    @Test
    void prefixMappingForJbcrypt() {
        assertThat(HtpasswdStore.toJbcryptPrefix("$2y$05$abc")).isEqualTo("$2a$05$abc");
        assertThat(HtpasswdStore.toJbcryptPrefix("$2b$05$abc")).isEqualTo("$2a$05$abc");
        assertThat(HtpasswdStore.toJbcryptPrefix("$2a$05$abc")).isEqualTo("$2a$05$abc");
    }

    @Test
    void nothingSecretInToString() {
        assertThat(auth.toString()).doesNotContain("$2");
        assertThat(HtpasswdStore.parse(htpasswdLine("admin", "admin", "$2y$"), "X").toString()).doesNotContain("$2");
    }

    static void assertAllowed(AuthResult r, String user) {
        assertThat(r).isInstanceOf(AuthResult.Allowed.class);
        AuthResult.Allowed a = (AuthResult.Allowed) r;
        assertThat(a.authenticated()).isTrue();
        assertThat(a.identity().userId()).isEqualTo(user);
    }

    static void assertUnauthorized(AuthResult r) {
        assertThat(r).isInstanceOf(AuthResult.Denied.class);
        AuthResult.Denied d = (AuthResult.Denied) r;
        assertThat(d.status()).isEqualTo(401);
        assertThat(d.error()).isEqualTo("AuthorizationError");
        assertThat(d.message()).isEqualTo("Unauthorized");
    }
}
