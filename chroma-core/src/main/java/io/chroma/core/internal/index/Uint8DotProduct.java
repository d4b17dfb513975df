package io.chroma.core.internal.index;

import org.apache.lucene.util.VectorUtil;

/**
 * The dot product of two vectors of unsigned bytes, for the int8 index's scorer.
 *
 * <p>Lucene's {@link VectorUtil#uint8DotProduct} shares one SIMD body with the signed byte dot
 * product, selected by a flag, and how fast that body runs depends on how the JIT compiled it in the
 * process: alone, 14 ns for 384 dimensions (Uint8DotProductJmh); after the signed variant was used
 * too, 20 ± 16 ns there, and 210-250 ns in a microbenchmark whose loop called both. In the server
 * JFR put 67 % of an int8 query's samples in it; with this kernel, called by the int8 scorer only,
 * 6 % (EngineBenchmark int8 query p50 0.93 → 0.75 ms). Without the {@code jdk.incubator.vector}
 * module, or on hardware with vectors narrower than 256 bits, Lucene's kernel is used.
 */
final class Uint8DotProduct {

    private static final boolean OWN_KERNEL = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && PanamaUint8DotProduct.supported();

    private Uint8DotProduct() {
    }

    /** Σ a[i]·b[i] over the first {@code length} bytes, each read as unsigned. */
    static int dot(byte[] a, byte[] b, int length) {
        return OWN_KERNEL ? PanamaUint8DotProduct.dot(a, b, length) : luceneDot(a, b, length);
    }

    /** Whether {@link #dot} runs this project's SIMD kernel (else Lucene's). */
    static boolean ownKernel() {
        return OWN_KERNEL;
    }

    private static int luceneDot(byte[] a, byte[] b, int length) {
        return a.length == length && b.length == length
                ? VectorUtil.uint8DotProduct(a, b)
                : VectorUtil.uint8DotProduct(java.util.Arrays.copyOf(a, length), java.util.Arrays.copyOf(b, length));
    }
}
