package io.chroma.api.search;

import io.chroma.api.SparseVector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A nearest-neighbour leaf of a rank expression. Exactly one query form is set:
 * <ul>
 *   <li>{@code dense}: the collection's embedding ({@code key} {@code #embedding}); score = the
 *       collection distance;</li>
 *   <li>{@code sparse}: sparse vectors stored in the metadata field {@code key}; score =
 *       {@code 1 − dot} (IDF-weighted when the collection schema marks the key {@code bm25});</li>
 *   <li>{@code text}: our extension, a Lucene BM25 full-text match over {@code #document}, sent as
 *       {@code {"$bm25": {"query": "text", ...}}}; score = {@code 1 − bm25}.</li>
 * </ul>
 * {@code limit} is this leaf's k (not the number of results); {@code defaultScore} (nullable) is
 * the score of records outside this leaf's result; {@code returnRank} scores by 0-based position.
 */
public record Knn(float[] dense, SparseVector sparse, String text, String key, int limit, Float defaultScore,
                  boolean returnRank) implements Rank {

    /** The server's default k when a request leaves {@code limit} out (Chroma ≥ 1.2.2). */
    public static final int DEFAULT_LIMIT = 16;

    public Knn {
        int forms = (dense != null ? 1 : 0) + (sparse != null ? 1 : 0) + (text != null ? 1 : 0);
        if (forms != 1) {
            throw new IllegalArgumentException("a Knn needs exactly one of a dense, sparse or text query");
        }
        if (key == null) {
            key = Key.EMBEDDING;
        }
        if (limit < 0) {
            throw new IllegalArgumentException("Knn limit must be non-negative, got " + limit);
        }
    }

    public static Knn dense(float[] query) {
        return new Knn(query, null, null, Key.EMBEDDING, DEFAULT_LIMIT, null, false);
    }

    public static Knn sparse(SparseVector query, String key) {
        return new Knn(null, query, null, key, DEFAULT_LIMIT, null, false);
    }

    /** BM25 full-text rank over {@code #document} (Lucene), usable anywhere a Knn is. */
    public static Knn text(String query) {
        return new Knn(null, null, query, Key.DOCUMENT, DEFAULT_LIMIT, null, false);
    }

    public Knn limit(int k) {
        return new Knn(dense, sparse, text, key, k, defaultScore, returnRank);
    }

    public Knn defaultScore(double d) {
        return new Knn(dense, sparse, text, key, limit, (float) d, returnRank);
    }

    public Knn returnRank(boolean r) {
        return new Knn(dense, sparse, text, key, limit, defaultScore, r);
    }

    public Knn key(String k) {
        return new Knn(dense, sparse, text, k, limit, defaultScore, returnRank);
    }

    Map<String, Object> knnJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (dense != null) {
            List<Float> q = new ArrayList<>(dense.length);
            for (float f : dense) {
                q.add(f);
            }
            m.put("query", q);
        } else if (sparse != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            List<Long> idx = new ArrayList<>();
            for (int i : sparse.indices()) {
                idx.add(Integer.toUnsignedLong(i));
            }
            List<Float> vals = new ArrayList<>();
            for (float f : sparse.values()) {
                vals.add(f);
            }
            s.put("indices", idx);
            s.put("values", vals);
            if (sparse.tokens() != null) {
                s.put("tokens", sparse.tokens());
            }
            m.put("query", s);
        } else {
            m.put("query", text); // the $bm25 form: no key, it always ranks #document
        }
        if (text == null) {
            m.put("key", key);
        }
        m.put("limit", limit);
        if (defaultScore != null) {
            m.put("default", defaultScore);
        }
        if (returnRank) {
            m.put("return_rank", true);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Knn k && java.util.Arrays.equals(dense, k.dense) && java.util.Objects.equals(sparse, k.sparse)
                && java.util.Objects.equals(text, k.text) && key.equals(k.key) && limit == k.limit
                && java.util.Objects.equals(defaultScore, k.defaultScore) && returnRank == k.returnRank;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(dense), sparse, text, key, limit, defaultScore, returnRank);
    }
}
