package io.chroma.core.reliability;

import io.chroma.api.Collection;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.core.EphemeralClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finite float32 components can still make float32 distances overflow ([1.8e19, 1, 1] squared is
 * beyond Float.MAX_VALUE): found by BadInputFuzzTest as a 500 (Lucene asserts finite distances)
 * and, without assertions, Infinity distances no JSON client can read. Such vectors are refused.
 */
class HugeVectorTest {

    @Test
    void vectorsWhoseDistancesWouldOverflowAreRefused() {
        try (EphemeralClient client = new EphemeralClient()) {
            Collection c = client.createCollection("huge");
            c.add(Records.ids("a", "b").embeddings(new float[] {1, 2, 3}, new float[] {1, 1, 1}));
            assertThatThrownBy(() -> c.add(Records.ids("n1").embeddings(new float[] {1.8446744e19f, 1, 1})))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("too large");
            assertThatThrownBy(() -> c.upsert(Records.ids("a").embeddings(new float[] {-3e38f, 0, 0})))
                    .isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> c.query(Query.embeddings(new float[] {1e19f, 1e19f, 0})))
                    .isInstanceOf(InvalidArgumentException.class);
            // at the bound, every distance between two admitted vectors is still finite
            float big = (float) (Math.sqrt(Float.MAX_VALUE / 4.0) * 0.999);
            c.add(Records.ids("p", "q").embeddings(new float[] {big, 0, 0}, new float[] {-big, 0, 0}));
            QueryResult r = c.query(Query.embeddings(new float[] {big, 0, 0}).nResults(4));
            assertThat(r.ids().getFirst()).hasSize(4).startsWith("p").endsWith("q");
            assertThat(r.distances().getFirst()).allSatisfy(d -> assertThat(Float.isFinite(d)).isTrue());
            assertThat(c.count()).isEqualTo(4);
        }
    }
}
