package io.chroma.api.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Reciprocal rank fusion, {@code −Σᵢ wᵢ / (k + rankᵢ)}. There is no RRF wire operator: like
 * Chroma's clients, {@link #toRank()} expands it to {@code $mul/$sum/$div/$val} arithmetic, so any
 * server that evaluates rank expressions fuses the same way. Give it {@link Knn}s with
 * {@code returnRank(true)} (else distances are fused instead of ranks).
 *
 * @param weights one per rank, or {@code null} for all 1.0
 * @param normalize divide the weights by their sum first
 */
public record Rrf(List<Rank> ranks, int k, List<Double> weights, boolean normalize) {

    public Rrf {
        if (ranks == null || ranks.isEmpty()) {
            throw new IllegalArgumentException("Rrf needs at least one rank");
        }
        if (k <= 0) {
            throw new IllegalArgumentException("Rrf k must be a positive integer, got " + k);
        }
        if (weights != null) {
            if (weights.size() != ranks.size()) {
                throw new IllegalArgumentException("Rrf needs one weight per rank");
            }
            for (double w : weights) {
                if (!(w >= 0)) {
                    throw new IllegalArgumentException("Rrf weights must be non-negative, got " + w);
                }
            }
            weights = List.copyOf(weights);
        }
        ranks = List.copyOf(ranks);
    }

    public static Rrf of(Rank... ranks) {
        return new Rrf(List.of(ranks), 60, null, false);
    }

    public Rrf k(int newK) {
        return new Rrf(ranks, newK, weights, normalize);
    }

    public Rrf weights(double... w) {
        List<Double> list = new ArrayList<>();
        for (double d : w) {
            list.add(d);
        }
        return new Rrf(ranks, k, list, normalize);
    }

    public Rrf normalize(boolean n) {
        return new Rrf(ranks, k, weights, n);
    }

    /** The expression JS chromadb 3.5.0 sends for the same Rrf (same tree and operand order). */
    public Rank toRank() {
        double[] w = new double[ranks.size()];
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = weights == null ? 1.0 : weights.get(i);
            total += w[i];
        }
        List<Rank> terms = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            double wi = normalize && total > 0 ? w[i] / total : w[i];
            terms.add(new Rank.Div(Rank.val(wi), new Rank.Sum(List.of(ranks.get(i), Rank.val(k)))));
        }
        Rank sum = terms.size() == 1 ? terms.get(0) : new Rank.Sum(terms);
        return new Rank.Mul(List.of(sum, Rank.val(-1)));
    }
}
