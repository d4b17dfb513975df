package io.chroma.core.internal.search;

import io.chroma.api.search.Knn;
import io.chroma.api.search.Rank;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
        List<Map<Long, Float>> values = new ArrayList<>(leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            values.add(leafResults.get(i).values(leaves.get(i).returnRank()));
        }
        TreeSet<Long> candidates = null;
        boolean allDefault = leaves.stream().allMatch(k -> k.defaultScore() != null);
        for (int i = 0; i < leaves.size(); i++) {
            Map<Long, Float> v = values.get(i);
            if (allDefault) {
                if (candidates == null) {
                    candidates = new TreeSet<>();
                }
                candidates.addAll(v.keySet());
            } else if (leaves.get(i).defaultScore() == null) {
                if (candidates == null) {
                    candidates = new TreeSet<>(v.keySet());
                } else {
                    candidates.retainAll(v.keySet());
                }
            }
        }
        List<Scored> out = new ArrayList<>(candidates.size());
        for (long seq : candidates) {
            int[] next = {0};
            out.add(new Scored(seq, eval(rank, seq, leaves, values, next)));
        }
        return out;
    }

    private static float eval(Rank r, long seq, List<Knn> leaves, List<Map<Long, Float>> values, int[] next) {
        return switch (r) {
            case Knn k -> {
                int i = next[0]++;
                Float v = values.get(i).get(seq);
                // a candidate missing from a no-default leaf cannot happen (intersection); from a
                // leaf with a default it takes the default
                yield v != null ? v : (k.defaultScore() != null ? k.defaultScore() : Float.NaN);
            }
            case Rank.Val v -> v.value();
            case Rank.Sum s -> {
                float acc = 0f;
                for (Rank t : s.terms()) {
                    acc += eval(t, seq, leaves, values, next);
                }
                yield acc;
            }
            case Rank.Mul m -> {
                float acc = 1f;
                for (Rank t : m.factors()) {
                    acc *= eval(t, seq, leaves, values, next);
                }
                yield acc;
            }
            case Rank.Max m -> {
                float acc = -Float.MAX_VALUE;
                for (Rank t : m.args()) {
                    acc = rustMax(acc, eval(t, seq, leaves, values, next));
                }
                yield acc;
            }
            case Rank.Min m -> {
                float acc = Float.MAX_VALUE;
                for (Rank t : m.args()) {
                    acc = rustMin(acc, eval(t, seq, leaves, values, next));
                }
                yield acc;
            }
            case Rank.Sub s -> {
                float l = eval(s.left(), seq, leaves, values, next);
                yield l - eval(s.right(), seq, leaves, values, next);
            }
            case Rank.Div d -> {
                float l = eval(d.left(), seq, leaves, values, next);
                yield l / eval(d.right(), seq, leaves, values, next);
            }
            case Rank.Abs a -> Math.abs(eval(a.arg(), seq, leaves, values, next));
            case Rank.Exp e -> (float) Math.exp(eval(e.arg(), seq, leaves, values, next));
            case Rank.Log l -> (float) Math.log(eval(l.arg(), seq, leaves, values, next));
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
