package io.chroma.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WhereTest {

    private static Map<String, Object> json(String k, Object v) {
        Map<String, Object> m = new HashMap<>();
        m.put(k, v);
        return m;
    }

    @Test
    void shorthandIsEq() {
        assertThat(Where.parse(Map.of("color", "red"))).isEqualTo(Where.eq("color", "red"));
    }

    @Test
    void emptyAndNullMeanNoFilter() {
        assertThat(Where.parse(null)).isNull();
        assertThat(Where.parse(Map.of())).isNull();
    }

    @Test
    void integersNormaliseToLongAndFloatsToDouble() {
        Where.Compare c = (Where.Compare) Where.parse(Map.of("n", Map.of("$gt", 3)));
        assertThat(c.value()).isEqualTo(3L);
        Where.Compare f = (Where.Compare) Where.parse(Map.of("n", Map.of("$lte", 2.5f)));
        assertThat(f.value()).isEqualTo(2.5d);
    }

    @Test
    void nestedAndOrParseAndRoundTrip() {
        Map<String, Object> wire = Map.of("$and", List.of(
                Map.of("a", Map.of("$in", List.of(1, 2))),
                Map.of("$or", List.of(Map.of("b", true), Map.of("c", Map.of("$ne", "x"))))));
        Where w = Where.parse(wire);
        assertThat(w).isInstanceOf(Where.And.class);
        assertThat(Where.parse(w.toJson())).isEqualTo(w);
    }

    @Test
    void inListsMustNotMixIntsAndFloatsAsInChroma() {
        // real Chroma 1.x answers 400 "Invalid where clause" to [1, 2.5]; whole floats in a float list are fine
        assertThatThrownBy(() -> Where.parse(Map.of("a", Map.of("$in", List.of(1, 2.5)))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("same type");
        assertThatThrownBy(() -> Where.parse(Map.of("a", Map.of("$nin", List.of(2.5, 1)))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(Where.parse(Map.of("a", Map.of("$in", List.of(1.0, 2.5)))).matches(Map.of("a", 1L), null)).isTrue();
    }

    @Test
    void anEmptyKeyIsAKeyNoRecordHasAsInChroma() {
        assertThat(Where.parse(Map.of("", 1)).matches(Map.of("a", 1L), null)).isFalse();
        assertThat(Where.parse(Map.of("", Map.of("$ne", 1))).matches(Map.of("a", 1L), null)).isTrue();
    }

    @Test
    void documentPseudoKey() {
        Where w = Where.parse(Map.of("#document", Map.of("$contains", "zer")));
        assertThat(w.matches(null, "zero")).isTrue();
        assertThat(w.matches(null, "Zero")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"v\": {\"nested\": \"5\"}}",
            "{\"int_value\": {\"$invalid\": 2}}",
            "{\"int_value\": {\"$lt\": \"2\"}}",
            "{\"int_value\": {\"$lt\": 2, \"$gt\": 1}}",
            "{\"$and\": {\"a\": 1}}",
            "{\"$gt\": [1]}",
            "{\"$contains\": \"x\"}",
            "{\"a\": {\"$in\": []}}",
            "{\"a\": {\"$in\": [1, \"x\"]}}",
            "{\"a\": 1, \"$or\": [{\"b\": 1}, {\"c\": 2}]}",
            "{\"a\": [1, 2]}",
            "{\"a\": null}",
    })
    void malformedFiltersAreInvalidArguments(String text) {
        Object parsed = MiniJson.parse(text);
        assertThatThrownBy(() -> Where.parse(parsed))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Invalid where clause");
    }

    @Test
    void emptyAndMatchesEverythingEmptyOrNothing() {
        // what the real Chroma 1.x server does with {"$and": []} and {"$or": []}
        assertThat(Where.parse(Map.of("$and", List.of())).matches(Map.of("a", 1L), null)).isTrue();
        assertThat(Where.parse(Map.of("$or", List.of())).matches(Map.of("a", 1L), null)).isFalse();
        assertThat(WhereDocument.parse(Map.of("$and", List.of())).matches("x")).isTrue();
        assertThat(WhereDocument.parse(Map.of("$or", List.of())).matches("x")).isFalse();
    }

    @Test
    void neAndNinMatchRecordsLackingTheKey() {
        assertThat(Where.ne("a", 1).matches(Map.of(), null)).isTrue();
        assertThat(Where.ne("a", 1).matches(null, null)).isTrue();
        assertThat(Where.nin("a", 1, 2).matches(Map.of("b", 1L), null)).isTrue();
        assertThat(Where.eq("a", 1).matches(Map.of(), null)).isFalse();
        assertThat(Where.in("a", 1, 2).matches(Map.of("a", 2L), null)).isTrue();
    }

    @Test
    void intAndFloatCompareNumericallyButBoolNeverEqualsANumber() {
        assertThat(Where.lte("n", 2.0).matches(Map.of("n", 2L), null)).isTrue();
        assertThat(Where.eq("n", 2).matches(Map.of("n", 2.0d), null)).isTrue();
        assertThat(Where.eq("flag", 0).matches(Map.of("flag", false), null)).isFalse();
        assertThat(Where.eq("flag", true).matches(Map.of("flag", 1L), null)).isFalse();
        assertThat(Where.gt("s", 1).matches(Map.of("s", "2"), null)).isFalse();
    }

    @Test
    void largeLongsCompareExactly() {
        long big = (1L << 53) + 1;
        assertThat(Where.gt("n", big - 1).matches(Map.of("n", big), null)).isTrue();
        assertThat(Where.eq("n", big).matches(Map.of("n", big - 1), null)).isFalse();
    }

    @Test
    void containsTestsListMembership() {
        Map<String, Object> md = Map.of("tags", List.of("action", "drama"));
        assertThat(Where.contains("tags", "action").matches(md, null)).isTrue();
        assertThat(Where.contains("tags", "comedy").matches(md, null)).isFalse();
        assertThat(Where.notContains("tags", "comedy").matches(md, null)).isTrue();
        assertThat(Where.notContains("tags", "x").matches(Map.of(), null)).isTrue();
        assertThat(Where.eq("tags", "action").matches(md, null)).isFalse();
    }

    @Test
    void toJsonUsesWireOperators() {
        assertThat(Where.gte("year", 2020).toJson()).isEqualTo(Map.of("year", Map.of("$gte", 2020L)));
        assertThat(Where.or(Where.eq("a", "x"), Where.eq("b", "y")).toJson())
                .isEqualTo(Map.of("$or", List.of(Map.of("a", Map.of("$eq", "x")), Map.of("b", Map.of("$eq", "y")))));
    }

    @Test
    void nonFiniteOperandsAreRejected() {
        assertThatThrownBy(() -> Where.gt("a", Double.NaN)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Where.parse(json("a", Double.POSITIVE_INFINITY)))
                .isInstanceOf(InvalidArgumentException.class);
    }
}
