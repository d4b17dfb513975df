package io.chroma.server.auth;

import org.mindrot.jbcrypt.BCrypt;

/** Checks a password against a bcrypt hash. An interface so tests can count the expensive calls. */
@FunctionalInterface
interface PasswordVerifier {

    /** @param bcryptHash a hash already normalised to the {@code $2a$} prefix jBCrypt understands */
    boolean matches(String password, String bcryptHash);

    /** jBCrypt; its own comparison of the hashes is constant-time. */
    PasswordVerifier BCRYPT = (password, hash) -> {
        try {
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            // a hash that passed HtpasswdStore's format check should not get here; deny rather than fail
            return false;
        }
    };
}
