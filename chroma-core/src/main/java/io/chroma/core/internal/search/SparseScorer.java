package io.chroma.core.internal.search;

import io.chroma.api.SparseVector;

/**
 * The query side of sparse {@code $knn}: plain, or BM25-weighted as Chroma's {@code idf.rs}:
 * {@code q'ₜ = idf(t)·qₜ}, {@code idf(t) = ln(1 + (N − nₜ + 0.5)/(nₜ + 0.5))} where N is the number
 * of live records in the collection and nₜ the number of stored vectors (under the key, unfiltered)
 * containing t, clamped to N. Document values are used as stored (clients saturate tf already).
 */
public final class SparseScorer {
    private SparseScorer() {
    }

    /** The query to take dot products with: {@code query} itself, or IDF-weighted when {@code docFreq} is given. */
    public static SparseVector weighted(SparseVector query, long[] docFreq, long records) {
        if (docFreq == null) {
            return query;
        }
        float[] w = new float[query.values().length];
        for (int i = 0; i < w.length; i++) {
            long n = Math.min(docFreq[i], records);
            double idf = Math.log(1 + (records - n + 0.5) / (n + 0.5));
            w[i] = (float) idf * query.values()[i];
        }
        return new SparseVector(query.indices(), w);
    }
}
