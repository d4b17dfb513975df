package io.chroma.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.mindrot.jbcrypt.BCrypt;

final class AuthTestSupport {
    private AuthTestSupport() {
    }

    static final Function<String, String> NO_QUERY = name -> null;

    /** Case-insensitive header lookup, as HTTP frameworks provide. */
    static Function<String, String> headers(String... nameValue) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m::get;
    }

    static Function<String, String> query(String... nameValue) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m::get;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An htpasswd line with a cost-4 bcrypt hash relabelled to {@code prefix} ($2a$, $2b$ or $2y$). */
    static String htpasswdLine(String user, String password, String prefix) {
        String hash = BCrypt.hashpw(password, BCrypt.gensalt(4));
        return user + ":" + prefix + hash.substring(4);
    }

    /** Real bcrypt, counting how often it runs. */
    static final class CountingVerifier implements PasswordVerifier {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public boolean matches(String password, String bcryptHash) {
            calls.incrementAndGet();
            return PasswordVerifier.BCRYPT.matches(password, bcryptHash);
        }
    }
}
