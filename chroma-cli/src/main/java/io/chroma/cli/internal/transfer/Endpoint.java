package io.chroma.cli.internal.transfer;

import io.chroma.api.ChromaClient;
import io.chroma.api.NotFoundException;
import io.chroma.cli.internal.ExitCodes;
import io.chroma.client.HttpClient;
import io.chroma.client.TokenHeader;
import io.chroma.core.ClientSettings;
import io.chroma.core.PersistentClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where records come from or go to: a data directory opened in-process (the store must not be in
 * use by a server), or a server speaking {@code /api/v2} (ours or Chroma's), bound to one tenant
 * and database.
 */
record Endpoint(Path path, String url, String tenant, String database, Auth auth) {

    /** A server; a malformed URL is a usage error now, not a failure at the first request. */
    static Endpoint server(String url, String tenant, String database, Auth auth) {
        HttpClient.builder().url(url);
        return new Endpoint(null, url, tenant, database, auth);
    }

    /** Client credentials as Chroma's clients take them: a token (in one of two headers) or basic auth. */
    record Auth(String token, TokenHeader tokenHeader, String user, String password) {
        static final Auth NONE = new Auth(null, null, null, null);

        /**
         * Flags win over Chroma's client environment variables ({@code CHROMA_CLIENT_AUTH_PROVIDER},
         * {@code CHROMA_CLIENT_AUTH_CREDENTIALS}, {@code CHROMA_AUTH_TOKEN_TRANSPORT_HEADER}), so a
         * script set up for Chroma's Python client works unchanged and a secret need not be in ps.
         */
        static Auth resolve(String tokenFlag, String headerFlag, String basicFlag, Map<String, String> env) {
            String header = headerFlag != null ? headerFlag : env.get("CHROMA_AUTH_TOKEN_TRANSPORT_HEADER");
            TokenHeader th = parseHeader(header);
            if (tokenFlag != null && basicFlag != null) {
                throw new IllegalArgumentException("give either a token or --basic-auth, not both");
            }
            if (tokenFlag != null) {
                return new Auth(tokenFlag, th, null, null);
            }
            if (basicFlag != null) {
                return basic(basicFlag);
            }
            String provider = env.getOrDefault("CHROMA_CLIENT_AUTH_PROVIDER", "").toLowerCase(Locale.ROOT);
            String credentials = env.get("CHROMA_CLIENT_AUTH_CREDENTIALS");
            if (credentials == null || credentials.isEmpty() || provider.isEmpty()) {
                return NONE;
            }
            if (provider.contains("basic")) {
                return basic(credentials);
            }
            if (provider.contains("token")) {
                return new Auth(credentials, th, null, null);
            }
            throw new IllegalArgumentException("CHROMA_CLIENT_AUTH_PROVIDER=" + provider
                    + " is not a known client auth provider (token or basic)");
        }

        private static Auth basic(String userColonPassword) {
            int colon = userColonPassword.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("basic auth credentials must be USER:PASSWORD");
            }
            return new Auth(null, null, userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
        }

        private static TokenHeader parseHeader(String h) {
            if (h == null || h.isBlank()) {
                return TokenHeader.AUTHORIZATION;
            }
            return switch (h.strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "authorization" -> TokenHeader.AUTHORIZATION;
                case "x-chroma-token" -> TokenHeader.X_CHROMA_TOKEN;
                default -> throw new IllegalArgumentException("token header must be Authorization or X-Chroma-Token, got " + h);
            };
        }
    }

    /** For messages: the directory or the URL, with the tenant/database when they are not the default ones. */
    String describe() {
        String where = path != null ? path.toString() : url;
        boolean defaults = ChromaClient.DEFAULT_TENANT.equals(tenant) && ChromaClient.DEFAULT_DATABASE.equals(database);
        return defaults ? where : where + " (" + tenant + "/" + database + ")";
    }

    /**
     * Opens a client bound to this endpoint's tenant and database. As a source ({@code create ==
     * false}) everything must exist already, so a mistyped path is reported instead of becoming a
     * new empty store; as a target a missing directory, tenant or database is created.
     */
    Connection open(boolean create) {
        ChromaClient root;
        if (path != null) {
            Path dir = path.toAbsolutePath().normalize();
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new TransferException(ExitCodes.NOT_FOUND, "--path " + dir + " is not a directory");
            }
            if (!create && (!Files.isDirectory(dir) || isEmpty(dir))) {
                throw new TransferException(ExitCodes.NOT_FOUND, "no Chroma data directory at " + dir);
            }
            // the settings `chroma run` uses, so a store moves between the CLI and the server unchanged:
            // names up to 512 characters, and no default embedding function recorded on create
            ClientSettings settings = ClientSettings.defaults().withMaxCollectionNameLength(512)
                    .withDefaultEmbeddingFunction(false);
            root = new PersistentClient(dir, settings);
        } else {
            HttpClient.Builder b = HttpClient.builder().url(url);
            if (auth.token() != null) {
                b = b.tokenAuth(auth.token(), auth.tokenHeader());
            } else if (auth.user() != null) {
                b = b.basicAuth(auth.user(), auth.password());
            }
            root = b.build();
        }
        try {
            ensureDatabase(root, create);
            boolean defaults = tenant.equals(root.tenant()) && database.equals(root.database());
            return new Connection(root, defaults ? root : root.withDatabase(tenant, database));
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    private void ensureDatabase(ChromaClient c, boolean create) {
        try {
            c.getDatabase(tenant, database);
        } catch (NotFoundException e) {
            if (!create) {
                throw new TransferException(ExitCodes.NOT_FOUND, "database " + tenant + "/" + database
                        + " does not exist at " + (path != null ? path : url), e);
            }
            try {
                c.getTenant(tenant);
            } catch (NotFoundException noTenant) {
                c.createTenant(tenant);
            }
            c.createDatabase(tenant, database);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client for the endpoint's database, and the root client that owns the store or connection pool. */
    record Connection(ChromaClient root, ChromaClient client) implements AutoCloseable {
        @Override
        public void close() {
            if (client != root) {
                client.close();
            }
            root.close();
        }
    }
}
