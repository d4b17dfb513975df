package io.chroma.bench;

import java.nio.file.Path;

/**
 * The options of one run (see {@link Main#USAGE}). Counts of 0 skip a phase.
 *
 * @param batch        requested batch size; capped by the server's pre-flight max_batch_size
 * @param queries      queries per query phase (sequential, concurrent, each filtered phase)
 * @param gets         get-by-id requests
 * @param filterGets   get requests with $and + $contains
 * @param counts       count requests
 * @param pid          server PID for RSS, or null
 * @param pidCmd       shell command printing the server PID (re-run after a restart), or null
 * @param dataDir      the server's data directory for du, or null
 * @param restartCmd   shell command that restarts the server and returns once the old one is dead
 * @param workDir      ground-truth cache and logs
 * @param repo         git work tree whose commit the report names
 */
public record BenchConfig(
        String url, String label, int n, int dim, int batch, int clients, int queries, int k, int warmup,
        int gets, int filterGets, int counts, long seed, int clusters, Path vectorsFile, boolean base64,
        String tenant, String database, String collection, int timeoutSeconds, int queryableTimeoutSeconds,
        Integer pid, String pidCmd, Path dataDir, String restartCmd, Path out, Path workDir, Path repo) {

    public BenchConfig {
        require(url != null && url.startsWith("http"), "--url must be an http(s) URL, got " + url);
        require(n > 0, "--n must be positive");
        require(dim > 0, "--dim must be positive");
        require(batch > 0, "--batch must be positive");
        require(clients > 0, "--clients must be positive");
        require(queries >= 0 && gets >= 0 && filterGets >= 0 && counts >= 0 && warmup >= 0,
                "request counts cannot be negative");
        require(k > 0, "--k must be positive");
        require(clusters > 0, "--clusters must be positive");
        require(timeoutSeconds > 0 && queryableTimeoutSeconds > 0, "timeouts must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
