package io.chroma.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.chroma.api.internal.RustRegex;


/**
 * A filter on record documents: case-sensitive substring ({@code $contains}, {@code $not_contains}),
 * regular expressions in Chroma's (Rust) syntax ({@code $regex}, {@code $not_regex}), and their
 * {@code $and} / {@code $or} combinations. A record without a document never matches
 * {@code $contains} or {@code $regex}, and always matches the negated forms.
 */
public sealed interface WhereDocument {

    record Contains(String text) implements WhereDocument {
        public Contains {
            requireText("$contains", text);
        }
    }

    record NotContains(String text) implements WhereDocument {
        public NotContains {
            requireText("$not_contains", text);
        }
    }

    /**
     * A regular expression in the syntax of Rust's regex crate, as Chroma reads it; matches when the
     * pattern is found anywhere in the document. Compiled (and so checked) once, when built: a
     * filter is matched against every candidate document.
     */
    final class Regex implements WhereDocument {
        private final String pattern;
        private final com.google.re2j.Pattern compiled;

        public Regex(String pattern) {
            this(pattern, "$regex");
        }

        private Regex(String pattern, String op) {
            this.compiled = compile(op, pattern);
            this.pattern = pattern;
        }

        public String pattern() {
            return pattern;
        }

        /** Is the pattern found in {@code document} (not null)? */
        boolean foundIn(String document) {
            return compiled.matcher(document).find();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Regex r && r.pattern.equals(pattern);
        }

        @Override
        public int hashCode() {
            return pattern.hashCode();
        }

        @Override
        public String toString() {
            return "Regex[pattern=" + pattern + "]";
        }
    }

    /** Documents in which the pattern is not found, and records without a document. */
    final class NotRegex implements WhereDocument {
        private final Regex positive;

        public NotRegex(String pattern) {
            this.positive = new Regex(pattern, "$not_regex");
        }

        public String pattern() {
            return positive.pattern();
        }

        /** The same pattern, matched positively. */
        public Regex positive() {
            return positive;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NotRegex n && n.positive.equals(positive);
        }

        @Override
        public int hashCode() {
            return ~positive.hashCode();
        }

        @Override
        public String toString() {
            return "NotRegex[pattern=" + pattern() + "]";
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
            case Regex r -> document != null && r.foundIn(document);
            case NotRegex n -> document == null || !n.positive().foundIn(document);
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
                            + " to be a str, got " + operand);
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

    private static void requireText(String op, String text) {
        // an empty operand is allowed, as Chroma 1.x allows it: "" is found in every document
        if (text == null) {
            throw invalid("Expected where document operand value for operator " + op + " to be a str");
        }
    }

    /**
     * Longest regular expression accepted: a pattern is compiled per request, and a 10 MB one would
     * hold a request thread and memory for nothing. Chroma's regex engine refuses patterns whose
     * compiled size passes its own limit too.
     */
    public static final int MAX_REGEX_LENGTH = 10_000;

    private static com.google.re2j.Pattern compile(String op, String pattern) {
        requireText(op, pattern);
        if (pattern.length() > MAX_REGEX_LENGTH) {
            throw invalid("Regular expression for " + op + " is " + pattern.length()
                    + " characters long, more than the " + MAX_REGEX_LENGTH + " allowed");
        }
        try {
            return RustRegex.compile(pattern);
        } catch (IllegalArgumentException ex) {
            throw invalid("Invalid regular expression for " + op + ": " + ex.getMessage());
        }
    }

    private static InvalidArgumentException invalid(String message) {
        return new InvalidArgumentException("Invalid where document clause: " + message);
    }
}
