package io.chroma.cli.internal.transfer;

import io.chroma.api.AuthenticationException;
import io.chroma.api.ChromaConnectionException;
import io.chroma.api.ForbiddenException;
import io.chroma.api.NotFoundException;
import io.chroma.api.StoreInUseException;
import io.chroma.cli.internal.ExitCodes;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/** How export, import and copy turn a failure into an exit code of {@link ExitCodes} and one line. */
final class Failures {
    private Failures() {
    }

    /** The code for a failure, looking through wrapping exceptions for the one a user can act on. */
    static int exitCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransferException te) {
                return te.exitCode();
            }
            if (t instanceof ChromaConnectionException) {
                return ExitCodes.UNREACHABLE;
            }
            if (t instanceof StoreInUseException) {
                return ExitCodes.IN_USE;
            }
            if (t instanceof AuthenticationException || t instanceof ForbiddenException) {
                return ExitCodes.AUTH;
            }
            if (t instanceof NotFoundException || t instanceof NoSuchFileException) {
                return ExitCodes.NOT_FOUND;
            }
            if (t instanceof IOException) {
                return ExitCodes.FAILURE;
            }
        }
        return ExitCodes.FAILURE;
    }

    /** One line for the failure: the message of the exception that names the cause. */
    static String describe(Throwable e) {
        if (e instanceof TransferException) {
            return oneLine(e.getMessage()); // already says what happened; the cause would only repeat it
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreInUseException) {
                return "the data directory is in use by another process (stop the server, or use --url): "
                        + oneLine(t.getMessage());
            }
            if (t instanceof ChromaConnectionException) {
                return "server unreachable: " + oneLine(t.getMessage());
            }
            if (t instanceof AuthenticationException || t instanceof ForbiddenException) {
                return "the server refused the credentials: " + oneLine(t.getMessage())
                        + " (see --token / --basic-auth)";
            }
            if (t instanceof NoSuchFileException) {
                return "no such file: " + t.getMessage();
            }
        }
        String msg = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !msg.contains(root.getMessage())) {
            msg += ": " + root.getMessage();
        }
        return oneLine(msg);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').strip();
    }
}
