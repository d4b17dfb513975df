package io.chroma.core.internal.store;

import io.chroma.api.ChromaException;
import io.chroma.api.StoreInUseException;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;

/**
 * {@link KvStore} on RocksDB. Writes go through the WAL without fsync: an acknowledged write is
 * in the operating system's page cache and so survives kill -9 of this process (not a power
 * cut). RocksDB's LOCK file keeps a second process (or a second open in this one) out.
 */
public final class RocksKvStore implements KvStore {

    static {
        RocksDB.loadLibrary();
    }

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
                .setMaxTotalWalSize(256L << 20);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Cf cf : Cf.values()) {
            descriptors.add(new ColumnFamilyDescriptor(cf.cfName.getBytes(java.nio.charset.StandardCharsets.UTF_8), cfOptions));
        }
        List<ColumnFamilyHandle> opened = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
            return new RocksKvStore(dir, dbOptions, cfOptions, db, opened);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            String msg = String.valueOf(e.getMessage());
            if (msg.toLowerCase(Locale.ROOT).contains("lock")) {
                throw new StoreInUseException("The Chroma data directory " + dir.getParent()
                        + " is already in use by another process (or by another client in this process); "
                        + "close it there first. RocksDB said: " + msg, e);
            }
            throw new ChromaException("InternalError", "Cannot open the record store in " + dir + ": " + msg, e);
        }
    }

    public Path dir() {
        return dir;
    }

    private static ChromaException failure(String what, RocksDBException e) {
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
    public void close() {
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            // closing anyway: the WAL is already in the page cache
        }
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        writeOptions.close();
        dbOptions.close();
        cfOptions.close();
    }
}
