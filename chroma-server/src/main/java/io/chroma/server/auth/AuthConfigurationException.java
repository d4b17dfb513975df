package io.chroma.server.auth;

/**
 * The auth settings are unusable; the server must not start. The message names the setting to fix
 * (environment variable and CLI flag) and never contains a credential.
 */
public final class AuthConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuthConfigurationException(String message) {
        super(message);
    }
}
