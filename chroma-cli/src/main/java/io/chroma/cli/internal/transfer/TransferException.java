package io.chroma.cli.internal.transfer;

/** A failure the command has already put into words, with the exit code it should end with. */
final class TransferException extends RuntimeException {
    private final int exitCode;

    TransferException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    TransferException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
