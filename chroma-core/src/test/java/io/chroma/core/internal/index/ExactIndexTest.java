package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExactIndexTest {

    private static ExactIndex index(Space space) {
        return new ExactIndex(new IndexSettings(space, 2, 16, 100));
    }

    @Test
    void searchReturnsNearestFirstWithTiesBySeq() {
        ExactIndex idx = index(Space.L2);
        idx.upsert(5, new float[]{1, 0}, null, null);
        idx.upsert(3, new float[]{1, 0}, null, null);
        idx.upsert(1, new float[]{0, 0}, null, null);
        idx.upsert(9, new float[]{5, 5}, null, null);
        assertThat(idx.search(new float[]{0, 0}, 3, 100, null, null, null)).containsExactly(1, 3, 5);
        assertThat(idx.search(new float[]{0, 0}, 10, 100, null, null, null)).containsExactly(1, 3, 5, 9);
    }

    @Test
    void filtersAndCandidatesRestrictTheSearch() {
        ExactIndex idx = index(Space.COSINE);
        idx.upsert(1, new float[]{1, 0}, Map.of("k", 1L), "hello world");
        idx.upsert(2, new float[]{0, 1}, Map.of("k", 2L), "goodbye");
        idx.upsert(3, new float[]{1, 1}, null, null);
        assertThat(idx.filter(Where.eq("k", 1L), null)).containsExactly(1);
        assertThat(idx.filter(Where.ne("k", 1L), null)).containsExactly(2, 3);
        assertThat(idx.filter(null, WhereDocument.notContains("hello"))).containsExactly(2, 3);
        assertThat(idx.filter(null, null)).containsExactly(1, 2, 3);
        assertThat(idx.search(new float[]{1, 0}, 10, 10, Where.gte("k", 1.5), null, null)).containsExactly(2);
        assertThat(idx.search(new float[]{1, 0}, 10, 10, null, null, new long[]{2, 3, 77})).containsExactly(3, 2);
    }

    @Test
    void upsertReplacesDeleteRemovesClearEmpties() {
        ExactIndex idx = index(Space.IP);
        idx.upsert(1, new float[]{1, 0}, Map.of("a", "x"), null);
        idx.upsert(1, new float[]{0, 1}, Map.of("a", "y"), null);
        assertThat(idx.size()).isEqualTo(1);
        assertThat(idx.filter(Where.eq("a", "y"), null)).containsExactly(1);
        idx.upsert(2, new float[]{0, 1}, null, null);
        idx.delete(1);
        assertThat(idx.filter(null, null)).containsExactly(2);
        assertThat(idx.committedOpSeq()).isEqualTo(-1);
        idx.clear();
        assertThat(idx.size()).isZero();
    }

    @Test
    void factoryNamesSelectTheIndexAndUnknownNamesAreRejected() throws Exception {
        IndexSettings settings = new IndexSettings(Space.L2, 2, 16, 100);
        assertThat(VectorIndexFactory.named("exact").open(null, settings)).isInstanceOf(ExactIndex.class);
        try (VectorIndex lucene = VectorIndexFactory.named("lucene").open(null, settings)) {
            assertThat(lucene).isInstanceOf(LuceneIndex.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VectorIndexFactory.named("no.such.Factory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no.such.Factory");
    }
}
