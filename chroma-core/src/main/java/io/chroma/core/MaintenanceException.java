package io.chroma.core;

import io.chroma.api.ChromaException;

/**
 * A maintenance operation ({@link StoreMaintenance}) refused or could not start, for a reason a
 * caller can act on; {@link #reason()} lets the CLI and the server pick an exit code or status.
 */
public final class MaintenanceException extends ChromaException {

    public enum Reason {
        /** The path does not exist. */
        NOT_FOUND,
        /** The path exists but holds no Chroma store (no {@code rocksdb/} in it). */
        NOT_A_STORE,
        /** The directory given as a backup has no valid manifest, or an unknown format. */
        INVALID_BACKUP,
        /** A backup or restore target that already holds files (restore: unless forced). */
        TARGET_NOT_EMPTY,
        /** A target that can never work: a file, inside the source, the source itself. */
        INVALID_TARGET,
        /** The store keeps its data in memory: there is nothing on disk to vacuum or back up. */
        IN_MEMORY,
        /** Another maintenance operation is running on this store. */
        BUSY
    }

    private final Reason reason;

    public MaintenanceException(Reason reason, String message) {
        super("ChromaError", message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
