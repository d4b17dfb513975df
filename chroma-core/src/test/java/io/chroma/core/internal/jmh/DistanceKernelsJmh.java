package io.chroma.core.internal.jmh;

import io.chroma.api.Space;
import org.apache.lucene.util.VectorUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Distance kernels: the exact distances we return ({@link Space#distance}, scalar, double
 * accumulation for Chroma's precision) against Lucene's {@link VectorUtil} (SIMD through
 * jdk.incubator.vector), which ranks candidates inside the HNSW graph. Shows what the exact
 * re-score of the final k costs next to the graph's own comparisons.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DistanceKernelsJmh {

    @Param({"384", "1536"})
    int dim;

    float[] a;
    float[] b;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        a = new float[dim];
        b = new float[dim];
        for (int i = 0; i < dim; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
        }
    }

    @Benchmark
    public float exactL2() {
        return Space.L2.distance(a, b);
    }

    @Benchmark
    public float exactCosine() {
        return Space.COSINE.distance(a, b);
    }

    @Benchmark
    public float exactIp() {
        return Space.IP.distance(a, b);
    }

    @Benchmark
    public float luceneSquareDistance() {
        return VectorUtil.squareDistance(a, b);
    }

    @Benchmark
    public float luceneDotProduct() {
        return VectorUtil.dotProduct(a, b);
    }
}
