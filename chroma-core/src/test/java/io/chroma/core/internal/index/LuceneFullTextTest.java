package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The BM25 full-text field: Lucene against the brute-force ExactIndex, filters, and the layout check. */
class LuceneFullTextTest {

    static final String[] WORDS = {"drill", "battery", "xk", "4821", "4822", "garden", "hose", "quick", "fox", "lazy",
            "dog", "brown", "red", "motor", "chuck", "torque"};

    @Test
    void luceneRanksLikeTheBruteForceBm25() throws Exception {
        Random rnd = new Random(3);
        IndexSettings settings = new IndexSettings(Space.L2, 2, 0, 0);
        try (LuceneIndex lucene = LuceneIndex.open(null, settings)) {
            ExactIndex exact = new ExactIndex(settings);
            for (int i = 0; i < 300; i++) {
                StringBuilder doc = new StringBuilder();
                int len = 3 + rnd.nextInt(12);
                for (int w = 0; w < len; w++) {
                    doc.append(WORDS[(int) Math.min(WORDS.length - 1, Math.abs(rnd.nextGaussian()) * 5)]).append(w % 4 == 3 ? ", " : " ");
                }
                Map<String, Object> meta = Map.of("k", (long) (i % 3));
                float[] v = {rnd.nextFloat(), rnd.nextFloat()};
                lucene.upsert(i, v, meta, doc.toString());
                exact.upsert(i, v, meta, doc.toString());
            }
            for (String q : List.of("drill battery", "XK-4821", "quick brown fox", "torque", "nothing-matches")) {
                for (Where where : new Where[] {null, Where.ne("k", 1L)}) {
                    VectorIndex.TextHits l = lucene.fullText(q, 20, where, null);
                    VectorIndex.TextHits e = exact.fullText(q, 1000, where, null);
                    // Lucene keeps document lengths in one byte: scores agree to about 1%, so compare
                    // each Lucene hit's score with the exact score of the same record
                    Map<Long, Float> exactScore = new java.util.HashMap<>();
                    for (int i = 0; i < e.seqs().length; i++) {
                        exactScore.put(e.seqs()[i], e.scores()[i]);
                    }
                    assertThat(l.seqs().length).isEqualTo(Math.min(20, e.seqs().length));
                    for (int i = 0; i < l.seqs().length; i++) {
                        assertThat(exactScore).containsKey(l.seqs()[i]);
                        assertThat(l.scores()[i]).as(q + " #" + i).isCloseTo(exactScore.get(l.seqs()[i]),
                                org.assertj.core.data.Percentage.withPercentage(3));
                    }
                    // and Lucene's k best are the exact k best up to score ties within that tolerance
                    if (e.seqs().length > 20) {
                        assertThat(l.scores()[19]).isGreaterThanOrEqualTo(e.scores()[19] * 0.97f);
                    }
                }
            }
            long[] only = {5, 7, 9};
            for (long s : lucene.fullText("drill battery quick fox torque", 10, null, only).seqs()) {
                assertThat(only).contains(s);
            }
        }
    }

    @Test
    void anIndexWithoutTheFullTextLayoutIsRebuilt(@TempDir Path dir) throws Exception {
        try (FSDirectory d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
            w.setLiveCommitData(Map.of(LuceneIndex.OP_SEQ_KEY, "7").entrySet());
            w.commit();
        }
        assertThatThrownBy(() -> LuceneIndex.open(dir, new IndexSettings(Space.L2, 2, 0, 0)))
                .isInstanceOf(CorruptIndexException.class).hasMessageContaining("full-text");
        Path fresh = dir.resolve("fresh");
        try (LuceneIndex idx = LuceneIndex.open(fresh, new IndexSettings(Space.L2, 2, 0, 0))) {
            idx.upsert(0, new float[] {1, 0}, null, "a document");
            idx.commit(3);
        }
        try (LuceneIndex idx = LuceneIndex.open(fresh, new IndexSettings(Space.L2, 2, 0, 0))) {
            assertThat(idx.committedOpSeq()).isEqualTo(3);
            assertThat(idx.fullText("document", 5, null, null).seqs()).containsExactly(0L);
        }
    }
}
