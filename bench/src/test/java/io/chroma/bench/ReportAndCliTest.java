package io.chroma.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportAndCliTest {

    @Test
    void nearestRankPercentiles() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[99 - i] = (i + 1) * 1_000_000L; // 1..100 ms, unsorted
        }
        BenchResult.Latency l = BenchResult.Latency.of(nanos, 100);
        assertThat(l.p50Ms()).isEqualTo(50.0);
        assertThat(l.p90Ms()).isEqualTo(90.0);
        assertThat(l.p99Ms()).isEqualTo(99.0);
        assertThat(l.maxMs()).isEqualTo(100.0);
        assertThat(l.meanMs()).isEqualTo(50.5);
        assertThat(BenchResult.Latency.of(new long[] {7_000_000}, 1).p99Ms()).isEqualTo(7.0);
        assertThat(BenchResult.Latency.of(new long[0], 0).p50Ms()).isNaN();
    }

    @Test
    void jsonRoundTripsAndCompareShowsRatios(@TempDir Path dir) throws Exception {
        BenchResult real = result("real-chroma", 1000, 2.0, 0.93);
        BenchResult ours = result("ours", 2000, 1.0, 0.99);
        Main.write(dir.resolve("real"), real, Report.single(real));
        BenchResult back = Main.mapper().readValue(dir.resolve("real.json").toFile(), BenchResult.class);
        assertThat(back).isEqualTo(real);
        assertThat(Report.single(real)).contains("| query | 100 | 1 | 2.000 |").contains("0.9300");

        String md = Report.compare(real, ours);
        assertThat(md)
                .contains("| ingest vectors/s (acknowledged) | 1,000 | 2,000 | 2.00 | higher |")
                .contains("| query p50 ms | 2.000 | 1.000 | 0.50 | lower |")
                .contains("| query recall@10 | 0.9300 | 0.9900 | 1.06 | higher |")
                .doesNotContain("different parameters");
    }

    @Test
    void compareWarnsWhenParametersDiffer() {
        BenchResult a = result("a", 1000, 2.0, 0.9);
        BenchResult b = result("b", 1000, 2.0, 0.9);
        BenchResult.Params p = b.params();
        BenchResult bigger = new BenchResult(b.label(), b.date(), b.server(),
                new BenchResult.Params(p.n() * 2, p.dim(), p.batchRequested(), p.batchSize(), p.clients(), p.queries(),
                        p.k(), p.warmup(), p.seed(), p.clusters(), p.data(), p.base64(), p.space(), p.collection()),
                b.environment(), b.ingest(), b.phases(), b.restart(), b.resources(), b.warnings());
        assertThat(Report.compare(a, bigger)).contains("different parameters");
    }

    @Test
    void optionsParseAndBadOnesAreRejected() {
        Map<String, String> o = Main.parse(List.of("--url", "http://x:1", "--n=500", "--base64", "--label", "r"), null);
        BenchConfig c = Main.config(o);
        assertThat(c.n()).isEqualTo(500);
        assertThat(c.base64()).isTrue();
        assertThat(c.batch()).isEqualTo(1000);
        assertThat(c.gets()).isEqualTo(c.queries());
        assertThat(Main.config(Main.parse(List.of("--url", "http://x", "--out", "a/b.json"), null)).out())
                .isEqualTo(Path.of("a/b"));
        assertThatThrownBy(() -> Main.config(Main.parse(List.of("--url", "http://x", "--bogus", "1"), null)))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> Main.config(Main.parse(List.of("--n", "5"), null))).hasMessageContaining("--url");
        assertThatThrownBy(() -> Main.config(Main.parse(List.of("--url", "http://x", "--n", "ten"), null)))
                .hasMessageContaining("--n must be an integer");
        assertThatThrownBy(() -> Main.config(Main.parse(List.of("--url", "http://x", "--n", "0"), null)))
                .hasMessageContaining("--n must be positive");
        assertThatThrownBy(() -> Main.parse(List.of("--url"), null)).hasMessageContaining("needs a value");
    }

    static BenchResult result(String label, double ingestRate, double p50, double recall) {
        BenchResult.Latency lat = new BenchResult.Latency(p50, p50 * 2, p50 * 3, p50, p50 * 4);
        List<BenchResult.Phase> phases = new ArrayList<>();
        phases.add(new BenchResult.Phase("query", "query k=10", 100, 0, 1, 1.0, 100.0, lat, recall, true, null));
        phases.add(new BenchResult.Phase("count", "count", 10, 0, 1, 0.1, 100.0, lat, null, true, null));
        Map<String, Long> rss = new LinkedHashMap<>();
        rss.put("after_ingest", 102_400L);
        return new BenchResult(label, "2026-01-01T00:00:00Z",
                new BenchResult.Server("http://localhost:1", "1.0.0", JsonNodeFactory.instance.objectNode().put("max_batch_size", 5461)),
                new BenchResult.Params(1000, 8, 100, 100, 4, 100, 10, 5, 42, 1000, "synthetic", false, "l2", "c"),
                new BenchResult.Environment(2, 1024, "cpu", "linux", "jdk", "abc", "0.1", "0.2"),
                new BenchResult.Ingest(1000, 10, 100, 1000 / ingestRate, ingestRate, 1000 / ingestRate, ingestRate, 1,
                        lat, 1000, true),
                phases, null, new BenchResult.Resources(1, rss, 204_800L, null, new LinkedHashMap<>()), List.of());
    }
}
