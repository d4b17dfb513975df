package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `chroma` command as a script sees it: output, exit codes, signals, environment settings. */
class CliProcessTest {
    private static final Duration EXIT = Duration.ofSeconds(60);

    private static ServerProcess.Cli.Run cli(String name, String... args) {
        return ServerProcess.Cli.launch(List.of(args), Map.of(), name);
    }

    @Test
    void helpAndVersionExitZero() {
        var help = cli("help", "--help");
        assertThat(help.exitCode(EXIT)).isZero();
        assertThat(help.output()).contains("Usage: chroma", "run", "Exit codes", "3   not found", "8   store inconsistent");

        var version = cli("version", "--version");
        assertThat(version.exitCode(EXIT)).isZero();
        assertThat(version.output()).containsPattern("chroma \\(Java\\) \\d+\\.\\d+\\.\\d+");

        var runHelp = cli("run-help", "run", "--help");
        assertThat(runHelp.exitCode(EXIT)).isZero();
        assertThat(runHelp.output()).contains("--path", "--host", "--port", "./chroma_data", "8000", "localhost",
                "ALLOW_RESET", "CHROMA_SERVER_CORS_ALLOW_ORIGINS");
    }

    @Test
    void usageErrorsExitTwoWithAShortMessage() {
        for (String[] args : List.of(new String[] {"run", "--bogus"}, new String[] {"run", "--port", "x"},
                new String[] {"run", "--port", "70000"}, new String[] {"frobnicate"}, new String[] {})) {
            var run = cli("usage", args);
            assertThat(run.exitCode(EXIT)).as("chroma %s", String.join(" ", args)).isEqualTo(2);
            assertThat(run.output()).as("chroma %s", String.join(" ", args)).contains("--help").doesNotContain("\tat ");
        }
    }

    @Test
    void badCorsSettingIsAUsageError(@TempDir Path data) {
        var run = ServerProcess.Cli.launch(List.of("run", "--path", data.toString(), "--port", "0"),
                Map.of("CHROMA_SERVER_CORS_ALLOW_ORIGINS", "http://x"), "bad-cors");
        assertThat(run.exitCode(EXIT)).isEqualTo(2);
        assertThat(run.output()).contains("CHROMA_SERVER_CORS_ALLOW_ORIGINS");
    }

    @Test
    void portInUseExitsOneWithOneLine(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            var run = ServerProcess.Cli.launch(List.of("run", "--path", data.toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(taken.getLocalPort())), Map.of(), "port-taken");
            assertThat(run.exitCode(EXIT)).isEqualTo(1);
            List<String> errorLines = errorLines(run.output());
            assertThat(errorLines).as(run.output()).hasSize(1);
            assertThat(errorLines.get(0)).containsIgnoringCase("address");
            assertThat(run.output()).doesNotContain("\tat ");
        }
    }

    @Test
    void pathInUseExitsOneWithOneLine(@TempDir Path data) {
        try (ServerProcess first = ServerProcess.start(data)) {
            var second = ServerProcess.Cli.launch(List.of("run", "--path", data.toString(), "--host", "127.0.0.1",
                    "--port", "0"), Map.of(), "path-in-use");
            assertThat(second.exitCode(EXIT)).isEqualTo(1);
            List<String> errorLines = errorLines(second.output());
            assertThat(errorLines).as(second.output()).hasSize(1);
            assertThat(errorLines.get(0)).contains("in use");
            assertThat(second.output()).doesNotContain("\tat ");
            assertThat(Http.answers(first.url() + "/api/v2/heartbeat")).as("the first server still serves").isTrue();
        }
    }

    @Test
    void printsWhereDataLivesAndStopsGracefullyOnSigterm(@TempDir Path data) {
        ServerProcess server = ServerProcess.start(data);
        try {
            assertThat(server.output()).contains("Saving data to: " + data.toAbsolutePath().normalize())
                    .contains("Connect to Chroma at: http://");
            assertThat(Http.post(server.url() + "/api/v2/reset", "").status())
                    .as("reset without ALLOW_RESET").isEqualTo(403);
            int code = server.stop();
            // the JVM reports SIGTERM as 128 + 15 after running the shutdown hook
            assertThat(code).isIn(0, 143);
            assertThat(server.output()).contains("Chroma stopped.").doesNotContain("\tat ");
        } finally {
            server.close();
        }
    }

    @Test
    void stopsGracefullyOnSigint(@TempDir Path data) {
        try (ServerProcess server = ServerProcess.start(data)) {
            int code = server.signal("INT");
            assertThat(code).isIn(0, 130); // Ctrl-C: 128 + 2
            assertThat(server.output()).contains("Chroma stopped.").doesNotContain("\tat ");
        }
    }

    @Test
    void allowResetFromTheEnvironment(@TempDir Path data) {
        // (every spelling Chroma accepts is covered by EnvSettingsTest; refusal by the SIGTERM test)
        try (ServerProcess server = ServerProcess.start(data, Map.of("ALLOW_RESET", "TRUE"))) {
            Http.Response r = Http.post(server.url() + "/api/v2/reset", "");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
    }

    @Test
    void corsOriginsFromTheEnvironment(@TempDir Path data) {
        try (ServerProcess server = ServerProcess.start(data,
                Map.of("CHROMA_SERVER_CORS_ALLOW_ORIGINS", "[\"http://localhost:3000\"]"))) {
            Http.Response allowed = Http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v2/heartbeat"))
                    .header("Origin", "http://localhost:3000").GET());
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
            Http.Response other = Http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v2/heartbeat"))
                    .header("Origin", "http://evil.example").GET());
            assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void runnableJarStartsWithJavaDashJar() {
        Path jar = Path.of(System.getProperty("chroma.cli.jar", "")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(jar) && Files.isDirectory(jar.resolveSibling("lib")),
                "chroma-cli is not packaged (run in the reactor: ./mvnw verify): " + jar);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ServerProcess.Cli.jvmArgs());
        cmd.addAll(List.of("-jar", jar.toString(), "--version"));
        var run = ServerProcess.Cli.exec(cmd, Map.of(), "jar-version");
        assertThat(run.exitCode(EXIT)).as(run.output()).isZero();
        assertThat(run.output()).contains("chroma (Java)");
    }

    /** Lines of the CLI's own error output ("error: ..."), ignoring JVM warnings. */
    private static List<String> errorLines(String output) {
        return output.lines().filter(l -> l.startsWith("error:")).toList();
    }
}
