package io.chroma.core.internal.index;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The unsigned byte dot product equals the scalar sum, at every length and for every byte value. */
class Uint8DotProductTest {

    private static int scalar(byte[] a, byte[] b, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (a[i] & 0xFF) * (b[i] & 0xFF);
        }
        return sum;
    }

    @Property(tries = 300)
    void equalsTheScalarSum(@ForAll @Size(max = 1100) byte[] a, @ForAll @IntRange(min = 0, max = 1 << 30) int seed) {
        byte[] b = new byte[a.length];
        new java.util.Random(seed).nextBytes(b);
        assertThat(Uint8DotProduct.dot(a, b, a.length)).isEqualTo(scalar(a, b, a.length));
        if (a.length > 0) {
            int prefix = seed % a.length;
            assertThat(Uint8DotProduct.dot(a, b, prefix)).isEqualTo(scalar(a, b, prefix));
        }
    }

    @Test
    void allBytesAtTheirLargest() {
        byte[] ones = new byte[4096];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertThat(Uint8DotProduct.dot(ones, ones, ones.length)).isEqualTo(4096 * 255 * 255);
    }

    @Test
    void theSimdKernelIsUsedWhereTheVectorModuleIs() {
        // the build runs every test with --add-modules jdk.incubator.vector (chroma.jvm.args in the parent
        // pom): without it the properties above would only exercise Lucene's fallback
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).as("vector module in the test JVM").isPresent();
        assertThat(Uint8DotProduct.ownKernel()).isEqualTo(PanamaUint8DotProduct.supported());
    }
}
