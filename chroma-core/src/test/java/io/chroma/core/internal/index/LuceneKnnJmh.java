package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Lucene KNN search through {@link LuceneIndex#search}, as the engine calls it (k 10, ef 100):
 * unfiltered, and with a metadata filter keeping 10 % and 1 % of the records. The index is built
 * once per fork on disk, committed, and force-merged the way a long-idle collection ends up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class LuceneKnnJmh {

    @Param({"20000"})
    int n;

    /** Whether the index holds 8-bit quantized vectors only ({@link QuantizedHnswVectorsFormat}) or float32. */
    @Param({"false", "true"})
    boolean quantized;

    static final int DIM = 384;
    Path dir;
    LuceneIndex index;
    float[][] queries;
    int next;

    @Setup(Level.Trial)
    public void build() throws IOException {
        float[][] all = LuceneTestData.embeddingLike(n + 256, DIM, 32, 200, 42);
        queries = Arrays.copyOfRange(all, n, n + 256);
        dir = Files.createTempDirectory("knn-jmh");
        index = LuceneIndex.open(dir, new IndexSettings(Space.L2, DIM, 16, 100), LuceneIndex.DEFAULT_THREADS, quantized);
        for (int i = 0; i < n; i++) {
            index.upsert(i, all[i], Map.of("sel10", (long) (i % 10), "sel1", (long) (i % 100)), null);
        }
        index.commit(n);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        index.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private float[] nextQuery() {
        next = (next + 1) & 255;
        return queries[next];
    }

    @Benchmark
    public long[] knn() throws IOException {
        return index.search(nextQuery(), 10, 100, null, null, null);
    }

    @Benchmark
    public long[] knnFilter10pct() throws IOException {
        return index.search(nextQuery(), 10, 100, Where.eq("sel10", 3), null, null);
    }

    @Benchmark
    public long[] knnFilter1pct() throws IOException {
        return index.search(nextQuery(), 10, 100, Where.eq("sel1", 7), null, null);
    }
}
