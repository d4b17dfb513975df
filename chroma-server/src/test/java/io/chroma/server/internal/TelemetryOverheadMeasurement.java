package io.chroma.server.internal;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.chroma.server.ChromaServer;
import io.chroma.server.ServerConfig;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.LoggerFactory;

/**
 * Not a test: what metrics + request logging cost per request. Prints a Markdown table to stdout. Run:
 * {@code ./mvnw -o -pl chroma-server test -Dtest=TelemetryOverheadMeasurement -Dtelemetry.measure=true}
 * (optional -Dtelemetry.measure.queries=3000 -Dtelemetry.measure.rounds=3).
 * <ol>
 *   <li>in-process: the filter's own work per request (trace id, timer update, log line, async enqueue), ns;</li>
 *   <li>over HTTP: sequential small queries (1000 records x 32 dims, n_results 5) against a server with the filter
 *   and one without it ({@code chroma.telemetry.enabled=false}), rounds alternating; request lines go through the
 *   shipped async appender shape to a discarding stream.</li>
 * </ol>
 */
@EnabledIfSystemProperty(named = "telemetry.measure", matches = "true")
class TelemetryOverheadMeasurement {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";

    @Test
    void measure() throws Exception {
        AsyncAppender async = discardingAsyncAppender();
        Logger requestLogger = (Logger) LoggerFactory.getLogger(RequestTelemetryFilter.LOGGER);
        Level saved = requestLogger.getLevel();
        requestLogger.setLevel(Level.INFO);
        requestLogger.addAppender(async);
        requestLogger.setAdditive(false);
        try {
            StringBuilder out = new StringBuilder("@@TELEMETRY-OVERHEAD\n");
            out.append(String.format(Locale.ROOT, "JDK %s, %d CPUs, load average %s%n%n", Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), loadAverage()));
            out.append(micro(requestLogger, async));
            out.append(macro());
            System.out.println(out);
        } finally {
            requestLogger.detachAppender(async);
            requestLogger.setLevel(saved);
            requestLogger.setAdditive(true);
            async.stop();
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static AsyncAppender discardingAsyncAppender() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        enc.start();
        OutputStreamAppender<ILoggingEvent> sink = new OutputStreamAppender<>();
        sink.setContext(ctx);
        sink.setEncoder(enc);
        sink.setOutputStream(OutputStream.nullOutputStream());
        sink.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(ctx);
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.addAppender(sink);
        async.start();
        return async;
    }

    /**
     * The filter's per-request work without HTTP, on the calling thread, in bursts of 4096 requests that fit the
     * async appender's queue (8192), waiting for it to drain between bursts: the caller's cost, not the logging
     * thread's throughput. Median and best of the bursts' means, since other processes share the CPUs.
     */
    private static String micro(Logger requestLogger, AsyncAppender async) throws InterruptedException {
        List<String> routes = List.of("/api/v2/tenants/{tenant}/databases/{database}/collections/{id}/query",
                "/api/v2/tenants/{tenant}/databases/{database}/collections/{id}/add",
                "/api/v2/tenants/{tenant}/databases/{database}/collections/{id}/get", "/api/v2/heartbeat");
        String path = DB + "/collections/0b6e1f5e-6a4e-4a8e-9d1e-1d7f2c9b8a01/query";
        int burst = 4096;
        int bursts = 150;
        int warmup = 50;
        double[][] perBurst = new double[4][bursts - warmup];
        long sink = 0;
        try (ServerMetrics metrics = new ServerMetrics(List::of, false)) {
            for (int b = 0; b < bursts; b++) {
                long idT = 0, metT = 0, fmtT = 0, logT = 0;
                for (int i = 0; i < burst; i++) {
                    long t0 = System.nanoTime();
                    String id = TraceId.of(null, null);
                    long t1 = System.nanoTime();
                    metrics.recordRequest("POST", routes.get(i & 3), 200, 900_000 + i);
                    long t2 = System.nanoTime();
                    String line = RequestTelemetryFilter.line("POST", routes.get(i & 3), 200, 900_000 + i, id, path);
                    long t3 = System.nanoTime();
                    requestLogger.info(line);
                    long t4 = System.nanoTime();
                    idT += t1 - t0;
                    metT += t2 - t1;
                    fmtT += t3 - t2;
                    logT += t4 - t3;
                    sink += line.length();
                }
                if (b >= warmup) {
                    perBurst[0][b - warmup] = (double) idT / burst;
                    perBurst[1][b - warmup] = (double) metT / burst;
                    perBurst[2][b - warmup] = (double) fmtT / burst;
                    perBurst[3][b - warmup] = (double) logT / burst;
                }
                while (async.getNumberOfElementsInQueue() > 0) {
                    Thread.sleep(1);
                }
            }
        }
        if (sink == 0) {
            throw new AssertionError();
        }
        String[] parts = {"trace id (generate)", "timer update (histogram, 13 buckets)", "log line formatting",
                "logger.info into the async appender (enqueue)"};
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "In-process, caller's cost per request "
                + "(%d bursts of %d after %d warm-up bursts; each part includes one System.nanoTime call):%n%n"
                + "| part | median ns | best ns |%n|---|---|---|%n", bursts - warmup, burst, warmup));
        double med = 0, best = 0;
        for (int k = 0; k < 4; k++) {
            double m = median(perBurst[k]);
            double lo = Arrays.stream(perBurst[k]).min().orElse(0);
            med += m;
            best += lo;
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", parts[k], m, lo));
        }
        b.append(String.format(Locale.ROOT, "| total | %.0f | %.0f |%n%n", med, best));
        return b.toString();
    }

    /** Sequential small queries over HTTP, with and without the telemetry filter. */
    private static String macro() throws Exception {
        int queries = Integer.getInteger("telemetry.measure.queries", 3000);
        int rounds = Integer.getInteger("telemetry.measure.rounds", 3);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String[] labels = {"metrics + request log", "filter removed"};
        double[][] p50 = new double[2][rounds];
        double[][] mean = new double[2][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                int s = round % 2 == 0 ? k : 1 - k; // alternate the order: drift hits both alike
                if (s == 1) {
                    System.setProperty("chroma.telemetry.enabled", "false");
                }
                try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0))) {
                    System.clearProperty("chroma.telemetry.enabled");
                    String url = populate(http, server);
                    HttpResponse<String> probe = post(http, url, query(new Random(1)));
                    if (probe.headers().firstValue("chroma-trace-id").isPresent() != (s == 0)) {
                        throw new AssertionError("filter presence not as intended for " + labels[s]);
                    }
                    run(http, url, queries / 2, new Random(round)); // warm-up
                    long[] lat = run(http, url, queries, new Random(100 + round));
                    Arrays.sort(lat);
                    p50[s][round] = lat[lat.length / 2] / 1000.0;
                    mean[s][round] = Arrays.stream(lat).average().orElse(0) / 1000.0;
                } finally {
                    System.clearProperty("chroma.telemetry.enabled");
                }
            }
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Over HTTP: %d sequential queries per round x %d "
                + "rounds (1000 records x 32 dims, n_results 5, in-memory server, HTTP/1.1 keep-alive):%n%n"
                + "| server | p50 us per round | median p50 | mean us per round |%n|---|---|---|---|%n", queries, rounds));
        for (int s = 0; s < 2; s++) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %s |%n", labels[s], join(p50[s]), median(p50[s]),
                    join(mean[s])));
        }
        b.append(String.format(Locale.ROOT, "%nDifference of median p50: %+.0f us%n", median(p50[0]) - median(p50[1])));
        return b.toString();
    }

    private static String join(double[] xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) {
            b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", x));
        }
        return b.toString();
    }

    private static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static long[] run(HttpClient http, String url, int n, Random r) throws Exception {
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            String body = query(r);
            long t0 = System.nanoTime();
            HttpResponse<String> resp = post(http, url, body);
            lat[i] = System.nanoTime() - t0;
            if (resp.statusCode() != 200) {
                throw new AssertionError(resp.statusCode() + " " + resp.body());
            }
        }
        return lat;
    }

    private static String query(Random r) {
        return "{\"query_embeddings\":[" + vector(r) + "],\"n_results\":5}";
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String populate(HttpClient http, ChromaServer server) throws Exception {
        String created = post(http, server.url() + DB + "/collections", "{\"name\":\"bench\"}").body();
        String id = created.replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
        Random r = new Random(42);
        for (int batch = 0; batch < 1000; batch += 250) {
            StringBuilder ids = new StringBuilder();
            StringBuilder embs = new StringBuilder();
            for (int i = batch; i < batch + 250; i++) {
                ids.append(ids.isEmpty() ? "" : ",").append("\"r").append(i).append('"');
                embs.append(embs.isEmpty() ? "" : ",").append(vector(r));
            }
            HttpResponse<String> added = post(http, server.url() + DB + "/collections/" + id + "/add",
                    "{\"ids\":[" + ids + "],\"embeddings\":[" + embs + "]}");
            if (added.statusCode() != 201) {
                throw new AssertionError(added.body());
            }
        }
        return server.url() + DB + "/collections/" + id + "/query";
    }

    private static String vector(Random r) {
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < 32; d++) {
            sb.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", r.nextFloat()));
        }
        return sb.append(']').toString();
    }
}
