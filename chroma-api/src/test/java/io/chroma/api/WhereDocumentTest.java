package io.chroma.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WhereDocumentTest {

    @Test
    void containsIsCaseSensitiveSubstring() {
        WhereDocument w = WhereDocument.contains("zer");
        assertThat(w.matches("zero")).isTrue();
        assertThat(w.matches("ZERO")).isFalse();
        assertThat(w.matches(null)).isFalse();
    }

    @Test
    void notContainsMatchesRecordsWithoutDocument() {
        assertThat(WhereDocument.notContains("x").matches(null)).isTrue();
        assertThat(WhereDocument.notContains("x").matches("axb")).isFalse();
    }

    @Test
    void regexUsesInlineFlags() {
        assertThat(WhereDocument.regex("cat").matches("Cat")).isFalse();
        assertThat(WhereDocument.regex("(?i)cat").matches("CAT")).isTrue();
        WhereDocument mixed = WhereDocument.regex("(?i)c(?-i)at");
        assertThat(mixed.matches("Cat")).isTrue();
        assertThat(mixed.matches("CAT")).isFalse();
        assertThat(WhereDocument.notRegex("cat").matches(null)).isTrue();
    }

    @Test
    void parsesAndRoundTrips() {
        Map<String, Object> wire = Map.of("$or", List.of(Map.of("$contains", "a"), Map.of("$not_regex", "b+")));
        WhereDocument w = WhereDocument.parse(wire);
        assertThat(w.toJson()).isEqualTo(wire);
        assertThat(WhereDocument.parse(Map.of())).isNull();
        // regex filters are values: equal by pattern, as the other filters are
        assertThat(WhereDocument.parse(wire)).isEqualTo(w).hasSameHashCodeAs(w);
        assertThat(WhereDocument.regex("b+")).isNotEqualTo(WhereDocument.notRegex("b+")).isNotEqualTo(WhereDocument.regex("b"));
        assertThatThrownBy(() -> WhereDocument.notRegex("(")).hasMessageContaining("$not_regex");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"$lt\": 1}",
            "{\"$contains\": 2}",
            "{\"$contains\": []}",
            "{\"$contains\": {}}",
            "{\"$not_contains\": {\"a\": 1}}",
            "{\"$and\": {\"$contains\": \"a\"}}",
            "{\"$or\": [{\"$bogus\": \"a\"}]}",
            "{\"$regex\": \"(unclosed\"}",
            "{\"$contains\": \"a\", \"$regex\": \"b\"}",
    })
    void malformedIsInvalidArgument(String text) {
        Object parsed = MiniJson.parse(text);
        assertThatThrownBy(() -> WhereDocument.parse(parsed))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Invalid where document clause");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 5, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void overlongRegexIsRefusedBeforeCompiling() {
        // a 10 MB literal would keep Pattern.compile busy for hours; refused at once instead (the
        // timeout stops the test, which would otherwise hang, if it were compiled)
        String huge = "x".repeat(10 * 1024 * 1024);
        assertThatThrownBy(() -> WhereDocument.parse(java.util.Map.of("$regex", huge)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("10485760 characters long")
                .hasMessageContaining(String.valueOf(WhereDocument.MAX_REGEX_LENGTH));
        assertThatThrownBy(() -> WhereDocument.parse(java.util.Map.of("$not_regex", huge)))
                .isInstanceOf(InvalidArgumentException.class);
        String longest = "y".repeat(WhereDocument.MAX_REGEX_LENGTH);
        assertThat(WhereDocument.regex(longest).matches(longest)).isTrue();
    }
}
