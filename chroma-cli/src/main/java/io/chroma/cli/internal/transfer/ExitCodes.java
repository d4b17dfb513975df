package io.chroma.cli.internal.transfer;

import io.chroma.api.AuthenticationException;
import io.chroma.api.ChromaConnectionException;
import io.chroma.api.ForbiddenException;
import io.chroma.api.NotFoundException;
import io.chroma.api.StoreInUseException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * Exit codes of export, import and copy, so a script can tell "try again later" (4, 7) from
 * "fix the command" (2, 3, 6) from "look at the data" (1). Kept in one place because the help
 * texts and docs/export-import-copy.md list the same table.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** Anything else: a server error, a malformed or truncated input file, an I/O error. */
    public static final int FAILURE = 1;
    /** Bad command line (picocli's convention). */
    public static final int USAGE = 2;
    /** The data directory, input file, database or collection does not exist. */
    public static final int NOT_FOUND = 3;
    /** The server could not be reached at all. */
    public static final int UNREACHABLE = 4;
    /** The server refused the credentials (401) or the action (403). */
    public static final int AUTH = 5;
    /** A target collection exists already and --resume was not given. */
    public static final int EXISTS = 6;
    /** The data directory is held by another process (a running server, say). */
    public static final int IN_USE = 7;

    /** The exit code table as picocli's {@code exitCodeList} shows it in --help. */
    static final String[] HELP = {
        "0:success",
        "1:failure (server error, malformed or truncated input, I/O error)",
        "2:bad usage (unknown option, invalid value)",
        "3:not found (data directory, input file, database or collection)",
        "4:server unreachable",
        "5:authentication or authorization refused",
        "6:target collection exists (use --resume)",
        "7:data directory in use by another process"};

    private ExitCodes() {
    }

    /** The code for a failure, looking through wrapping exceptions for the one a user can act on. */
    static int of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransferException te) {
                return te.exitCode();
            }
            if (t instanceof ChromaConnectionException) {
                return UNREACHABLE;
            }
            if (t instanceof StoreInUseException) {
                return IN_USE;
            }
            if (t instanceof AuthenticationException || t instanceof ForbiddenException) {
                return AUTH;
            }
            if (t instanceof NotFoundException || t instanceof NoSuchFileException) {
                return NOT_FOUND;
            }
            if (t instanceof IOException) {
                return FAILURE;
            }
        }
        return FAILURE;
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
