package io.chroma.core;

import io.chroma.core.internal.Backups;
import io.chroma.core.internal.Engine;
import io.chroma.core.internal.EngineClient;
import io.chroma.core.internal.Maintenance;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Maintenance of a persistent store: vacuum, backup, restore and a consistency check. Each runs
 * either on a closed data directory (opened for the operation, so it fails with
 * {@link io.chroma.api.StoreInUseException} while a server holds it) or on an open client, the
 * way a running server does it, while other requests go on.
 *
 * <p>Failures a caller can act on are {@link MaintenanceException}s with a {@link MaintenanceException.Reason}.
 */
public final class StoreMaintenance {

    /** What a vacuum reclaimed: bytes of the data directory before and after. */
    public record VacuumResult(Path path, long bytesBefore, long bytesAfter, int indexes, Duration took) {
        public long bytesReclaimed() {
            return bytesBefore - bytesAfter;
        }
    }

    /** A finished backup: its directory and what its manifest says. */
    public record BackupResult(Path path, Manifest manifest, long bytes, Duration took) {
    }

    /** The manifest of a backup ({@code manifest.properties}, written last: a backup without it is incomplete). */
    public record Manifest(int formatVersion, Instant created, String source, String engineVersion,
                           int collections, long records, int indexesCopied) {
        /** The backup format this version writes and reads. */
        public static final int FORMAT_VERSION = 1;
    }

    /** A restored store and the consistency check it passed (or not). */
    public record RestoreResult(Path path, Manifest manifest, CheckResult check, Duration took) {
    }

    /** The outcome of a consistency check: {@code problems} is empty exactly when the store is consistent. */
    public record CheckResult(int collections, long records, List<String> problems) {
        public CheckResult {
            problems = List.copyOf(problems);
        }

        public boolean consistent() {
            return problems.isEmpty();
        }
    }

    private StoreMaintenance() {
    }

    /**
     * Reclaims the space of deleted and updated records: each collection index is merged without
     * them, RocksDB is compacted down to its last level, leftover index directories are removed.
     */
    public static VacuumResult vacuum(Path store) {
        return onClosed(store, Maintenance::vacuum);
    }

    /** As {@link #vacuum(Path)}, on an open store; each collection's writes wait while its index is merged. */
    public static VacuumResult vacuum(EmbeddedClient open) {
        return Maintenance.vacuum(engine(open));
    }

    /**
     * A point-in-time consistent copy of the store in {@code to} (created; must not exist or be empty).
     * Every write acknowledged before the call is in it, and no write is in it only partly.
     */
    public static BackupResult backup(Path store, Path to) {
        return onClosed(store, e -> Maintenance.backup(e, to));
    }

    /** As {@link #backup(Path, Path)}, from an open store while writes go on. */
    public static BackupResult backup(EmbeddedClient open, Path to) {
        return Maintenance.backup(engine(open), to);
    }

    /** Reads and validates a backup's manifest. */
    public static Manifest readManifest(Path backup) {
        return Backups.readManifest(backup);
    }

    /**
     * Copies a backup into {@code target} (refused when it holds files, unless {@code force}: then
     * they are replaced), opens the result and checks it.
     */
    public static RestoreResult restore(Path backup, Path target, boolean force) {
        return Backups.restore(backup, target, force);
    }

    /** Checks that ids, records, counters, catalog rows and indexes agree. */
    public static CheckResult check(Path store) {
        return onClosed(store, Maintenance::check);
    }

    /** As {@link #check(Path)}, on an open store; each collection's writes wait while it is checked. */
    public static CheckResult check(EmbeddedClient open) {
        return Maintenance.check(engine(open));
    }

    private static Engine engine(EmbeddedClient client) {
        if (client instanceof EngineClient ec) {
            return ec.engine();
        }
        throw new IllegalArgumentException("not an embedded engine client: " + client);
    }

    private static <T> T onClosed(Path store, Function<Engine, T> op) {
        try (Engine e = Backups.openExisting(store)) {
            return op.apply(e);
        }
    }
}
