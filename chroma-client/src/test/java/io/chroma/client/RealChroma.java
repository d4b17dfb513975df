package io.chroma.client;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server the HTTP tests talk to: {@code -Dchroma.url=...} or env {@code CHROMA_URL} if set;
 * otherwise the real Chroma (1.x, via {@code /work/shared/reference/run-real-chroma.sh}) started once
 * per test JVM on a free port and killed at exit. When neither is possible the tests are skipped
 * (JUnit assumption) with the reason printed.
 */
final class RealChroma {
    private static final String SCRIPT = "/work/shared/reference/run-real-chroma.sh";
    private static String url;
    private static String unavailable;

    private RealChroma() {
    }

    /** The server URL, or aborts the calling test with the reason. */
    static synchronized String url() {
        if (url == null && unavailable == null) {
            try {
                url = resolve();
            } catch (Exception e) {
                unavailable = e.getMessage();
            }
            if (unavailable != null) {
                System.out.println("[chroma-client tests] skipping server tests: " + unavailable);
            } else {
                System.out.println("[chroma-client tests] using Chroma server at " + url);
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> "No Chroma server: " + unavailable);
        return url;
    }

    private static String resolve() throws Exception {
        String given = System.getProperty("chroma.url");
        if (given == null || given.isBlank()) {
            given = System.getenv("CHROMA_URL");
        }
        if (given != null && !given.isBlank()) {
            if (!alive(given)) {
                throw new IllegalStateException("CHROMA_URL=" + given + " does not answer /api/v2/heartbeat");
            }
            return given;
        }
        if (!new File(SCRIPT).canExecute()) {
            throw new IllegalStateException("set CHROMA_URL, or provide " + SCRIPT + " to start the real Chroma");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = Files.createTempDirectory("real-chroma-client-test");
        Path log = Files.createTempFile("real-chroma-client-test", ".log");
        Process p = new ProcessBuilder(SCRIPT, String.valueOf(port), data.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // the script ends in exec, so this process is the server; it ignores SIGTERM, hence destroyForcibly (SIGKILL)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }));
        String u = "http://localhost:" + port;
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos(); // first run installs chromadb via npm
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("real Chroma exited with " + p.exitValue() + "; see " + log);
            }
            if (alive(u)) {
                return u;
            }
            Thread.sleep(250);
        }
        p.destroyForcibly();
        throw new IllegalStateException("real Chroma did not answer on " + u + " within 4 minutes; see " + log);
    }

    private static boolean alive(String base) {
        try (var http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            var r = http.send(HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + "/api/v2/heartbeat"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
