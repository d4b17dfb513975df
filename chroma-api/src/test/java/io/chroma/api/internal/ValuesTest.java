package io.chroma.api.internal;

import io.chroma.api.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {
    @Test
    void scalars() {
        assertThat(Values.scalarOrNull(3)).isEqualTo(3L);
        assertThat(Values.scalarOrNull((short) 3)).isEqualTo(3L);
        assertThat(Values.scalarOrNull(BigInteger.TEN)).isEqualTo(10L);
        assertThat(Values.scalarOrNull(BigInteger.TWO.pow(70))).isNull();
        assertThat(Values.scalarOrNull(new BigDecimal("1.5"))).isEqualTo(1.5d);
        assertThat(Values.scalarOrNull(Float.NaN)).isNull();
        // one zero, as Chroma stores it (and so equality agrees with the index's term for 0.0)
        assertThat(Values.scalarOrNull(-0.0d)).isEqualTo(0.0d);
        assertThat(Double.doubleToRawLongBits((Double) Values.scalarOrNull(-0.0d))).isZero();
        assertThat(Values.scalarOrNull(new BigDecimal("-0.0"))).isEqualTo(0.0d);
        assertThat(Values.scalarOrNull(new Object())).isNull();
    }

    @Test
    void integersBeyondSixtyFourBitsAreStoredAsFloatsAsInChroma() {
        Map<String, Object> m = Values.metadata(Map.of("big", BigInteger.TWO.pow(64), "list",
                java.util.List.of(BigInteger.TWO.pow(63), 1.5)), false, "metadata");
        assertThat(m.get("big")).isEqualTo(1.8446744073709552E19);
        assertThat(m.get("list")).isEqualTo(java.util.List.of(9.223372036854776E18, 1.5));
        assertThat(Values.scalarOrNull(BigInteger.TWO.pow(64))).isNull(); // where operands stay strict
    }

    @Test
    void keysAreChecked() {
        assertThatThrownBy(() -> Values.metadata(Map.of("", 1), false, "metadata")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Values.metadata(Map.of("#x", 1), false, "metadata")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Values.metadata(Map.of("$x", 1), false, "metadata")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Values.collectionMetadata(Map.of())).hasMessage("Metadata cannot be empty");
    }
}
