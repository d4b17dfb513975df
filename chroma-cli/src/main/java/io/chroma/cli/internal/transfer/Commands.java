package io.chroma.cli.internal.transfer;

import io.chroma.cli.internal.ExitCodes;
import java.io.PrintWriter;
import picocli.CommandLine;

/** What export, import and copy share: turning any failure into one line and an exit code. */
final class Commands {
    private Commands() {
    }

    interface Body {
        int run() throws Exception;
    }

    /**
     * Runs a command body: a failure prints {@code error: <one line>} and exits with the code of
     * {@link ExitCodes}, never a stack trace.
     */
    static int run(CommandLine.Model.CommandSpec spec, Body body) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.run();
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (Exception e) {
            err.println("error: " + Failures.describe(e));
            err.flush();
            return ExitCodes.ofCauseChain(e);
        }
    }

    /** Resolves option values picocli cannot check itself; an invalid one is a usage error (exit 2). */
    static <T> T option(CommandLine.Model.CommandSpec spec, java.util.function.Supplier<T> resolve) {
        try {
            return resolve.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), Failures.describe(e), e);
        }
    }

    static void requireBatchSize(CommandLine.Model.CommandSpec spec, int batchSize) {
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        }
    }

    static String rate(long records, double seconds) {
        return String.format(java.util.Locale.ROOT, "%.0f records/s", records / Math.max(seconds, 1e-9));
    }

    static String secs(double seconds) {
        return String.format(java.util.Locale.ROOT, "%.1f s", seconds);
    }
}
