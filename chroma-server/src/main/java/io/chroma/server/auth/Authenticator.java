package io.chroma.server.auth;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decides, from method, path, headers and query parameters only, whether a request may proceed: the framework-free
 * core of the server's auth filter. Thread-safe; build one at start-up with {@link #create(AuthSettings)}, which
 * refuses bad settings with {@link AuthConfigurationException}.
 *
 * <p>Outcomes: public routes (GET root, heartbeat, version, pre-flight-checks, healthcheck under {@code /api/v1} and
 * {@code /api/v2}; OPTIONS) pass without credentials. Otherwise missing or invalid credentials give 401
 * {@code {"error":"AuthorizationError","message":"Unauthorized"}} (with {@code WWW-Authenticate} for basic and
 * bearer), and a valid user outside its tenant/databases gets 403 {@code {"error":"AuthError","message":"Forbidden"}}.
 *
 * <p>Basic auth runs bcrypt once per distinct user:password and caches the outcome (bounded LRU keyed by a salted
 * SHA-256, never the password), so steady traffic costs a Base64 decode and a hash. A bcrypt miss takes milliseconds:
 * callers on an event loop use {@link #authenticateWithoutBlocking} and move to a worker thread when it returns empty.
 */
public final class Authenticator {

    /** Distinct user:password pairs whose bcrypt outcome is remembered. */
    public static final int DEFAULT_CACHE_CAPACITY = 1024;

    private static final System.Logger LOG = System.getLogger(Authenticator.class.getName());

    private static final AuthResult PUBLIC = new AuthResult.Allowed(Identity.unauthenticated(), false);
    private static final AuthResult.Denied FORBIDDEN = new AuthResult.Denied(403, "AuthError", "Forbidden", Map.of());

    private final AuthProvider provider;
    private final TokenHeader tokenHeader;
    private final HtpasswdStore htpasswd;
    private final TokenStore tokens;
    private final PasswordVerifier verifier;
    private final BoundedCache<String, Boolean> bcryptOutcomes;
    private final ConcurrentHashMap<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    /** Per-process random salt for cache keys, so a heap dump does not hold plain SHA-256s of passwords. */
    private final byte[] cacheKeySalt;
    private final CollectionScopeResolver resolver;
    private final AuthResult.Denied unauthorized;

    private Authenticator(AuthProvider provider, TokenHeader tokenHeader, HtpasswdStore htpasswd, TokenStore tokens,
                          PasswordVerifier verifier, int cacheCapacity, CollectionScopeResolver resolver) {
        this.provider = provider;
        this.tokenHeader = tokenHeader;
        this.htpasswd = htpasswd;
        this.tokens = tokens;
        this.verifier = verifier;
        this.bcryptOutcomes = new BoundedCache<>(cacheCapacity);
        this.cacheKeySalt = new byte[16];
        new SecureRandom().nextBytes(cacheKeySalt);
        this.resolver = resolver;
        String challenge = switch (provider) {
            case BASIC -> "Basic realm=\"chroma\"";
            case TOKEN -> tokenHeader == TokenHeader.AUTHORIZATION ? "Bearer realm=\"chroma\"" : null;
            case NONE -> null;
        };
        this.unauthorized = new AuthResult.Denied(401, "AuthorizationError", "Unauthorized",
                challenge == null ? Map.of() : Map.of("WWW-Authenticate", challenge));
    }

    /** Validates the settings, reads the credentials and builds the authenticator; v1 id routes are not scoped. */
    public static Authenticator create(AuthSettings settings) {
        return create(settings, null);
    }

    /**
     * Like {@link #create(AuthSettings)}, with a resolver that lets the v1 record routes (collection id only) be
     * scoped to the collection's tenant and database.
     *
     * @param resolver null to allow those routes for every authenticated user
     * @throws AuthConfigurationException naming the setting to fix
     */
    public static Authenticator create(AuthSettings settings, CollectionScopeResolver resolver) {
        return create(settings, resolver, PasswordVerifier.BCRYPT, DEFAULT_CACHE_CAPACITY);
    }

    static Authenticator create(AuthSettings settings, CollectionScopeResolver resolver, PasswordVerifier verifier,
                                int cacheCapacity) {
        Objects.requireNonNull(settings, "settings").validate();
        HtpasswdStore htpasswd = null;
        TokenStore tokens = null;
        if (settings.provider() != AuthProvider.NONE) {
            String source;
            String text;
            if (settings.credentials() != null) {
                source = AuthSettings.CREDENTIALS_SETTING;
                text = settings.credentials();
            } else {
                source = AuthSettings.CREDENTIALS_FILE_SETTING + " (" + settings.credentialsFile() + ")";
                text = read(settings, source);
            }
            if (settings.provider() == AuthProvider.BASIC) {
                htpasswd = HtpasswdStore.parse(text, source);
            } else {
                tokens = TokenStore.parse(text, source);
            }
        }
        return new Authenticator(settings.provider(), settings.tokenHeader(), htpasswd, tokens, verifier, cacheCapacity,
                resolver);
    }

    private static String read(AuthSettings settings, String source) {
        try {
            return Files.readString(settings.credentialsFile(), StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new AuthConfigurationException("The auth credentials file in " + source + " is not UTF-8 text");
        } catch (IOException e) {
            throw new AuthConfigurationException("Cannot read the auth credentials file in " + source + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** The configured scheme. */
    public AuthProvider provider() {
        return provider;
    }

    /** Whether any request needs credentials. */
    public boolean enabled() {
        return provider != AuthProvider.NONE;
    }

    /**
     * Decides one request. May block for one bcrypt check (milliseconds) the first time a basic credential is seen.
     *
     * @param method     HTTP method
     * @param rawPath    the path as received, percent-encoded (e.g. {@code request.getUri().getRawPath()}); a query
     *                   part is ignored
     * @param header     header lookup by name, case-insensitive, null when absent
     * @param queryParam decoded query parameter lookup, null when absent (v1 tenant/database)
     */
    public AuthResult authenticate(String method, String rawPath, Function<String, String> header,
                                   Function<String, String> queryParam) {
        return decide(method, rawPath, header, queryParam, true);
    }

    /**
     * Like {@link #authenticate}, but returns empty instead of running bcrypt, i.e. when the decision needs a basic
     * credential that is not cached yet. Event-loop callers then repeat the call with {@link #authenticate} on a
     * worker thread.
     */
    public Optional<AuthResult> authenticateWithoutBlocking(String method, String rawPath,
                                                            Function<String, String> header,
                                                            Function<String, String> queryParam) {
        return Optional.ofNullable(decide(method, rawPath, header, queryParam, false));
    }

    /** @return the decision, or null if it needs bcrypt and {@code mayBlock} is false */
    private AuthResult decide(String method, String rawPath, Function<String, String> header,
                              Function<String, String> queryParam, boolean mayBlock) {
        if (provider == AuthProvider.NONE) {
            return PUBLIC;
        }
        RequestScope scope = RequestScope.of(method, rawPath, queryParam);
        if (scope instanceof RequestScope.Public) {
            return PUBLIC;
        }
        Identity identity;
        if (provider == AuthProvider.BASIC) {
            BasicCredentials c = BasicCredentials.parse(header.apply("Authorization"));
            if (c == null) {
                return deny(method, rawPath, "missing or malformed basic credentials");
            }
            String key = cacheKey(c);
            Boolean ok = bcryptOutcomes.get(key);
            if (ok == null) {
                if (!mayBlock) {
                    return null;
                }
                ok = verifyOnce(key, c);
            }
            if (!ok) {
                return deny(method, rawPath, "wrong user or password");
            }
            identity = Identity.unrestricted(c.user);
        } else {
            String token = extractToken(header.apply(tokenHeader.headerName()));
            if (token == null) {
                return deny(method, rawPath, "missing or malformed " + tokenHeader.headerName() + " header");
            }
            Optional<Identity> found = tokens.lookup(token);
            if (found.isEmpty()) {
                return deny(method, rawPath, "unknown token");
            }
            identity = found.get();
        }
        if (!authorized(identity, scope)) {
            LOG.log(Level.DEBUG, () -> "403 for user '" + identity.userId() + "' on " + method + " " + rawPath);
            return FORBIDDEN;
        }
        return new AuthResult.Allowed(identity, true);
    }

    /**
     * Runs bcrypt for a credential not in the cache, once even when several requests with it arrive together (a
     * client opening a connection pool): latecomers wait for the first one's outcome instead of burning CPU.
     */
    private boolean verifyOnce(String key, BasicCredentials c) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running.join();
        }
        try {
            Boolean cached = bcryptOutcomes.get(key); // another thread may have finished between our miss and now
            boolean ok = cached != null ? cached : htpasswd.verify(c.user, c.password, verifier);
            bcryptOutcomes.put(key, ok);
            mine.complete(ok);
            return ok;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private AuthResult deny(String method, String rawPath, String reason) {
        LOG.log(Level.DEBUG, () -> "401 on " + method + " " + rawPath + ": " + reason);
        return unauthorized;
    }

    private boolean authorized(Identity identity, RequestScope scope) {
        return switch (scope) {
            case RequestScope.Public p -> true;
            case RequestScope.AnyUser a -> true;
            case RequestScope.Unrestricted u -> identity.allTenants() && identity.allDatabases();
            case RequestScope.Target t -> identity.mayAccess(t.tenant(), t.database());
            case RequestScope.CollectionById c -> resolver == null
                    || (identity.allTenants() && identity.allDatabases())
                    || resolver.scopeOf(c.id()).map(s -> identity.mayAccess(s.tenant(), s.database())).orElse(true);
        };
    }

    private String extractToken(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (tokenHeader == TokenHeader.AUTHORIZATION) {
            // RFC 7235: the scheme is case-insensitive
            if (v.length() < 7 || !v.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            v = v.substring(7).strip();
        }
        return v.isEmpty() ? null : v;
    }

    private String cacheKey(BasicCredentials c) {
        MessageDigest md = Digests.sha256();
        md.update(cacheKeySalt);
        md.update(c.user.getBytes(StandardCharsets.UTF_8));
        md.update((byte) ':'); // unambiguous: a basic user name cannot contain ':'
        md.update(c.password.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    int cachedCredentials() {
        return bcryptOutcomes.size();
    }

    TokenStore tokenStore() {
        return tokens;
    }

    @Override
    public String toString() {
        return "Authenticator[provider=" + provider + (provider == AuthProvider.TOKEN ? ", header=" + tokenHeader : "")
                + ", credentials redacted]";
    }

    /** user:password from {@code Authorization: Basic base64}; toString never shows the password. */
    private record BasicCredentials(String user, String password) {

        /** @return null if absent or malformed (bad base64, not UTF-8, no colon, empty user or password) */
        static BasicCredentials parse(String value) {
            if (value == null) {
                return null;
            }
            String v = value.strip();
            if (v.length() < 6 || !v.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(v.substring(6).strip());
            } catch (IllegalArgumentException e) {
                return null;
            }
            String decoded;
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes));
                decoded = chars.toString();
            } catch (CharacterCodingException e) {
                return null;
            }
            // RFC 7617: the user id cannot contain ':', the password can
            int colon = decoded.indexOf(':');
            if (colon <= 0 || colon == decoded.length() - 1) {
                return null;
            }
            return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }

        @Override
        public String toString() {
            return "BasicCredentials[user=" + user + ", password=***]";
        }
    }

}
