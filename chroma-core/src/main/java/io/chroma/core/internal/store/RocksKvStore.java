package io.chroma.core.internal.store;

import io.chroma.api.ChromaException;
import io.chroma.api.StoreCorruptedException;
import io.chroma.api.StoreInUseException;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.MutableColumnFamilyOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileReader;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * {@link KvStore} on RocksDB. Writes go through the WAL without fsync: an acknowledged write is
 * in the operating system's page cache and so survives kill -9 of this process (not a power
 * cut). RocksDB's LOCK file keeps a second process (or a second open in this one) out.
 *
 * <p><b>Damaged files.</b> This is the source of truth, so damage is refused, never papered over:
 * <ul>
 *   <li>the WAL is replayed in {@link WALRecoveryMode#TolerateCorruptedTailRecords} mode: a torn
 *       last record (a write the kill interrupted, never acknowledged) is dropped, corruption
 *       anywhere else fails the open (RocksDB's default, point-in-time recovery, would silently
 *       stop replaying there and lose every later acknowledged write);</li>
 *   <li>every SST block checksum is verified on open ({@link RocksDB#verifyChecksum()}), so a bad
 *       block is refused at start-up and not on some later read (cost: see docs/reliability.md);</li>
 *   <li>a clean close flushes the memtables (leaving nothing in the WAL to lose), stops
 *       compactions and writes {@value #CLEAN_MARKER}: RocksDB's last sequence number and the
 *       live SST files. The next open runs without compactions until it has checked that it
 *       recovered that sequence number and every one of those files: a MANIFEST that lost its
 *       last edits (truncated, or zeroed, which RocksDB reads as a clean end) opens "fine" but
 *       without the newest SST files;</li>
 *   <li>every corruption error becomes {@link StoreCorruptedException} naming the damaged file
 *       (RocksDB often blames the MANIFEST for a bad SST, so each SST is checked to find it).</li>
 * </ul>
 */
public final class RocksKvStore implements KvStore {

    static {
        RocksDB.loadLibrary();
    }

    /** Written by a clean close: RocksDB's last sequence number and a CRC32 of it. */
    static final String CLEAN_MARKER = "CHROMA-CLEAN-CLOSE";

    private static final Pattern FILE_IN_MESSAGE =
            Pattern.compile("(\\d+\\.sst|\\d+\\.log|MANIFEST-\\d+|OPTIONS-\\d+|CURRENT|IDENTITY)");

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final EnumMap<Cf, ColumnFamilyHandle> cfs = new EnumMap<>(Cf.class);

    private RocksKvStore(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions, RocksDB db,
                         List<ColumnFamilyHandle> opened) {
        this.dir = dir;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.db = db;
        this.handles.addAll(opened);
        for (Cf cf : Cf.values()) {
            cfs.put(cf, opened.get(cf.ordinal() + 1)); // index 0 is RocksDB's "default"
        }
        this.writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
    }

    /** Opens or creates the store in {@code dir}; a held LOCK becomes {@link StoreInUseException}. */
    public static RocksKvStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ChromaException("InternalError", "Cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setKeepLogFileNum(2)
                .setMaxTotalWalSize(256L << 20)
                .setParanoidChecks(true)
                .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords);
        // no compaction may change the SST files before the clean-close check; enabled after it
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setDisableAutoCompactions(true);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Cf cf : Cf.values()) {
            descriptors.add(new ColumnFamilyDescriptor(cf.cfName.getBytes(java.nio.charset.StandardCharsets.UTF_8), cfOptions));
        }
        List<ColumnFamilyHandle> opened = new ArrayList<>();
        RocksDB db = null;
        // the MANIFEST as the last close left it: opening writes a new one
        Path manifest = currentManifest(dir);
        checkLogFiles(dir, manifest);
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
            // past the LOCK: this process owns the directory now
            CleanClose clean = readCleanMarker(dir);
            if (clean != null) {
                Set<String> live = new HashSet<>();
                for (LiveFileMetaData f : db.getLiveFilesMetaData()) {
                    live.add(fileName(f.fileName()));
                }
                List<String> missing = clean.ssts().stream().filter(f -> !live.contains(f)).toList();
                if (db.getLatestSequenceNumber() < clean.seq() || !missing.isEmpty()) {
                    throw new StoreCorruptedException(manifest, "The record store in " + dir + " is damaged: "
                            + manifest + " (or CURRENT) is probably corrupt. The store was closed cleanly at sequence "
                            + clean.seq() + " with " + clean.ssts().size() + " SST files, but opens at sequence "
                            + db.getLatestSequenceNumber() + (missing.isEmpty() ? "" : " without " + missing)
                            + ", so written data is missing. " + RESTORE_HINT, null);
                }
            }
            db.verifyChecksum();
            // only once the store passed: a refused store keeps its marker for the next attempt
            Files.deleteIfExists(dir.resolve(CLEAN_MARKER)); // from now on a crash is an unclean close
            db.enableAutoCompaction(opened);
            return new RocksKvStore(dir, dbOptions, cfOptions, db, opened);
        } catch (RocksDBException | IOException | RuntimeException e) {
            for (ColumnFamilyHandle h : opened) {
                h.close();
            }
            if (db != null) {
                db.close();
            }
            dbOptions.close();
            cfOptions.close();
            if (e instanceof StoreCorruptedException sce) {
                throw sce;
            }
            String msg = String.valueOf(e.getMessage());
            if (e instanceof RocksDBException re && isLockFailure(re)) {
                throw new StoreInUseException("The Chroma data directory " + dir.getParent()
                        + " is already in use by another process (or by another client in this process); "
                        + "close it there first. RocksDB said: " + msg, e);
            }
            if (e instanceof RocksDBException re && isCorruption(re)) {
                throw corrupted(dir, re);
            }
            String missing = e instanceof RocksDBException ? manifestCurrentNamesButMissing(dir) : null;
            if (missing != null) {
                // A bit flip in CURRENT can turn MANIFEST-000038 into another valid-looking name:
                // RocksDB then reports a missing file, not corruption, and would blame the MANIFEST.
                Path current = dir.resolve("CURRENT");
                throw new StoreCorruptedException(current, "The record store is damaged: " + current + " names "
                        + missing + ", which does not exist (RocksDB: " + msg.trim() + "). " + RESTORE_HINT, e);
            }
            throw new ChromaException("InternalError", "Cannot open the record store in " + dir + ": " + msg, e);
        }
    }

    static final String RESTORE_HINT = "Restore the data directory from a backup; the vector index under "
            + "index/ is derived and needs no restore.";

    /**
     * RocksDB's LOCK failures: "While lock file: .../LOCK: Resource temporarily unavailable" from
     * another process, "lock hold by current process" from this one. (Matching any "lock" took a
     * "block checksum mismatch" for a store in use.)
     */
    private static boolean isLockFailure(RocksDBException e) {
        String msg = String.valueOf(e.getMessage());
        return msg.contains("While lock file") || msg.contains("lock hold by current process")
                || msg.contains("/LOCK");
    }

    private static boolean isCorruption(RocksDBException e) {
        Status st = e.getStatus();
        if (st != null && st.getCode() == Status.Code.Corruption) {
            return true;
        }
        String msg = String.valueOf(e.getMessage());
        // some open-time checks report damage as another status code
        return msg.contains("Corruption") || msg.contains("corrupted") || msg.contains("checksum mismatch")
                || msg.contains("file size mismatch") || msg.contains("CURRENT file");
    }

    /**
     * Names the damaged file: an SST that fails its own checksum check if there is one (RocksDB
     * tends to blame the MANIFEST that lists it), else the file RocksDB's message names.
     */
    static StoreCorruptedException corrupted(Path dir, RocksDBException e) {
        String msg = String.valueOf(e.getMessage());
        Path file = firstBadSst(dir);
        if (file == null) {
            Matcher m = FILE_IN_MESSAGE.matcher(msg);
            if (m.find()) {
                file = dir.resolve(m.group(1));
            }
        }
        String which;
        if (file != null) {
            which = file.toString();
        } else {
            // RocksDB names the MANIFEST and SSTs it blames, not the WAL it was replaying: with the
            // SSTs checked above, an unnamed checksum failure at open is in the WAL
            List<Path> wals = nonEmptyWals(dir);
            file = wals.isEmpty() ? null : wals.get(wals.size() - 1);
            which = wals.isEmpty() ? "a file of the record store in " + dir
                    : "the write-ahead log " + (wals.size() == 1 ? wals.get(0) : wals.toString());
        }
        return new StoreCorruptedException(file, "The record store is damaged: " + which + " is corrupt (RocksDB: "
                + msg.trim() + "). " + RESTORE_HINT, e);
    }

    private static Path firstBadSst(Path dir) {
        List<Path> ssts;
        try (var files = Files.list(dir)) {
            ssts = files.filter(p -> p.getFileName().toString().endsWith(".sst")).sorted().toList();
        } catch (IOException e) {
            return null;
        }
        for (Path sst : ssts) {
            try (Options o = new Options(); SstFileReader r = new SstFileReader(o)) {
                r.open(sst.toString());
                r.verifyChecksum();
            } catch (RocksDBException bad) {
                return sst;
            }
        }
        return null;
    }

    private static List<Path> nonEmptyWals(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).filter(p -> {
                try {
                    return Files.size(p) > 0;
                } catch (IOException e) {
                    return false;
                }
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Refuses a store whose MANIFEST or write-ahead logs hold records RocksDB's reader could loop on
     * (see {@link LogFileCheck}). A file this cannot read is left to RocksDB, which then says why.
     */
    private static void checkLogFiles(Path dir, Path manifest) {
        if (Files.isRegularFile(manifest) && isManifestName(manifest.getFileName().toString())) {
            refuseIfDamaged(dir, manifest, "", LogFileCheck::manifestProblem);
        } // else a new store, or a missing or damaged CURRENT: RocksDB's own errors name those
        List<Path> wals;
        try (var files = Files.list(dir)) {
            wals = files.filter(f -> f.getFileName().toString().matches("\\d+\\.log")).sorted().toList();
        } catch (IOException e) {
            return;
        }
        for (Path wal : wals) {
            refuseIfDamaged(dir, wal, "the write-ahead log ", LogFileCheck::walProblem);
        }
    }

    private interface LogProblem {
        String of(Path file) throws IOException;
    }

    private static void refuseIfDamaged(Path dir, Path file, String what, LogProblem check) {
        String problem;
        try {
            problem = check.of(file);
        } catch (IOException e) {
            return;
        }
        if (problem != null) {
            throw new StoreCorruptedException(file, "The record store in " + dir + " is damaged: " + what + file
                    + " is corrupt (" + problem + "). " + RESTORE_HINT, null);
        }
    }

    /** What CURRENT holds, trimmed (ISO-8859-1, so any bytes decode); null when it is missing or unreadable. */
    private static String currentText(Path dir) {
        try {
            return Files.readString(dir.resolve("CURRENT"), StandardCharsets.ISO_8859_1).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isManifestName(String name) {
        return name != null && name.matches("MANIFEST-\\d+");
    }

    /** The file name CURRENT holds when that file does not exist (or is no MANIFEST name); else null. */
    private static String manifestCurrentNamesButMissing(Path dir) {
        String name = currentText(dir);
        if (name == null || isManifestName(name) && Files.isRegularFile(dir.resolve(name))) {
            return null;
        }
        return name.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The MANIFEST that CURRENT names; CURRENT itself when it is missing, unreadable or names no MANIFEST. */
    private static Path currentManifest(Path dir) {
        String name = currentText(dir);
        return isManifestName(name) ? dir.resolve(name) : dir.resolve("CURRENT");
    }

    /** What a clean close recorded: RocksDB's last sequence number and the live SST files. */
    record CleanClose(long seq, List<String> ssts) {
    }

    /**
     * The clean-close marker, or null (no marker: a new store or an unclean close). Format: "seq N",
     * one "sst NAME" line per file, then "crc HEX" over the lines before it.
     */
    private static CleanClose readCleanMarker(Path dir) {
        Path marker = dir.resolve(CLEAN_MARKER);
        try {
            if (!Files.exists(marker)) {
                return null;
            }
            String text = Files.readString(marker, StandardCharsets.US_ASCII);
            int crcAt = text.lastIndexOf("crc ");
            if (crcAt < 0 || !text.substring(crcAt + 4).trim().equals(Long.toHexString(crc(text.substring(0, crcAt))))) {
                return null; // a damaged marker only costs this check, it says nothing about the data
            }
            long seq = -1;
            List<String> ssts = new ArrayList<>();
            for (String line : text.substring(0, crcAt).split("\n")) {
                if (line.startsWith("seq ")) {
                    seq = Long.parseLong(line.substring(4).trim());
                } else if (line.startsWith("sst ")) {
                    ssts.add(line.substring(4).trim());
                }
            }
            return seq < 0 ? null : new CleanClose(seq, ssts);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long crc(String text) {
        CRC32 c = new CRC32();
        c.update(text.getBytes(StandardCharsets.US_ASCII));
        return c.getValue();
    }

    /** RocksDB reports live files as "/000123.sst". */
    private static String fileName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    public Path dir() {
        return dir;
    }

    private ChromaException failure(String what, RocksDBException e) {
        if (isCorruption(e)) {
            return corrupted(dir, e);
        }
        return new ChromaException("InternalError", "Record store " + what + " failed: " + e.getMessage(), e);
    }

    @Override
    public byte[] get(Cf cf, byte[] key) {
        try {
            return db.get(cfs.get(cf), key);
        } catch (RocksDBException e) {
            throw failure("read", e);
        }
    }

    @Override
    public List<byte[]> multiGet(Cf cf, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            return db.multiGetAsList(Collections.nCopies(keys.size(), cfs.get(cf)), keys);
        } catch (RocksDBException e) {
            throw failure("read", e);
        }
    }

    @Override
    public void scan(Cf cf, byte[] from, byte[] to, Visitor visitor) {
        try (Slice upper = new Slice(to);
             ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
             RocksIterator it = db.newIterator(cfs.get(cf), ro)) {
            for (it.seek(from); it.isValid(); it.next()) {
                if (!visitor.visit(it.key(), it.value())) {
                    return;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw failure("scan", e);
        }
    }

    @Override
    public Batch batch() {
        return new RocksBatch();
    }

    private final class RocksBatch implements Batch {
        private final WriteBatch wb = new WriteBatch();

        @Override
        public Batch put(Cf cf, byte[] key, byte[] value) {
            try {
                wb.put(cfs.get(cf), key, value);
            } catch (RocksDBException e) {
                throw failure("batch", e);
            }
            return this;
        }

        @Override
        public Batch delete(Cf cf, byte[] key) {
            try {
                wb.delete(cfs.get(cf), key);
            } catch (RocksDBException e) {
                throw failure("batch", e);
            }
            return this;
        }

        @Override
        public Batch deleteRange(Cf cf, byte[] from, byte[] to) {
            try {
                wb.deleteRange(cfs.get(cf), from, to);
            } catch (RocksDBException e) {
                throw failure("batch", e);
            }
            return this;
        }

        @Override
        public void commit() {
            try {
                db.write(writeOptions, wb);
            } catch (RocksDBException e) {
                throw failure("write", e);
            }
        }

        @Override
        public void close() {
            wb.close();
        }
    }

    @Override
    public void compact() {
        // kForce: without it RocksDB may skip rewriting the bottommost level, which is exactly where
        // the tombstones of deleted records and the shadowed old values of updated ones sit.
        try (CompactRangeOptions options = new CompactRangeOptions()
                .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)
                .setExclusiveManualCompaction(false)) {
            for (ColumnFamilyHandle h : handles) {
                db.compactRange(h, null, null, options);
            }
        } catch (RocksDBException e) {
            throw failure("compaction", e);
        }
    }

    @Override
    public void checkpoint(Path target) {
        // A RocksDB checkpoint hard-links the immutable table files (copies them across file
        // systems) and copies the manifest and the live write-ahead log, so the copy opens at one
        // sequence number: every write batch is in it entirely or not at all, across column families.
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw failure("checkpoint", e);
        }
    }

    @Override
    public void flushMemory() {
        try {
            flushMemtables();
        } catch (RocksDBException e) {
            throw failure("flush", e);
        }
    }

    /** Every column family's memtables into SST files, waiting until they are written. */
    private void flushMemtables() throws RocksDBException {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, handles);
        }
    }

    @Override
    public void close() {
        try {
            // everything into SST files, so the WAL a clean close leaves behind holds nothing;
            // then the marker that lets the next open check it recovered all of it
            flushMemtables();
            // the SST files must not change between the list below and the close: no new
            // compactions, and the running ones finished
            for (ColumnFamilyHandle h : handles) {
                db.setOptions(h, MutableColumnFamilyOptions.builder().setDisableAutoCompactions(true).build());
            }
            db.pauseBackgroundWork();
            db.continueBackgroundWork();
            StringBuilder marker = new StringBuilder("seq ").append(db.getLatestSequenceNumber()).append('\n');
            for (LiveFileMetaData f : db.getLiveFilesMetaData()) {
                marker.append("sst ").append(fileName(f.fileName())).append('\n');
            }
            writeCleanMarker(marker.toString());
        } catch (RocksDBException | IOException e) {
            // closing anyway: the WAL is in the page cache and the next open replays it
            try {
                db.flushWal(true);
            } catch (RocksDBException ignored) {
                // nothing more to try
            }
        }
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        writeOptions.close();
        dbOptions.close();
        cfOptions.close();
    }

    private void writeCleanMarker(String lines) throws IOException {
        Path tmp = dir.resolve(CLEAN_MARKER + ".tmp");
        Files.writeString(tmp, lines + "crc " + Long.toHexString(crc(lines)) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(CLEAN_MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
