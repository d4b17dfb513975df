package io.chroma.core.internal;

import io.chroma.core.ClientSettings;
import io.chroma.core.MaintenanceException;
import io.chroma.core.MaintenanceException.Reason;
import io.chroma.core.StoreMaintenance.CheckResult;
import io.chroma.core.StoreMaintenance.Manifest;
import io.chroma.core.StoreMaintenance.RestoreResult;
import io.chroma.core.internal.index.VectorIndex;
import io.chroma.core.internal.index.VectorIndexFactory;
import io.chroma.core.internal.store.RocksKvStore;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The on-disk side of maintenance: opening an existing store, the backup layout and manifest,
 * and restore.
 *
 * <pre>
 * BACKUP/manifest.properties   format, format.version, created, source, counts (written last)
 * BACKUP/rocksdb/              a RocksDB checkpoint: the truth
 * BACKUP/index/&lt;uuid&gt;/         copies of committed Lucene indexes (optional: missing ones are rebuilt)
 * </pre>
 */
public final class Backups {
    static final String ROCKSDB = "rocksdb";
    static final String INDEX = "index";
    static final String MANIFEST = "manifest.properties";
    /** The value of {@code format} in every manifest this project writes. */
    static final String FORMAT = "chroma-java-backup";

    private Backups() {
    }

    /**
     * Opens an existing persistent store for a maintenance operation. Unlike a client it does not
     * create a missing store: a mistyped path must be an error, not a new empty store.
     */
    public static Engine openExisting(Path store) {
        Path dir = store.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new MaintenanceException(Reason.NOT_FOUND, "No such directory: " + dir);
        }
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(ROCKSDB).resolve("CURRENT"))) {
            throw new MaintenanceException(Reason.NOT_A_STORE, dir + " is not a Chroma data directory (no "
                    + ROCKSDB + "/ store in it)");
        }
        // the server's name limit: stores written over /api/v2 may hold names up to 512 characters
        ClientSettings settings = ClientSettings.defaults()
                .withMaxCollectionNameLength(io.chroma.api.internal.Names.CHROMA_1X_MAX_LENGTH)
                .withDefaultEmbeddingFunction(false);
        return Engine.openPersistent(dir, settings, VectorIndexFactory.fromSystemProperty());
    }

    // ---- backup files ----

    /**
     * Makes {@code dir} an existing empty directory; true when it did not exist (so a failed
     * backup removes it entirely, and leaves a directory the user made in place).
     */
    static boolean prepareEmptyDirectory(Path dir, String what) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new MaintenanceException(Reason.INVALID_TARGET, "The " + what + " " + dir
                            + " exists and is not a directory");
                }
                if (!isEmpty(dir)) {
                    throw new MaintenanceException(Reason.TARGET_NOT_EMPTY, "The " + what + " " + dir
                            + " is not empty; choose a new directory");
                }
                return false;
            }
            Files.createDirectories(dir);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the " + what + " " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** After a failed backup: no half backup may be left to restore from. */
    static void clean(Path dir, boolean remove) {
        if (remove) {
            Engine.deleteTree(dir);
        } else {
            deleteContents(dir);
        }
    }

    private static void deleteContents(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(Engine::deleteTree);
        } catch (IOException e) {
            Engine.LOG.log(System.Logger.Level.WARNING, "Cannot empty " + dir + ": " + e.getMessage());
        }
    }

    /** Copies one held index commit; false (and nothing left behind) when it failed. */
    static boolean copyIndex(VectorIndex.HeldCommit held, Path to) {
        try {
            Files.createDirectories(to);
            for (String f : held.files()) {
                Files.copy(held.dir().resolve(f), to.resolve(f));
            }
            return true;
        } catch (IOException | RuntimeException e) {
            // e.g. the collection was deleted meanwhile; without a copy the restore rebuilds the index
            Engine.LOG.log(System.Logger.Level.WARNING, "Backup: index copy to " + to + " failed (" + e
                    + "); a restore rebuilds that index");
            Engine.deleteTree(to);
            return false;
        }
    }

    /** [collections, records] as the checkpoint's catalog says (the manifest reports them). */
    static long[] countCheckpoint(Path rocksdb) {
        try (RecordStore store = new RecordStore(RocksKvStore.open(rocksdb))) {
            long records = 0;
            int collections = 0;
            for (CollectionState s : store.collections()) {
                collections++;
                records += s.count;
            }
            return new long[]{collections, records};
        }
    }

    static void writeManifest(Path backup, Manifest m) {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("format.version", Integer.toString(m.formatVersion()));
        p.setProperty("created", m.created().toString());
        p.setProperty("source", m.source());
        p.setProperty("engine.version", m.engineVersion());
        p.setProperty("collections", Integer.toString(m.collections()));
        p.setProperty("records", Long.toString(m.records()));
        p.setProperty("indexes.copied", Integer.toString(m.indexesCopied()));
        Path tmp = backup.resolve(MANIFEST + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "Chroma (Java) backup: restore with 'chroma restore --from " + backup + " --path DIR'");
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            // the manifest appears whole and last: a directory without it is an incomplete backup
            Files.move(tmp, backup.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the backup manifest in " + backup + ": " + e.getMessage(), e);
        }
    }

    public static Manifest readManifest(Path backup) {
        Path dir = backup.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new MaintenanceException(Reason.NOT_FOUND, "No such backup directory: " + dir);
        }
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new MaintenanceException(Reason.INVALID_BACKUP, dir + " is not a Chroma backup, or an incomplete one: "
                    + "it has no " + MANIFEST);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new MaintenanceException(Reason.INVALID_BACKUP, "Cannot read " + file + ": " + e.getMessage());
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new MaintenanceException(Reason.INVALID_BACKUP, file + ": format is '" + p.getProperty("format")
                    + "', expected '" + FORMAT + "'");
        }
        int version = intOf(p, "format.version", file);
        if (version > Manifest.FORMAT_VERSION || version < 1) {
            throw new MaintenanceException(Reason.INVALID_BACKUP, file + ": format version " + version
                    + " is not supported (this version reads " + Manifest.FORMAT_VERSION + "); use a newer chroma");
        }
        Instant created;
        try {
            created = Instant.parse(required(p, "created", file));
        } catch (DateTimeParseException e) {
            throw new MaintenanceException(Reason.INVALID_BACKUP, file + ": created is not a time: " + e.getMessage());
        }
        String source = required(p, "source", file);
        if (!Files.isRegularFile(dir.resolve(ROCKSDB).resolve("CURRENT"))) {
            throw new MaintenanceException(Reason.INVALID_BACKUP, dir + ": the manifest is there but the record store ("
                    + ROCKSDB + "/) is missing or incomplete");
        }
        return new Manifest(version, created, source, p.getProperty("engine.version", "unknown"),
                intOf(p, "collections", file), longOf(p, "records", file), intOf(p, "indexes.copied", file));
    }

    private static String required(Properties p, String key, Path file) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new MaintenanceException(Reason.INVALID_BACKUP, file + ": " + key + " is missing");
        }
        return v.trim();
    }

    private static int intOf(Properties p, String key, Path file) {
        return (int) longOf(p, key, file);
    }

    private static long longOf(Properties p, String key, Path file) {
        String v = required(p, key, file);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new MaintenanceException(Reason.INVALID_BACKUP, file + ": " + key + " is not a number: " + v);
        }
    }

    // ---- restore ----

    public static RestoreResult restore(Path backup, Path target, boolean force) {
        long t0 = System.nanoTime();
        Path from = backup.toAbsolutePath().normalize();
        Manifest m = readManifest(from);
        Path to = target.toAbsolutePath().normalize();
        if (to.startsWith(from) || from.startsWith(to)) {
            throw new MaintenanceException(Reason.INVALID_TARGET, "The restore target " + to
                    + " must be outside the backup " + from + " (and not contain it)");
        }
        try {
            if (Files.exists(to)) {
                if (!Files.isDirectory(to)) {
                    throw new MaintenanceException(Reason.INVALID_TARGET, "The restore target " + to
                            + " exists and is not a directory");
                }
                if (!isEmpty(to)) {
                    if (!force) {
                        throw new MaintenanceException(Reason.TARGET_NOT_EMPTY, "The restore target " + to
                                + " is not empty; pass --force to replace what is there");
                    }
                    if (Files.isDirectory(to.resolve(ROCKSDB))) {
                        refuseIfInUse(to.resolve(ROCKSDB));
                    }
                    deleteContents(to);
                }
            }
            Files.createDirectories(to);
            copyTree(from.resolve(ROCKSDB), to.resolve(ROCKSDB));
            if (Files.isDirectory(from.resolve(INDEX))) {
                copyTree(from.resolve(INDEX), to.resolve(INDEX));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Restore into " + to + " failed: " + e.getMessage(), e);
        }
        // opening catches every copied index up from the write log (or rebuilds it); the check
        // then proves that the restored store serves every record it holds
        CheckResult check;
        try (Engine e = Engine.openPersistent(to, ClientSettings.defaults()
                .withMaxCollectionNameLength(io.chroma.api.internal.Names.CHROMA_1X_MAX_LENGTH)
                .withDefaultEmbeddingFunction(false), VectorIndexFactory.fromSystemProperty())) {
            check = Maintenance.check(e);
        }
        return new RestoreResult(to, m, check, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Throws StoreInUseException while another process (a server) holds the store we would
     * replace. A store that does not open for another reason (damaged: often why one restores)
     * is replaced, as --force asks.
     */
    private static void refuseIfInUse(Path rocksdb) {
        try {
            RocksKvStore.open(rocksdb).close();
        } catch (io.chroma.api.StoreInUseException e) {
            throw e;
        } catch (RuntimeException damaged) {
            Engine.LOG.log(System.Logger.Level.INFO, "Replacing the unreadable store in " + rocksdb + ": " + damaged);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // copies, never links: the restored store appends to its manifest and log files,
                // which must not change the backup
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Bytes in regular files under {@code dir} (0 when it does not exist). */
    public static long bytesOf(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // deleted while walking (a merge, a compaction)
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total[0];
    }
}
