package io.chroma.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The REAL Chroma server (1.x, /api/v2), to prove the JavaScript scenarios encode Chroma's actual
 * behaviour. {@code REAL_CHROMA_URL} points at a running one; otherwise the project's
 * {@code ../shared/reference/run-real-chroma.sh} (or {@code REAL_CHROMA_SCRIPT}) starts one.
 * When neither is possible the run is skipped with the reason.
 */
final class RealChroma implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofMinutes(5); // the first run downloads the npm package

    private final String url;
    private final Process process; // null when REAL_CHROMA_URL was given

    private RealChroma(String url, Process process) {
        this.url = url;
        this.process = process;
    }

    String url() {
        return url;
    }

    /** A running real Chroma, or null with {@code reason[0]} saying why not. */
    static RealChroma startOrNull(String[] reason) {
        String given = System.getenv("REAL_CHROMA_URL");
        if (given != null && !given.isBlank()) {
            String u = given.replaceAll("/+$", "");
            if (!Http.answers(u + "/api/v2/heartbeat")) {
                reason[0] = "REAL_CHROMA_URL=" + given + " does not answer /api/v2/heartbeat";
                return null;
            }
            return new RealChroma(u, null);
        }
        Path script = script();
        if (script == null) {
            reason[0] = "no real Chroma: set REAL_CHROMA_URL, or REAL_CHROMA_SCRIPT, or keep ../shared/reference/run-real-chroma.sh beside the checkout";
            return null;
        }
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path data = Files.createTempDirectory("real-chroma");
            Path log = Path.of(System.getProperty("chroma.it.logs", "target/it-logs")).resolve("real-chroma.log");
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(List.of("bash", script.toString(), Integer.toString(port), data.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String url = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (Http.answers(url + "/api/v2/heartbeat")) {
                    return new RealChroma(url, p);
                }
                if (!p.isAlive()) {
                    reason[0] = "run-real-chroma.sh exited with " + p.exitValue() + ": "
                            + NodeScenarios.tail(ServerProcess.read(log), 5);
                    return null;
                }
                ServerProcess.sleep(250);
            }
            new RealChroma(url, p).close();
            reason[0] = "the real Chroma did not answer within " + START_TIMEOUT;
            return null;
        } catch (IOException e) {
            reason[0] = "could not start the real Chroma: " + e;
            return null;
        }
    }

    private static Path script() {
        String s = System.getenv("REAL_CHROMA_SCRIPT");
        if (s != null && !s.isBlank()) {
            return Files.isRegularFile(Path.of(s)) ? Path.of(s) : null;
        }
        Path root = Path.of(System.getProperty("chroma.repo.root", "..")).toAbsolutePath().normalize();
        Path p = root.resolveSibling("shared").resolve("reference").resolve("run-real-chroma.sh");
        return Files.isRegularFile(p) ? p : null;
    }

    /** kill -9 (it ignores SIGTERM and then spins), children first. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
