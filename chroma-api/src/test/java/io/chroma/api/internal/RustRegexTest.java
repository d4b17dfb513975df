package io.chroma.api.internal;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * $regex patterns against the answers real Chroma 1.x gave on the same documents
 * ({@code rust-regex-cases.tsv}, recorded from the real server): our results must be the same,
 * except for the few patterns listed in {@link #DIFFERENCES}, whose difference is asserted instead.
 */
class RustRegexTest {

    /** Patterns where we knowingly answer differently, and what we answer. */
    private static final Map<String, String> DIFFERENCES = Map.of(
            // \b sees word characters as ASCII (RE2): "日本語テキスト" (13) has no ASCII word boundary
            "\\b", "0,1,2,3,4,5,6,7,8,9,10,11,12,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,33,34,35,36",
            "\\b\\w", "0,1,2,3,4,5,6,7,8,9,10,11,12,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,33,34,35,36",
            "\\bcafé\\b", "",
            // accepted by Chroma, refused here rather than answered differently
            "\\<", "ERR", "\\>", "ERR", "\\b{start}", "ERR", "[a-z&&[^b]]", "ERR", "[\\W]", "ERR");

    private record Case(String pattern, String expected) {
    }

    private static final List<String> DOCS = new ArrayList<>();
    private static final List<Case> CASES = new ArrayList<>();

    static {
        try (InputStream in = RustRegexTest.class.getResourceAsStream("rust-regex-cases.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] cols = line.split("\t", -1);
                if (cols[0].equals("doc")) {
                    DOCS.add(jsonString(cols[1]));
                } else if (cols[0].equals("case")) {
                    CASES.add(new Case(jsonString(cols[1]), cols[2]));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> sameMatchesAsRealChroma() {
        assertThat(CASES).hasSizeGreaterThan(100);
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.pattern(), () -> {
            String want = DIFFERENCES.getOrDefault(c.pattern(), c.expected());
            assertThat(ours(c.pattern())).as("pattern %s (real Chroma: %s)", c.pattern(), c.expected()).isEqualTo(want);
        }));
    }

    @Test
    void everyListedDifferenceIsStillADifference() {
        for (Case c : CASES) {
            if (DIFFERENCES.containsKey(c.pattern())) {
                assertThat(c.expected()).as(c.pattern()).isNotEqualTo(DIFFERENCES.get(c.pattern()));
            }
        }
        assertThat(CASES.stream().filter(c -> DIFFERENCES.containsKey(c.pattern())).count()).isEqualTo(DIFFERENCES.size());
    }

    @Test
    void translations() {
        assertThat(RustRegex.translate("a++")).isEqualTo("(?:a+)+");
        assertThat(RustRegex.translate("(ab)*+?")).isEqualTo("(?:(ab)*)+?");
        assertThat(RustRegex.translate("a+?")).isEqualTo("a+?");
        assertThat(RustRegex.translate("(?x) a b # c\nd")).isEqualTo("abd");
        assertThat(RustRegex.translate("(?ix:a b)c d")).isEqualTo("(?i:ab)c d");
        assertThat(RustRegex.translate("\\u00e9\\u{1F600}\\U0001F600")).isEqualTo("\\x{00e9}\\x{1F600}\\x{0001F600}");
        assertThat(RustRegex.translate("\\p{Script=greek}\\p{uppercase letter}\\pL")).isEqualTo("\\p{Greek}\\p{Lu}\\pL");
        assertThat(RustRegex.translate("[a[bc]]")).isEqualTo("[abc]");
        assertThat(RustRegex.translate("\\d")).isEqualTo("\\p{Nd}");
        assertThat(RustRegex.translate("(?P<year>\\d{4})")).isEqualTo("(?P<year>\\p{Nd}{4})");
    }

    @Test
    void refusalsSayWhy() {
        assertThatThrownBy(() -> RustRegex.compile("(a)\\1")).hasMessageContaining("backreferences are not supported");
        assertThatThrownBy(() -> RustRegex.compile("(?=a)")).hasMessageContaining("look-around");
        assertThatThrownBy(() -> RustRegex.compile("[a-z&&b]")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> RustRegex.compile("(unclosed")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RustRegex.compile("a{,2}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RustRegex.compile("(?-u)a")).hasMessageContaining("invalid UTF-8");
    }

    @Test
    void nestedCountedRepetitionsAreRefusedBeforeTheyExhaustTheHeap() {
        // RE2 expands counted repetitions: this one is 10^9 instructions (an OutOfMemoryError before the limit)
        assertThatThrownBy(() -> RustRegex.compile("((a{1000}){1000}){1000}")).hasMessageContaining("size limit");
        assertThatThrownBy(() -> RustRegex.compile("a{99999999999999999999}")).hasMessageContaining("size limit");
        assertThatThrownBy(() -> RustRegex.compile("(a{1000}){1000}{1000}")).hasMessageContaining("size limit");
        // real Chroma refused ((a{100}){100}){60} and accepted {30}; so do we
        assertThatThrownBy(() -> RustRegex.compile("((a{100}){100}){60}")).hasMessageContaining("size limit");
        assertThat(RustRegex.compile("((a{100}){100}){30}").matcher("aaa").find()).isFalse();
        assertThat(RustRegex.compile("\\w{1000}").matcher("x".repeat(1000)).find()).isTrue();
    }

    @Test
    void runawayPatternsStayLinear() {
        // a backtracking engine takes hours on this; RE2/J answers at once
        String text = "a".repeat(50_000) + "!";
        long t0 = System.nanoTime();
        assertThat(RustRegex.compile("(a+)+$").matcher(text).find()).isFalse();
        assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
    }

    private static String ours(String pattern) {
        com.google.re2j.Pattern p;
        try {
            p = RustRegex.compile(pattern);
        } catch (IllegalArgumentException e) {
            return "ERR";
        }
        StringJoiner matched = new StringJoiner(",");
        for (int i = 0; i < DOCS.size(); i++) {
            if (p.matcher(DOCS.get(i)).find()) {
                matched.add(String.valueOf(i));
            }
        }
        return matched.toString();
    }

    /** Decodes one JSON string literal (the file's own escapes: \", \\, \n, \t, \r, \\uXXXX). */
    private static String jsonString(String literal) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'u' -> {
                    b.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }
}
