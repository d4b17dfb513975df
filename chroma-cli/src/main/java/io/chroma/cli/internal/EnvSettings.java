package io.chroma.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment settings {@code chroma run} honours, read the way Chroma's Python server reads
 * them (pydantic settings, env var = upper-cased field name).
 *
 * @param allowReset       {@code ALLOW_RESET}: {@code true}/{@code TRUE}/{@code 1} (any case, pydantic's
 *                         truthy strings {@code yes}/{@code on}/{@code y}/{@code t} too) allow {@code reset()}
 * @param corsAllowOrigins {@code CHROMA_SERVER_CORS_ALLOW_ORIGINS}: a JSON list of origins, e.g.
 *                         {@code ["http://localhost:3000"]}; empty when unset
 */
public record EnvSettings(boolean allowReset, List<String> corsAllowOrigins) {

    public static final String ALLOW_RESET = "ALLOW_RESET";
    public static final String CORS_ALLOW_ORIGINS = "CHROMA_SERVER_CORS_ALLOW_ORIGINS";

    public EnvSettings {
        corsAllowOrigins = List.copyOf(corsAllowOrigins);
    }

    /** Reads the settings; a malformed value is an {@link IllegalArgumentException} naming the variable. */
    public static EnvSettings from(Map<String, String> env) {
        return new EnvSettings(parseBool(ALLOW_RESET, env.get(ALLOW_RESET)),
                parseOrigins(env.get(CORS_ALLOW_ORIGINS)));
    }

    static boolean parseBool(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "on", "t" -> true;
            case "false", "0", "no", "n", "off", "f" -> false;
            default -> throw new IllegalArgumentException(
                    name + " must be true or false (got '" + value + "')");
        };
    }

    static List<String> parseOrigins(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        try {
            return parseJsonStringList(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CORS_ALLOW_ORIGINS
                    + " must be a JSON list of origins, e.g. [\"http://localhost:3000\"] (" + e.getMessage() + ")");
        }
    }

    /**
     * Parses a JSON array of strings. Hand-written because the CLI should not pin a JSON library
     * that might clash with the server's, and this is the only JSON the CLI reads.
     */
    static List<String> parseJsonStringList(String json) {
        var p = new Parser(json);
        p.skipWs();
        p.expect('[');
        List<String> out = new ArrayList<>();
        p.skipWs();
        if (p.peek() == ']') {
            p.pos++;
        } else {
            while (true) {
                p.skipWs();
                out.add(p.string());
                p.skipWs();
                char c = p.next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw p.error("expected ',' or ']'");
                }
            }
        }
        p.skipWs();
        if (p.pos != json.length()) {
            throw p.error("unexpected text after the list");
        }
        return out;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void skipWs() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        void expect(char c) {
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        String string() {
            expect('"');
            var sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("bad \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + pos);
        }
    }
}
