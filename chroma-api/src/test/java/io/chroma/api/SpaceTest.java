package io.chroma.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SpaceTest {
    private final float[] zero = {0, 0, 0};
    private final float[] p = {1.2f, 2.24f, 3.2f};
    private final float[] q = {0.6f, 1.12f, 1.6f};

    @Test
    void chromaIndexParamsFixture() {
        // the fixture of Chroma's test_index_params: l2 > 4 (squared), cosine in [0,1], ip < -5
        assertThat(Space.L2.distance(p, q)).isGreaterThan(4f);
        assertThat(Space.COSINE.distance(p, q)).isBetween(0f, 1f);
        assertThat(Space.IP.distance(p, q)).isLessThan(-5f);
    }

    @Test
    void l2IsSquared() {
        assertThat(Space.L2.distance(new float[]{0, 0}, new float[]{3, 4})).isEqualTo(25f);
    }

    @Test
    void cosineOfZeroVectorIsOne() {
        assertThat(Space.COSINE.distance(zero, zero)).isEqualTo(1f);
        assertThat(Space.COSINE.distance(zero, p)).isEqualTo(1f);
        assertThat(Space.COSINE.distance(p, q)).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void ipIsOneMinusDot() {
        assertThat(Space.IP.distance(new float[]{1, 2}, new float[]{3, 4})).isEqualTo(1 - 11f);
    }

    @Test
    void wireNames() {
        assertThat(Space.fromWireName("cosine")).isEqualTo(Space.COSINE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Space.fromWireName("foobar"))
                .isInstanceOf(InvalidArgumentException.class);
    }
}
