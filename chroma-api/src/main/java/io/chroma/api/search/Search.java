package io.chroma.api.search;

import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Where;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One search payload: {@code filter} (a where clause that may also test {@code #id} and
 * {@code #document}), {@code rank}, {@code groupBy}, paging and {@code select}. Immutable; the
 * builder methods return copies.
 *
 * <pre>{@code
 * Search s = new Search()
 *         .where(Where.eq("cat", "x"))
 *         .rank(Rrf.of(Knn.dense(v).returnRank(true).limit(100), Knn.text("XK-4821").returnRank(true).limit(100)).toRank())
 *         .limit(10)
 *         .select(Key.DOCUMENT, Key.SCORE, "cat");
 * }</pre>
 *
 * @param limit {@code null} = no cap
 * @param select keys to return besides ids (see {@link Key}); other strings are metadata fields
 */
public record Search(Where filter, Rank rank, GroupBy groupBy, int offset, Integer limit, List<String> select) {

    public Search {
        select = select == null ? List.of() : List.copyOf(new LinkedHashSet<>(select));
        if (offset < 0 || (limit != null && limit < 0)) {
            throw new IllegalArgumentException("offset and limit must be non-negative");
        }
    }

    public Search() {
        this(null, null, null, 0, null, List.of());
    }

    public Search where(Where w) {
        return new Search(w, rank, groupBy, offset, limit, select);
    }

    public Search rank(Rank r) {
        return new Search(filter, r, groupBy, offset, limit, select);
    }

    public Search rank(Rrf r) {
        return rank(r.toRank());
    }

    public Search groupBy(GroupBy g) {
        return new Search(filter, rank, g, offset, limit, select);
    }

    public Search limit(int n) {
        return new Search(filter, rank, groupBy, offset, n, select);
    }

    public Search limit(int n, int from) {
        return new Search(filter, rank, groupBy, from, n, select);
    }

    public Search select(String... keys) {
        return new Search(filter, rank, groupBy, offset, limit, List.of(keys));
    }

    /**
     * Chroma's payload validation ({@code validators.rs}); {@code i} is the payload's position for
     * the message, e.g. {@code Validation error: searches[0].group_by: ...}.
     */
    public void validate(int i) {
        String at = "Validation error: searches[" + i + "]";
        if (groupBy != null && (groupBy.keys() != null || groupBy.aggregate() != null)) {
            if (groupBy.keys() == null || groupBy.keys().isEmpty() || groupBy.aggregate() == null) {
                throw new InvalidArgumentException(at + ".group_by: group_by keys and aggregate must both be "
                        + "specified or both be omitted");
            }
            for (String k : groupBy.keys()) {
                if (k.equals(Key.SCORE) || k.equals(Key.DOCUMENT) || k.equals(Key.EMBEDDING) || k.equals(Key.METADATA)) {
                    throw new InvalidArgumentException(at + ".group_by: group_by keys must be metadata fields "
                            + "(cannot use #score, #document, #embedding, or #metadata)");
                }
            }
            GroupBy.Aggregate a = groupBy.aggregate();
            if (a.keys().isEmpty()) {
                throw new InvalidArgumentException(at + ".group_by: aggregate keys must not be empty");
            }
            for (String k : a.keys()) {
                if (k.equals(Key.DOCUMENT) || k.equals(Key.EMBEDDING) || k.equals(Key.METADATA)) {
                    throw new InvalidArgumentException(at + ".group_by: aggregate keys must be metadata fields or "
                            + "#score (cannot use #document, #embedding, or #metadata)");
                }
            }
            if (a.k() <= 0) {
                throw new InvalidArgumentException(at + ".group_by: aggregate k must be greater than 0");
            }
            if (rank == null) {
                throw new InvalidArgumentException(at + ".__all__: group_by requires rank expression to be specified");
            }
        }
    }

    /** True when a group_by with keys is set ({@code {}} on the wire means none). */
    public boolean grouped() {
        return groupBy != null && groupBy.keys() != null && groupBy.aggregate() != null;
    }

    /**
     * The select keys as Chroma echoes them: de-duplicated, {@code #document #embedding #metadata
     * #score} first in that order, then the rest in byte order.
     */
    public List<String> sortedSelect() {
        List<String> out = new ArrayList<>();
        Set<String> set = new LinkedHashSet<>(select);
        for (String special : List.of(Key.DOCUMENT, Key.EMBEDDING, Key.METADATA, Key.SCORE)) {
            if (set.remove(special)) {
                out.add(special);
            }
        }
        List<String> rest = new ArrayList<>(set);
        rest.sort(Search::compareUtf8);
        out.addAll(rest);
        return out;
    }

    private static int compareUtf8(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }
}
