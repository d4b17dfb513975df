package io.chroma.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordsTest {

    @Test
    void eqOnSel10AndSel1SelectsExactlyTenAndOnePercent() {
        int n = 10_000;
        for (int v = 0; v < 10; v++) {
            int value = v;
            assertThat(Records.matching(n, i -> Records.sel10(i) == value)).hasSize(n / 10);
        }
        for (int v = 0; v < 100; v++) {
            int value = v;
            assertThat(Records.matching(n, i -> Records.sel1(i) == value)).hasSize(n / 100);
        }
    }

    @Test
    void idsRoundTrip() {
        assertThat(Records.indexOf(Records.id(0))).isZero();
        assertThat(Records.indexOf(Records.id(123_456))).isEqualTo(123_456);
        assertThat(Records.indexOf("x-1")).isEqualTo(-1);
        assertThat(Records.indexOf("id-x")).isEqualTo(-1);
        assertThat(Records.indexOf(null)).isEqualTo(-1);
    }

    @Test
    void noWordContainsAnother() {
        // otherwise $contains on one word would also match documents holding the other
        for (String a : Records.WORDS) {
            for (String b : Records.WORDS) {
                if (!a.equals(b)) {
                    assertThat(a).doesNotContain(b);
                }
            }
            assertThat("doc 0123456789:").doesNotContain(a);
        }
    }

    @Test
    void metadataValuesHaveTheAdvertisedTypesAndRanges() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Records.score(i)).isGreaterThanOrEqualTo(0).isLessThan(1);
            assertThat((double) (float) Records.score(i)).isEqualTo(Records.score(i)); // exact in float32 too
            assertThat(Records.category(i)).isNotBlank();
            assertThat(Records.document(i)).startsWith("doc " + i + ": ").matches("doc \\d+: \\w+ \\w+ \\w+");
            assertThat(Records.metadata(i)).containsEntry("sel10", i % 10).containsEntry("sel1", i % 100);
        }
        // the filters the benchmark sends match something, but not everything
        long half = Records.matching(10_000, i -> Records.score(i) < 0.5).length;
        assertThat(half).isBetween(4_700L, 5_300L);
        long word = Records.matching(10_000, i -> Records.document(i).contains("kilo")).length;
        assertThat(word).isBetween(1_500L, 2_100L);
    }
}
