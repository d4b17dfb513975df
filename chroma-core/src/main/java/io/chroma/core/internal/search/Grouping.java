package io.chroma.core.internal.search;

import io.chroma.api.search.GroupBy;
import io.chroma.api.search.Key;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * {@code group_by} as Chroma's {@code ranked_group_by.rs}: group the ranked candidates by the
 * metadata key tuple (a missing key is its own {@code null} value; values are type-strict), keep
 * the first {@code k} of each group ordered by the aggregate keys ({@code $min_k} ascending,
 * {@code $max_k} descending, {@code null} before any value in {@code $min_k} and after in
 * {@code $max_k}; mixed kinds order bool &lt; int &lt; float &lt; string), then flatten and re-sort.
 */
public final class Grouping {
    private Grouping() {
    }

    public static List<RankEvaluator.Scored> apply(List<RankEvaluator.Scored> ranked, GroupBy g,
                                                   LongFunction<Map<String, Object>> metadataOf) {
        Map<List<Object>, List<RankEvaluator.Scored>> groups = new LinkedHashMap<>();
        for (RankEvaluator.Scored s : ranked) {
            Map<String, Object> m = metadataOf.apply(s.seq());
            List<Object> key = new ArrayList<>(g.keys().size());
            for (String k : g.keys()) {
                Object v = m == null ? null : m.get(k);
                // type-strict: int 1 and float 1.0 are different groups; wrap with the kind
                key.add(v == null ? null : Arrays.asList(kind(v), v));
            }
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(s);
        }
        GroupBy.Aggregate a = g.aggregate();
        Comparator<RankEvaluator.Scored> order = null;
        for (String k : a.keys()) {
            Comparator<RankEvaluator.Scored> c = (x, y) -> compareNullFirst(value(x, k, metadataOf), value(y, k, metadataOf));
            if (a.max()) {
                c = c.reversed();
            }
            order = order == null ? c : order.thenComparing(c);
        }
        order = order.thenComparingLong(RankEvaluator.Scored::seq);
        List<RankEvaluator.Scored> kept = new ArrayList<>();
        for (List<RankEvaluator.Scored> members : groups.values()) {
            members.sort(order);
            kept.addAll(members.subList(0, Math.min(a.k(), members.size())));
        }
        RankEvaluator.sort(kept);
        return kept;
    }

    private static Object value(RankEvaluator.Scored s, String key, LongFunction<Map<String, Object>> metadataOf) {
        if (key.equals(Key.SCORE)) {
            return s.score();
        }
        Map<String, Object> m = metadataOf.apply(s.seq());
        return m == null ? null : m.get(key);
    }

    private static int kind(Object v) {
        return switch (v) {
            case Boolean b -> 0;
            case Long l -> 1;
            case Double d -> 2;
            case Float f -> 2;
            case String s -> 3;
            default -> 4;
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareNullFirst(Object x, Object y) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        int kx = kind(x), ky = kind(y);
        if (kx != ky) {
            return Integer.compare(kx, ky);
        }
        if (x instanceof Float fx && y instanceof Float fy) {
            return Float.compare(fx, fy);
        }
        if (x instanceof Comparable cx && x.getClass() == y.getClass()) {
            return cx.compareTo(y);
        }
        return 0;
    }
}
