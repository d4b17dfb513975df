package io.chroma.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;

/**
 * Scenarios that share one server, run once against ours and once against the real Chroma: each
 * {@code @Nested} subclass starts its server in a {@code @BeforeAll}; it is closed after the last test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OneServerPerClass {
    private AutoCloseable server;
    private String url;

    /** Our server, in a child process. */
    void startOurs(Path data) {
        ServerProcess ours = ServerProcess.start(data);
        server = ours;
        url = ours.url();
    }

    /** The real Chroma; with none to be had, the class is skipped with the reason (also on stderr). */
    void startRealOrSkip(String what) {
        String[] reason = new String[1];
        RealChroma real = RealChroma.startOrNull(reason);
        if (real == null) {
            System.err.println("SKIPPED " + what + " vs real Chroma: " + reason[0]);
            Assumptions.abort("real Chroma not available: " + reason[0]);
        }
        server = real;
        url = real.url();
    }

    String url() {
        return url;
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
