package io.chroma.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.chroma.api.internal.BoundedText;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A filter on record documents: case-sensitive substring ({@code $contains}, {@code $not_contains}),
 * Java regular expressions with inline flags ({@code $regex}, {@code $not_regex}), and their
 * {@code $and} / {@code $or} combinations. A record without a document never matches
 * {@code $contains} or {@code $regex}, and always matches the negated forms.
 */
public sealed interface WhereDocument {

    record Contains(String text) implements WhereDocument {
        public Contains {
            requireNonEmpty("$contains", text);
        }
    }

    record NotContains(String text) implements WhereDocument {
        public NotContains {
            requireNonEmpty("$not_contains", text);
        }
    }

    /** A regex, compiled once; matches when the pattern is found anywhere in the document. */
    record Regex(String pattern, Pattern compiled) implements WhereDocument {
        public Regex(String pattern) {
            this(pattern, compile("$regex", pattern));
        }

        public Regex {
            requireNonEmpty("$regex", pattern);
        }
    }

    record NotRegex(String pattern, Pattern compiled) implements WhereDocument {
        public NotRegex(String pattern) {
            this(pattern, compile("$not_regex", pattern));
        }

        public NotRegex {
            requireNonEmpty("$not_regex", pattern);
        }
    }

    record And(List<WhereDocument> clauses) implements WhereDocument {
        public And {
            clauses = List.copyOf(clauses);
        }
    }

    record Or(List<WhereDocument> clauses) implements WhereDocument {
        public Or {
            clauses = List.copyOf(clauses);
        }
    }

    static WhereDocument contains(String text) { return new Contains(text); }

    static WhereDocument notContains(String text) { return new NotContains(text); }

    static WhereDocument regex(String pattern) { return new Regex(pattern); }

    static WhereDocument notRegex(String pattern) { return new NotRegex(pattern); }

    static WhereDocument and(WhereDocument... clauses) { return new And(List.of(clauses)); }

    static WhereDocument or(WhereDocument... clauses) { return new Or(List.of(clauses)); }

    /** Does a document (possibly {@code null}) satisfy this filter? The reference semantics. */
    default boolean matches(String document) {
        return switch (this) {
            case Contains c -> document != null && document.contains(c.text());
            case NotContains c -> document == null || !document.contains(c.text());
            case Regex r -> document != null && find("$regex", r.pattern(), r.compiled(), document);
            case NotRegex r -> document == null || !find("$not_regex", r.pattern(), r.compiled(), document);
            case And a -> a.clauses().stream().allMatch(w -> w.matches(document));
            case Or o -> o.clauses().stream().anyMatch(w -> w.matches(document));
        };
    }

    /** The wire (JSON) form, as nested maps and lists. */
    default Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (this) {
            case Contains c -> out.put("$contains", c.text());
            case NotContains c -> out.put("$not_contains", c.text());
            case Regex r -> out.put("$regex", r.pattern());
            case NotRegex r -> out.put("$not_regex", r.pattern());
            case And a -> out.put("$and", a.clauses().stream().map(WhereDocument::toJson).toList());
            case Or o -> out.put("$or", o.clauses().stream().map(WhereDocument::toJson).toList());
        }
        return out;
    }

    /**
     * Parses the wire form. {@code null} and {@code {}} mean "no filter" and return {@code null}
     * (Python 0.5 clients send {@code {}}). Anything malformed is an {@link InvalidArgumentException}.
     */
    static WhereDocument parse(Object json) {
        if (json == null) {
            return null;
        }
        if (json instanceof Map<?, ?> m && m.isEmpty()) {
            return null;
        }
        return parseClause(json);
    }

    private static WhereDocument parseClause(Object json) {
        if (!(json instanceof Map<?, ?> map)) {
            throw invalid("Expected where document to be a dictionary, got " + json);
        }
        if (map.size() != 1) {
            throw invalid("Expected where document to have exactly one operator, got " + json);
        }
        Map.Entry<?, ?> e = map.entrySet().iterator().next();
        String op = String.valueOf(e.getKey());
        Object operand = e.getValue();
        switch (op) {
            case "$and", "$or" -> {
                // an empty list is allowed, as in Chroma 1.x: $and [] matches everything, $or [] nothing
                if (!(operand instanceof List<?> list)) {
                    throw invalid("Expected where document value for " + op
                            + " to be a list of where document expressions, got " + operand);
                }
                List<WhereDocument> clauses = new ArrayList<>();
                for (Object item : list) {
                    clauses.add(parseClause(item));
                }
                return op.equals("$and") ? new And(clauses) : new Or(clauses);
            }
            case "$contains", "$not_contains", "$regex", "$not_regex" -> {
                if (!(operand instanceof String s)) {
                    throw invalid("Expected where document operand value for operator " + op
                            + " to be a non-empty str, got " + operand);
                }
                return switch (op) {
                    case "$contains" -> new Contains(s);
                    case "$not_contains" -> new NotContains(s);
                    case "$regex" -> new Regex(s);
                    default -> new NotRegex(s);
                };
            }
            default -> throw invalid("Expected where document operator to be one of $contains, $not_contains, "
                    + "$regex, $not_regex, $and, $or, got " + op);
        }
    }

    /**
     * Character reads one regex search may make in a document of {@code length} characters.
     * java.util.regex backtracks, so {@code (a+)+$} on forty a's and a "!" would run for hours and
     * hold a request thread (Chroma's Rust regex engine is linear-time and cannot be made to).
     * A linear pattern reads each character a few times; this allows 64 reads per character plus
     * ten million, so every ordinary pattern fits and a runaway one is stopped within tens of
     * milliseconds, the request failing with a 400 instead.
     */
    private static long regexBudget(int length) {
        return 10_000_000L + 64L * length;
    }

    private static boolean find(String op, String pattern, Pattern compiled, String document) {
        BoundedText text = new BoundedText(document, regexBudget(document.length()));
        try {
            return compiled.matcher(text).find();
        } catch (BoundedText.Exhausted e) {
            String shown = pattern.length() > 100 ? pattern.substring(0, 100) + "…" : pattern;
            throw invalid("the " + op + " pattern " + shown + " needs too much backtracking on a document of "
                    + document.length() + " characters (more than " + regexBudget(document.length())
                    + " steps); simplify the pattern");
        }
    }

    private static void requireNonEmpty(String op, String text) {
        if (text == null || text.isEmpty()) {
            throw invalid("Expected where document operand value for operator " + op + " to be a non-empty str");
        }
    }

    /**
     * Longest regular expression accepted. Java compiles a long literal run in time that grows with
     * the square of its length (the Boyer-Moore tables of {@code Pattern}): 10,000 characters took
     * 0.16 s, 100,000 took 1.9 s and a 10 MB pattern held a request thread for good. Chroma's regex
     * engine refuses patterns whose compiled size passes its own limit too.
     */
    public static final int MAX_REGEX_LENGTH = 10_000;

    private static Pattern compile(String op, String pattern) {
        requireNonEmpty(op, pattern);
        if (pattern.length() > MAX_REGEX_LENGTH) {
            throw invalid("Regular expression for " + op + " is " + pattern.length()
                    + " characters long, more than the " + MAX_REGEX_LENGTH + " allowed");
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException ex) {
            throw invalid("Invalid regular expression for " + op + ": " + ex.getDescription() + " in " + pattern);
        }
    }

    private static InvalidArgumentException invalid(String message) {
        return new InvalidArgumentException("Invalid where document clause: " + message);
    }
}
