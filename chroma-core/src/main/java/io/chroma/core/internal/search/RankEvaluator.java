package io.chroma.core.internal.search;

import io.chroma.api.search.Knn;
import io.chroma.api.search.Rank;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores records with a rank expression, given what each {@code $knn} leaf found. Chroma's rules
 * (distributed executor, {@code operators/rank.rs}):
 * <ul>
 *   <li>when every leaf has a {@code default}, the candidates are the union of all leaf results;
 *       otherwise the intersection of the results of the leaves <em>without</em> a default;</li>
 *   <li>an expression without leaves scores nothing;</li>
 *   <li>a leaf missing a candidate contributes its default; arithmetic is f32 and n-ary operators
 *       fold from their identity ({@code $max} from −f32::MAX, NaN ignored as Rust's {@code max}).</li>
 * </ul>
 */
public final class RankEvaluator {
    private RankEvaluator() {
    }

    /** A scored record. */
    public record Scored(long seq, float score) {
    }

    /**
     * @param leafResults one per {@link Rank#knnLeaves()} entry, in that (depth-first) order
     * @return candidates with their scores, ascending by seq
     */
    public static List<Scored> evaluate(Rank rank, List<LeafResult> leafResults) {
        List<Knn> leaves = rank.knnLeaves();
        if (leaves.size() != leafResults.size()) {
            throw new IllegalArgumentException("one result per knn leaf");
        }
        if (leaves.isEmpty()) {
            return List.of();
        }
        SeqValues[] values = new SeqValues[leaves.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = SeqValues.of(leafResults.get(i), leaves.get(i).returnRank());
        }
        long[] candidates = null;
        boolean allDefault = leaves.stream().allMatch(k -> k.defaultScore() != null);
        if (allDefault) {
            int n = 0;
            for (SeqValues v : values) {
                n += v.seqs.length;
            }
            long[] all = new long[n];
            n = 0;
            for (SeqValues v : values) {
                System.arraycopy(v.seqs, 0, all, n, v.seqs.length);
                n += v.seqs.length;
            }
            candidates = distinctSorted(all);
        } else {
            for (int i = 0; i < values.length; i++) {
                if (leaves.get(i).defaultScore() == null) {
                    candidates = candidates == null ? values[i].seqs : values[i].retain(candidates);
                }
            }
        }
        List<Scored> out = new ArrayList<>(candidates.length);
        for (long seq : candidates) {
            int[] next = {0};
            out.add(new Scored(seq, eval(rank, seq, values, next)));
        }
        return out;
    }

    /**
     * One leaf's values by seq: sorted distinct seqs and their values, looked up by binary search.
     * Primitive arrays rather than boxed maps and sets: a hybrid search evaluates a few hundred
     * candidates per query, and the boxing was a measurable part of it.
     */
    private static final class SeqValues {
        final long[] seqs;
        final float[] values;

        private SeqValues(long[] seqs, float[] values) {
            this.seqs = seqs;
            this.values = values;
        }

        static SeqValues of(LeafResult r, boolean returnRank) {
            long[] seqs = distinctSorted(r.seqs().clone());
            float[] values = new float[seqs.length];
            // in leaf order, so that a seq listed twice keeps its last value (as a map put would)
            for (int i = 0; i < r.seqs().length; i++) {
                values[Arrays.binarySearch(seqs, r.seqs()[i])] = returnRank ? (float) i : r.scores()[i];
            }
            return new SeqValues(seqs, values);
        }

        /** Position of {@code seq}, or negative when absent. */
        int indexOf(long seq) {
            return Arrays.binarySearch(seqs, seq);
        }

        /** The sorted {@code candidates} that this leaf also has. */
        long[] retain(long[] candidates) {
            long[] out = new long[candidates.length];
            int n = 0;
            for (long c : candidates) {
                if (indexOf(c) >= 0) {
                    out[n++] = c;
                }
            }
            return Arrays.copyOf(out, n);
        }
    }

    /** Sorts {@code a} in place and returns its distinct values. */
    private static long[] distinctSorted(long[] a) {
        Arrays.sort(a);
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (n == 0 || a[i] != a[n - 1]) {
                a[n++] = a[i];
            }
        }
        return n == a.length ? a : Arrays.copyOf(a, n);
    }

    private static float eval(Rank r, long seq, SeqValues[] values, int[] next) {
        return switch (r) {
            case Knn k -> {
                int i = next[0]++;
                int at = values[i].indexOf(seq);
                // a candidate missing from a no-default leaf cannot happen (intersection); from a
                // leaf with a default it takes the default
                yield at >= 0 ? values[i].values[at] : (k.defaultScore() != null ? k.defaultScore() : Float.NaN);
            }
            case Rank.Val v -> v.value();
            case Rank.Sum s -> {
                float acc = 0f;
                for (Rank t : s.terms()) {
                    acc += eval(t, seq, values, next);
                }
                yield acc;
            }
            case Rank.Mul m -> {
                float acc = 1f;
                for (Rank t : m.factors()) {
                    acc *= eval(t, seq, values, next);
                }
                yield acc;
            }
            case Rank.Max m -> {
                float acc = -Float.MAX_VALUE;
                for (Rank t : m.args()) {
                    acc = rustMax(acc, eval(t, seq, values, next));
                }
                yield acc;
            }
            case Rank.Min m -> {
                float acc = Float.MAX_VALUE;
                for (Rank t : m.args()) {
                    acc = rustMin(acc, eval(t, seq, values, next));
                }
                yield acc;
            }
            case Rank.Sub s -> {
                float l = eval(s.left(), seq, values, next);
                yield l - eval(s.right(), seq, values, next);
            }
            case Rank.Div d -> {
                float l = eval(d.left(), seq, values, next);
                yield l / eval(d.right(), seq, values, next);
            }
            case Rank.Abs a -> Math.abs(eval(a.arg(), seq, values, next));
            case Rank.Exp e -> (float) Math.exp(eval(e.arg(), seq, values, next));
            case Rank.Log l -> (float) Math.log(eval(l.arg(), seq, values, next));
        };
    }

    /** Rust's {@code f32::max}: NaN loses to any number. */
    static float rustMax(float a, float b) {
        if (Float.isNaN(a)) {
            return b;
        }
        if (Float.isNaN(b)) {
            return a;
        }
        return Math.max(a, b);
    }

    static float rustMin(float a, float b) {
        if (Float.isNaN(a)) {
            return b;
        }
        if (Float.isNaN(b)) {
            return a;
        }
        return Math.min(a, b);
    }

    /** Final order: score ascending (NaN last, as IEEE total order puts positive NaN), ties by seq. */
    public static void sort(List<Scored> scored) {
        scored.sort((a, b) -> {
            int c = Float.compare(a.score(), b.score());
            return c != 0 ? c : Long.compare(a.seq(), b.seq());
        });
    }

    static Map<Long, Float> asMap(List<Scored> s) {
        Map<Long, Float> m = new HashMap<>();
        for (Scored x : s) {
            m.put(x.seq(), x.score());
        }
        return m;
    }
}
