package io.chroma.cli;

import io.chroma.cli.internal.BackupCommand;
import io.chroma.cli.internal.CheckCommand;
import io.chroma.cli.internal.ExitCodes;
import io.chroma.cli.internal.RestoreCommand;
import io.chroma.cli.internal.RunCommand;
import io.chroma.cli.internal.VacuumCommand;
import io.chroma.cli.internal.VersionProvider;
import io.chroma.cli.internal.transfer.CopyCommand;
import io.chroma.cli.internal.transfer.ExportCommand;
import io.chroma.cli.internal.transfer.ImportCommand;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code chroma} command, as Chroma's own CLI: {@code chroma run --path DIR --host HOST --port PORT},
 * plus the maintenance commands {@code vacuum}, {@code backup}, {@code restore} and {@code check}.
 *
 * <p>Exit codes scripts can rely on, the same for every command (see {@link ExitCodes}): 0 success,
 * 1 failure, 2 usage error (unknown option, bad value), 3 not found, 4 server unreachable, 5
 * authentication or authorization refused, 6 collection exists, 7 data directory in use, 8 store
 * inconsistent. {@code run} keeps its own: 0 stopped, 1 for every start failure, 2 usage. Runtime
 * errors print one {@code error:} line, not a stack trace.
 */
@Command(name = "chroma",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Chroma, the embedding database, on the JVM.",
        exitCodeListHeading = "%nExit codes (every command but run; each command's --help lists its own):%n",
        exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_FAILURE, ExitCodes.HELP_USAGE, ExitCodes.HELP_NOT_FOUND,
                ExitCodes.HELP_UNREACHABLE, ExitCodes.HELP_AUTH, ExitCodes.HELP_EXISTS, ExitCodes.HELP_IN_USE,
                ExitCodes.HELP_INCONSISTENT},
        footer = {"", "Run 'chroma run --help' for the server's options, 'chroma COMMAND --help' for the others."})
public final class ChromaCli implements Runnable {

    /** Exit code for bad command-line usage (picocli's convention, also the shell's). */
    public static final int EXIT_USAGE = ExitCodes.USAGE;
    /** Exit code for a failure while running (for {@code run}: port taken, store in use, I/O error). */
    public static final int EXIT_FAILURE = ExitCodes.FAILURE;
    /** Every command but {@code run}: the data directory is held by another process (a running server). */
    public static final int EXIT_STORE_IN_USE = ExitCodes.IN_USE;
    /** Commands with {@code --url}: no server answered there. */
    public static final int EXIT_UNREACHABLE = ExitCodes.UNREACHABLE;
    /** {@code check} and {@code restore}: the store is inconsistent (the problems are printed). */
    public static final int EXIT_INCONSISTENT = ExitCodes.INCONSISTENT;

    /** The sub-commands, in the order {@code --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, VacuumCommand.class,
            BackupCommand.class, RestoreCommand.class, CheckCommand.class, ExportCommand.class, ImportCommand.class,
            CopyCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The configured command line with every sub-command; tests call {@code execute} on it without exiting the JVM. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for these arguments. When they start with a sub-command's name, only that sub-command is
     * built: picocli reflects over every registered command's annotations, ~15-40 ms each before the JIT warms
     * up, and a server's restart waits for it. Anything else ({@code --help}, {@code help}, a typo picocli
     * suggests a name for) gets them all.
     */
    static CommandLine commandLine(String[] arguments) {
        CommandLine cl = new CommandLine(new ChromaCli());
        Class<?> only = null;
        if (arguments.length > 0) {
            for (Class<?> c : SUBCOMMANDS) {
                if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(arguments[0])) {
                    only = c;
                }
            }
        }
        for (Class<?> c : only != null ? List.<Class<?>>of(only) : SUBCOMMANDS) {
            cl.addSubcommand(c);
        }
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
