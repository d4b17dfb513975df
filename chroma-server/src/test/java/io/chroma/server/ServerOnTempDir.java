package io.chroma.server;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class whose tests share one server on a fresh data directory, spoken to over real HTTP
 * through {@link #w}. The fields are static, so classes extending this run one after another
 * (as Surefire runs them here), each with its own server.
 */
abstract class ServerOnTempDir {

    @TempDir
    static Path dir;
    static ChromaServer server;
    static Wire w;

    @BeforeAll
    static void startServer() {
        server = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("data")).withPort(0));
        w = new Wire(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** A name no other test of the class uses, so tests sharing the server do not collide. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
