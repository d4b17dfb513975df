package io.chroma.cli.internal.transfer;

import io.chroma.api.ChromaClient;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code --path DIR | --url URL}, the tenant and database, and client credentials, for export and import. */
public final class ConnectionOptions {

    static final class Location {
        @Option(names = "--path", paramLabel = "DIR", required = true,
                description = "A data directory, opened in-process (it must not be in use by a running server).")
        Path path;

        @Option(names = "--url", paramLabel = "URL", required = true,
                description = "A server speaking /api/v2 (ours or Chroma 1.x), e.g. http://localhost:8000.")
        String url;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Location location;

    @Option(names = "--tenant", paramLabel = "TENANT", defaultValue = ChromaClient.DEFAULT_TENANT,
            description = "Default: ${DEFAULT-VALUE}")
    String tenant;

    @Option(names = "--database", paramLabel = "DATABASE", defaultValue = ChromaClient.DEFAULT_DATABASE,
            description = "Default: ${DEFAULT-VALUE}")
    String database;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Token for a server with token auth (or CHROMA_CLIENT_AUTH_PROVIDER=token and "
                    + "CHROMA_CLIENT_AUTH_CREDENTIALS, which keep it out of ps).")
    String token;

    @Option(names = "--token-header", paramLabel = "HEADER",
            description = "Authorization (Bearer, the default) or X-Chroma-Token "
                    + "(or CHROMA_AUTH_TOKEN_TRANSPORT_HEADER).")
    String tokenHeader;

    @Option(names = "--basic-auth", paramLabel = "USER:PASSWORD",
            description = "Basic auth (or CHROMA_CLIENT_AUTH_PROVIDER=basic and CHROMA_CLIENT_AUTH_CREDENTIALS=USER:PASSWORD).")
    String basicAuth;

    Endpoint endpoint(Map<String, String> env) {
        if (location.url == null) {
            return new Endpoint(location.path, null, tenant, database, Endpoint.Auth.NONE);
        }
        return Endpoint.server(location.url, tenant, database, Endpoint.Auth.resolve(token, tokenHeader, basicAuth, env));
    }
}
