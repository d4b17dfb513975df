package io.chroma.embeddings;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.chroma.embeddings.internal.MiniLmL6V2;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Texts per second of {@link DefaultEmbeddingFunction} for short texts and for texts at the
 * 256-token truncation length, plus langchain4j's wrapper on the same model for comparison.
 * Not a test: run it with {@code ./mvnw -pl chroma-embeddings -am -Pbench verify} (or its main
 * with the test class path). Writes {@code <dir>/embeddings-<date>.md}; dir defaults to
 * {@code bench/results}.
 */
public final class EmbeddingThroughputBenchmark {
    private EmbeddingThroughputBenchmark() {
    }

    /** Wall-clock rates, and texts per CPU-second of this process (what contention cannot shrink). */
    record Run(String what, int texts, int rounds, double best, double median, double meanTokens, double perCpuSecond) {
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/results");
        Files.createDirectories(dir);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        List<String> base = DefaultEmbeddingFunctionTest.referenceTexts().stream()
                .filter(t -> t.length() < 120).toList();
        List<String> shortTexts = new ArrayList<>();
        for (int i = 0; shortTexts.size() < 1024; i++) {
            shortTexts.add(base.get(i % base.size()) + (i >= base.size() ? " (" + i + ")" : ""));
        }
        List<String> longTexts = new ArrayList<>();
        String paragraph = String.join(" ", DefaultEmbeddingFunctionTest.referenceTexts());
        for (int i = 0; i < 128; i++) {
            int from = (i * 37) % (paragraph.length() / 2);
            longTexts.add(paragraph.substring(from));
        }

        DefaultEmbeddingFunction ef = new DefaultEmbeddingFunction();
        long t0 = System.nanoTime();
        ef.embed(List.of("warm up"));
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        ef.embed(shortTexts.subList(0, 256)); // JIT and ONNX Runtime warm-up
        ef.embed(longTexts.subList(0, 32));

        List<Run> runs = new ArrayList<>();
        List<String> tiny = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            tiny.add("hello world " + i);
        }
        runs.add(measure("DefaultEmbeddingFunction, very short texts (\"hello world N\")", ef::embed, tiny, 3));
        runs.add(measure("DefaultEmbeddingFunction, short texts", ef::embed, shortTexts, 3));
        runs.add(measure("DefaultEmbeddingFunction, 256-token texts", ef::embed, longTexts, 2));

        AllMiniLmL6V2EmbeddingModel wrapper = new AllMiniLmL6V2EmbeddingModel();
        List<String> wrapperTexts = shortTexts.subList(0, 256);
        wrapper.embed(wrapperTexts.get(0));
        runs.add(measure("langchain4j AllMiniLmL6V2EmbeddingModel.embed (one text per call), short texts",
                texts -> texts.stream().map(t -> wrapper.embed(t).content().vector()).toList(), wrapperTexts, 2));

        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        StringBuilder md = new StringBuilder();
        md.append("# Embedding throughput: default embedding function (all-MiniLM-L6-v2, ONNX Runtime)\n\n");
        md.append("- when: ").append(ZonedDateTime.now(ZoneOffset.UTC).withNano(0)).append('\n');
        md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.arch")).append(", JDK ").append(System.getProperty("java.version"))
                .append("; ONNX intra-op threads = cores\n");
        md.append(String.format(Locale.ROOT, "- load average (1 min): %.2f before, %.2f after. **The 2 cores were shared "
                + "with other helpers' builds and tests during the run, so these numbers are pessimistic.**%n",
                loadBefore, loadAfter));
        md.append(String.format(Locale.ROOT, "- model load (first call, incl. tokenizer native lib): %.2f s%n", loadSeconds));
        md.append("- method: batches of 32 as Chroma (texts sorted by token length, padded per batch), ")
                .append("whole list per embed() call; texts/s = texts / wall time of one call; best and median of the rounds\n\n");
        md.append("| what | texts per call | rounds | mean tokens | best texts/s (wall) | median texts/s (wall) "
                + "| texts per CPU-second |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Run r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.0f | %.0f | %.0f |%n",
                    r.what(), r.texts(), r.rounds(), r.meanTokens(), r.best(), r.median(), r.perCpuSecond()));
        }
        md.append("\nTexts per CPU-second counts only the CPU this process got, so it is not shrunk by other "
                + "processes; with 2 dedicated cores, wall-clock texts/s would be at most about twice it "
                + "(ONNX Runtime runs each batch on all cores).\n");
        md.append("\nTarget: >= 500 short texts/s.\n");
        Path out = dir.resolve("embeddings-" + date + ".md");
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("written to " + out.toAbsolutePath());
        System.exit(0);
    }

    interface Embedder {
        List<float[]> embed(List<String> texts);
    }

    static Run measure(String what, Embedder e, List<String> texts, int rounds) {
        double meanTokens = MiniLmL6V2.shared().tokenize(texts).stream().mapToInt(a -> a.length).average().orElse(0);
        double[] rates = new double[rounds];
        long cpu0 = processCpuNanos();
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            List<float[]> out = e.embed(texts);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (out.size() != texts.size()) {
                throw new IllegalStateException("wrong count");
            }
            rates[r] = texts.size() / secs;
            System.out.printf(Locale.ROOT, "%s round %d: %.0f texts/s%n", what, r + 1, rates[r]);
        }
        double perCpuSecond = (double) texts.size() * rounds / ((processCpuNanos() - cpu0) / 1e9);
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return new Run(what, texts.size(), rounds, sorted[rounds - 1], sorted[rounds / 2], meanTokens, perCpuSecond);
    }
}
