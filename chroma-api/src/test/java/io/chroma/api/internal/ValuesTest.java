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
        assertThat(Values.scalarOrNull(new Object())).isNull();
    }

    @Test
    void keysAreChecked() {
        assertThatThrownBy(() -> Values.metadata(Map.of("", 1), false, "metadata")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Values.metadata(Map.of("#x", 1), false, "metadata")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Values.metadata(Map.of("$x", 1), false, "metadata")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Values.collectionMetadata(Map.of())).hasMessage("Metadata cannot be empty");
    }
}
