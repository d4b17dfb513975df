package io.chroma.core.internal.index;

import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How Chroma's {@code construction_ef} and {@code ef_search} become Lucene's beams. */
class BeamMappingTest {

    @Test
    void chromasSettingsAreLucenesBeams() {
        assertThat(LuceneIndex.buildBeam(100)).isEqualTo(100);
        assertThat(LuceneIndex.buildBeam(0)).isEqualTo(100); // unset: Chroma's default 100
        assertThat(LuceneIndex.buildBeam(37)).isEqualTo(37);
        assertThat(LuceneIndex.searchBeam(100, 10)).isEqualTo(100);
        assertThat(LuceneIndex.searchBeam(250, 10)).isEqualTo(250);
    }

    @Test
    void theSearchBeamNeverHoldsFewerThanTheResultsWanted() {
        assertThat(LuceneIndex.searchBeam(10, 500)).isEqualTo(500);
        assertThat(LuceneIndex.searchBeam(1, 1)).isEqualTo(1);
    }

    @Test
    void extremeSettingsStayWithinLucenesBounds() {
        assertThat(LuceneIndex.buildBeam(1)).isEqualTo(2);
        assertThat(LuceneIndex.buildBeam(Integer.MAX_VALUE)).isEqualTo(Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH);
        assertThat(LuceneIndex.searchBeam(Integer.MAX_VALUE, 10)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void anUnusableFactorMeansChromasSetting() {
        String property = "chroma.test.beamFactor";
        try {
            for (String bad : new String[] {"abc", "0", "-2", "NaN", "Infinity", ""}) {
                System.setProperty(property, bad);
                assertThat(LuceneIndex.positiveFactor(property)).as(bad).isEqualTo(1.0);
            }
            System.setProperty(property, "0.72");
            assertThat(LuceneIndex.positiveFactor(property)).isEqualTo(0.72);
            System.clearProperty(property);
            assertThat(LuceneIndex.positiveFactor(property)).isEqualTo(1.0);
        } finally {
            System.clearProperty(property);
        }
    }
}
