package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs one of the node scenario scripts (chroma-it/js/v1 or v3) against a server and turns each
 * reported scenario into a JUnit dynamic test, so Surefire's totals count them one by one.
 */
final class NodeScenarios {
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    record Result(String name, boolean ok, long ms, String error) {
    }

    record Run(int exitCode, List<Result> results, String output) {
    }

    /** The folder of a client version, with its pinned node_modules installed (npm ci if missing). */
    static Path clientDir(String version) {
        Path dir = Path.of(ServerProcess.Cli.required("chroma.js.dir"), version).toAbsolutePath().normalize();
        requireNode();
        if (!Files.isDirectory(dir.resolve("node_modules/chromadb"))) {
            // ./mvnw verify on a fresh clone without .ci/run: install the pinned clients here
            Path log = Path.of(System.getProperty("chroma.it.logs", "target/it-logs")).resolve("npm-ci-" + version + ".log");
            int code = exec(List.of("npm", "ci", "--omit=optional", "--no-audit", "--no-fund"), dir, log, Duration.ofMinutes(5));
            assertThat(code).as("npm ci in %s failed:\n%s", dir, ServerProcess.read(log)).isZero();
        }
        return dir;
    }

    /** Skips (or, under CI=true, fails) when node is not installed. */
    static void requireNode() {
        boolean present;
        try {
            present = new ProcessBuilder("node", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        if (!present) {
            String reason = "node is not installed: the JavaScript-client tests need Node.js >= 18 with npm";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(reason);
            }
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
    }

    static Run run(String version, String url, String target) {
        return run(version, url, target, "scenarios.mjs");
    }

    /** Runs one scenario script of the client folder (e.g. {@code search.mjs}). */
    static Run run(String version, String url, String target, String script) {
        Path dir = clientDir(version);
        Path logs = Path.of(System.getProperty("chroma.it.logs", "target/it-logs"));
        Path log = logs.resolve("node-" + version + "-" + script.replace(".mjs", "") + "-" + target + "-"
                + ProcessHandle.current().pid() + ".log");
        int code = exec(List.of("node", script, url, target), dir, log, TIMEOUT);
        String output = ServerProcess.read(log);
        List<Result> results = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("@@SCENARIO ")) {
                Map<String, Object> j = Json.object(line.substring("@@SCENARIO ".length()));
                results.add(new Result((String) j.get("name"), Boolean.TRUE.equals(j.get("ok")),
                        ((Number) j.get("ms")).longValue(), (String) j.get("error")));
            }
        }
        return new Run(code, results, output);
    }

    /** One dynamic test per scenario, plus one that the script ran to its end and agreed on the outcome. */
    static Stream<DynamicTest> asTests(String label, Run run, String serverLog) {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest(label + ": the script ran to its summary", () -> {
            assertThat(run.output()).as("node output").contains("@@SUMMARY");
            assertThat(run.results()).as("scenarios reported").isNotEmpty();
            long failed = run.results().stream().filter(r -> !r.ok()).count();
            assertThat(run.exitCode()).as("node exit code (failed scenarios: %d)", failed).isEqualTo(failed == 0 ? 0 : 1);
        }));
        for (Result r : run.results()) {
            tests.add(DynamicTest.dynamicTest(label + ": " + r.name(), () -> assertThat(r.ok())
                    .as("%s failed:%n%s%n--- server log tail ---%n%s", r.name(), r.error(), tail(serverLog, 40))
                    .isTrue()));
        }
        return tests.stream();
    }

    static String tail(String text, int lines) {
        if (text == null) {
            return "";
        }
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    static int exec(List<String> cmd, Path dir, Path log, Duration timeout) {
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(cmd + " timed out after " + timeout + ":\n" + ServerProcess.read(log));
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private NodeScenarios() {
    }
}
