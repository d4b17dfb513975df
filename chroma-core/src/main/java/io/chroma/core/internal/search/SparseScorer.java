package io.chroma.core.internal.search;

import io.chroma.api.SparseVector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores stored sparse vectors against a query by dot product, optionally BM25-weighted as
 * Chroma's {@code idf.rs}: {@code q'ₜ = idf(t)·qₜ}, {@code idf(t) = ln(1 + (N − nₜ + 0.5)/(nₜ + 0.5))}
 * where N is the number of live records in the collection and nₜ the number of stored vectors
 * (under the key, unfiltered) containing t, clamped to N. Feed every stored vector to
 * {@link #count}, the filtered ones also to {@link #keep}.
 */
public final class SparseScorer {

    public record Hit(long seq, float dot) {
    }

    private final SparseVector query;
    private final Map<Integer, Integer> position = new HashMap<>();
    private final long[] docFreq;
    private final List<Long> seqs = new ArrayList<>();
    private final List<SparseVector> kept = new ArrayList<>();

    public SparseScorer(SparseVector query) {
        this.query = query;
        for (int i = 0; i < query.indices().length; i++) {
            position.put(query.indices()[i], i);
        }
        this.docFreq = new long[query.indices().length];
    }

    public void count(SparseVector doc) {
        if (doc == null) {
            return;
        }
        for (int idx : doc.indices()) {
            Integer p = position.get(idx);
            if (p != null) {
                docFreq[p]++;
            }
        }
    }

    public void keep(long seq, SparseVector doc) {
        seqs.add(seq);
        kept.add(doc);
    }

    /**
     * Kept records sharing at least one dimension with the query, with their (weighted) dot.
     *
     * @param bm25Records N for IDF weighting, or a negative number for a plain dot product
     */
    public List<Hit> hits(long bm25Records) {
        SparseVector q = query;
        if (bm25Records >= 0) {
            float[] w = new float[query.values().length];
            for (int i = 0; i < w.length; i++) {
                long n = Math.min(docFreq[i], bm25Records);
                double idf = Math.log(1 + (bm25Records - n + 0.5) / (n + 0.5));
                w[i] = (float) idf * query.values()[i];
            }
            q = new SparseVector(query.indices(), w);
        }
        List<Hit> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            SparseVector d = kept.get(i);
            boolean shared = false;
            for (int idx : d.indices()) {
                if (position.containsKey(idx)) {
                    shared = true;
                    break;
                }
            }
            if (shared) {
                out.add(new Hit(seqs.get(i), q.dot(d)));
            }
        }
        return out;
    }
}
