package io.chroma.cli.internal;

import io.chroma.api.StoreInUseException;
import io.chroma.core.MaintenanceException;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What the maintenance commands (vacuum, backup, restore, check) share: the options that name a
 * store on disk or a running server, and turning every failure into one {@code error:} line and
 * an exit code a script can test (the table of {@link ExitCodes}, shared with export, import and copy).
 */
abstract class MaintenanceCommand implements Callable<Integer> {

    /** Options to reach a running server's admin routes. */
    static final class ServerOptions {
        @CommandLine.Option(names = "--token", paramLabel = "TOKEN",
                description = "Token of an unrestricted user, when the server has token auth.")
        String token;

        @CommandLine.Option(names = "--token-header", paramLabel = "HEADER",
                description = "Where the server expects the token: Authorization (Bearer, the default) or X-Chroma-Token.")
        String tokenHeader;

        @CommandLine.Option(names = "--basic-auth", paramLabel = "USER:PASSWORD",
                description = "Credentials of an unrestricted user, when the server has basic auth.")
        String basic;

        AdminClient client(String url) {
            return AdminClient.of(url, token, tokenHeader, basic);
        }
    }

    /** {@code --path DIR} (a stopped store) or {@code --url URL} (a running server, with its credentials). */
    static final class StoreLocation {
        @CommandLine.Option(names = "--path", paramLabel = "DIR", description = "Data directory of a stopped store.")
        String path;

        @CommandLine.Option(names = "--url", paramLabel = "URL", description = "A running server, e.g. http://localhost:8000.")
        String url;

        @CommandLine.Mixin
        ServerOptions server;

        AdminClient client() {
            return server.client(url);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    Path path(String option, String value) {
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw usage("Invalid value for option '" + option + "': " + e.getMessage());
        }
    }

    /** Exactly one of {@code --path} and {@code --url}. */
    void oneOf(StoreLocation store) {
        if ((store.path == null) == (store.url == null)) {
            throw usage(store.path == null ? "Missing option: give --path DIR (a store on disk) or --url URL (a running server)"
                    : "Give --path or --url, not both");
        }
    }

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return execute();
        } catch (CommandLine.ParameterException e) {
            throw e; // usage: the handler prints it and exits 2
        } catch (IllegalArgumentException e) {
            throw usage(oneLine(e.getMessage()));
        } catch (RuntimeException e) {
            err.println("error: " + describe(e));
            return ExitCodes.of(e);
        } finally {
            err.flush();
        }
    }

    abstract int execute();

    private static String describe(RuntimeException e) {
        if (e instanceof StoreInUseException) {
            return "the data directory is in use by another process (a running server? stop it, or use "
                    + "--url to ask it): " + oneLine(e.getMessage());
        }
        if (e instanceof AdminClient.UnreachableException || e instanceof AdminClient.ServerErrorException
                || e instanceof MaintenanceException || e instanceof UncheckedIOException) {
            return oneLine(e.getMessage()); // these messages say what happened already
        }
        return RunCommand.describe(e);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** 1536 -> "1536 (1.5 KiB)": exact for scripts, readable for people. */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return n + (u == 0 ? " B" : String.format(Locale.ROOT, " (%.1f %s)", v, units[u]));
    }
}
