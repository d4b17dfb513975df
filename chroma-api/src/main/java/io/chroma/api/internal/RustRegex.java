package io.chroma.api.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chroma's {@code $regex} / {@code $not_regex} patterns, read as Chroma's server reads them: with
 * the syntax of Rust's {@code regex} crate. They run on RE2/J, whose syntax Rust's descends from,
 * and which is linear-time like Rust's (no catastrophic backtracking, so no time budget is needed).
 * A pattern is rewritten first where the two differ:
 * <ul>
 *   <li>{@code \d \D \w \W \s \S} are Unicode classes in Rust (ASCII in RE2);</li>
 *   <li>Rust's escapes {@code \\uXXXX}, {@code \\u{X}}, {@code \\UXXXXXXXX} and property forms
 *       {@code \p{Script=Greek}}, {@code \p{gc=Lu}}, {@code \p{Alphabetic}}, {@code \p{White_Space}};</li>
 *   <li>verbose mode {@code (?x)} (whitespace and {@code #} comments ignored) and the {@code u} flag;</li>
 *   <li>stacked repetitions such as {@code a++} (Rust: {@code (?:a+)+});</li>
 *   <li>nested classes {@code [a[bc]]} (a union in Rust).</li>
 * </ul>
 * What Chroma refuses and RE2 would accept is refused too (octal and back-reference escapes,
 * {@code \Q…\E}, {@code \C}, a literal or open {@code {}, and {@code (?-u)}: Chroma's server refuses
 * patterns that could match invalid UTF-8). What Rust accepts and RE2 cannot express is refused with
 * a clear message rather than silently answered differently: class set operations ({@code &&},
 * {@code --}, {@code ~~}), {@code \<}, {@code \>}, {@code \b{…}}, negated nested classes and the
 * {@code R} flag. One difference remains: {@code \b} / {@code \B} see word characters as ASCII.
 */
public final class RustRegex {
    private RustRegex() {
    }

    /** Rust's {@code \s}: the Unicode White_Space property. */
    private static final String SPACE_SET = "\\t-\\r\\x20\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}"
            + "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";
    /** Rust's {@code \w}: Alphabetic, marks, decimal digits, connector punctuation, join controls. */
    private static final String WORD_SET = "\\p{L}\\p{Nl}\\p{M}\\p{Nd}\\p{Pc}\\x{200C}\\x{200D}";
    private static final String ALPHABETIC_SET = "\\p{L}\\p{Nl}\\p{M}";

    /**
     * Largest program accepted, in literal-sized units: Chroma accepted {@code ((a{100}){100}){30}}
     * (300,000) and refused {@code ((a{100}){100}){60}}; RE2/J builds 400,000 units in ~0.15 s.
     */
    static final long SIZE_LIMIT = 400_000;
    /** A character class's share of that size (a table of ranges rather than one literal). */
    private static final long CLASS_SIZE = 8;

    private static final int CACHE_LIMIT = 1_000;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    /**
     * The compiled pattern, from a small cache (one filter is matched against many documents, and
     * clients repeat their filters).
     *
     * @throws IllegalArgumentException with Rust's wording where it has one, when the pattern is
     *                                  not valid Rust regex syntax or uses what cannot be honoured
     */
    public static Pattern compile(String rustPattern) {
        Pattern cached = CACHE.get(rustPattern);
        if (cached != null) {
            return cached;
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(translate(rustPattern));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription() + (e.getPattern().isEmpty() ? "" : ": " + e.getPattern()));
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(rustPattern, compiled);
        return compiled;
    }

    /** The RE2 pattern that means what {@code rust} means to Rust's regex crate. */
    static String translate(String rust) {
        return new Translator(rust).run();
    }

    private record Flags(boolean verbose) {
    }

    private static final class Translator {
        private final String in;
        private final StringBuilder out = new StringBuilder();
        private final Deque<Flags> groupFlags = new ArrayDeque<>();
        private final Deque<Integer> groupStarts = new ArrayDeque<>();
        private Flags flags = new Flags(false);
        private int i;
        /** Where the last repeatable item starts in {@code out}, or -1 when none (start, after "|", "(" ...). */
        private int atomStart = -1;
        /** The output so far ends with a repetition operator (and whether that one is already lazy). */
        private boolean afterRepetition;
        private boolean repetitionLazy;
        /**
         * The size of the program RE2 will build, in units of one literal: RE2 expands counted
         * repetitions ({@code ((a{1000}){1000}){1000}} is 10^9 instructions and exhausts the heap), so
         * the size is added up while translating and a pattern over {@link #SIZE_LIMIT} is refused,
         * as Chroma refuses patterns whose compiled form passes its limit.
         */
        private long size;
        /** The size of the last repeatable item (literal, class or group). */
        private long atomSize;
        private final Deque<Long> groupSizeAtOpen = new ArrayDeque<>();

        Translator(String in) {
            this.in = in;
        }

        String run() {
            while (i < in.length()) {
                char c = in.charAt(i);
                if (flags.verbose() && skipVerbose()) {
                    continue;
                }
                switch (c) {
                    case '\\' -> atom(() -> escape(false));
                    case '[' -> atom(this::characterClass);
                    case '(' -> openGroup();
                    case ')' -> closeGroup();
                    case '|' -> {
                        out.append(c);
                        i++;
                        noAtom();
                    }
                    case '*', '+', '?' -> repetition(String.valueOf(c), 1);
                    case '{' -> {
                        int end = countedRepetitionEnd();
                        repetition(in.substring(i, end), end - i);
                    }
                    default -> {
                        if (c == '^' || c == '$') {
                            out.append(c);
                            i++;
                            noAtom();
                        } else {
                            atom(() -> {
                                int cp = in.codePointAt(i);
                                out.appendCodePoint(cp);
                                i += Character.charCount(cp);
                            });
                        }
                    }
                }
            }
            if (!groupStarts.isEmpty()) {
                throw syntax("unclosed group");
            }
            return out.toString();
        }

        /** In verbose mode: skips whitespace or a comment at {@code i}; true when something was skipped. */
        private boolean skipVerbose() {
            char c = in.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                return true;
            }
            if (c == '#') {
                while (i < in.length() && in.charAt(i) != '\n') {
                    i++;
                }
                return true;
            }
            return false;
        }

        private void atom(Runnable emit) {
            int start = out.length();
            emit.run();
            atomStart = start;
            afterRepetition = false;
            // a literal is one instruction; a class (or an escape that becomes one) is a range table
            atomSize = out.length() - start > 2 || out.charAt(start) == '[' ? CLASS_SIZE : 1;
            grow(atomSize);
        }

        private void grow(long units) {
            size += units;
            if (size > SIZE_LIMIT) {
                throw new IllegalArgumentException("compiled regex exceeds size limit (its repetitions expand to more than "
                        + SIZE_LIMIT + " instructions) in " + (in.length() > 100 ? in.substring(0, 100) + "…" : in));
            }
        }

        private void noAtom() {
            atomStart = -1;
            afterRepetition = false;
        }

        private void repetition(String operator, int length) {
            if (afterRepetition && operator.equals("?") && !repetitionLazy) {
                out.append('?'); // the lazy form of the repetition just written
                repetitionLazy = true;
                i += length;
                return;
            }
            if (atomStart < 0) {
                throw syntax("repetition operator missing expression");
            }
            if (afterRepetition) {
                // Rust repeats the repetition (a++ is (?:a+)+); RE2 refuses to stack operators
                out.insert(atomStart, "(?:").append(')');
            }
            out.append(operator);
            i += length;
            long copies = copies(operator);
            grow(Math.min(SIZE_LIMIT + 1, atomSize * (copies - 1)));
            atomSize = Math.min(SIZE_LIMIT + 1, atomSize * copies);
            afterRepetition = true;
            repetitionLazy = false;
        }

        /** How many copies of its operand RE2 compiles for a repetition operator: {n,m} becomes m. */
        private static long copies(String operator) {
            if (!operator.startsWith("{")) {
                return 1; // *, + and ? loop over one copy
            }
            String[] bounds = operator.substring(1, operator.length() - 1).split(",", -1);
            try {
                long min = Long.parseLong(bounds[0]);
                return bounds.length == 1 ? min : bounds[1].isEmpty() ? min + 1 : Long.parseLong(bounds[1]);
            } catch (NumberFormatException e) {
                return SIZE_LIMIT + 1; // more digits than a long holds: far too large anyway
            }
        }

        /** End (exclusive) of the counted repetition {n}, {n,} or {n,m} at {@code i}; Rust has no literal "{". */
        private int countedRepetitionEnd() {
            int j = i + 1;
            int digitsBefore = 0;
            while (j < in.length() && Character.isDigit(in.charAt(j))) {
                j++;
                digitsBefore++;
            }
            if (j < in.length() && in.charAt(j) == ',') {
                if (digitsBefore == 0) {
                    throw syntax("repetition quantifier expects a valid decimal");
                }
                j++;
                while (j < in.length() && Character.isDigit(in.charAt(j))) {
                    j++;
                }
            }
            if (digitsBefore > 0 && j < in.length() && in.charAt(j) == '}') {
                return j + 1;
            }
            throw syntax(atomStart >= 0 || afterRepetition ? "unclosed counted repetition"
                    : "repetition operator missing expression");
        }

        private void openGroup() {
            int start = out.length();
            i++;
            Flags inner = flags;
            if (i < in.length() && in.charAt(i) == '?') {
                int close = i + 1;
                while (close < in.length() && "imsUuxR-".indexOf(in.charAt(close)) >= 0) {
                    close++;
                }
                if (close > i + 1 && close < in.length() && (in.charAt(close) == ')' || in.charAt(close) == ':')) {
                    Flags changed = applyFlags(in.substring(i + 1, close));
                    String kept = re2Flags(in.substring(i + 1, close));
                    if (in.charAt(close) == ')') {
                        // (?flags): applies to the rest of the enclosing group
                        flags = changed;
                        if (!kept.isEmpty()) {
                            out.append("(?").append(kept).append(')');
                        }
                        i = close + 1;
                        noAtom();
                        return;
                    }
                    out.append(kept.isEmpty() ? "(?:" : "(?" + kept + ":");
                    i = close + 1;
                    inner = changed;
                } else {
                    out.append(groupOpening());
                }
            } else {
                out.append('(');
            }
            groupFlags.push(flags);
            groupStarts.push(start);
            groupSizeAtOpen.push(size);
            flags = inner;
            noAtom();
        }

        /** After "(?" that sets no flags: a non-capturing or named group, copied; look-around refused. */
        private String groupOpening() {
            String rest = in.substring(i + 1);
            if (rest.startsWith(":")) {
                i += 2;
                return "(?:";
            }
            if (rest.startsWith("=") || rest.startsWith("!") || rest.startsWith("<=") || rest.startsWith("<!")) {
                throw syntax("look-around, including look-ahead and look-behind, is not supported");
            }
            int nameStart = rest.startsWith("P<") ? 2 : rest.startsWith("<") ? 1 : -1;
            if (nameStart < 0) {
                throw syntax("unrecognized flag or group syntax");
            }
            int close = rest.indexOf('>');
            String name = close < 0 ? "" : rest.substring(nameStart, close);
            if (name.isEmpty() || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_'
                    || ch == '.' || ch == '[' || ch == ']')) {
                throw syntax("invalid capture group name");
            }
            i += 1 + close + 1;
            return "(?P<" + name + ">";
        }

        private void closeGroup() {
            if (groupStarts.isEmpty()) {
                throw syntax("unopened group");
            }
            out.append(')');
            i++;
            flags = groupFlags.pop();
            atomStart = groupStarts.pop();
            afterRepetition = false;
            atomSize = size - groupSizeAtOpen.pop() + 1;
            grow(1);
        }

        private Flags applyFlags(String letters) {
            boolean on = true;
            boolean verbose = flags.verbose();
            for (char f : letters.toCharArray()) {
                switch (f) {
                    case '-' -> on = false;
                    case 'x' -> verbose = on;
                    case 'u' -> {
                        if (!on) {
                            // Chroma's server refuses patterns that could match invalid UTF-8
                            throw syntax("pattern can match invalid UTF-8 (Unicode mode cannot be turned off)");
                        }
                    }
                    case 'R' -> throw unsupported("the R (CRLF) flag");
                    default -> {
                    }
                }
            }
            return new Flags(verbose);
        }

        /** The flags RE2 knows (i, m, s, U), keeping their on/off sides. */
        private static String re2Flags(String letters) {
            StringBuilder on = new StringBuilder();
            StringBuilder off = new StringBuilder();
            boolean negate = false;
            for (char f : letters.toCharArray()) {
                if (f == '-') {
                    negate = true;
                } else if ("imsU".indexOf(f) >= 0) {
                    (negate ? off : on).append(f);
                }
            }
            return off.isEmpty() ? on.toString() : on + "-" + off;
        }

        /** A backslash escape at {@code i}, outside or inside a character class. */
        private void escape(boolean inClass) {
            if (i + 1 >= in.length()) {
                throw syntax("incomplete escape sequence");
            }
            char e = in.charAt(i + 1);
            switch (e) {
                case 'd' -> emitEscape("\\p{Nd}");
                case 'D' -> emitEscape("\\P{Nd}");
                case 'w' -> emitEscape(inClass ? WORD_SET : "[" + WORD_SET + "]");
                case 's' -> emitEscape(inClass ? SPACE_SET : "[" + SPACE_SET + "]");
                case 'W', 'S' -> {
                    if (inClass) { // a negated set cannot join a class in RE2
                        throw unsupported("\\" + e + " inside a character class");
                    }
                    emitEscape("[^" + (e == 'W' ? WORD_SET : SPACE_SET) + "]");
                }
                case '<', '>' -> throw unsupported("the word-boundary assertion \\" + e);
                case 'b' -> {
                    if (!inClass && i + 2 < in.length() && in.charAt(i + 2) == '{') {
                        throw unsupported("the word-boundary assertion \\b{...}");
                    }
                    commonEscape(inClass);
                }
                default -> commonEscape(inClass);
            }
        }

        private void emitEscape(String replacement) {
            out.append(replacement);
            i += 2;
        }

        /** Escapes with the same treatment inside and outside a class; {@code i} is at the backslash. */
        private void commonEscape(boolean inClass) {
            char e = in.charAt(i + 1);
            switch (e) {
                case 'u', 'U' -> hexEscape(e);
                case 'p', 'P' -> property(e, inClass);
                case 'Q', 'E' -> throw syntax("unrecognized escape sequence");
                case 'C' -> throw syntax("unrecognized escape sequence");
                case ' ' -> emitEscape("\\x20");
                case 'x' -> {
                    int j = i + 2;
                    int end = j < in.length() && in.charAt(j) == '{' ? in.indexOf('}', j) + 1 : j + 2;
                    if (end <= j || end > in.length()) {
                        throw syntax("incomplete hexadecimal escape");
                    }
                    out.append(in, i, end);
                    i = end;
                }
                default -> {
                    if (e >= '0' && e <= '9') {
                        throw syntax(e == '0' ? "unrecognized escape sequence (octal is not enabled)"
                                : "backreferences are not supported");
                    }
                    int cp = in.codePointAt(i + 1);
                    out.append('\\').appendCodePoint(cp);
                    i += 1 + Character.charCount(cp);
                }
            }
        }

        /** {@code \\uXXXX}, {@code \\u{X..}}, {@code \\UXXXXXXXX}, {@code \\U{X..}} → {@code \\x{..}}. */
        private void hexEscape(char kind) {
            int j = i + 2;
            String hex;
            if (j < in.length() && in.charAt(j) == '{') {
                int close = in.indexOf('}', j);
                if (close < 0) {
                    throw syntax("unclosed hexadecimal escape");
                }
                hex = in.substring(j + 1, close);
                j = close + 1;
            } else {
                int digits = kind == 'u' ? 4 : 8;
                if (j + digits > in.length()) {
                    throw syntax("incomplete hexadecimal escape");
                }
                hex = in.substring(j, j + digits);
                j += digits;
            }
            if (hex.isEmpty() || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                throw syntax("invalid hexadecimal digit in \\" + kind + " escape");
            }
            out.append("\\x{").append(hex).append('}');
            i = j;
        }

        /** {@code \p{...}}: Rust's {@code Script=}, {@code sc=}, {@code gc=} forms and two binary properties. */
        private void property(char kind, boolean inClass) {
            int j = i + 2;
            if (j >= in.length()) {
                throw syntax("incomplete escape sequence");
            }
            if (in.charAt(j) != '{') {
                out.append('\\').append(kind).append(in.charAt(j)); // \pL
                i = j + 1;
                return;
            }
            int close = in.indexOf('}', j);
            if (close < 0) {
                throw syntax("unclosed Unicode class");
            }
            String name = in.substring(j + 1, close).trim();
            int eq = name.indexOf('=');
            if (eq < 0) {
                eq = name.indexOf(':');
            }
            if (eq >= 0) {
                String key = loose(name.substring(0, eq));
                if (!key.equals("script") && !key.equals("sc") && !key.equals("scriptextensions")
                        && !key.equals("scx") && !key.equals("generalcategory") && !key.equals("gc")) {
                    throw unsupported("the Unicode property " + name.substring(0, eq));
                }
                name = name.substring(eq + 1).trim();
            }
            String set = switch (loose(name)) {
                case "alphabetic", "alpha" -> ALPHABETIC_SET;
                case "whitespace", "wspace", "space" -> SPACE_SET;
                default -> null;
            };
            if (set == null) {
                out.append('\\').append(kind).append('{').append(canonicalName(name)).append('}');
            } else if (kind == 'p') {
                out.append(inClass ? set : "[" + set + "]");
            } else if (inClass) {
                throw unsupported("\\P{" + name + "} inside a character class");
            } else {
                out.append("[^").append(set).append(']');
            }
            i = close + 1;
        }

        /**
         * RE2's spelling of a general category or script: Rust matches names loosely (case, spaces,
         * "_" and "-" ignored) and knows the categories' long names; RE2 wants "Lu" or "Greek".
         */
        private static String canonicalName(String name) {
            String key = loose(name);
            String category = CATEGORIES.get(key);
            if (category != null) {
                return category;
            }
            for (Character.UnicodeScript script : Character.UnicodeScript.values()) {
                if (loose(script.name()).equals(key)) {
                    StringBuilder b = new StringBuilder();
                    for (String word : script.name().split("_")) {
                        if (!b.isEmpty()) {
                            b.append('_');
                        }
                        b.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
                    }
                    return b.toString();
                }
            }
            return name;
        }

        private static final Map<String, String> CATEGORIES = categories();

        private static Map<String, String> categories() {
            String[][] names = {
                {"L", "Letter"}, {"Lu", "Uppercase_Letter"}, {"Ll", "Lowercase_Letter"}, {"Lt", "Titlecase_Letter"},
                {"Lm", "Modifier_Letter"}, {"Lo", "Other_Letter"}, {"M", "Mark", "Combining_Mark"},
                {"Mn", "Nonspacing_Mark"}, {"Mc", "Spacing_Mark"}, {"Me", "Enclosing_Mark"}, {"N", "Number"},
                {"Nd", "Decimal_Number", "Digit"}, {"Nl", "Letter_Number"}, {"No", "Other_Number"},
                {"P", "Punctuation", "Punct"}, {"Pc", "Connector_Punctuation"}, {"Pd", "Dash_Punctuation"},
                {"Ps", "Open_Punctuation"}, {"Pe", "Close_Punctuation"}, {"Pi", "Initial_Punctuation"},
                {"Pf", "Final_Punctuation"}, {"Po", "Other_Punctuation"}, {"S", "Symbol"}, {"Sm", "Math_Symbol"},
                {"Sc", "Currency_Symbol"}, {"Sk", "Modifier_Symbol"}, {"So", "Other_Symbol"}, {"Z", "Separator"},
                {"Zs", "Space_Separator"}, {"Zl", "Line_Separator"}, {"Zp", "Paragraph_Separator"}, {"C", "Other"},
                {"Cc", "Control", "Cntrl"}, {"Cf", "Format"}, {"Cs", "Surrogate"}, {"Co", "Private_Use"},
                {"Cn", "Unassigned"},
            };
            Map<String, String> map = new java.util.HashMap<>();
            for (String[] row : names) {
                for (String n : row) {
                    map.put(loose(n), row[0]);
                }
            }
            return Map.copyOf(map);
        }

        private static String loose(String name) {
            return name.replace("_", "").replace("-", "").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        }

        private void characterClass() {
            out.append('[');
            i++;
            if (i < in.length() && in.charAt(i) == '^') {
                out.append('^');
                i++;
            }
            if (i < in.length() && in.charAt(i) == ']') { // a leading ] is a literal
                out.append("\\]");
                i++;
            }
            classBody();
            out.append(']');
        }

        /** The members of a class up to and including its closing bracket (not written). */
        private void classBody() {
            while (true) {
                if (i >= in.length()) {
                    throw syntax("unclosed character class");
                }
                char c = in.charAt(i);
                if (flags.verbose() && Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                if (c == ']') {
                    i++;
                    return;
                }
                if ((c == '&' || c == '-' || c == '~') && i + 1 < in.length() && in.charAt(i + 1) == c) {
                    throw unsupported("character class set operations (" + c + c + ")");
                }
                if (c == '[') {
                    if (in.startsWith("[:", i)) {
                        int close = in.indexOf(":]", i + 2);
                        if (close > 0) { // a POSIX class: RE2 has them, ASCII as in Rust
                            out.append(in, i, close + 2);
                            i = close + 2;
                            continue;
                        }
                    }
                    // a nested class is a union in Rust: its members join this class
                    i++;
                    if (i < in.length() && in.charAt(i) == '^') {
                        throw unsupported("a negated class nested in a class");
                    }
                    classBody();
                    continue;
                }
                if (c == '\\') {
                    escape(true);
                    continue;
                }
                int cp = in.codePointAt(i);
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
            }
        }

        private IllegalArgumentException syntax(String what) {
            return new IllegalArgumentException("regex parse error: " + what + " in " + in);
        }

        private IllegalArgumentException unsupported(String what) {
            return new IllegalArgumentException(what + " is not supported here (Chroma's Rust engine accepts it,"
                    + " RE2/J cannot express it) in " + in);
        }
    }
}
