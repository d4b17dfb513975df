package io.chroma.core.search;

import io.chroma.api.Collection;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Records;
import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.search.GroupBy;
import io.chroma.api.search.Key;
import io.chroma.api.search.Knn;
import io.chroma.api.search.Rank;
import io.chroma.api.search.Rrf;
import io.chroma.api.search.Search;
import io.chroma.api.search.SearchResult;
import io.chroma.core.EphemeralClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The Search API on the embedded engine (Lucene index): rank expressions checked against an
 * independent brute-force evaluation, Chroma's documented examples, filters with #id, paging,
 * select, group_by, BM25 full-text ranks and validation errors.
 */
class SearchEngineTest {

    EphemeralClient client;

    @BeforeEach
    void open() {
        client = new EphemeralClient();
    }

    @AfterEach
    void close() {
        client.close();
    }

    /** The data set of the reference's §9: a, b, c on the axes, l2. */
    Collection abc() {
        Collection c = client.createCollection("abc");
        c.add(Records.ids("a", "b", "c")
                .embeddings(new float[] {1, 0, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1})
                .documents("The quick brown fox jumps", "A lazy dog sleeps", "Foxes are quick animals")
                .metadatas(Map.of("cat", "x", "n", 1), Map.of("cat", "y", "n", 2), null));
        return c;
    }

    @Test
    void plainKnnOrdersByDistanceThenInsertion() {
        SearchResult r = abc().search(new Search().rank(Knn.dense(new float[] {1, 0, 0}).limit(128)).select(Key.SCORE));
        assertThat(r.ids()).containsExactly(List.of("a", "b", "c"));
        assertThat(r.scores().get(0)).containsExactly(0f, 2f, 2f);
        assertThat(r.documents().get(0)).isNull();
        assertThat(r.metadatas().get(0)).isNull();
    }

    @Test
    void knnWithFilterSelectAndLimit() {
        SearchResult r = abc().search(new Search().where(Where.eq("cat", "x"))
                .rank(Knn.dense(new float[] {1, 0, 0}).limit(10)).limit(5).select("cat", Key.SCORE, Key.DOCUMENT));
        assertThat(r.ids().get(0)).containsExactly("a");
        assertThat(r.documents().get(0)).containsExactly("The quick brown fox jumps");
        assertThat(r.metadatas().get(0)).containsExactly(Map.of("cat", "x"));
        assertThat(r.scores().get(0)).containsExactly(0f);
        assertThat(r.select().get(0)).containsExactly("#document", "#score", "cat");
    }

    @Test
    void rrfOfTwoRanksMatchesTheReferenceNumbers() {
        // dense ranks a:0 b:1 c:2; a second dense knn towards c with limit 2 ranks c:0, then a or b
        // (tie at distance 2, insertion order): a:1 -> candidates {a, c} as in the reference's §4.4
        Collection c = abc();
        Rank rrf = Rrf.of(Knn.dense(new float[] {1, 0, 0}).returnRank(true).limit(100),
                Knn.dense(new float[] {0, 0, 1}).returnRank(true).limit(2)).toRank();
        SearchResult r = c.search(new Search().rank(rrf).limit(10).select(Key.SCORE));
        assertThat(r.ids().get(0)).containsExactly("a", "c");
        assertThat(r.scores().get(0).get(0)).isEqualTo(-0.03306011f);
        assertThat(r.scores().get(0).get(1)).isEqualTo(-0.032795697f);
    }

    @Test
    void noRankPagesInInsertionOrderWithPositionScores() {
        SearchResult r = abc().search(new Search().limit(2, 1).select(Key.DOCUMENT, Key.METADATA, Key.SCORE));
        assertThat(r.ids().get(0)).containsExactly("b", "c");
        assertThat(r.documents().get(0)).containsExactly("A lazy dog sleeps", "Foxes are quick animals");
        assertThat(r.metadatas().get(0).get(0)).isEqualTo(Map.of("cat", "y", "n", 2L));
        assertThat(r.metadatas().get(0).get(1)).isNull();
        assertThat(r.scores().get(0)).containsExactly(0f, 1f);
    }

    @Test
    void groupByKeepsTheBestOfEachGroup() {
        SearchResult r = abc().search(new Search().rank(Knn.dense(new float[] {1, 0, 0}).limit(128).defaultScore(10))
                .groupBy(GroupBy.of(List.of("cat"), GroupBy.Aggregate.minK(1, Key.SCORE))).limit(10).select(Key.SCORE, "cat"));
        assertThat(r.ids().get(0)).containsExactly("a", "b", "c");
        assertThat(r.scores().get(0)).containsExactly(0f, 2f, 2f);
        List<Map<String, Object>> metas = r.metadatas().get(0);
        assertThat(metas.get(0)).isEqualTo(Map.of("cat", "x"));
        assertThat(metas.get(2)).isNull();
    }

    @Test
    void groupByMaxKWithinGroups() {
        Collection c = client.createCollection("groups");
        List<String> ids = new ArrayList<>();
        List<float[]> embs = new ArrayList<>();
        List<Map<String, ?>> metas = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add("r" + i);
            embs.add(new float[] {i, 0});
            metas.add(Map.of("g", i % 3, "year", 2000 + (i * 7) % 12));
        }
        c.add(Records.ids(ids).embeddings(embs).metadatas(metas));
        SearchResult r = c.search(new Search().rank(Knn.dense(new float[] {0, 0}).limit(12))
                .groupBy(GroupBy.of(List.of("g"), GroupBy.Aggregate.maxK(2, "year"))).select("g", "year"));
        // brute force: per group the two latest years, then all kept ordered by distance (= i)
        List<Integer> expected = new ArrayList<>();
        for (int g = 0; g < 3; g++) {
            final int gg = g;
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                if (i % 3 == gg) {
                    members.add(i);
                }
            }
            members.sort(Comparator.comparingInt((Integer i) -> -((i * 7) % 12)).thenComparingInt(i -> i));
            expected.addAll(members.subList(0, 2));
        }
        expected.sort(Comparator.naturalOrder());
        assertThat(r.ids().get(0)).containsExactlyElementsOf(expected.stream().map(i -> "r" + i).toList());
    }

    @Test
    void idFiltersCombineWithMetadataFilters() {
        Collection c = abc();
        Search s = new Search().where(Where.or(Where.in("#id", "c"), Where.eq("cat", "y")));
        assertThat(c.search(s).ids().get(0)).containsExactly("b", "c");
        s = new Search().where(Where.and(Where.nin("#id", "a"), Where.ne("cat", "y")))
                .rank(Knn.dense(new float[] {1, 0, 0}));
        assertThat(c.search(s).ids().get(0)).containsExactly("c");
        assertThat(c.search(new Search().where(Where.eq("#id", "nope"))).ids().get(0)).isEmpty();
    }

    @Test
    void batchAnswersEachPayloadInOrderAndEmptyCollectionsGiveNothing() {
        Collection c = abc();
        SearchResult r = c.search(new Search().rank(Knn.dense(new float[] {0, 1, 0}).limit(1)),
                new Search().rank(Knn.dense(new float[] {0, 0, 1}).limit(1)), new Search().limit(0));
        assertThat(r.ids()).containsExactly(List.of("b"), List.of("c"), List.of());
        Collection empty = client.createCollection("empty");
        assertThat(empty.search(new Search().rank(Knn.dense(new float[] {1}))).ids()).containsExactly(List.of());
    }

    @Test
    void fullTextRankFindsExactTermsAndFusesWithVectors() {
        Collection c = client.createCollection("codes");
        c.add(Records.ids("p1", "p2", "p3", "p4")
                .embeddings(new float[] {1, 0}, new float[] {0.9f, 0.1f}, new float[] {0, 1}, new float[] {0.5f, 0.5f})
                .documents("Cordless drill XK-4821 with two batteries", "Cordless drill XK-4822, one battery",
                        "Garden hose 25 m", "Drill bits set for XK series"));
        SearchResult r = c.search(new Search().rank(Knn.text("XK-4821").limit(10)).select(Key.SCORE));
        // p1 has both tokens (xk, 4821); p2 and p4 only "xk"; p3 none and is not returned
        assertThat(r.ids().get(0).get(0)).isEqualTo("p1");
        assertThat(r.ids().get(0)).containsExactlyInAnyOrder("p1", "p2", "p4");
        List<Float> scores = r.scores().get(0);
        assertThat(scores.get(0)).isLessThan(scores.get(1));
        // hybrid: the vector alone prefers p1 and p2 almost equally; the text rank decides
        Rank hybrid = Rrf.of(Knn.dense(new float[] {0.9f, 0.1f}).returnRank(true).limit(10),
                Knn.text("4821").returnRank(true).limit(10).defaultScore(10)).toRank();
        SearchResult h = c.search(new Search().rank(hybrid).limit(2));
        assertThat(h.ids().get(0)).containsExactly("p1", "p2");
        // the filter applies to text ranks too
        SearchResult f = c.search(new Search().where(Where.in("#id", "p2", "p4")).rank(Knn.text("XK-4821")));
        assertThat(f.ids().get(0)).containsExactlyInAnyOrder("p2", "p4");
    }

    @Test
    void validationErrorsUseChromaMessages() {
        Collection c = abc();
        assertThatThrownBy(() -> c.search(new Search().groupBy(GroupBy.of(List.of("cat"), GroupBy.Aggregate.minK(1, Key.SCORE)))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Validation error: searches[0].__all__: group_by requires rank expression to be specified");
        assertThatThrownBy(() -> c.search(new Search().rank(Knn.dense(new float[] {1}))
                .groupBy(GroupBy.of(List.of(Key.SCORE), GroupBy.Aggregate.minK(1, Key.SCORE)))))
                .hasMessage("Validation error: searches[0].group_by: group_by keys must be metadata fields "
                        + "(cannot use #score, #document, #embedding, or #metadata)");
        assertThatThrownBy(() -> c.search(new Search().rank(Knn.dense(new float[] {1, 2}))))
                .hasMessageContaining("dimension");
    }

    // ---------------------------------------------------------------- brute force

    @Test
    void sparseKnnWithBm25IdfAgreesWithBruteForceAfterDeletes() {
        Random rnd = new Random(9);
        Map<String, Object> schema = Map.of("keys", Map.of("sp", Map.of("sparse_vector", Map.of("sparse_vector_index",
                Map.of("enabled", true, "config", Map.of("bm25", true))))));
        Collection c = client.createCollection(io.chroma.api.CreateCollection.named("sparse")
                .configuration(io.chroma.api.CollectionConfiguration.DEFAULT.withSchema(schema)));
        int n = 200;
        List<io.chroma.api.SparseVector> vectors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<float[]> embs = new ArrayList<>();
        List<Map<String, ?>> metas = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TreeSet<Integer> dims = new TreeSet<>();
            int len = rnd.nextInt(6);
            while (dims.size() < len) {
                dims.add(rnd.nextInt(30) * 1_000_003); // spread-out dimension ids
            }
            int[] idx = dims.stream().mapToInt(Integer::intValue).toArray();
            java.util.Arrays.sort(idx);
            float[] val = new float[idx.length];
            for (int d = 0; d < val.length; d++) {
                val[d] = 0.5f + rnd.nextFloat();
            }
            io.chroma.api.SparseVector sv = i % 7 == 0 ? null : new io.chroma.api.SparseVector(idx, val);
            vectors.add(sv);
            ids.add("s" + i);
            embs.add(new float[] {i});
            Map<String, Object> m = new HashMap<>();
            m.put("k", (long) (i % 3));
            if (sv != null) {
                m.put("sp", sv);
            }
            metas.add(m);
        }
        c.add(Records.ids(ids).embeddings(embs).metadatas(metas));
        java.util.Set<Integer> deleted = new java.util.HashSet<>();
        for (int i = 0; i < n; i += 5) {
            deleted.add(i);
        }
        c.delete(io.chroma.api.Delete.ids(deleted.stream().map(i -> "s" + i).toList()));
        for (int trial = 0; trial < 20; trial++) {
            int[] qi = {rnd.nextInt(30) * 1_000_003, 30 * 1_000_003 + 1};
            java.util.Arrays.sort(qi);
            io.chroma.api.SparseVector q = new io.chroma.api.SparseVector(qi, new float[] {1.5f, 0.7f});
            boolean filtered = trial % 2 == 1;
            Search s = new Search().rank(Knn.sparse(q, "sp").limit(25)).select(Key.SCORE);
            if (filtered) {
                s = s.where(Where.eq("k", 2));
            }
            SearchResult got = c.search(s);
            long live = n - deleted.size();
            float[] w = new float[qi.length];
            for (int t = 0; t < qi.length; t++) {
                long nt = 0;
                for (int i = 0; i < n; i++) {
                    if (!deleted.contains(i) && vectors.get(i) != null
                            && java.util.Arrays.binarySearch(vectors.get(i).indices(), qi[t]) >= 0) {
                        nt++;
                    }
                }
                w[t] = (float) Math.log(1 + (live - nt + 0.5) / (nt + 0.5)) * q.values()[t];
            }
            List<Object[]> want = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                io.chroma.api.SparseVector v = vectors.get(i);
                if (deleted.contains(i) || v == null || (filtered && i % 3 != 2)) {
                    continue;
                }
                float dot = 0;
                boolean shared = false;
                for (int t = 0; t < qi.length; t++) {
                    int p = java.util.Arrays.binarySearch(v.indices(), qi[t]);
                    if (p >= 0) {
                        shared = true;
                        dot += w[t] * v.values()[p];
                    }
                }
                if (shared) {
                    want.add(new Object[] {i, 1f - dot});
                }
            }
            want.sort((a, b) -> {
                int cmp = Float.compare((Float) a[1], (Float) b[1]);
                return cmp != 0 ? cmp : Integer.compare((Integer) a[0], (Integer) b[0]);
            });
            want = want.subList(0, Math.min(25, want.size()));
            assertThat(got.ids().get(0)).as("trial %d", trial).containsExactlyElementsOf(want.stream().map(o -> "s" + o[0]).toList());
            for (int i = 0; i < want.size(); i++) {
                assertThat(got.scores().get(0).get(i)).isCloseTo((Float) want.get(i)[1], within(1e-5f));
            }
        }
    }

    @Test
    void randomExpressionsAgreeWithBruteForce() {
        Random rnd = new Random(42);
        int n = 90, dim = 6; // few enough that every knn is exact (at most ef_search candidates)
        Collection c = client.createCollection("random");
        List<float[]> vectors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Map<String, ?>> metas = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            for (int d = 0; d < dim; d++) {
                v[d] = (float) rnd.nextGaussian();
            }
            vectors.add(v);
            ids.add("id" + i);
            metas.add(Map.of("k", i % 4));
        }
        c.add(Records.ids(ids).embeddings(vectors).metadatas(metas));
        for (int trial = 0; trial < 200; trial++) {
            List<Knn> leaves = new ArrayList<>();
            Rank expr = randomExpr(rnd, dim, 3, leaves);
            boolean filtered = rnd.nextBoolean();
            Search s = new Search().rank(expr).select(Key.SCORE);
            if (filtered) {
                s = s.where(Where.ne("k", 1));
            }
            SearchResult got = c.search(s);
            List<Object[]> want = bruteForce(expr, leaves, vectors, filtered ? i -> i % 4 != 1 : i -> true);
            assertThat(got.ids().get(0)).as("trial %d: %s", trial, expr)
                    .containsExactlyElementsOf(want.stream().map(o -> "id" + o[0]).toList());
            for (int i = 0; i < want.size(); i++) {
                float w = (Float) want.get(i)[1];
                float g = got.scores().get(0).get(i);
                if (Float.isFinite(w)) {
                    assertThat(g).isCloseTo(w, within(1e-4f * Math.max(1, Math.abs(w))));
                } else {
                    assertThat(Float.isFinite(g)).isFalse();
                }
            }
        }
    }

    private static Rank randomExpr(Random rnd, int dim, int depth, List<Knn> leaves) {
        int op = depth == 0 ? rnd.nextInt(2) : rnd.nextInt(11);
        return switch (op) {
            case 0 -> {
                float[] q = new float[dim];
                for (int d = 0; d < dim; d++) {
                    q[d] = (float) rnd.nextGaussian();
                }
                Knn k = Knn.dense(q).limit(5 + rnd.nextInt(60)).returnRank(rnd.nextInt(3) == 0);
                if (rnd.nextBoolean()) {
                    k = k.defaultScore(rnd.nextInt(20));
                }
                yield k;
            }
            case 1 -> Rank.val(rnd.nextInt(7) - 2);
            case 2 -> new Rank.Sum(List.of(randomExpr(rnd, dim, depth - 1, leaves), randomExpr(rnd, dim, depth - 1, leaves)));
            case 3 -> new Rank.Mul(List.of(randomExpr(rnd, dim, depth - 1, leaves), randomExpr(rnd, dim, depth - 1, leaves)));
            case 4 -> new Rank.Max(List.of(randomExpr(rnd, dim, depth - 1, leaves), randomExpr(rnd, dim, depth - 1, leaves)));
            case 5 -> new Rank.Min(List.of(randomExpr(rnd, dim, depth - 1, leaves), randomExpr(rnd, dim, depth - 1, leaves)));
            case 6 -> new Rank.Sub(randomExpr(rnd, dim, depth - 1, leaves), randomExpr(rnd, dim, depth - 1, leaves));
            case 7 -> new Rank.Div(randomExpr(rnd, dim, depth - 1, leaves), new Rank.Sum(List.of(Rank.val(1),
                    new Rank.Abs(randomExpr(rnd, dim, depth - 1, leaves)))));
            case 8 -> new Rank.Abs(randomExpr(rnd, dim, depth - 1, leaves));
            case 9 -> new Rank.Log(new Rank.Sum(List.of(Rank.val(1), new Rank.Abs(randomExpr(rnd, dim, depth - 1, leaves)))));
            default -> new Rank.Exp(new Rank.Mul(List.of(Rank.val(-0.1), randomExpr(rnd, dim, depth - 1, leaves))));
        };
    }

    /** [index, score] in final order, computed from scratch: exact knn lists, Chroma's candidate rule, f32 arithmetic. */
    private static List<Object[]> bruteForce(Rank expr, List<Knn> ignored, List<float[]> vectors,
                                             java.util.function.IntPredicate filter) {
        List<Knn> leaves = expr.knnLeaves();
        List<Map<Integer, Float>> values = new ArrayList<>();
        for (Knn k : leaves) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < vectors.size(); i++) {
                if (filter.test(i)) {
                    idx.add(i);
                }
            }
            idx.sort(Comparator.comparingDouble((Integer i) -> Space.L2.distance(k.dense(), vectors.get(i)))
                    .thenComparingInt(i -> i));
            Map<Integer, Float> v = new LinkedHashMap<>();
            for (int r = 0; r < Math.min(k.limit(), idx.size()); r++) {
                int i = idx.get(r);
                v.put(i, k.returnRank() ? r : Space.L2.distance(k.dense(), vectors.get(i)));
            }
            values.add(v);
        }
        TreeSet<Integer> cand = null;
        boolean allDefault = leaves.stream().allMatch(k -> k.defaultScore() != null);
        for (int l = 0; l < leaves.size(); l++) {
            if (allDefault) {
                if (cand == null) cand = new TreeSet<>();
                cand.addAll(values.get(l).keySet());
            } else if (leaves.get(l).defaultScore() == null) {
                if (cand == null) cand = new TreeSet<>(values.get(l).keySet());
                else cand.retainAll(values.get(l).keySet());
            }
        }
        List<Object[]> out = new ArrayList<>();
        if (cand == null) {
            return out;
        }
        for (int i : cand) {
            int[] next = {0};
            out.add(new Object[] {i, eval(expr, i, leaves, values, next)});
        }
        out.sort((a, b) -> {
            int cmp = Float.compare((Float) a[1], (Float) b[1]);
            return cmp != 0 ? cmp : Integer.compare((Integer) a[0], (Integer) b[0]);
        });
        return out;
    }

    private static float eval(Rank r, int i, List<Knn> leaves, List<Map<Integer, Float>> values, int[] next) {
        if (r instanceof Knn k) {
            Float v = values.get(next[0]++).get(i);
            return v != null ? v : k.defaultScore();
        }
        if (r instanceof Rank.Val v) return v.value();
        if (r instanceof Rank.Sum s) { float a = 0; for (Rank t : s.terms()) a += eval(t, i, leaves, values, next); return a; }
        if (r instanceof Rank.Mul m) { float a = 1; for (Rank t : m.factors()) a *= eval(t, i, leaves, values, next); return a; }
        if (r instanceof Rank.Max m) { float a = -Float.MAX_VALUE; for (Rank t : m.args()) { float x = eval(t, i, leaves, values, next); a = Float.isNaN(x) ? a : Math.max(a, x); } return a; }
        if (r instanceof Rank.Min m) { float a = Float.MAX_VALUE; for (Rank t : m.args()) { float x = eval(t, i, leaves, values, next); a = Float.isNaN(x) ? a : Math.min(a, x); } return a; }
        if (r instanceof Rank.Sub s) { float a = eval(s.left(), i, leaves, values, next); return a - eval(s.right(), i, leaves, values, next); }
        if (r instanceof Rank.Div d) { float a = eval(d.left(), i, leaves, values, next); return a / eval(d.right(), i, leaves, values, next); }
        if (r instanceof Rank.Abs a) return Math.abs(eval(a.arg(), i, leaves, values, next));
        if (r instanceof Rank.Log l) return (float) Math.log(eval(l.arg(), i, leaves, values, next));
        if (r instanceof Rank.Exp e) return (float) Math.exp(eval(e.arg(), i, leaves, values, next));
        throw new IllegalStateException();
    }
}
