package io.chroma.core.internal.search;

import java.util.HashMap;
import java.util.Map;

/**
 * What one {@code $knn} leaf found: seqs best first and their raw scores (distance, {@code 1 − dot}
 * or {@code 1 − bm25}; lower is better). {@link #values(boolean)} gives the value each record
 * contributes to the expression: the raw score, or its 0-based position with {@code return_rank}.
 */
public record LeafResult(long[] seqs, float[] scores) {

    public LeafResult {
        if (seqs.length != scores.length) {
            throw new IllegalArgumentException("one score per seq");
        }
    }

    public static LeafResult empty() {
        return new LeafResult(new long[0], new float[0]);
    }

    public Map<Long, Float> values(boolean returnRank) {
        Map<Long, Float> out = new HashMap<>(seqs.length * 2);
        for (int i = 0; i < seqs.length; i++) {
            out.put(seqs[i], returnRank ? (float) i : scores[i]);
        }
        return out;
    }
}
