package io.chroma.cli.internal;

import io.chroma.api.AuthenticationException;
import io.chroma.api.ChromaConnectionException;
import io.chroma.api.ForbiddenException;
import io.chroma.api.NotFoundException;
import io.chroma.api.StoreInUseException;
import io.chroma.core.MaintenanceException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * The exit codes of every {@code chroma} command but {@code run}: one table, so a script can tell
 * "try again later" (4, 7) from "fix the command" (2, 3, 5, 6) from "look at the data" (1, 8)
 * whichever command it ran. The help texts, {@code chroma --help},
 * docs/operations-store.md and docs/export-import-copy.md list the same table.
 *
 * <p>{@code chroma run} keeps its own codes: 0 stopped, 1 could not start (a store in use
 * included), 2 usage.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** Anything else: a server error, a malformed or truncated input, an I/O error. */
    public static final int FAILURE = 1;
    /** Bad command line (picocli's convention). */
    public static final int USAGE = 2;
    /** The data directory, backup, input file, database or collection does not exist. */
    public static final int NOT_FOUND = 3;
    /** The server could not be reached at all. */
    public static final int UNREACHABLE = 4;
    /** The server refused the credentials (401) or the action (403). */
    public static final int AUTH = 5;
    /** A target collection exists already and --resume was not given. */
    public static final int EXISTS = 6;
    /** The data directory is held by another process (a running server, say). */
    public static final int IN_USE = 7;
    /** {@code check}, {@code restore}: the store is inconsistent (the problems are printed). */
    public static final int INCONSISTENT = 8;

    /** The whole table as picocli's {@code exitCodeList} shows it (in {@code chroma --help}). */
    public static final String HELP_OK = "0:success";
    public static final String HELP_FAILURE = "1:failure (server error, malformed input or backup, target not empty, I/O error...)";
    public static final String HELP_USAGE = "2:bad usage (unknown option, invalid value)";
    public static final String HELP_NOT_FOUND = "3:not found (data directory, backup, input file, database or collection)";
    public static final String HELP_UNREACHABLE = "4:server unreachable";
    public static final String HELP_AUTH = "5:authentication or authorization refused";
    public static final String HELP_EXISTS = "6:target collection exists (use --resume)";
    public static final String HELP_IN_USE = "7:data directory in use by another process";
    public static final String HELP_INCONSISTENT = "8:store inconsistent (check, restore: the problems are printed)";

    /** A failure the command has already put into words, with the code it should end with. */
    public interface Carrier {
        int exitCode();
    }

    private static final int UNKNOWN = -1;

    /**
     * The code a failed command ends with, by the kind of the exception itself ({@link #FAILURE}
     * for any other kind). The maintenance commands use it as is: what they throw is already the
     * failure, and a cause deep inside (a file gone during a vacuum) says nothing about the inputs.
     */
    public static int of(Throwable e) {
        int code = codeOf(e);
        return code == UNKNOWN ? FAILURE : code;
    }

    /**
     * As {@link #of}, for the outermost exception along the cause chain of a kind it knows: export,
     * import and copy get their failures wrapped by the clients (a refused connection inside a
     * client exception is still "unreachable").
     */
    public static int ofCauseChain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            int code = codeOf(t);
            if (code != UNKNOWN) {
                return code;
            }
        }
        return FAILURE;
    }

    private static int codeOf(Throwable t) {
        if (t instanceof Carrier c) {
            return c.exitCode();
        }
        if (t instanceof StoreInUseException) {
            return IN_USE;
        }
        if (t instanceof ChromaConnectionException || t instanceof AdminClient.UnreachableException) {
            return UNREACHABLE;
        }
        if (t instanceof AuthenticationException || t instanceof ForbiddenException) {
            return AUTH;
        }
        if (t instanceof AdminClient.ServerErrorException s) {
            return s.status == 401 || s.status == 403 ? AUTH : FAILURE;
        }
        if (t instanceof MaintenanceException m) {
            // no such directory, or no store in it, is "not found" as for export and import; a bad
            // or newer backup, a target not empty, another operation running... are failures
            return switch (m.reason()) {
                case NOT_FOUND, NOT_A_STORE -> NOT_FOUND;
                default -> FAILURE;
            };
        }
        if (t instanceof NotFoundException || t instanceof NoSuchFileException) {
            return NOT_FOUND;
        }
        if (t instanceof IOException) {
            return FAILURE;
        }
        return UNKNOWN;
    }

    private ExitCodes() {
    }
}
