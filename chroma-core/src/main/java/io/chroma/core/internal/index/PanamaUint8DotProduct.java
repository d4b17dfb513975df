package io.chroma.core.internal.index;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Uint8DotProduct}'s kernel with the Vector API: 16 or 32 bytes at a time, widened to 16-bit lanes
 * (a product of two unsigned bytes fits 16 bits unsigned), multiplied, then widened to 32-bit lanes
 * and summed. Loaded only when the {@code jdk.incubator.vector} module is present.
 */
final class PanamaUint8DotProduct {

    /** 32 bytes a step where the hardware has 512-bit vectors, else 16. */
    private static final boolean WIDE = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    private static final VectorSpecies<Byte> BYTES = WIDE ? ByteVector.SPECIES_256 : ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> SHORTS = WIDE ? ShortVector.SPECIES_512 : ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> INTS = WIDE ? IntVector.SPECIES_512 : IntVector.SPECIES_256;

    private PanamaUint8DotProduct() {
    }

    /** Whether the hardware has 256-bit vectors (else these species would run as slow Java code). */
    static boolean supported() {
        return IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    static int dot(byte[] a, byte[] b, int length) {
        IntVector low = IntVector.zero(INTS);
        IntVector high = IntVector.zero(INTS);
        int i = 0;
        for (int bound = BYTES.loopBound(length); i < bound; i += BYTES.length()) {
            ShortVector x = (ShortVector) ByteVector.fromArray(BYTES, a, i)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
            ShortVector y = (ShortVector) ByteVector.fromArray(BYTES, b, i)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
            ShortVector products = x.mul(y); // the low 16 bits of each product are the whole product
            low = low.add((IntVector) products.convertShape(VectorOperators.ZERO_EXTEND_S2I, INTS, 0));
            high = high.add((IntVector) products.convertShape(VectorOperators.ZERO_EXTEND_S2I, INTS, 1));
        }
        int sum = low.add(high).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += (a[i] & 0xFF) * (b[i] & 0xFF);
        }
        return sum;
    }
}
