package io.chroma.cli;

import io.chroma.cli.internal.BackupCommand;
import io.chroma.cli.internal.CheckCommand;
import io.chroma.cli.internal.RestoreCommand;
import io.chroma.cli.internal.RunCommand;
import io.chroma.cli.internal.VacuumCommand;
import io.chroma.cli.internal.VersionProvider;
import io.chroma.cli.internal.transfer.CopyCommand;
import io.chroma.cli.internal.transfer.ExportCommand;
import io.chroma.cli.internal.transfer.ImportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code chroma} command, as Chroma's own CLI: {@code chroma run --path DIR --host HOST --port PORT},
 * plus the maintenance commands {@code vacuum}, {@code backup}, {@code restore} and {@code check}.
 *
 * <p>Exit codes scripts can rely on: 0 success, 2 usage error (unknown option, bad value), 1 runtime
 * error. The maintenance commands also use 3 (store in use by another process), 4 (server
 * unreachable) and 5 (inconsistent store); {@code run} keeps 1 for every start failure. Runtime
 * errors print one {@code error:} line, not a stack trace.
 */
@Command(name = "chroma",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Chroma, the embedding database, on the JVM.",
        subcommands = {RunCommand.class, VacuumCommand.class, BackupCommand.class, RestoreCommand.class,
                CheckCommand.class, ExportCommand.class, ImportCommand.class, CopyCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Run 'chroma run --help' for the server's options, 'chroma COMMAND --help' for the others."})
public final class ChromaCli implements Runnable {

    /** Exit code for bad command-line usage (picocli's convention, also the shell's). */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a failure while running (store in use, port taken, I/O error). */
    public static final int EXIT_FAILURE = 1;
    /** Maintenance commands: the data directory is held by another process (a running server). */
    public static final int EXIT_STORE_IN_USE = 3;
    /** Maintenance commands with {@code --url}: no server answered there. */
    public static final int EXIT_UNREACHABLE = 4;
    /** {@code check} and {@code restore}: the store is inconsistent (the problems are printed). */
    public static final int EXIT_INCONSISTENT = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it without exiting the JVM. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ChromaCli());
        cl.setUsageHelpWidth(100);
        cl.setParameterExceptionHandler((ex, args) -> {
            // the message and a pointer to --help; the whole usage text would bury the message
            CommandLine bad = ex.getCommandLine();
            bad.getErr().println("error: " + ex.getMessage());
            bad.getErr().println("Try '" + bad.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // anything a command did not turn into an exit code itself: one line, no stack trace
            commandLine.getErr().println("error: " + RunCommand.describe(ex));
            return EXIT_FAILURE;
        });
        return cl;
    }

    /** {@code chroma} with no sub-command: show the usage and fail as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'chroma run'");
    }
}
