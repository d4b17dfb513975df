package io.chroma.cli.internal.transfer;

import io.chroma.cli.internal.ExitCodes;

/** A failure the command has already put into words, with the exit code it should end with. */
final class TransferException extends RuntimeException implements ExitCodes.Carrier {
    private final int exitCode;

    TransferException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    TransferException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }
}
