package io.chroma.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chroma's JavaScript client chromadb@3.5.0 (/api/v2) runs the usage-guide and catalogue scenarios
 * of js/v3/scenarios.mjs against our server, started through the CLI, and against the real Chroma
 * server, so the same assertions are shown to hold for Chroma itself.
 */
class JsClientV3Test {

    @TestFactory
    Stream<DynamicTest> againstOurServer(@TempDir Path data) throws Exception {
        NodeScenarios.clientDir("v3");
        String serverLog;
        NodeScenarios.Run run;
        try (ServerProcess server = ServerProcess.start(Files.createDirectories(data.resolve("chroma")))) {
            run = NodeScenarios.run("v3", server.url(), "java");
            serverLog = server.output();
        }
        return NodeScenarios.asTests("chromadb@3.5.0 vs ours", run, serverLog);
    }

    @TestFactory
    Stream<DynamicTest> againstRealChroma() {
        NodeScenarios.clientDir("v3");
        String[] reason = new String[1];
        NodeScenarios.Run run;
        try (RealChroma real = RealChroma.startOrNull(reason)) {
            if (real == null) {
                // one skipped test carrying the reason, so Surefire's totals show the skip
                System.err.println("SKIPPED real-Chroma run: " + reason[0]);
                return Stream.of(DynamicTest.dynamicTest("chromadb@3.5.0 vs real Chroma: skipped",
                        () -> Assumptions.abort("real Chroma not available: " + reason[0])));
            }
            run = NodeScenarios.run("v3", real.url(), "real");
        }
        return NodeScenarios.asTests("chromadb@3.5.0 vs real Chroma", run, "");
    }
}
