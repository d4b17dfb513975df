package io.chroma.core.internal.index;

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
 * The int8 index's dot product of two 8-bit vectors: Lucene's {@link VectorUtil#uint8DotProduct}
 * against {@link Uint8DotProduct}'s kernel. With {@code signedAlsoUsed}, the fork first calls
 * Lucene's signed byte dot product as much, as a server process does (Lucene uses it elsewhere):
 * both share one SIMD body, which is then compiled for either sign and loses its vector instructions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Uint8DotProductJmh {

    @Param({"384"})
    int dim;

    @Param({"false", "true"})
    boolean signedAlsoUsed;

    byte[] a;
    byte[] b;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(11);
        a = new byte[dim];
        b = new byte[dim];
        for (int i = 0; i < dim; i++) {
            a[i] = (byte) r.nextInt(256);
            b[i] = (byte) r.nextInt(256);
        }
        if (signedAlsoUsed) {
            long sink = 0;
            for (int i = 0; i < 200_000; i++) {
                sink += VectorUtil.dotProduct(a, b) + VectorUtil.uint8DotProduct(a, b);
            }
            if (sink == 42) {
                System.out.println(sink);
            }
        }
    }

    @Benchmark
    public int luceneUint8() {
        return VectorUtil.uint8DotProduct(a, b);
    }

    @Benchmark
    public int own() {
        return Uint8DotProduct.dot(a, b, dim);
    }
}
