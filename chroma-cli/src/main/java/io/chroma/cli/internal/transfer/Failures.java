package io.chroma.cli.internal.transfer;

import io.chroma.api.AuthenticationException;
import io.chroma.api.ChromaConnectionException;
import io.chroma.api.ForbiddenException;
import io.chroma.api.StoreInUseException;
import io.chroma.cli.internal.ExitCodes;
import java.nio.file.NoSuchFileException;

/** How export, import and copy put a failure into one line (its exit code: {@link ExitCodes#ofCauseChain}). */
final class Failures {
    private Failures() {
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
