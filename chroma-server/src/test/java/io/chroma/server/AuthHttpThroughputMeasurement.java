package io.chroma.server;

import io.chroma.server.auth.AuthProvider;
import io.chroma.server.auth.AuthSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Not a test: the load check. Query throughput over HTTP (4 client threads, 20 000 queries) against a server
 * without auth, with basic auth (htpasswd, bcrypt cost 5 as {@code htpasswd -B} writes; verified once, then cached)
 * and with a token, in rounds so machine noise hits each alike. Prints a Markdown table to stdout
 * (target/surefire-reports/...-output.txt). Run:
 * {@code ./mvnw -o -pl chroma-server test -Dtest=AuthHttpThroughputMeasurement -Dauth.measure=true}
 * (optional: -Dauth.measure.queries=20000 -Dauth.measure.threads=4 -Dauth.measure.rounds=2).
 */
@EnabledIfSystemProperty(named = "auth.measure", matches = "true")
class AuthHttpThroughputMeasurement {

    static final String DB = "/api/v2/tenants/default_tenant/databases/default_database";
    static final int DIM = 32;
    static final int RECORDS = 1000;

    @TempDir
    Path dir;

    record Setup(String label, AuthSettings auth, String header, String value) {
    }

    @Test
    void measure() throws Exception {
        int queries = Integer.getInteger("auth.measure.queries", 20_000);
        int threads = Integer.getInteger("auth.measure.threads", 4);
        int rounds = Integer.getInteger("auth.measure.rounds", 2);
        Path htpasswd = Files.writeString(dir.resolve("server.htpasswd"),
                "admin:$2y$" + BCrypt.hashpw("admin", BCrypt.gensalt(5)).substring(4) + "\n");
        List<Setup> setups = List.of(
                new Setup("none", AuthSettings.none(), null, null),
                new Setup("basic (htpasswd, bcrypt cost 5, cached)",
                        AuthSettings.none().withProvider(AuthProvider.BASIC).withCredentialsFile(htpasswd),
                        "Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8))),
                new Setup("token (Authorization: Bearer)",
                        AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentials("test-token"),
                        "Authorization", "Bearer test-token"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        double[][] qps = new double[setups.size()][rounds];
        // JVM warm-up (JIT of server and client code) that no setup is charged for
        try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0))) {
            run(http, populate(http, server, setups.get(0)), setups.get(0), Math.max(2000, queries / 5), threads, new Random(7));
        }
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < setups.size(); k++) {
                int s = round % 2 == 0 ? k : setups.size() - 1 - k; // alternate the order: drift hits each alike
                Setup setup = setups.get(s);
                try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPath(null).withPort(0)
                        .withAuth(setup.auth()))) {
                    String queryUrl = populate(http, server, setup);
                    run(http, queryUrl, setup, Math.max(1000, queries / 10), threads, new Random(round)); // warm-up
                    long t0 = System.nanoTime();
                    run(http, queryUrl, setup, queries, threads, new Random(100 + round));
                    qps[s][round] = queries / ((System.nanoTime() - t0) / 1e9);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d queries x %d rounds (order alternating), %d client threads, %d records of dim %d, "
                + "n_results 10, in-memory server, HTTP/1.1 keep-alive, JDK %s, %d CPUs%n%n",
                queries, rounds, threads, RECORDS, DIM, Runtime.version(), Runtime.getRuntime().availableProcessors()));
        out.append("| auth | queries/s per round | median | vs none (median) | best | vs none (best) |\n"
                + "|---|---|---|---|---|---|\n");
        double noneBest = max(qps[0]);
        double noneMedian = median(qps[0]);
        for (int s = 0; s < setups.size(); s++) {
            StringBuilder perRound = new StringBuilder();
            for (double q : qps[s]) {
                perRound.append(perRound.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", q));
            }
            double best = max(qps[s]);
            double median = median(qps[s]);
            out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %+.1f %% | %.0f | %+.1f %% |%n",
                    setups.get(s).label(), perRound, median, (median / noneMedian - 1) * 100, best,
                    (best / noneBest - 1) * 100));
        }
        System.out.println("@@AUTH-THROUGHPUT\n" + out);
    }

    private static double median(double[] xs) {
        double[] c = xs.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static double max(double[] xs) {
        double m = 0;
        for (double x : xs) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static String populate(HttpClient http, ChromaServer server, Setup setup) throws Exception {
        String created = send(http, server.url() + DB + "/collections", "{\"name\":\"bench\"}", setup, 200);
        String id = created.replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
        Random r = new Random(42);
        for (int batch = 0; batch < RECORDS; batch += 250) {
            StringBuilder ids = new StringBuilder();
            StringBuilder embs = new StringBuilder();
            for (int i = batch; i < batch + 250; i++) {
                ids.append(ids.isEmpty() ? "" : ",").append("\"r").append(i).append('"');
                embs.append(embs.isEmpty() ? "" : ",").append(vector(r));
            }
            send(http, server.url() + DB + "/collections/" + id + "/add",
                    "{\"ids\":[" + ids + "],\"embeddings\":[" + embs + "]}", setup, 201);
        }
        return server.url() + DB + "/collections/" + id + "/query";
    }

    private static String vector(Random r) {
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < DIM; d++) {
            sb.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", r.nextFloat()));
        }
        return sb.append(']').toString();
    }

    private static void run(HttpClient http, String url, Setup setup, int n, int threads, Random seed) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            bodies.add("{\"query_embeddings\":[" + vector(seed) + "],\"n_results\":10,\"include\":[\"distances\"]}");
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        send(http, url, bodies.get(i % bodies.size()), setup, 200);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String send(HttpClient http, String url, String body, Setup setup, int expect) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (setup.header() != null) {
            b.header(setup.header(), setup.value());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expect) {
            throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
