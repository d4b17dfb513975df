package io.chroma.server.auth;

import static io.chroma.server.auth.AuthTestSupport.NO_QUERY;
import static io.chroma.server.auth.AuthTestSupport.basic;
import static io.chroma.server.auth.AuthTestSupport.headers;
import static io.chroma.server.auth.AuthTestSupport.htpasswdLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Not a test: prints authenticate() calls per second, single thread, for no auth, token and cached basic, and the
 * cost of one uncached bcrypt. Run with {@code -Dauth.measure=true}; output lands in target/surefire-reports.
 */
@EnabledIfSystemProperty(named = "auth.measure", matches = "true")
class AuthThroughputMeasurement {

    private static final String PATH = "/api/v2/tenants/default_tenant/databases/default_database/collections/3f1c/query";

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        Path htpasswd = dir.resolve("h");
        // cost 5 is what `htpasswd -B` writes by default
        Files.writeString(htpasswd, "admin:$2y$" + BCrypt.hashpw("admin", BCrypt.gensalt(5)).substring(4) + "\n"
                + htpasswdLine("bob", "bob", "$2y$"));
        Authenticator none = Authenticator.create(AuthSettings.none());
        Authenticator token = Authenticator.create(AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_PROVIDER", "token", "CHROMA_SERVER_AUTHN_CREDENTIALS", "test-token")));
        Authenticator basic = Authenticator.create(AuthSettings.fromEnvironment(Map.of(
                "CHROMA_SERVER_AUTHN_PROVIDER", "basic", "CHROMA_SERVER_AUTHN_CREDENTIALS_FILE", htpasswd.toString())));

        var tokenHeaders = headers("Authorization", "Bearer test-token");
        var basicHeaders = headers("Authorization", basic("admin", "admin"));
        for (int round = 0; round < 2; round++) { // first round warms up the JIT
            report(round, "none", none, headers());
            report(round, "token", token, tokenHeaders);
            report(round, "basic (cached)", basic, basicHeaders);
        }
        for (int cost : new int[] {5, 10}) {
            String hash = BCrypt.hashpw("pw", BCrypt.gensalt(cost));
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long t0 = mx.getCurrentThreadCpuTime();
            int n = cost == 5 ? 50 : 5;
            for (int i = 0; i < n; i++) {
                BCrypt.checkpw("pw", hash);
            }
            System.out.printf("bcrypt miss, cost %d: %.2f ms CPU%n", cost, (mx.getCurrentThreadCpuTime() - t0) / 1e6 / n);
        }
    }

    private static void report(int round, String name, Authenticator a, Function<String, String> h) {
        // thread CPU time, not wall time: the shared 2-core box deschedules us unpredictably
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long n = 0;
        long start = mx.getCurrentThreadCpuTime();
        long allowed = 0;
        while (mx.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
            for (int i = 0; i < 1000; i++) {
                if (a.authenticate("POST", PATH, h, NO_QUERY).allowed()) {
                    allowed++;
                }
            }
            n += 1000;
        }
        double secs = (mx.getCurrentThreadCpuTime() - start) / 1e9;
        if (allowed != n) {
            throw new AssertionError(name + " denied a request: " + allowed + " of " + n);
        }
        if (round > 0) {
            System.out.printf("%-15s %,12.0f calls per CPU-second  (%.2f us/call)%n", name, n / secs, secs * 1e6 / n);
        }
    }
}
