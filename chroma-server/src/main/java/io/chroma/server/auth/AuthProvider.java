package io.chroma.server.auth;

import java.util.Locale;

/** Which authentication scheme the server enforces. */
public enum AuthProvider {
    /** No authentication: every request passes (Chroma's default). */
    NONE,
    /** HTTP Basic against an htpasswd file of bcrypt hashes. */
    BASIC,
    /** Static tokens, in {@code Authorization: Bearer} or {@code X-Chroma-Token}. */
    TOKEN;

    /**
     * Parses a provider name as Chroma spells it: the 0.4 short names ({@code basic}, {@code token}), the 0.4
     * class paths ({@code chromadb.auth.basic.BasicAuthServerProvider}, {@code chromadb.auth.token.TokenAuthServerProvider})
     * and the 0.5+ class paths ({@code chromadb.auth.basic_authn.BasicAuthenticationServerProvider},
     * {@code chromadb.auth.token_authn.TokenAuthenticationServerProvider}); also {@code none}.
     *
     * @param value   the configured value; blank means {@link #NONE}
     * @param setting the setting it came from, named in the error message
     * @throws AuthConfigurationException for any other value
     */
    public static AuthProvider parse(String value, String setting) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String v = value.strip();
        switch (v) {
            case "chromadb.auth.basic.BasicAuthServerProvider",
                 "chromadb.auth.basic_authn.BasicAuthenticationServerProvider" -> {
                return BASIC;
            }
            case "chromadb.auth.token.TokenAuthServerProvider",
                 "chromadb.auth.token_authn.TokenAuthenticationServerProvider" -> {
                return TOKEN;
            }
            default -> {
                // short names are case-insensitive; class paths are not (Python imports them verbatim)
                switch (v.toLowerCase(Locale.ROOT)) {
                    case "basic" -> {
                        return BASIC;
                    }
                    case "token" -> {
                        return TOKEN;
                    }
                    case "none" -> {
                        return NONE;
                    }
                    default -> throw new AuthConfigurationException("Unknown auth provider '" + v + "' in " + setting
                            + "; expected basic, token, chromadb.auth.basic_authn.BasicAuthenticationServerProvider, "
                            + "chromadb.auth.token_authn.TokenAuthenticationServerProvider (or the 0.4 names "
                            + "chromadb.auth.basic.BasicAuthServerProvider, chromadb.auth.token.TokenAuthServerProvider)");
                }
            }
        }
    }

    /**
     * Maps a Chroma 0.4 {@code CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER} value to the provider kind it belongs to.
     * We read credentials the same way for all of them (inline text or file), so only the kind matters.
     */
    static AuthProvider ofLegacyCredentialsProvider(String value, String setting) {
        String v = value.strip();
        return switch (v) {
            case "token_config", "user_token_config",
                 "chromadb.auth.token.TokenConfigServerAuthCredentialsProvider",
                 "chromadb.auth.token.UserTokenConfigServerAuthCredentialsProvider" -> TOKEN;
            case "htpasswd_file", "htpasswd_config", "htpasswd_configuration",
                 "chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider",
                 "chromadb.auth.providers.HtpasswdConfigurationServerAuthCredentialsProvider" -> BASIC;
            default -> throw new AuthConfigurationException("Unknown credentials provider '" + v + "' in " + setting
                    + "; expected chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider, "
                    + "chromadb.auth.providers.HtpasswdConfigurationServerAuthCredentialsProvider, "
                    + "chromadb.auth.token.TokenConfigServerAuthCredentialsProvider or "
                    + "chromadb.auth.token.UserTokenConfigServerAuthCredentialsProvider");
        };
    }
}
