package io.chroma.cli.internal;

import io.chroma.api.StoreCorruptedException;
import io.chroma.api.StoreInUseException;
import io.chroma.cli.ChromaCli;
import io.chroma.server.ChromaServer;
import io.chroma.server.LogLevel;
import io.chroma.server.ServerConfig;
import io.chroma.server.auth.AuthConfigurationException;
import io.chroma.server.auth.AuthProvider;
import io.chroma.server.auth.AuthSettings;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chroma run}: serves a persistent store over HTTP until SIGTERM/SIGINT, then stops
 * gracefully (stop accepting, finish in-flight requests, close the store).
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run the Chroma server (HTTP /api/v2 and the legacy /api/v1).",
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  ALLOW_RESET=true    allow reset() (POST /api/v2/reset); off by default",
            "  CHROMA_SERVER_CORS_ALLOW_ORIGINS='[\"http://localhost:3000\"]'",
            "                      origins allowed to call the server from a browser (JSON list)",
            "  CHROMA_SERVER_AUTHN_PROVIDER          basic | token (or Chroma's class names, e.g.",
            "                      chromadb.auth.basic_authn.BasicAuthenticationServerProvider); 0.4 name:",
            "                      CHROMA_SERVER_AUTH_PROVIDER (+ CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER)",
            "  CHROMA_SERVER_AUTHN_CREDENTIALS       the token, token users YAML, or htpasswd lines",
            "                      (0.4: CHROMA_SERVER_AUTH_CREDENTIALS)",
            "  CHROMA_SERVER_AUTHN_CREDENTIALS_FILE  file with the same (0.4: CHROMA_SERVER_AUTH_CREDENTIALS_FILE)",
            "  CHROMA_AUTH_TOKEN_TRANSPORT_HEADER    Authorization | X-Chroma-Token",
            "                      (0.4: CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER=AUTHORIZATION|X_CHROMA_TOKEN)",
            "  The --auth-* options override these variables.",
            "  CHROMA_LOG_LEVEL=debug|info|warn|error  like --log-level (the flag wins)",
            "  CHROMA_METRICS_PUBLIC=true             like --metrics-public"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped normally",
            "1:could not start or run (data directory in use or damaged, port taken, ...)",
            "2:bad usage (unknown option, invalid value)"})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--path", paramLabel = "DIR", defaultValue = "./chroma_data",
            description = "Directory the data lives in (created if missing). Default: ${DEFAULT-VALUE}")
    String path;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
            description = "Interface to listen on; 0.0.0.0 for all. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
            description = "Port to listen on (0 picks a free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = AuthSettings.FLAG_PROVIDER, paramLabel = "PROVIDER",
            description = "Require credentials: basic (htpasswd, bcrypt) or token. Default: none, or "
                    + AuthSettings.ENV_PROVIDER + " / " + AuthSettings.ENV_PROVIDER_04 + ".")
    String authProvider;

    @Option(names = AuthSettings.FLAG_CREDENTIALS, paramLabel = "CREDENTIALS",
            description = "The token (or token users YAML, or htpasswd lines) inline. Visible in ps: "
                    + "prefer " + AuthSettings.FLAG_CREDENTIALS_FILE + ".")
    String authCredentials;

    @Option(names = AuthSettings.FLAG_CREDENTIALS_FILE, paramLabel = "FILE",
            description = "File with the credentials: an htpasswd file (basic) or a token / token users YAML (token).")
    String authCredentialsFile;

    @Option(names = AuthSettings.FLAG_TOKEN_HEADER, paramLabel = "HEADER",
            description = "Where clients send the token: Authorization (Bearer, the default) or X-Chroma-Token.")
    String authTokenHeader;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "debug, info, warn or error: Chroma's own log lines, including one line per request at "
                    + "info (frameworks stay at warn). Default: info, or " + LogLevel.ENV + ".")
    String logLevel;

    @Option(names = "--metrics-public",
            description = "Serve GET /metrics (Prometheus) without credentials when auth is on. By default it then "
                    + "needs a user allowed on every tenant, because it names every collection. "
                    + "Also CHROMA_METRICS_PUBLIC=true.")
    boolean metricsPublic;

    /** Environment variable for {@code --metrics-public}. */
    static final String ENV_METRICS_PUBLIC = "CHROMA_METRICS_PUBLIC";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the environment comes from; tests replace it. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--port': " + port + " is not between 0 and 65535");
        }
        LogLevel level;
        boolean publicMetrics;
        try {
            level = logLevel != null ? parseLevel("--log-level", logLevel)
                    : env.get(LogLevel.ENV) != null && !env.get(LogLevel.ENV).isBlank()
                    ? parseLevel(LogLevel.ENV, env.get(LogLevel.ENV)) : LogLevel.INFO;
            publicMetrics = metricsPublic || EnvSettings.parseBool(ENV_METRICS_PUBLIC, env.get(ENV_METRICS_PUBLIC));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // before anything starts, so the start-up lines already obey it
        level.apply();
        AuthSettings auth;
        try {
            // environment first, flags on top; validate() names the setting to fix
            auth = AuthSettings.fromEnvironment(env)
                    .overriddenBy(authProvider, authCredentials, authCredentialsFile, authTokenHeader)
                    .validate();
        } catch (AuthConfigurationException e) {
            err.println("error: auth misconfigured: " + e.getMessage().replace('\n', ' '));
            return ChromaCli.EXIT_FAILURE;
        }
        EnvSettings settings;
        Path dataDir;
        try {
            settings = EnvSettings.from(env);
            dataDir = Path.of(path).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) { // includes InvalidPathException
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            err.println("error: --path " + dataDir + " exists and is not a directory");
            return ChromaCli.EXIT_FAILURE;
        }

        ServerConfig config = ServerConfig.defaults().withPath(dataDir).withHost(host).withPort(port)
                .withAllowReset(settings.allowReset()).withCorsAllowOrigins(settings.corsAllowOrigins())
                .withAuth(auth).withMetricsPublic(publicMetrics);
        ChromaServer server;
        try {
            server = ChromaServer.start(config);
        } catch (RuntimeException e) {
            err.println("error: " + describe(e));
            return ChromaCli.EXIT_FAILURE;
        }

        AtomicBoolean stopped = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            // SIGTERM / SIGINT: stop accepting, finish in-flight requests, close the store
            if (stopped.compareAndSet(false, true)) {
                err.println("Stopping Chroma...");
                err.flush();
                server.close();
                err.println("Chroma stopped.");
                err.flush();
            }
        }, "chroma-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.println("Chroma (Java) " + VersionProvider.version());
        out.println("Saving data to: " + dataDir);
        out.println("Connect to Chroma at: " + server.url());
        out.println("Auth: " + ChromaServer.describeAuth(config));
        out.println("Metrics (Prometheus): " + server.url() + "/metrics"
                + (auth.provider() == AuthProvider.NONE ? ""
                : publicMetrics ? " (public)" : " (needs a user allowed on every tenant)"));
        out.println("Log level: " + level);
        if (settings.allowReset()) {
            out.println("Reset is allowed (ALLOW_RESET).");
        }
        if (!settings.corsAllowOrigins().isEmpty()) {
            out.println("CORS allowed origins: " + settings.corsAllowOrigins());
        }
        out.println("Stop with Ctrl-C (SIGINT) or SIGTERM.");
        out.flush();

        server.awaitTermination();
        if (stopped.compareAndSet(false, true)) {
            // the server ended on its own (not through a signal): release the store and the hook
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook has nothing left to do
            }
        }
        return 0;
    }

    private static LogLevel parseLevel(String source, String value) {
        try {
            return LogLevel.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for " + (source.startsWith("--") ? "option '" + source
                    + "'" : source) + ": " + e.getMessage());
        }
    }

    /** One line for a start-up failure, naming the cause a user can act on. */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthConfigurationException) {
                return "auth misconfigured: " + String.valueOf(t.getMessage()).replace('\n', ' ');
            }
            if (t instanceof StoreCorruptedException) {
                // the message names the damaged file and says what to do about it
                return "the data directory is damaged, so the server did not open it: "
                        + String.valueOf(t.getMessage()).replace('\n', ' ');
            }
            if (t instanceof StoreInUseException) {
                return "the data directory is in use by another process: " + t.getMessage();
            }
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return "cannot listen on the requested address: " + t.getMessage()
                        + " (is another server using the port? choose another with --port)";
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (root != e && root.getMessage() != null && !msg.contains(root.getMessage())) {
            msg += ": " + root.getMessage();
        }
        return msg.replace('\n', ' ');
    }
}
