package io.chroma.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chroma's JavaScript client chromadb@3.5.0 runs {@code collection.search(...)} with the Search API
 * reference's example payloads (js/v3/search.mjs) against our server, started through the CLI.
 * No real-Chroma run: Chroma's single-node server answers every search with 501.
 */
class JsSearchV3Test {

    @TestFactory
    Stream<DynamicTest> againstOurServer(@TempDir Path data) throws Exception {
        NodeScenarios.clientDir("v3");
        String serverLog;
        NodeScenarios.Run run;
        try (ServerProcess server = ServerProcess.start(Files.createDirectories(data.resolve("chroma")))) {
            run = NodeScenarios.run("v3", server.url(), "java", "search.mjs");
            serverLog = server.output();
        }
        return NodeScenarios.asTests("chromadb@3.5.0 search vs ours", run, serverLog);
    }
}
