package io.chroma.api.search;

import io.chroma.api.InvalidArgumentException;
import io.chroma.api.SparseVector;
import io.chroma.api.Where;
import io.chroma.api.internal.SearchJson;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java builders emit what Chroma's JS client emits, and the parser reads it back unchanged. */
class SearchJsonTest {

    @Test
    void rrfExpandsLikeChromasJsClient() {
        Rank r = Rrf.of(Knn.dense(new float[] {1, 0, 0}).returnRank(true).limit(100),
                Knn.dense(new float[] {0, 1, 0}).returnRank(true).limit(100)).toRank();
        Map<String, Object> knn1 = Map.of("$knn", Map.of("query", List.of(1f, 0f, 0f), "key", "#embedding", "limit", 100, "return_rank", true));
        Map<String, Object> knn2 = Map.of("$knn", Map.of("query", List.of(0f, 1f, 0f), "key", "#embedding", "limit", 100, "return_rank", true));
        Map<String, Object> expected = Map.of("$mul", List.of(
                Map.of("$sum", List.of(
                        Map.of("$div", Map.of("left", Map.of("$val", 1f), "right", Map.of("$sum", List.of(knn1, Map.of("$val", 60f))))),
                        Map.of("$div", Map.of("left", Map.of("$val", 1f), "right", Map.of("$sum", List.of(knn2, Map.of("$val", 60f))))))),
                Map.of("$val", -1f)));
        assertThat(r.toJson()).isEqualTo(expected);
        Rank weighted = Rrf.of(Knn.dense(new float[] {1}), Knn.dense(new float[] {2})).k(100).weights(3, 1).normalize(true).toRank();
        assertThat(weighted.toString()).contains("Val[value=0.75]").contains("Val[value=0.25]").contains("Val[value=100.0]");
    }

    @Test
    void everyRankRoundTrips() {
        Rank r = new Rank.Sum(List.of(
                Knn.dense(new float[] {0.5f, 2}).limit(7).defaultScore(3),
                Knn.sparse(new SparseVector(new int[] {1, 5, -2}, new float[] {0.5f, 0.25f, 1}), "sp").returnRank(true),
                Knn.text("XK-4821 drill"),
                new Rank.Sub(Rank.val(1), new Rank.Div(Rank.val(2), Rank.val(3))),
                new Rank.Abs(new Rank.Exp(new Rank.Log(Rank.val(4)))),
                new Rank.Max(List.of(Rank.val(1), new Rank.Min(List.of(Rank.val(2))))),
                new Rank.Mul(List.of())));
        assertThat(SearchJson.parseRank(r.toJson(), "rank")).isEqualTo(r);
        Search s = new Search().where(Where.and(Where.in("#id", "a", "b"), Where.eq("cat", "x"))).rank(r)
                .groupBy(GroupBy.of(List.of("cat"), GroupBy.Aggregate.maxK(2, "year", Key.SCORE))).limit(5, 2)
                .select(Key.SCORE, "cat", Key.DOCUMENT);
        Search back = SearchJson.parseSearch(SearchJson.toJson(s), "searches[0]");
        assertThat(back).isEqualTo(s);
        assertThat(back.sortedSelect()).containsExactly("#document", "#score", "cat");
        // the unsigned index above 2^31 goes out as a u32
        assertThat(r.toJson().toString()).contains("4294967294");
    }

    @Test
    void shapeErrorsCarryChromasPaths() {
        assertThatThrownBy(() -> SearchJson.parseRank(Map.of("$sum", List.of(Map.of("$knn", Map.of("limit", 1)))), "searches[0].rank"))
                .isInstanceOf(SearchJson.ShapeError.class).hasMessage("searches[0].rank.$sum[0].$knn: missing field `query`");
        assertThatThrownBy(() -> SearchJson.parseRank(Map.of("$bm25", Map.of("query", 5L)), "r"))
                .hasMessage("r.$bm25.query: invalid type: integer `5`, expected a string");
        assertThatThrownBy(() -> SearchJson.parseSearch(Map.of("limit", Map.of("offset", -3L)), "searches[1]"))
                .hasMessage("searches[1].limit.offset: invalid value: integer `-3`, expected u32");
        assertThatThrownBy(() -> new SparseVector(new int[] {1, 2}, new float[] {1}))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Sparse vector indices, values, and tokens (when present) must have the same length");
    }
}
