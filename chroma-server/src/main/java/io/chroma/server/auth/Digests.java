package io.chroma.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 helpers. Secrets are compared as fixed-length digests so that comparison time says nothing about them. */
final class Digests {
    private Digests() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    static byte[] sha256(String s) {
        return sha256().digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
