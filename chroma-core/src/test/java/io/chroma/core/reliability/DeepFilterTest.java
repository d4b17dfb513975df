package io.chroma.core.reliability;

import io.chroma.api.Collection;
import io.chroma.api.Get;
import io.chroma.api.Records;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import io.chroma.core.EphemeralClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deeply nested filters (as a hostile or generated client sends them) are evaluated in time linear
 * in their size, and give the reference evaluator's answer.
 */
class DeepFilterTest {

    @Test
    void nestedAndOrEvaluateQuickly() {
        try (EphemeralClient client = new EphemeralClient()) {
            Collection c = client.createCollection("deep");
            List<String> ids = new ArrayList<>();
            List<float[]> embs = new ArrayList<>();
            List<Map<String, ?>> metas = new ArrayList<>();
            List<String> docs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ids.add("r" + i);
                embs.add(new float[] {i, 1, 2});
                metas.add(Map.of("i", (long) (i % 7) - 3, "s", "v" + (i % 5)));
                docs.add(i % 2 == 0 ? "fox " + i : "cat " + i);
            }
            c.add(Records.ids(ids).embeddings(embs).metadatas(metas).documents(docs));
            for (int depth : new int[] {10, 50, 100, 300}) {
                Where w = Where.eq("s", "v1");
                WhereDocument d = WhereDocument.contains("fox");
                for (int i = 0; i < depth; i++) {
                    w = Where.and(Where.gt("i", -100L), w);
                    d = WhereDocument.or(WhereDocument.contains("zzz"), d);
                }
                long t0 = System.nanoTime();
                int n = c.get(Get.where(w)).ids().size();
                long t1 = System.nanoTime();
                int m = c.get(Get.all().whereDocument(d)).ids().size();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("depth " + depth + ": " + ms + " ms (where " + (t1 - t0) / 1_000_000 + " ms)");
                assertThat(n).isEqualTo(12);
                assertThat(m).isEqualTo(30);
                // before the compiler built flat Boolean queries, depth 300 took 40 s
                assertThat(ms).as("depth %d", depth).isLessThan(5_000);
            }
            // wide rather than deep: more leaves than Lucene's default clause limit (1024)
            for (int width : new int[] {1_000, 5_000, 20_000}) {
                List<Where> any = new ArrayList<>();
                List<Where> all = new ArrayList<>();
                for (int i = 0; i < width; i++) {
                    any.add(Where.eq("s", "none" + i));
                    all.add(Where.ne("s", "none" + i));
                }
                any.add(Where.eq("s", "v1"));
                long t0 = System.nanoTime();
                assertThat(c.get(Get.where(new Where.Or(any))).ids()).hasSize(12);
                assertThat(c.get(Get.where(new Where.And(all))).ids()).hasSize(60);
                assertThat(c.query(io.chroma.api.Query.embeddings(new float[] {1, 1, 2}).nResults(5)
                        .where(new Where.Or(any))).ids().getFirst()).hasSize(5);
                System.out.println("width " + width + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        }
    }
}
