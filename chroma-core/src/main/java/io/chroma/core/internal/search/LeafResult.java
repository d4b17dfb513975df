package io.chroma.core.internal.search;

/**
 * What one {@code $knn} leaf found: seqs best first and their raw scores (distance, {@code 1 − dot}
 * or {@code 1 − bm25}; lower is better). A record contributes the raw score to the expression,
 * or its 0-based position with {@code return_rank}.
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
}
