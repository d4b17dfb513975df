package io.chroma.core.internal.search;

import io.chroma.api.Where;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Search API's filter may test record ids ({@code #id} with {@code $eq $ne $in $nin}) anywhere
 * in the where tree, also under {@code $or}. Ids live in the record store, not in the index, so a
 * filter that mentions {@code #id} is evaluated as set algebra over sorted seq arrays: id tests by
 * lookup, each id-free subtree by the index in one call.
 */
public final class IdFilter {
    private IdFilter() {
    }

    public static boolean mentionsId(Where w) {
        return switch (w) {
            case null -> false;
            case Where.And a -> a.clauses().stream().anyMatch(IdFilter::mentionsId);
            case Where.Or o -> o.clauses().stream().anyMatch(IdFilter::mentionsId);
            case Where.Document d -> false;
            case Where.Compare c -> c.key().equals("#id");
        };
    }

    /**
     * The seqs (ascending) that pass {@code w}.
     *
     * @param indexFilter seqs of an id-free where, ascending
     * @param lookup seqs of ids (any order, -1 for unknown)
     * @param all every live seq, ascending
     */
    public static long[] evaluate(Where w, Function<Where, long[]> indexFilter, Function<List<String>, long[]> lookup,
                                  Supplier<long[]> all) {
        if (!mentionsId(w)) {
            return indexFilter.apply(w);
        }
        return switch (w) {
            case Where.And a -> {
                long[] acc = null;
                for (Where c : a.clauses()) {
                    long[] next = evaluate(c, indexFilter, lookup, all);
                    acc = acc == null ? next : intersect(acc, next);
                }
                yield acc == null ? all.get() : acc;
            }
            case Where.Or o -> {
                long[] acc = new long[0];
                for (Where c : o.clauses()) {
                    acc = union(acc, evaluate(c, indexFilter, lookup, all));
                }
                yield acc;
            }
            case Where.Compare c -> {
                List<String> ids = new ArrayList<>();
                if (c.value() instanceof List<?> l) {
                    l.forEach(v -> { if (v instanceof String s) ids.add(s); });
                } else if (c.value() instanceof String s) {
                    ids.add(s);
                }
                long[] found = Arrays.stream(lookup.apply(ids)).filter(q -> q >= 0).sorted().distinct().toArray();
                yield switch (c.op()) {
                    case EQ, IN -> found;
                    case NE, NIN -> minus(all.get(), found);
                    default -> throw new io.chroma.api.InvalidArgumentException(
                            "Invalid where clause: #id supports only $eq, $ne, $in and $nin, got " + c.op().wireName());
                };
            }
            case Where.Document d -> indexFilter.apply(d);
        };
    }

    static long[] intersect(long[] a, long[] b) {
        long[] out = new long[Math.min(a.length, b.length)];
        int i = 0, j = 0, n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                out[n++] = a[i++];
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    static long[] union(long[] a, long[] b) {
        long[] out = new long[a.length + b.length];
        int i = 0, j = 0, n = 0;
        while (i < a.length || j < b.length) {
            if (j >= b.length || (i < a.length && a[i] < b[j])) {
                out[n++] = a[i++];
            } else if (i >= a.length || b[j] < a[i]) {
                out[n++] = b[j++];
            } else {
                out[n++] = a[i++];
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    static long[] minus(long[] a, long[] b) {
        long[] out = new long[a.length];
        int j = 0, n = 0;
        for (long x : a) {
            while (j < b.length && b[j] < x) {
                j++;
            }
            if (j >= b.length || b[j] != x) {
                out[n++] = x;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
