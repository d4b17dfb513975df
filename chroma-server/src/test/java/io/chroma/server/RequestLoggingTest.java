package io.chroma.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The per-request log line and trace id, over real HTTP, with the log events captured in memory. */
class RequestLoggingTest {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";
    static final String REQUEST_LOGGER = "io.chroma.server.request";
    static final String SCRAPE_LOGGER = "io.chroma.server.internal.MetricsController";

    static ChromaServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    Level requestLevel;
    Level scrapeLevel;

    @BeforeAll
    static void start() {
        server = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }

    @BeforeEach
    void capture() {
        captured.start();
        requestLevel = logger(REQUEST_LOGGER).getLevel();
        scrapeLevel = logger(SCRAPE_LOGGER).getLevel();
        logger(REQUEST_LOGGER).setLevel(Level.INFO);
        logger(REQUEST_LOGGER).addAppender(captured);
        logger(SCRAPE_LOGGER).setLevel(Level.DEBUG);
        logger(SCRAPE_LOGGER).addAppender(captured);
    }

    @AfterEach
    void release() {
        logger(REQUEST_LOGGER).detachAppender(captured);
        logger(SCRAPE_LOGGER).detachAppender(captured);
        logger(REQUEST_LOGGER).setLevel(requestLevel);
        logger(SCRAPE_LOGGER).setLevel(scrapeLevel);
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path));
    }

    /** The request line with this trace id (the response filter logs before the response is sent). */
    ILoggingEvent lineFor(String traceId) {
        List<ILoggingEvent> lines = events(e -> e.getLoggerName().equals(REQUEST_LOGGER)
                && e.getFormattedMessage().contains("trace_id=" + traceId));
        assertThat(lines).as("request lines for %s in %s", traceId, captured.list).hasSize(1);
        return lines.get(0);
    }

    List<ILoggingEvent> events(Predicate<ILoggingEvent> p) {
        synchronized (captured.list) {
            return captured.list.stream().filter(p).toList();
        }
    }

    @Test
    void aGivenTraceIdIsEchoedLoggedAndInTheMdc() throws Exception {
        HttpResponse<String> r = send(request("/api/v2/heartbeat").header("chroma-trace-id", "client-trace.42:a_b-c"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("chroma-trace-id")).hasValue("client-trace.42:a_b-c");

        ILoggingEvent line = lineFor("client-trace.42:a_b-c");
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        assertThat(line.getFormattedMessage())
                .matches("method=GET route=/api/v2/heartbeat status=200 duration_ms=\\d+\\.\\d{3} "
                        + "trace_id=client-trace\\.42:a_b-c path=/api/v2/heartbeat");
        assertThat(line.getMDCPropertyMap()).containsEntry("trace_id", "client-trace.42:a_b-c");
    }

    @Test
    void aMissingOrUnsafeTraceIdIsGenerated() throws Exception {
        HttpResponse<String> none = send(request("/api/v2/version"));
        String generated = none.headers().firstValue("chroma-trace-id").orElseThrow();
        assertThat(generated).matches("[0-9a-f]{32}");
        assertThat(lineFor(generated).getMDCPropertyMap()).containsEntry("trace_id", generated);

        // spaces, quotes or a 129-character id could forge or bloat log lines: replaced, not echoed
        for (String unsafe : List.of("two words", "quote\"d", "x".repeat(129))) {
            HttpResponse<String> r = send(request("/api/v2/version").header("chroma-trace-id", unsafe));
            String id = r.headers().firstValue("chroma-trace-id").orElseThrow();
            assertThat(id).matches("[0-9a-f]{32}");
            lineFor(id);
        }
        // a W3C traceparent supplies the id when chroma-trace-id is absent; chroma-trace-id wins when both are given
        String w3c = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<String> traced = send(request("/api/v2/version").header("traceparent", "00-" + w3c + "-00f067aa0ba902b7-01"));
        assertThat(traced.headers().firstValue("chroma-trace-id")).hasValue(w3c);
        lineFor(w3c);
        HttpResponse<String> both = send(request("/api/v2/version").header("chroma-trace-id", "mine")
                .header("traceparent", "00-" + w3c + "-00f067aa0ba902b7-01"));
        assertThat(both.headers().firstValue("chroma-trace-id")).hasValue("mine");
        HttpResponse<String> zeros = send(request("/api/v2/version")
                .header("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
        assertThat(zeros.headers().firstValue("chroma-trace-id").orElseThrow()).matches("[0-9a-f]{32}")
                .isNotEqualTo("00000000000000000000000000000000");

        HttpResponse<String> other = send(request("/api/v2/version"));
        assertThat(other.headers().firstValue("chroma-trace-id")).isPresent().get().isNotEqualTo(generated);
    }

    @Test
    void routeTemplateStatusAndErrorsAreLogged() throws Exception {
        HttpResponse<String> missing = send(request(DB + "/collections/nope-collection")
                .header("chroma-trace-id", "missing-collection"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(lineFor("missing-collection").getFormattedMessage())
                .contains("method=GET", "route=/api/v2/tenants/{tenant}/databases/{database}/collections/{name}",
                        "status=404", "path=" + DB + "/collections/nope-collection");

        HttpResponse<String> noRoute = send(request("/nothing/here").header("chroma-trace-id", "no-route"));
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(noRoute.headers().firstValue("chroma-trace-id")).hasValue("no-route");
        assertThat(lineFor("no-route").getFormattedMessage()).contains("route=NOT_FOUND", "status=404");
    }

    @Test
    void secretsAndBodiesAreNeverLogged() throws Exception {
        HttpResponse<String> r = send(request(DB + "/collections").header("chroma-trace-id", "with-secrets")
                .header("Authorization", "Bearer sup3r-s3cret-token").header("X-Chroma-Token", "another-s3cret")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"body-s3cret-name\"}")));
        assertThat(r.statusCode()).isEqualTo(200);
        ILoggingEvent line = lineFor("with-secrets");
        assertThat(line.getFormattedMessage()).contains("method=POST", "status=200")
                .doesNotContain("s3cret").doesNotContain("Bearer");
        assertThat(line.getMDCPropertyMap().toString()).doesNotContain("s3cret");
    }

    @Test
    void theTraceIdFollowsTheRequestOntoTheWorkerThread() throws Exception {
        // MetricsController runs on the blocking executor and logs at DEBUG while it handles the request
        HttpResponse<String> r = send(request("/metrics").header("chroma-trace-id", "scrape-1"));
        assertThat(r.statusCode()).isEqualTo(200);
        List<ILoggingEvent> inside = events(e -> e.getLoggerName().equals(SCRAPE_LOGGER));
        assertThat(inside).hasSize(1);
        assertThat(inside.get(0).getMDCPropertyMap()).containsEntry("trace_id", "scrape-1");
        assertThat(inside.get(0).getThreadName()).doesNotContainIgnoringCase("eventloop");
        lineFor("scrape-1");
    }
}
