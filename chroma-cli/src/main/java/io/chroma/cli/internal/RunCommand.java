package io.chroma.cli.internal;

import io.chroma.api.StoreInUseException;
import io.chroma.cli.ChromaCli;
import io.chroma.server.ChromaServer;
import io.chroma.server.ServerConfig;
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
            "                      origins allowed to call the server from a browser (JSON list)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped normally",
            "1:could not start or run (data directory in use, port taken, ...)",
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

        // withers on the defaults: settings the server adds later (auth) keep their defaults here
        ServerConfig config = ServerConfig.defaults().withPath(dataDir).withHost(host).withPort(port)
                .withAllowReset(settings.allowReset()).withCorsAllowOrigins(settings.corsAllowOrigins());
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

    /** One line for a start-up failure, naming the cause a user can act on. */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
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
