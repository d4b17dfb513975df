package io.chroma.api.internal;

import io.chroma.api.InvalidArgumentException;
import io.chroma.api.SparseVector;
import io.chroma.api.Where;
import io.chroma.api.search.GroupBy;
import io.chroma.api.search.Key;
import io.chroma.api.search.Knn;
import io.chroma.api.search.Rank;
import io.chroma.api.search.Search;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Search API's JSON, both ways: parses a payload from generic JSON (maps, lists, Long,
 * BigInteger, Double, String, Boolean) and writes one back. Shape errors are {@link ShapeError}s,
 * carrying the serde-style path ({@code searches[0].rank.$knn}) that Chroma's 422 messages show.
 */
public final class SearchJson {
    private SearchJson() {
    }

    /** The JSON does not match the payload types: Chroma answers 422. */
    public static final class ShapeError extends InvalidArgumentException {
        private final String path;
        private final String detail;

        public ShapeError(String path, String detail) {
            super((path == null ? "" : path + ": ") + detail);
            this.path = path;
            this.detail = detail;
        }

        public String path() {
            return path;
        }

        public String detail() {
            return detail;
        }
    }

    static final String RANK_VARIANTS = "`$abs`, `$div`, `$exp`, `$knn`, `$log`, `$max`, `$min`, `$mul`, `$sub`, `$sum`, `$val`";

    /** One {@code SearchPayload}; {@code at} is its path, e.g. {@code searches[0]}. Unknown members are ignored. */
    public static Search parseSearch(Object json, String at) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new ShapeError(at, "invalid type: " + kind(json) + ", expected struct SearchPayload");
        }
        Where filter = null;
        Rank rank = null;
        GroupBy groupBy = null;
        int offset = 0;
        Integer limit = null;
        List<String> select = List.of();
        Object f = m.get("filter");
        if (f != null) {
            try {
                filter = Where.parse(f);
            } catch (ShapeError e) {
                throw e;
            } catch (InvalidArgumentException e) {
                throw new ShapeError(at + ".filter", e.getMessage());
            }
        }
        if (m.get("rank") != null) {
            rank = parseRank(m.get("rank"), at + ".rank");
        }
        if (m.get("group_by") != null) {
            groupBy = parseGroupBy(m.get("group_by"), at + ".group_by");
        }
        if (m.get("limit") instanceof Map<?, ?> lim) {
            Integer o = u32(lim.get("offset"), at + ".limit.offset");
            offset = o == null ? 0 : o;
            limit = u32(lim.get("limit"), at + ".limit.limit");
        } else if (m.get("limit") != null) {
            throw new ShapeError(at + ".limit", "invalid type: " + kind(m.get("limit")) + ", expected struct Limit");
        }
        if (m.get("select") instanceof Map<?, ?> sel) {
            select = strings(sel.get("keys"), at + ".select.keys");
        } else if (m.get("select") != null) {
            throw new ShapeError(at + ".select", "invalid type: " + kind(m.get("select")) + ", expected struct Select");
        }
        return new Search(filter, rank, groupBy, offset, limit, select);
    }

    public static Rank parseRank(Object json, String at) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new ShapeError(at, "invalid type: " + kind(json) + ", expected enum RankExpr");
        }
        if (m.size() != 1) {
            throw new ShapeError(at, m.isEmpty() ? "expected a rank operator, found an empty map"
                    : "expected exactly one rank operator, found " + m.size());
        }
        Map.Entry<?, ?> e = m.entrySet().iterator().next();
        String op = String.valueOf(e.getKey());
        Object v = e.getValue();
        String here = at + "." + op;
        return switch (op) {
            case "$knn" -> parseKnn(v, here);
            case "$bm25" -> parseBm25(v, here);
            case "$val" -> new Rank.Val(f32(v, here));
            case "$sum" -> new Rank.Sum(list(v, here));
            case "$mul" -> new Rank.Mul(list(v, here));
            case "$max" -> new Rank.Max(list(v, here));
            case "$min" -> new Rank.Min(list(v, here));
            case "$sub" -> {
                Rank[] lr = leftRight(v, here);
                yield new Rank.Sub(lr[0], lr[1]);
            }
            case "$div" -> {
                Rank[] lr = leftRight(v, here);
                yield new Rank.Div(lr[0], lr[1]);
            }
            case "$abs" -> new Rank.Abs(parseRank(v, here));
            case "$exp" -> new Rank.Exp(parseRank(v, here));
            case "$log" -> new Rank.Log(parseRank(v, here));
            default -> throw new ShapeError(at, "unknown variant `" + op + "`, expected one of " + RANK_VARIANTS);
        };
    }

    private static List<Rank> list(Object v, String at) {
        if (!(v instanceof List<?> l)) {
            throw new ShapeError(at, "invalid type: " + kind(v) + ", expected a sequence");
        }
        List<Rank> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(parseRank(l.get(i), at + "[" + i + "]"));
        }
        return out;
    }

    private static Rank[] leftRight(Object v, String at) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new ShapeError(at, "invalid type: " + kind(v) + ", expected struct with left and right");
        }
        for (String side : List.of("left", "right")) {
            if (m.get(side) == null) {
                throw new ShapeError(at, "missing field `" + side + "`");
            }
        }
        return new Rank[] {parseRank(m.get("left"), at + ".left"), parseRank(m.get("right"), at + ".right")};
    }

    /**
     * Our extension {@code {"$bm25": {"query": "text", "limit"?, "default"?, "return_rank"?}}}: a
     * Lucene BM25 full-text rank over {@code #document}. A distinct operator because Chroma's
     * clients pass unknown rank objects through untouched but embed every string {@code $knn} query.
     */
    private static Knn parseBm25(Object v, String at) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new ShapeError(at, "invalid type: " + kind(v) + ", expected struct Bm25");
        }
        if (m.get("query") == null) {
            throw new ShapeError(at, "missing field `query`");
        }
        if (!(m.get("query") instanceof String text)) {
            throw new ShapeError(at + ".query", "invalid type: " + kind(m.get("query")) + ", expected a string");
        }
        Integer limit = u32(m.get("limit"), at + ".limit");
        Float dflt = m.get("default") == null ? null : f32(m.get("default"), at + ".default");
        Object rr = m.get("return_rank");
        if (rr != null && !(rr instanceof Boolean)) {
            throw new ShapeError(at + ".return_rank", "invalid type: " + kind(rr) + ", expected a boolean");
        }
        return new Knn(null, null, text, Key.DOCUMENT, limit == null ? Knn.DEFAULT_LIMIT : limit, dflt,
                Boolean.TRUE.equals(rr));
    }

    private static final String QUERY_VARIANT = "data did not match any variant of untagged enum QueryVector";

    private static Knn parseKnn(Object v, String at) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new ShapeError(at, "invalid type: " + kind(v) + ", expected struct Knn");
        }
        Object q = m.get("query");
        if (q == null) {
            throw new ShapeError(at, "missing field `query`");
        }
        Object k = m.get("key");
        if (k != null && !(k instanceof String)) {
            throw new ShapeError(at + ".key", "invalid type: " + kind(k) + ", expected a string");
        }
        String key = k == null ? Key.EMBEDDING : (String) k;
        Integer limit = u32(m.get("limit"), at + ".limit");
        Float dflt = m.get("default") == null ? null : f32(m.get("default"), at + ".default");
        Object rr = m.get("return_rank");
        if (rr != null && !(rr instanceof Boolean)) {
            throw new ShapeError(at + ".return_rank", "invalid type: " + kind(rr) + ", expected a boolean");
        }
        boolean returnRank = Boolean.TRUE.equals(rr);
        int lim = limit == null ? Knn.DEFAULT_LIMIT : limit;
        if (q instanceof String text) {
            // Our extension: a text query on #document is a Lucene BM25 match. Chroma accepts no
            // strings here, and neither do we for any other key.
            if (!key.equals(Key.DOCUMENT)) {
                throw new ShapeError(at + ".query", QUERY_VARIANT);
            }
            return new Knn(null, null, text, key, lim, dflt, returnRank);
        }
        if (q instanceof List<?> l) {
            float[] dense = new float[l.size()];
            for (int i = 0; i < dense.length; i++) {
                if (!(l.get(i) instanceof Number)) {
                    throw new ShapeError(at + ".query", QUERY_VARIANT);
                }
                dense[i] = ((Number) l.get(i)).floatValue();
            }
            return new Knn(dense, null, null, key, lim, dflt, returnRank);
        }
        if (q instanceof Map<?, ?> sm) {
            SparseVector sv = sparse(sm, at + ".query", true);
            return new Knn(null, sv, null, key, lim, dflt, returnRank);
        }
        throw new ShapeError(at + ".query", QUERY_VARIANT);
    }

    /**
     * A sparse vector object {@code {"indices","values","tokens"?,"#type"?}}, or {@code null} when
     * {@code json} is not one. In a query, an invalid one is a 400 naming the rank.
     */
    public static SparseVector sparse(Map<?, ?> m, String at, boolean inQuery) {
        Object type = m.get("#type");
        if (type != null && !"sparse_vector".equals(type)) {
            throw new ShapeError(at, QUERY_VARIANT);
        }
        if (!(m.get("indices") instanceof List<?> idx) || !(m.get("values") instanceof List<?> vals)) {
            throw new ShapeError(at, inQuery ? QUERY_VARIANT : "data did not match any variant of untagged enum MetadataValue");
        }
        int[] indices = new int[idx.size()];
        for (int i = 0; i < indices.length; i++) {
            if (!(idx.get(i) instanceof Number n) || n instanceof Double || n.longValue() < 0 || n.longValue() > 0xFFFFFFFFL) {
                throw new ShapeError(at, inQuery ? QUERY_VARIANT : "data did not match any variant of untagged enum MetadataValue");
            }
            indices[i] = (int) n.longValue();
        }
        float[] values = new float[vals.size()];
        for (int i = 0; i < values.length; i++) {
            if (!(vals.get(i) instanceof Number n)) {
                throw new ShapeError(at, inQuery ? QUERY_VARIANT : "data did not match any variant of untagged enum MetadataValue");
            }
            values[i] = n.floatValue();
        }
        List<String> tokens = null;
        if (m.get("tokens") instanceof List<?> t) {
            tokens = new ArrayList<>();
            for (Object o : t) {
                tokens.add(String.valueOf(o));
            }
        }
        try {
            return new SparseVector(indices, values, tokens);
        } catch (InvalidArgumentException e) {
            if (inQuery) {
                String rankPath = at.replaceFirst("\\.rank\\..*$", ".rank");
                throw new InvalidArgumentException("Validation error: " + rankPath + ": Invalid sparse vector in KNN query: "
                        + e.getMessage());
            }
            throw e;
        }
    }

    private static GroupBy parseGroupBy(Object v, String at) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new ShapeError(at, "invalid type: " + kind(v) + ", expected struct GroupBy");
        }
        List<String> keys = m.get("keys") == null ? null : strings(m.get("keys"), at + ".keys");
        GroupBy.Aggregate agg = null;
        if (m.get("aggregate") instanceof Map<?, ?> a) {
            if (a.size() != 1) {
                throw new ShapeError(at + ".aggregate", "expected exactly one of `$min_k`, `$max_k`");
            }
            Map.Entry<?, ?> e = a.entrySet().iterator().next();
            String op = String.valueOf(e.getKey());
            if (!op.equals("$min_k") && !op.equals("$max_k")) {
                throw new ShapeError(at + ".aggregate", "unknown variant `" + op + "`, expected `$min_k` or `$max_k`");
            }
            if (!(e.getValue() instanceof Map<?, ?> body)) {
                throw new ShapeError(at + ".aggregate." + op, "invalid type: " + kind(e.getValue()) + ", expected a map");
            }
            List<String> aggKeys = strings(body.get("keys"), at + ".aggregate." + op + ".keys");
            Integer k = u32(body.get("k"), at + ".aggregate." + op + ".k");
            if (k == null) {
                throw new ShapeError(at + ".aggregate." + op, "missing field `k`");
            }
            agg = new GroupBy.Aggregate(op.equals("$max_k"), aggKeys, k);
        } else if (m.get("aggregate") != null) {
            throw new ShapeError(at + ".aggregate", "invalid type: " + kind(m.get("aggregate")) + ", expected a map");
        }
        return new GroupBy(keys, agg);
    }

    private static List<String> strings(Object v, String at) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new ShapeError(at, "invalid type: " + kind(v) + ", expected a sequence");
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String s)) {
                throw new ShapeError(at, "invalid type: " + kind(o) + ", expected a string");
            }
            out.add(s);
        }
        return out;
    }

    /** A u32, or null when absent/null. */
    public static Integer u32(Object v, String at) {
        if (v == null) {
            return null;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
            BigInteger b = v instanceof BigInteger bi ? bi : BigInteger.valueOf(((Number) v).longValue());
            if (b.signum() < 0 || b.bitLength() > 32) {
                throw new ShapeError(at, "invalid value: integer `" + b + "`, expected u32");
            }
            // u32 above Integer.MAX_VALUE: as many as can ever exist here
            return b.bitLength() > 31 ? Integer.MAX_VALUE : b.intValue();
        }
        throw new ShapeError(at, "invalid type: " + kind(v) + ", expected u32");
    }

    private static float f32(Object v, String at) {
        if (v instanceof Number n) {
            return n.floatValue();
        }
        throw new ShapeError(at, "invalid type: " + kind(v) + ", expected f32");
    }

    private static String kind(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "string \"" + s + "\"";
            case Boolean b -> "boolean `" + b + "`";
            case Double d -> "floating point `" + d + "`";
            case Number n -> "integer `" + n + "`";
            case List<?> l -> "sequence";
            case Map<?, ?> m -> "map";
            default -> v.getClass().getSimpleName();
        };
    }

    /** The wire form of one payload, member order as JS chromadb 3.5.0 sends it. */
    public static Map<String, Object> toJson(Search s) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("offset", s.offset());
        if (s.limit() != null) {
            limit.put("limit", s.limit());
        }
        out.put("limit", limit);
        out.put("select", Map.of("keys", s.select()));
        if (s.filter() != null) {
            out.put("filter", s.filter().toJson());
        }
        if (s.rank() != null) {
            out.put("rank", s.rank().toJson());
        }
        if (s.grouped()) {
            GroupBy g = s.groupBy();
            Map<String, Object> agg = new LinkedHashMap<>();
            agg.put("keys", g.aggregate().keys());
            agg.put("k", g.aggregate().k());
            Map<String, Object> gb = new LinkedHashMap<>();
            gb.put("keys", g.keys());
            gb.put("aggregate", Map.of(g.aggregate().max() ? "$max_k" : "$min_k", agg));
            out.put("group_by", gb);
        }
        return out;
    }

    /** The request body for a batch. */
    public static Map<String, Object> requestJson(List<Search> searches) {
        List<Object> list = new ArrayList<>();
        for (Search s : searches) {
            list.add(toJson(s));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("searches", list);
        return out;
    }

    /** A {@code SearchResponse} read as a JSON tree; missing columns are {@code null}s, as JS clients allow. */
    public static io.chroma.api.search.SearchResult readResult(Object json) {
        if (!(json instanceof Map<?, ?> m) || !(m.get("ids") instanceof List<?> ids)) {
            throw new IllegalArgumentException("not a search response: " + json);
        }
        int n = ids.size();
        List<List<String>> idCol = new ArrayList<>();
        List<List<String>> docs = new ArrayList<>();
        List<List<float[]>> embs = new ArrayList<>();
        List<List<Map<String, Object>>> metas = new ArrayList<>();
        List<List<Float>> scores = new ArrayList<>();
        List<List<String>> select = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idCol.add(castStrings(ids.get(i)));
            docs.add(castStrings(column(m, "documents", i)));
            Object e = column(m, "embeddings", i);
            if (e instanceof List<?> rows) {
                List<float[]> out = new ArrayList<>();
                for (Object r : rows) {
                    if (r instanceof List<?> l) {
                        float[] f = new float[l.size()];
                        for (int j = 0; j < f.length; j++) {
                            f[j] = ((Number) l.get(j)).floatValue();
                        }
                        out.add(f);
                    } else {
                        out.add(null);
                    }
                }
                embs.add(out);
            } else {
                embs.add(null);
            }
            Object md = column(m, "metadatas", i);
            if (md instanceof List<?> rows) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Object r : rows) {
                    out.add(r instanceof Map<?, ?> rm ? metadataFromJson(rm) : null);
                }
                metas.add(out);
            } else {
                metas.add(null);
            }
            Object sc = column(m, "scores", i);
            if (sc instanceof List<?> rows) {
                List<Float> out = new ArrayList<>();
                for (Object r : rows) {
                    out.add(r instanceof Number num ? num.floatValue() : Float.NaN);
                }
                scores.add(out);
            } else {
                scores.add(null);
            }
            List<String> sel = castStrings(column(m, "select", i));
            select.add(sel == null ? List.of() : sel);
        }
        return new io.chroma.api.search.SearchResult(idCol, docs, embs, metas, scores, select);
    }

    /** Metadata from JSON, sparse-vector objects ({@code "#type":"sparse_vector"}) as {@link SparseVector}. */
    public static Map<String, Object> metadataFromJson(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> mv && "sparse_vector".equals(mv.get("#type"))) {
                v = sparse(mv, String.valueOf(e.getKey()), false);
            }
            out.put(String.valueOf(e.getKey()), v);
        }
        return out;
    }

    private static Object column(Map<?, ?> m, String name, int i) {
        return m.get(name) instanceof List<?> l && i < l.size() ? l.get(i) : null;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castStrings(Object v) {
        return v instanceof List<?> l ? (List<String>) l : null;
    }
}
