package io.chroma.server.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Users and bcrypt hashes from htpasswd lines ({@code user:$2y$05$...}), every non-blank line counting (Chroma 0.4
 * read only the first; 0.5 reads all). Lines starting with {@code #} are skipped as Apache does.
 */
final class HtpasswdStore {

    /** bcrypt in modular crypt format: version, two-digit cost, 22 salt + 31 hash characters. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private final Map<String, String> hashes;
    /** Any configured hash: unknown users are checked against it so that they cost as much as a wrong password. */
    private final String decoyHash;

    private HtpasswdStore(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
        this.decoyHash = hashes.values().iterator().next();
    }

    /**
     * @param text   htpasswd file content or inline credentials
     * @param source how to name where the text came from in error messages (a setting, maybe a path)
     * @throws AuthConfigurationException naming the source and line, never echoing line content
     */
    static HtpasswdStore parse(String text, String source) {
        Map<String, String> hashes = new HashMap<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int lineNo = i + 1;
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new AuthConfigurationException("Line " + lineNo + " of the htpasswd credentials in " + source
                        + " is not user:bcrypt-hash");
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (!BCRYPT.matcher(hash).matches()) {
                throw new AuthConfigurationException("Line " + lineNo + " of the htpasswd credentials in " + source
                        + " does not hold a bcrypt hash; only bcrypt ($2a$, $2b$, $2y$ as written by htpasswd -B) is supported");
            }
            if (hashes.putIfAbsent(user, toJbcryptPrefix(hash)) != null) {
                throw new AuthConfigurationException("Line " + lineNo + " of the htpasswd credentials in " + source
                        + " repeats a user name; user names must be unique");
            }
        }
        if (hashes.isEmpty()) {
            throw new AuthConfigurationException("The htpasswd credentials in " + source + " contain no user");
        }
        return new HtpasswdStore(hashes);
    }

    /**
     * jBCrypt only accepts {@code $2a$}. {@code $2y$} (PHP/htpasswd) and {@code $2b$} (OpenBSD) name the same
     * algorithm without the old bugs that {@code $2a$} marked, so for any password under 255 bytes the hash bytes are
     * identical and only the label differs.
     */
    static String toJbcryptPrefix(String hash) {
        return hash.startsWith("$2a$") ? hash : "$2a$" + hash.substring(4);
    }

    /** Runs exactly one bcrypt check, known user or not. */
    boolean verify(String user, String password, PasswordVerifier verifier) {
        String hash = hashes.get(user);
        boolean ok = verifier.matches(password, hash != null ? hash : decoyHash);
        return hash != null && ok;
    }

    int size() {
        return hashes.size();
    }

    @Override
    public String toString() {
        return "HtpasswdStore[" + hashes.size() + " users, hashes redacted]";
    }
}
