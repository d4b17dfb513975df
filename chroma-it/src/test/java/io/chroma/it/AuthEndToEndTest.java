package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chroma.api.AuthenticationException;
import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.Query;
import io.chroma.api.Records;
import io.chroma.client.HttpClient;
import io.chroma.client.TokenHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Issue 4 end to end: {@code chroma run} started as users start it (environment variables from the usage guide,
 * both naming generations), then the guide's auth scenarios with Chroma's JavaScript client chromadb@1.8.1
 * (js/v1/auth.mjs) and with our Java {@link HttpClient}: heartbeat and version work without credentials,
 * listCollections fails without and with wrong credentials and works with the right ones, a refused create leaves
 * nothing behind.
 */
class AuthEndToEndTest {

    /** What the guide's {@code htpasswd -Bbn admin admin > server.htpasswd} writes; jBCrypt ($2y$) if htpasswd is absent. */
    static Path htpasswd(Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("server.htpasswd");
        String line;
        try {
            Process p = new ProcessBuilder("htpasswd", "-Bbn", "admin", "admin").redirectErrorStream(false).start();
            line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || !line.startsWith("admin:$2")) {
                throw new IOException("htpasswd failed: " + line);
            }
        } catch (IOException notInstalled) {
            line = "admin:$2y$" + BCrypt.hashpw("admin", BCrypt.gensalt(5)).substring(4);
        }
        return Files.writeString(file, line + "\n");
    }

    @TestFactory
    Stream<DynamicTest> basicWithTheGuides04Settings(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of(
                "CHROMA_SERVER_AUTH_CREDENTIALS_FILE", htpasswd(dir).toString(),
                "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider",
                "CHROMA_SERVER_AUTH_PROVIDER", "chromadb.auth.basic.BasicAuthServerProvider");
        return scenarios("basic", dir, env, "basic (htpasswd",
                b -> b.basicAuth("admin", "admin"),
                List.of(b -> b.basicAuth("admin", "wrong"), b -> b.basicAuth("nobody", "admin"),
                        b -> b.tokenAuth("admin:admin")));
    }

    @TestFactory
    Stream<DynamicTest> tokenInAuthorizationWithThe04Settings(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of(
                "CHROMA_SERVER_AUTH_CREDENTIALS", "test-token",
                "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER", "chromadb.auth.token.TokenConfigServerAuthCredentialsProvider",
                "CHROMA_SERVER_AUTH_PROVIDER", "chromadb.auth.token.TokenAuthServerProvider");
        return scenarios("token", dir, env, "token (Authorization header",
                b -> b.tokenAuth("test-token", TokenHeader.AUTHORIZATION),
                List.of(b -> b.tokenAuth("wrong-token", TokenHeader.AUTHORIZATION),
                        b -> b.tokenAuth("test-token", TokenHeader.X_CHROMA_TOKEN)));
    }

    @TestFactory
    Stream<DynamicTest> tokenInXChromaTokenWithThe05Settings(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of(
                "CHROMA_SERVER_AUTHN_CREDENTIALS", "test-token",
                "CHROMA_SERVER_AUTHN_PROVIDER", "chromadb.auth.token_authn.TokenAuthenticationServerProvider",
                "CHROMA_AUTH_TOKEN_TRANSPORT_HEADER", "X-Chroma-Token");
        return scenarios("token-x", dir, env, "token (X-Chroma-Token header",
                b -> b.tokenAuth("test-token", TokenHeader.X_CHROMA_TOKEN),
                List.of(b -> b.tokenAuth("wrong-token", TokenHeader.X_CHROMA_TOKEN),
                        b -> b.tokenAuth("test-token", TokenHeader.AUTHORIZATION)));
    }

    /** The CLI refuses a misconfiguration at start: exit 1, one line naming the setting, no secret echoed. */
    @Test
    void misconfigurationStopsTheServerAtStart(@TempDir Path dir) throws Exception {
        ServerProcess.Cli.Run noFile = ServerProcess.Cli.launch(List.of("run", "--path", dir.resolve("a").toString(),
                "--port", "0"), Map.of("CHROMA_SERVER_AUTH_PROVIDER", "chromadb.auth.basic.BasicAuthServerProvider"),
                "auth-misconfig-1");
        assertThat(noFile.exitCode(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(noFile.output()).contains("error: auth misconfigured:", "CHROMA_SERVER_AUTH_CREDENTIALS_FILE")
                .doesNotContain("Connect to Chroma at");

        ServerProcess.Cli.Run badHeader = ServerProcess.Cli.launch(List.of("run", "--path", dir.resolve("b").toString(),
                "--port", "0", "--auth-provider", "token", "--auth-credentials", "s3cret-token",
                "--auth-token-header", "X-Api-Key"), Map.of(), "auth-misconfig-2");
        assertThat(badHeader.exitCode(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(badHeader.output()).contains("--auth-token-header").doesNotContain("s3cret-token");
    }

    /** The flags override the environment: a token server from flags alone, while the environment says basic. */
    @Test
    void cliFlagsOverrideTheEnvironment(@TempDir Path dir) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token.txt"), "flag-token\n");
        ServerProcess.Cli.Run run = ServerProcess.Cli.launch(List.of("run", "--path", dir.resolve("data").toString(),
                        "--host", "127.0.0.1", "--port", "0", "--auth-provider", "token",
                        "--auth-credentials-file", tokenFile.toString(), "--auth-token-header", "X_CHROMA_TOKEN"),
                Map.of("CHROMA_SERVER_AUTHN_PROVIDER", "basic"), "auth-flags");
        try {
            String url = awaitUrl(run);
            assertThat(run.output()).contains("Auth: token (X-Chroma-Token header").doesNotContain("flag-token");
            try (HttpClient anon = HttpClient.builder().url(url).build();
                 HttpClient ok = HttpClient.builder().url(url).tokenAuth("flag-token", TokenHeader.X_CHROMA_TOKEN).build()) {
                assertThat(anon.heartbeat()).isPositive();
                assertThatThrownBy(anon::listCollections).isInstanceOf(AuthenticationException.class);
                assertThat(ok.listCollections()).isEmpty();
            }
        } finally {
            run.process().destroy();
            run.exitCode(Duration.ofSeconds(30));
        }
    }

    private static String awaitUrl(ServerProcess.Cli.Run run) {
        long deadline = System.nanoTime() + ServerProcess.START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            var m = java.util.regex.Pattern.compile("Connect to Chroma at: (\\S+)").matcher(run.output());
            if (m.find()) {
                String url = m.group(1).replace("://localhost:", "://127.0.0.1:");
                if (Http.answers(url + "/api/v2/heartbeat")) {
                    return url;
                }
            }
            assertThat(run.process().isAlive()).as("server exited early:\n%s", run.output()).isTrue();
            ServerProcess.sleep(100);
        }
        throw new AssertionError("server did not start:\n" + run.output());
    }

    interface Auth {
        HttpClient.Builder apply(HttpClient.Builder b);
    }

    /** Starts the server with {@code env}, runs the JS scenarios and the Java client checks, reports each. */
    private static Stream<DynamicTest> scenarios(String mode, Path dir, Map<String, String> env, String banner,
                                                 Auth right, List<Auth> wrong) throws Exception {
        NodeScenarios.clientDir("v1");
        Map<String, Throwable> java = new LinkedHashMap<>();
        NodeScenarios.Run js;
        String serverLog;
        try (ServerProcess server = ServerProcess.start(Files.createDirectories(dir.resolve("chroma")), env)) {
            String url = server.url();
            js = runNode(mode, url);
            check(java, "startup line says which auth is on, never the secret", () -> {
                assertThat(server.output()).contains("Auth: " + banner).doesNotContain("test-token")
                        .doesNotContain("$2y$").doesNotContain("$2a$");
            });
            Supplier<HttpClient> anon = () -> HttpClient.builder().url(url).build();
            Supplier<HttpClient> ok = () -> right.apply(HttpClient.builder().url(url)).build();
            check(java, "heartbeat and version work without credentials", () -> {
                try (HttpClient c = anon.get()) {
                    assertThat(c.heartbeat()).isPositive();
                    assertThat(c.version()).matches("\\d+\\.\\d+\\.\\d+.*");
                }
            });
            check(java, "listCollections fails without credentials", () -> {
                try (HttpClient c = anon.get()) {
                    assertThatThrownBy(c::listCollections).isInstanceOf(AuthenticationException.class);
                }
            });
            check(java, "listCollections fails with wrong credentials", () -> {
                for (Auth w : wrong) {
                    try (HttpClient c = w.apply(HttpClient.builder().url(url)).build()) {
                        assertThatThrownBy(c::listCollections).isInstanceOf(AuthenticationException.class);
                    }
                }
            });
            check(java, "listCollections works with the right credentials", () -> {
                try (HttpClient c = ok.get()) {
                    assertThat(c.listCollections()).isNotNull();
                }
            });
            check(java, "a refused create leaves nothing behind", () -> {
                String name = "refused_java_" + mode.replace('-', '_');
                try (HttpClient c = anon.get()) {
                    assertThatThrownBy(() -> c.createCollection(name)).isInstanceOf(AuthenticationException.class);
                }
                for (Auth w : wrong) {
                    try (HttpClient c = w.apply(HttpClient.builder().url(url)).build()) {
                        assertThatThrownBy(() -> c.createCollection(name)).isInstanceOf(AuthenticationException.class);
                    }
                }
                try (HttpClient c = ok.get()) {
                    assertThat(c.listCollections()).extracting(Collection::name).doesNotContain(name);
                }
            });
            check(java, "the right credentials create, add and query", () -> {
                try (HttpClient c = ok.get()) {
                    Collection col = c.createCollection("authed_java_" + mode.replace('-', '_'));
                    col.add(Records.ids("a", "b").embeddings(new float[] {1, 0}, new float[] {0, 1}));
                    assertThat(col.count()).isEqualTo(2);
                    assertThat(col.query(Query.embeddings(new float[] {1, 0.1f}).nResults(1)).ids())
                            .containsExactly(List.of("a"));
                }
            });
            serverLog = server.output();
        }
        List<DynamicTest> tests = new ArrayList<>();
        NodeScenarios.asTests("chromadb@1.8.1 " + mode, js, serverLog).forEach(tests::add);
        java.forEach((name, failure) -> tests.add(DynamicTest.dynamicTest("Java client " + mode + ": " + name, () -> {
            if (failure != null) {
                throw failure;
            }
        })));
        return tests.stream();
    }

    private static void check(Map<String, Throwable> results, String name, Runnable body) {
        try {
            body.run();
            results.put(name, null);
        } catch (Throwable t) {
            results.put(name, t);
        }
    }

    /** node auth.mjs url mode; the same result format as NodeScenarios.run (which runs scenarios.mjs). */
    private static NodeScenarios.Run runNode(String mode, String url) {
        Path dir = NodeScenarios.clientDir("v1");
        Path log = Path.of(System.getProperty("chroma.it.logs", "target/it-logs"))
                .resolve("node-v1-auth-" + mode + "-" + ProcessHandle.current().pid() + ".log");
        int code = NodeScenarios.exec(List.of("node", "auth.mjs", url, mode), dir, log, NodeScenarios.TIMEOUT);
        String output = ServerProcess.read(log);
        List<NodeScenarios.Result> results = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("@@SCENARIO ")) {
                Map<String, Object> j = Json.object(line.substring("@@SCENARIO ".length()));
                results.add(new NodeScenarios.Result((String) j.get("name"), Boolean.TRUE.equals(j.get("ok")),
                        ((Number) j.get("ms")).longValue(), (String) j.get("error")));
            }
        }
        return new NodeScenarios.Run(code, results, output);
    }
}
