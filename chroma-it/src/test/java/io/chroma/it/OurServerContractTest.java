package io.chroma.it;

import io.chroma.api.ChromaClient;
import io.chroma.client.ClientContractTest;
import io.chroma.client.HttpClient;
import io.chroma.server.ChromaServer;
import io.chroma.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/**
 * The shared contract ({@link ClientContractTest}) through the HTTP client against our server, on
 * a data directory, started once for the class. In-process ({@link ChromaServer#start}) rather than
 * a CLI process: the wire is the same, it starts in a fraction of the time, and CliProcessTest
 * already covers the server as a process. Reset stays off, as a server's default is.
 */
class OurServerContractTest extends ClientContractTest {

    @TempDir
    static Path data;
    private static ChromaServer server;

    @BeforeAll
    static void startServer() {
        server = ChromaServer.start(ServerConfig.defaults().withPath(data).withHost("127.0.0.1").withPort(0));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected ChromaClient createClient() {
        return HttpClient.builder().url(server.url()).build();
    }

    @Override
    protected Map<String, String> knownBugs() {
        return KnownBugs.OUR_SERVER;
    }
}
