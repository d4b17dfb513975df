package io.chroma.server.auth;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Configured tokens, kept only as SHA-256 digests, each mapped to the identity it grants.
 *
 * <p>The credentials are either a single token (one non-blank line; it grants user {@code anonymous} everything) or
 * Chroma's token users YAML: {@code users: [{id, role, tenant?, databases?, tokens: [..]}]}, where a missing tenant
 * means {@code *} and missing databases mean {@code ["*"]} (as in Chroma 0.5).
 */
final class TokenStore {

    private record Entry(byte[] digest, Identity identity) {
        @Override
        public String toString() {
            return "Entry[" + identity.userId() + ", digest redacted]";
        }
    }

    private final List<Entry> entries;
    private final BiPredicate<byte[], byte[]> equality;

    private TokenStore(List<Entry> entries, BiPredicate<byte[], byte[]> equality) {
        this.entries = List.copyOf(entries);
        this.equality = equality;
    }

    TokenStore withEquality(BiPredicate<byte[], byte[]> eq) {
        return new TokenStore(entries, eq);
    }

    /**
     * Finds the identity for a presented token. Compares the token's digest with <em>every</em> configured digest
     * using {@link MessageDigest#isEqual} (constant-time for equal lengths; digests are always 32 bytes), without
     * stopping at a match, so timing reveals neither which token matched nor how much of it.
     */
    Optional<Identity> lookup(String token) {
        byte[] presented = Digests.sha256(token);
        Identity found = null;
        for (Entry e : entries) {
            if (equality.test(presented, e.digest) && found == null) {
                found = e.identity;
            }
        }
        return Optional.ofNullable(found);
    }

    int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "TokenStore[" + entries.size() + " tokens, redacted]";
    }

    /**
     * @param text   a single token, or token users YAML
     * @param source names where the text came from, for error messages (never echoing a token)
     */
    static TokenStore parse(String text, String source) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (lines.isEmpty()) {
            throw new AuthConfigurationException("The token credentials in " + source + " are empty");
        }
        if (lines.size() == 1 && !lines.get(0).startsWith("users:")) {
            String token = lines.get(0);
            checkToken(token, "the token in " + source);
            return new TokenStore(List.of(new Entry(Digests.sha256(token), new Identity("anonymous", Identity.WILDCARD,
                    List.of(Identity.WILDCARD)))), MessageDigest::isEqual);
        }
        return new TokenStore(parseUsers(text, source), MessageDigest::isEqual);
    }

    private static List<Entry> parseUsers(String text, String source) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            // SnakeYAML's own message quotes the offending line, which may hold a token: report the position only
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new AuthConfigurationException("The token users YAML in " + source + " is malformed"
                    + (mark == null ? "" : " near line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)));
        } catch (YAMLException e) {
            throw new AuthConfigurationException("The token users YAML in " + source + " is malformed");
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("users") instanceof List<?> users)) {
            throw new AuthConfigurationException("The token credentials in " + source
                    + " are neither a single token nor YAML with a top-level 'users' list");
        }
        if (users.isEmpty()) {
            throw new AuthConfigurationException("The token users YAML in " + source + " lists no users");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> ownerByToken = new HashMap<>();
        for (int i = 0; i < users.size(); i++) {
            String where = "user #" + (i + 1) + " of the token users YAML in " + source;
            if (!(users.get(i) instanceof Map<?, ?> user)) {
                throw new AuthConfigurationException(where + " is not a mapping");
            }
            Object idValue = user.get("id");
            if (!isScalar(idValue) || idValue.toString().isBlank()) {
                throw new AuthConfigurationException(where + " has no 'id'");
            }
            String id = idValue.toString();
            where = "user '" + id + "' of the token users YAML in " + source;
            String tenant = Identity.WILDCARD;
            Object tenantValue = user.get("tenant");
            if (tenantValue != null) {
                if (!isScalar(tenantValue) || tenantValue.toString().isBlank()) {
                    throw new AuthConfigurationException(where + " has an invalid 'tenant'");
                }
                tenant = tenantValue.toString();
            }
            List<String> databases = List.of(Identity.WILDCARD);
            Object dbValue = user.get("databases");
            if (dbValue != null) {
                databases = scalarList(dbValue, where + " has an invalid 'databases' list");
                if (databases.isEmpty()) {
                    throw new AuthConfigurationException(where + " has an empty 'databases' list");
                }
            }
            Object tokensValue = user.get("tokens");
            if (tokensValue == null) {
                throw new AuthConfigurationException(where + " has no 'tokens'");
            }
            List<String> tokens = scalarList(tokensValue, where + " has an invalid 'tokens' list");
            if (tokens.isEmpty()) {
                throw new AuthConfigurationException(where + " has an empty 'tokens' list");
            }
            Identity identity = new Identity(id, tenant, databases);
            for (String token : tokens) {
                checkToken(token, "a token of " + where);
                String previous = ownerByToken.putIfAbsent(token, id);
                if (previous == null) {
                    entries.add(new Entry(Digests.sha256(token), identity));
                } else if (!previous.equals(id)) {
                    throw new AuthConfigurationException("A token of user '" + id + "' is also a token of user '"
                            + previous + "' in the token users YAML in " + source + "; tokens must be unique");
                }
            }
        }
        return entries;
    }

    private static boolean isScalar(Object o) {
        return o instanceof String || o instanceof Number || o instanceof Boolean;
    }

    private static List<String> scalarList(Object value, String error) {
        if (isScalar(value)) {
            return List.of(value.toString());
        }
        if (!(value instanceof List<?> list)) {
            throw new AuthConfigurationException(error);
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!isScalar(o)) {
                throw new AuthConfigurationException(error);
            }
            out.add(o.toString());
        }
        return out;
    }

    /** Chroma's rule: tokens are ASCII letters, digits and punctuation only (so no spaces, no control characters). */
    private static void checkToken(String token, String what) {
        if (token.isEmpty()) {
            throw new AuthConfigurationException(what.substring(0, 1).toUpperCase() + what.substring(1) + " is empty");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new AuthConfigurationException(what.substring(0, 1).toUpperCase() + what.substring(1)
                        + " contains characters other than ASCII letters, digits and punctuation");
            }
        }
    }
}
