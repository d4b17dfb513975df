package io.chroma.api;

import java.nio.file.Path;

/**
 * The persistent store cannot be opened (or read) because a file of its source of truth is
 * damaged: truncated, zeroed or with flipped bits. Refusing is the safe answer, since serving would
 * mean silently lost or wrong records. The message and {@link #file()} name the damaged file (when
 * it is known) so that a user can restore it, or the whole directory, from a backup.
 *
 * <p>Damage to a derived file (the vector index) never raises this: the index is rebuilt from the
 * records instead.
 */
public class StoreCorruptedException extends ChromaException {
    private final transient Path file;

    public StoreCorruptedException(Path file, String message, Throwable cause) {
        super("InternalError", message, cause);
        this.file = file;
    }

    /** The damaged file, or null when the store could not tell which one. */
    public Path file() {
        return file;
    }
}
