package io.chroma.api.search;

import java.util.List;

/**
 * Groups the ranked candidates by metadata keys and keeps the first {@code k} of each group by the
 * aggregate's keys ({@code $min_k} ascending, {@code $max_k} descending), then re-sorts all kept
 * records by score. The limit then counts records, not groups.
 */
public record GroupBy(List<String> keys, Aggregate aggregate) {

    public GroupBy {
        keys = keys == null ? null : List.copyOf(keys);
    }

    public static GroupBy of(List<String> keys, Aggregate aggregate) {
        return new GroupBy(keys, aggregate);
    }

    /** {@code $min_k} ({@code max} false) or {@code $max_k}, over metadata keys and/or {@code #score}. */
    public record Aggregate(boolean max, List<String> keys, int k) {
        public Aggregate {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }

        public static Aggregate minK(int k, String... keys) {
            return new Aggregate(false, List.of(keys), k);
        }

        public static Aggregate maxK(int k, String... keys) {
            return new Aggregate(true, List.of(keys), k);
        }
    }
}
