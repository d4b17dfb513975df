package io.chroma.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chroma's JavaScript client chromadb@1.8.1, which speaks the legacy /api/v1, against our server
 * (js/v1/scenarios.mjs). No real server of that API exists here: Chroma 1.x answers 410 on /api/v1.
 */
class JsClientV1Test {

    @TestFactory
    Stream<DynamicTest> againstOurServer(@TempDir Path data) throws Exception {
        NodeScenarios.clientDir("v1");
        String serverLog;
        NodeScenarios.Run run;
        try (ServerProcess server = ServerProcess.start(Files.createDirectories(data.resolve("chroma")))) {
            run = NodeScenarios.run("v1", server.url(), "java");
            serverLog = server.output();
        }
        return NodeScenarios.asTests("chromadb@1.8.1 vs ours", run, serverLog);
    }
}
