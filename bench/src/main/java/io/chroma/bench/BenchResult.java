package io.chroma.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured; written as JSON (and read back by {@code compare-report}) and
 * rendered as Markdown by {@link Report}. Times are in milliseconds or seconds as the name says;
 * memory and disk in KiB.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchResult(
        String label,
        String date,
        Server server,
        Params params,
        Environment environment,
        Ingest ingest,
        List<Phase> phases,
        Restart restart,
        Resources resources,
        List<String> warnings) {

    /** What we talked to. {@code preflight} is the server's own answer, verbatim. */
    public record Server(String url, String version, JsonNode preflight) {
    }

    /** The knobs of the run, after capping (batchSize is what was sent; batchRequested what was asked). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Params(int n, int dim, int batchRequested, int batchSize, int clients, int queries, int k,
                         int warmup, long seed, int clusters, String data, boolean base64, String space,
                         String collection) {
    }

    /** Machine and build the numbers belong to. loadavg is /proc/loadavg at start and end. */
    public record Environment(int nproc, long memTotalKiB, String cpuModel, String os, String jdk,
                              String gitCommit, String loadavgStart, String loadavgEnd) {
    }

    /**
     * Ingest: acknowledged = from the first add sent until the last add answered; queryable = until a
     * query finds records of the last batch (a server may acknowledge before it indexes).
     */
    public record Ingest(int n, int batches, int batchSize, double ackSeconds, double ackVectorsPerSecond,
                         double queryableSeconds, double queryableVectorsPerSecond, int queryablePolls,
                         Latency batchLatency, long countAfter, boolean countCorrect) {
    }

    /**
     * One timed phase. {@code correct} = every answer matched what the tool computed (ids for gets,
     * filter satisfaction for filtered queries, the count); {@code recallAt10} for queries only.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Phase(String name, String description, int requests, int errors, int clients,
                        double seconds, double qps, Latency latency, Double recall, Boolean correct,
                        String note) {
    }

    /** Latency summary in milliseconds (nearest-rank percentiles). */
    public record Latency(double p50Ms, double p90Ms, double p99Ms, double meanMs, double maxMs) {

        public static Latency of(long[] nanos, int count) {
            if (count == 0) {
                return new Latency(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            long[] s = Arrays.copyOf(nanos, count);
            Arrays.sort(s);
            double sum = 0;
            for (long x : s) {
                sum += x;
            }
            return new Latency(ms(rank(s, 0.50)), ms(rank(s, 0.90)), ms(rank(s, 0.99)), ms(sum / count),
                    ms(s[count - 1]));
        }

        /** Nearest-rank percentile: the smallest value with at least p of the samples at or below it. */
        static long rank(long[] sorted, double p) {
            int idx = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
        }

        private static double ms(double nanos) {
            return Math.round(nanos / 1_000.0) / 1_000.0;
        }
    }

    /**
     * Restart: how long the restart command took, then from its end: until heartbeat answered, until
     * the first query answered (the number that matters), and the first query's own latency.
     */
    public record Restart(String command, double commandSeconds, double heartbeatSeconds,
                          double firstQueryReadySeconds, double firstQueryMs, double secondQueryMs,
                          long countAfter, boolean sameResults, String note) {
    }

    /** Server RSS (VmRSS, summed over the process and its descendants) and disk use, by moment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(Integer pid, Map<String, Long> rssKiB, Long peakRssKiB, String dataDir,
                            Map<String, Long> diskKiB) {

        public static Resources empty() {
            return new Resources(null, new LinkedHashMap<>(), null, null, new LinkedHashMap<>());
        }
    }
}
