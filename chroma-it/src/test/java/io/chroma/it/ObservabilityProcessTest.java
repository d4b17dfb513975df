package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped logging configuration and /metrics in a real `chroma run` process: one request line per request with
 * the trace id (through the async appender), levels from CHROMA_LOG_LEVEL, Prometheus text on /metrics.
 */
class ObservabilityProcessTest {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";

    private static String awaitOutput(ServerProcess server, Pattern p) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String out = server.output();
            if (p.matcher(out).find()) {
                return out;
            }
            Thread.sleep(50); // the request logger is asynchronous
        }
        return server.output();
    }

    @Test
    void requestLinesCarryTheTraceIdAndMetricsAreScrapable(@TempDir Path data) throws Exception {
        try (ServerProcess server = ServerProcess.start(data)) {
            Http.Response created = Http.send(HttpRequest.newBuilder(URI.create(server.url() + DB + "/collections"))
                    .header("Content-Type", "application/json").header("chroma-trace-id", "it-trace-1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"observed\"}")));
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            assertThat(created.headers().get("chroma-trace-id")).containsExactly("it-trace-1");

            String out = awaitOutput(server, Pattern.compile("trace_id=it-trace-1"));
            assertThat(out).containsPattern("INFO +i\\.c\\.server\\.request - method=POST "
                    + "route=/api/v2/tenants/\\{tenant}/databases/\\{database}/collections status=200 "
                    + "duration_ms=\\d+\\.\\d{3} trace_id=it-trace-1 path=" + Pattern.quote(DB + "/collections"));
            assertThat(out).contains("Log level: info", "Metrics (Prometheus): " + server.url() + "/metrics");

            Http.Response metrics = Http.get(server.url() + "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"200\","
                            + "uri=\"/api/v2/tenants/{tenant}/databases/{database}/collections\"} 1")
                    .contains("chroma_collection_records{collection=\"observed\",database=\"default_database\","
                            + "tenant=\"default_tenant\"} 0")
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void warnLevelFromTheEnvironmentSilencesRequestLines(@TempDir Path data) throws Exception {
        try (ServerProcess server = ServerProcess.start(data, Map.of("CHROMA_LOG_LEVEL", "warn"))) {
            Http.Response r = Http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v2/version"))
                    .header("chroma-trace-id", "quiet-trace"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().get("chroma-trace-id")).containsExactly("quiet-trace");
            Thread.sleep(500);
            String out = server.output();
            assertThat(out).contains("Log level: warn").doesNotContain("quiet-trace")
                    .doesNotContain("Chroma server listening"); // the server's own INFO start-up line is gone too
        }
    }
}
