package io.chroma.server.auth;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How the server authenticates requests.
 *
 * <p>Built from the environment with {@link #fromEnvironment(Map)}, which understands both Chroma naming generations
 * (0.4: {@code CHROMA_SERVER_AUTH_*}, 0.5+: {@code CHROMA_SERVER_AUTHN_*}), then overridden by CLI flags with
 * {@link #overriddenBy(String, String, String, String)} or the withers. {@link #validate()} checks the shape of the
 * settings; {@link Authenticator#create(AuthSettings)} additionally reads and checks the credentials, so calling it at
 * start-up is enough to refuse a misconfigured server.
 *
 * @param provider        which scheme; never null ({@link AuthProvider#NONE} when unset)
 * @param credentials     inline credentials: a token, token-users YAML, or htpasswd lines; null when unset. A secret:
 *                        {@link #toString()} redacts it
 * @param credentialsFile a file holding the same kinds of content; null when unset
 * @param tokenHeader     where clients put the token (token provider only); never null
 */
public record AuthSettings(AuthProvider provider, String credentials, Path credentialsFile, TokenHeader tokenHeader) {

    /** 0.5+ provider setting. */
    public static final String ENV_PROVIDER = "CHROMA_SERVER_AUTHN_PROVIDER";
    /** 0.4 provider setting. */
    public static final String ENV_PROVIDER_04 = "CHROMA_SERVER_AUTH_PROVIDER";
    /** 0.4 credentials provider (only checked for consistency with the provider). */
    public static final String ENV_CREDENTIALS_PROVIDER_04 = "CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER";
    public static final String ENV_CREDENTIALS = "CHROMA_SERVER_AUTHN_CREDENTIALS";
    public static final String ENV_CREDENTIALS_04 = "CHROMA_SERVER_AUTH_CREDENTIALS";
    public static final String ENV_CREDENTIALS_FILE = "CHROMA_SERVER_AUTHN_CREDENTIALS_FILE";
    public static final String ENV_CREDENTIALS_FILE_04 = "CHROMA_SERVER_AUTH_CREDENTIALS_FILE";
    public static final String ENV_TOKEN_HEADER = "CHROMA_AUTH_TOKEN_TRANSPORT_HEADER";
    public static final String ENV_TOKEN_HEADER_04 = "CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER";

    /** CLI flags the {@code chroma run} command should offer (named in error messages). */
    public static final String FLAG_PROVIDER = "--auth-provider";
    public static final String FLAG_CREDENTIALS = "--auth-credentials";
    public static final String FLAG_CREDENTIALS_FILE = "--auth-credentials-file";
    public static final String FLAG_TOKEN_HEADER = "--auth-token-header";

    static final String PROVIDER_SETTING = names(ENV_PROVIDER, ENV_PROVIDER_04, FLAG_PROVIDER);
    static final String CREDENTIALS_SETTING = names(ENV_CREDENTIALS, ENV_CREDENTIALS_04, FLAG_CREDENTIALS);
    static final String CREDENTIALS_FILE_SETTING = names(ENV_CREDENTIALS_FILE, ENV_CREDENTIALS_FILE_04, FLAG_CREDENTIALS_FILE);

    public AuthSettings {
        provider = provider == null ? AuthProvider.NONE : provider;
        credentials = credentials == null || credentials.isBlank() ? null : credentials;
        tokenHeader = tokenHeader == null ? TokenHeader.AUTHORIZATION : tokenHeader;
    }

    /** No authentication. */
    public static AuthSettings none() {
        return new AuthSettings(AuthProvider.NONE, null, null, TokenHeader.AUTHORIZATION);
    }

    /**
     * Reads the auth settings from environment variables (pass {@code System.getenv()}). Either naming generation
     * may be used; if both name the same setting with different values, that is an error. Blank values count as
     * unset. Does not {@link #validate()}.
     *
     * @throws AuthConfigurationException for unknown provider or header values, or conflicting variables
     */
    public static AuthSettings fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        AuthProvider provider = agree(ENV_PROVIDER, AuthProvider.parse(env.get(ENV_PROVIDER), ENV_PROVIDER),
                ENV_PROVIDER_04, AuthProvider.parse(env.get(ENV_PROVIDER_04), ENV_PROVIDER_04),
                isSet(env, ENV_PROVIDER), isSet(env, ENV_PROVIDER_04));

        if (isSet(env, ENV_CREDENTIALS_PROVIDER_04)) {
            AuthProvider implied = AuthProvider.ofLegacyCredentialsProvider(env.get(ENV_CREDENTIALS_PROVIDER_04),
                    ENV_CREDENTIALS_PROVIDER_04);
            if (provider == AuthProvider.NONE) {
                throw new AuthConfigurationException(ENV_CREDENTIALS_PROVIDER_04 + " is set but no auth provider is: set "
                        + PROVIDER_SETTING + " to " + implied.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (implied != provider) {
                throw new AuthConfigurationException(ENV_CREDENTIALS_PROVIDER_04 + " is a " + implied + " credentials provider but "
                        + PROVIDER_SETTING + " selects " + provider);
            }
        }

        String credentials = agree(ENV_CREDENTIALS, env.get(ENV_CREDENTIALS), ENV_CREDENTIALS_04, env.get(ENV_CREDENTIALS_04),
                isSet(env, ENV_CREDENTIALS), isSet(env, ENV_CREDENTIALS_04));
        String file = agree(ENV_CREDENTIALS_FILE, strip(env.get(ENV_CREDENTIALS_FILE)),
                ENV_CREDENTIALS_FILE_04, strip(env.get(ENV_CREDENTIALS_FILE_04)),
                isSet(env, ENV_CREDENTIALS_FILE), isSet(env, ENV_CREDENTIALS_FILE_04));
        Path path = file == null ? null
                : toPath(file, isSet(env, ENV_CREDENTIALS_FILE) ? ENV_CREDENTIALS_FILE : ENV_CREDENTIALS_FILE_04);
        TokenHeader header = agree(ENV_TOKEN_HEADER, TokenHeader.parse(env.get(ENV_TOKEN_HEADER), ENV_TOKEN_HEADER),
                ENV_TOKEN_HEADER_04, TokenHeader.parse(env.get(ENV_TOKEN_HEADER_04), ENV_TOKEN_HEADER_04),
                isSet(env, ENV_TOKEN_HEADER), isSet(env, ENV_TOKEN_HEADER_04));
        return new AuthSettings(provider, credentials, path, header);
    }

    /**
     * Applies CLI flags on top of these (environment) settings. A null argument keeps the current value. Giving
     * credentials by flag replaces a credentials <em>file</em> from the environment and vice versa, because both say
     * where the credentials are; giving both flags is left for {@link #validate()} to reject.
     */
    public AuthSettings overriddenBy(String providerFlag, String credentialsFlag, String credentialsFileFlag,
                                     String tokenHeaderFlag) {
        AuthSettings s = this;
        if (providerFlag != null) {
            s = s.withProvider(AuthProvider.parse(providerFlag, FLAG_PROVIDER));
        }
        if (credentialsFlag != null || credentialsFileFlag != null) {
            s = new AuthSettings(s.provider, credentialsFlag,
                    credentialsFileFlag == null ? null : toPath(strip(credentialsFileFlag), FLAG_CREDENTIALS_FILE),
                    s.tokenHeader);
        }
        if (tokenHeaderFlag != null) {
            s = s.withTokenHeader(TokenHeader.parse(tokenHeaderFlag, FLAG_TOKEN_HEADER));
        }
        return s;
    }

    public AuthSettings withProvider(AuthProvider p) {
        return new AuthSettings(p, credentials, credentialsFile, tokenHeader);
    }

    public AuthSettings withCredentials(String c) {
        return new AuthSettings(provider, c, credentialsFile, tokenHeader);
    }

    public AuthSettings withCredentialsFile(Path f) {
        return new AuthSettings(provider, credentials, f, tokenHeader);
    }

    public AuthSettings withTokenHeader(TokenHeader h) {
        return new AuthSettings(provider, credentials, credentialsFile, h);
    }

    /** Whether requests need credentials at all. */
    public boolean enabled() {
        return provider != AuthProvider.NONE;
    }

    /**
     * Checks that the settings make sense together and that a credentials file is readable.
     *
     * @return this, for chaining
     * @throws AuthConfigurationException naming the setting to fix
     */
    public AuthSettings validate() {
        if (provider == AuthProvider.NONE) {
            if (credentials != null || credentialsFile != null) {
                // Chroma ignores credentials without a provider; we refuse, because the operator clearly
                // believes the server is protected.
                throw new AuthConfigurationException("Auth credentials are set (" + (credentials != null
                        ? CREDENTIALS_SETTING : CREDENTIALS_FILE_SETTING) + ") but no auth provider is: set "
                        + PROVIDER_SETTING + " to basic or token, or remove the credentials");
            }
            return this;
        }
        if (credentials != null && credentialsFile != null) {
            throw new AuthConfigurationException("Both " + CREDENTIALS_SETTING + " and " + CREDENTIALS_FILE_SETTING
                    + " are set; give only one");
        }
        if (credentials == null && credentialsFile == null) {
            throw new AuthConfigurationException(provider == AuthProvider.BASIC
                    ? "Basic auth needs an htpasswd file (htpasswd -Bbn user password): set " + CREDENTIALS_FILE_SETTING
                    : "Token auth needs a token: set " + CREDENTIALS_SETTING
                      + ", or a token users file in " + CREDENTIALS_FILE_SETTING);
        }
        if (credentialsFile != null) {
            if (!Files.exists(credentialsFile)) {
                throw new AuthConfigurationException("The auth credentials file " + credentialsFile + " given in "
                        + CREDENTIALS_FILE_SETTING + " does not exist");
            }
            if (!Files.isRegularFile(credentialsFile) || !Files.isReadable(credentialsFile)) {
                throw new AuthConfigurationException("The auth credentials file " + credentialsFile + " given in "
                        + CREDENTIALS_FILE_SETTING + " is not a readable file");
            }
        }
        return this;
    }

    /** Redacts the credentials: settings get logged. */
    @Override
    public String toString() {
        return "AuthSettings[provider=" + provider + ", credentials=" + (credentials == null ? "null" : "***")
                + ", credentialsFile=" + credentialsFile + ", tokenHeader=" + tokenHeader + "]";
    }

    static String names(String env, String env04, String flag) {
        return env + " (or " + env04 + ", " + flag + ")";
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private static String strip(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Path toPath(String value, String setting) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new AuthConfigurationException("The path in " + setting + " is not a valid file name");
        }
    }

    /** Both generations may name the same setting; they must not disagree. Values are not echoed (may be secret). */
    private static <T> T agree(String name, T value, String name04, T value04, boolean set, boolean set04) {
        if (set && set04 && !Objects.equals(value, value04)) {
            throw new AuthConfigurationException(name + " and " + name04 + " are both set, to different values; set only one");
        }
        return set ? value : set04 ? value04 : value;
    }
}
