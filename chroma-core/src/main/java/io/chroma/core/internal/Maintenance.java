package io.chroma.core.internal;

import io.chroma.api.ChromaException;
import io.chroma.api.internal.Names;
import io.chroma.core.MaintenanceException;
import io.chroma.core.StoreMaintenance.BackupResult;
import io.chroma.core.StoreMaintenance.CheckResult;
import io.chroma.core.StoreMaintenance.Manifest;
import io.chroma.core.StoreMaintenance.VacuumResult;
import io.chroma.core.internal.index.VectorIndex;
import io.chroma.core.internal.store.KvStore;
import io.chroma.core.internal.store.KvStore.Cf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Vacuum, backup and consistency check on an open {@link Engine}. Each holds the engine's
 * lifecycle (so the store is not closed underneath) and takes one collection's write lock at a
 * time, never the catalog mutex: other collections keep serving reads and writes throughout.
 */
public final class Maintenance {

    /** One maintenance operation per store at a time: two would only compete for the same disk. */
    private static final Map<Engine, ReentrantLock> RUNNING = Collections.synchronizedMap(new WeakHashMap<>());

    /** Records read per batched lookup while checking. */
    private static final int CHECK_BATCH = 1000;
    /** A broken store could produce millions of lines; the first ones say what is wrong. */
    private static final int MAX_PROBLEMS = 200;

    private Maintenance() {
    }

    // ---- vacuum ----

    public static VacuumResult vacuum(Engine e) {
        Path root = requirePersistent(e, "vacuum");
        return exclusive(e, () -> e.read(() -> {
            long t0 = System.nanoTime();
            long before = Backups.bytesOf(root);
            int indexes = forEachCommittedIndex(e, (s, idx) -> idx.reclaimSpace(), (s, ex) -> {
                throw new ChromaException("InternalError", "Vacuum of the index of collection " + s.name
                        + " failed: " + ex.getMessage(), ex);
            });
            e.store.kv().compact();
            removeOrphanIndexes(e);
            long after = Backups.bytesOf(root);
            return new VacuumResult(root, before, after, indexes, Duration.ofNanos(System.nanoTime() - t0));
        }));
    }

    /**
     * Index directories with no live collection: left by a crash between a collection's delete and
     * the removal of its directory, or by a backup of a collection deleted meanwhile. The engine
     * removes them on open; a long-running server only here.
     */
    private static void removeOrphanIndexes(Engine e) {
        Path indexRoot = e.indexRoot();
        if (indexRoot == null || !Files.isDirectory(indexRoot)) {
            return;
        }
        try (var dirs = Files.list(indexRoot)) {
            for (Path d : dirs.toList()) {
                UUID id;
                try {
                    id = UUID.fromString(d.getFileName().toString());
                } catch (IllegalArgumentException notOurs) {
                    continue;
                }
                // a fresh look at the catalog: a collection created since the walk above is live
                boolean live = e.collectionStates().stream().anyMatch(s -> s.id.equals(id));
                if (!live) {
                    Engine.deleteTree(d);
                }
            }
        } catch (IOException ex) {
            Engine.LOG.log(System.Logger.Level.WARNING, "Cannot list " + indexRoot + ": " + ex.getMessage());
        }
    }

    // ---- backup ----

    /**
     * Consistency: each collection's index is committed and that commit held (under the
     * collection's write lock, so the commit's write-log position C is exactly the collection's
     * state), and only after all of them the RocksDB checkpoint is taken. Op seqs only grow, so in
     * the checkpoint every collection's last op is ≥ its copied index's C: on open the engine's
     * catch-up replays the log entries after C from the checkpoint, which is exactly the
     * checkpoint's state. If an index commit happened between the hold and the checkpoint (the
     * log is then truncated past C), or a copy failed, or a collection appeared meanwhile, the
     * engine finds no usable log or no index and rebuilds that index from the records: slower,
     * never wrong. Copying the index instead of always rebuilding it keeps a restore of a large
     * store from re-building every HNSW graph.
     */
    public static BackupResult backup(Engine e, Path to) {
        Path root = requirePersistent(e, "back up");
        Path target = to.toAbsolutePath().normalize();
        if (target.startsWith(root) || root.startsWith(target)) {
            throw new MaintenanceException(MaintenanceException.Reason.INVALID_TARGET, "The backup target " + target
                    + " must be outside the data directory " + root + " (and not contain it)");
        }
        return exclusive(e, () -> e.read(() -> {
            long t0 = System.nanoTime();
            boolean created = Backups.prepareEmptyDirectory(target, "backup target");
            boolean done = false;
            Instant createdAt = Instant.now();
            List<Map.Entry<UUID, VectorIndex.HeldCommit>> held = new ArrayList<>();
            try {
                forEachCommittedIndex(e, (s, idx) -> idx.holdCommit().ifPresent(h -> held.add(Map.entry(s.id, h))),
                        (s, ex) -> {
                            // no copy of this index: the restored store rebuilds it from the records
                            Engine.LOG.log(System.Logger.Level.WARNING, "Backup: index of " + s.name
                                    + " not copied (" + ex + "); a restore rebuilds it");
                        });
                e.store.kv().checkpoint(target.resolve(Backups.ROCKSDB));
                int copied = 0;
                for (Map.Entry<UUID, VectorIndex.HeldCommit> h : held) {
                    if (Backups.copyIndex(h.getValue(), target.resolve(Backups.INDEX).resolve(h.getKey().toString()))) {
                        copied++;
                    }
                }
                long[] counts = Backups.countCheckpoint(target.resolve(Backups.ROCKSDB));
                Manifest m = new Manifest(Manifest.FORMAT_VERSION, createdAt, root.toString(), Engine.VERSION,
                        (int) counts[0], counts[1], copied);
                Backups.writeManifest(target, m);
                done = true;
                return new BackupResult(target, m, Backups.bytesOf(target), Duration.ofNanos(System.nanoTime() - t0));
            } finally {
                for (Map.Entry<UUID, VectorIndex.HeldCommit> h : held) {
                    h.getValue().close();
                }
                if (!done) {
                    Backups.clean(target, created);
                }
            }
        }));
    }

    // ---- check ----

    public static CheckResult check(Engine e) {
        return exclusive(e, () -> e.read(() -> {
            Problems p = new Problems();
            RecordStore store = e.store;
            long[] meta = store.meta();
            if (meta == null) {
                p.add("catalog: the store-wide counters row is missing");
            }
            Set<String> tenants = new HashSet<>();
            for (RecordStore.TenantRow t : store.tenants()) {
                tenants.add(t.name());
            }
            Set<String> databases = new HashSet<>();
            for (RecordStore.DatabaseRow d : store.databases()) {
                databases.add(d.tenant() + '\0' + d.name());
                if (!tenants.contains(d.tenant())) {
                    p.add("catalog: database " + d.name() + " belongs to missing tenant " + d.tenant());
                }
            }
            List<CollectionState> live = e.collectionStates();
            Map<Long, CollectionState> bySeq = new HashMap<>();
            Set<String> names = new HashSet<>();
            for (CollectionState s : live) {
                String where = "collection " + s.name + " (" + s.id + ")";
                if (!databases.contains(s.tenant + '\0' + s.database)) {
                    p.add(where + ": its database " + s.tenant + "/" + s.database + " does not exist");
                }
                try {
                    Names.validateCollectionName(s.name, Names.CHROMA_1X_MAX_LENGTH);
                } catch (RuntimeException ex) {
                    p.add(where + ": invalid name: " + ex.getMessage());
                }
                if (!names.add(s.tenant + '\0' + s.database + '\0' + s.name)) {
                    p.add(where + ": another collection of the same database has this name");
                }
                if (bySeq.put(s.seq, s) != null) {
                    p.add(where + ": its internal number " + s.seq + " is used twice");
                }
                if (meta != null && s.seq >= meta[0]) {
                    p.add(where + ": internal number " + s.seq + " is not below the next one " + meta[0]);
                }
            }
            long records = 0;
            for (CollectionState s : live) {
                s.writeLock.lock();
                try {
                    if (!s.deleted) {
                        records += checkCollection(e, s, p);
                    }
                } finally {
                    s.writeLock.unlock();
                }
            }
            checkOrphanKeys(e, p);
            return new CheckResult(live.size(), records, p.list());
        }));
    }

    /** Ids → records, records → ids, counters, write log and index of one collection; returns its record count. */
    private static long checkCollection(Engine e, CollectionState s, Problems p) {
        String where = "collection " + s.name + " (" + s.id + ")";
        RecordStore store = e.store;
        KvStore kv = store.kv();
        List<String> batchIds = new ArrayList<>(CHECK_BATCH);
        List<Long> batchSeqs = new ArrayList<>(CHECK_BATCH);
        Runnable flushIds = () -> {
            long[] mapped = store.lookupSeqs(s.seq, batchIds);
            for (int i = 0; i < mapped.length; i++) {
                if (mapped[i] != batchSeqs.get(i)) {
                    p.add(where + ": record " + batchSeqs.get(i) + " has id '" + batchIds.get(i) + "', which maps to "
                            + (mapped[i] < 0 ? "nothing" : "record " + mapped[i]));
                }
            }
            batchIds.clear();
            batchSeqs.clear();
        };
        // records → ids (and each record decodes, with an embedding of the collection's dimension)
        store.scanRecords(s.seq, (seq, value) -> {
            StoredRecord r;
            try {
                r = StoredRecord.decode(value);
            } catch (RuntimeException ex) {
                p.add(where + ": record " + seq + " cannot be decoded: " + ex);
                return true;
            }
            if (seq >= s.nextRecordSeq) {
                p.add(where + ": record " + seq + " is not below the next record number " + s.nextRecordSeq);
            }
            if (r.embedding() == null) {
                p.add(where + ": record '" + r.id() + "' has no embedding");
            } else if (s.dimension == null || r.embedding().length != s.dimension) {
                p.add(where + ": record '" + r.id() + "' has a " + r.embedding().length + "-d embedding, the collection "
                        + s.dimension);
            }
            batchIds.add(r.id());
            batchSeqs.add(seq);
            if (batchIds.size() == CHECK_BATCH) {
                flushIds.run();
            }
            return true;
        });
        flushIds.run();
        // collect the record seqs again, cheaply (keys only matter): the index must hold exactly these
        List<Long> recordSeqList = new ArrayList<>();
        kv.scan(Cf.RECORDS, Bytes.key(s.seq, 0L), Bytes.key(s.seq + 1), (k, v) -> {
            recordSeqList.add(Bytes.longAt(k, 8));
            return true;
        });
        long[] recordSeqs = recordSeqList.stream().mapToLong(Long::longValue).toArray();
        // ids → records
        long[] idCount = {0};
        List<String> ids = new ArrayList<>(CHECK_BATCH);
        List<Long> idSeqs = new ArrayList<>(CHECK_BATCH);
        Runnable flushRecords = () -> {
            long[] q = idSeqs.stream().mapToLong(Long::longValue).toArray();
            List<byte[]> recs = store.records(s.seq, q, 0, q.length);
            for (int i = 0; i < q.length; i++) {
                byte[] b = recs.get(i);
                if (b == null) {
                    p.add(where + ": id '" + ids.get(i) + "' maps to record " + q[i] + ", which does not exist");
                } else {
                    String id;
                    try {
                        id = StoredRecord.decode(b, false, false, false, false).id();
                    } catch (RuntimeException ex) {
                        continue; // reported by the record scan
                    }
                    if (!id.equals(ids.get(i))) {
                        p.add(where + ": id '" + ids.get(i) + "' maps to record " + q[i] + ", whose id is '" + id + "'");
                    }
                }
            }
            ids.clear();
            idSeqs.clear();
        };
        kv.scan(Cf.IDS, Bytes.key(s.seq), Bytes.key(s.seq + 1), (k, v) -> {
            idCount[0]++;
            ids.add(new String(k, 8, k.length - 8, java.nio.charset.StandardCharsets.UTF_8));
            idSeqs.add(Bytes.longAt(v, 0));
            if (ids.size() == CHECK_BATCH) {
                flushRecords.run();
            }
            return true;
        });
        flushRecords.run();
        if (recordSeqs.length != s.count || idCount[0] != s.count) {
            p.add(where + ": the catalog counts " + s.count + " records; the store holds " + recordSeqs.length
                    + " records and " + idCount[0] + " ids");
        }
        // the persisted row agrees with the live one (both are written in the same batch)
        byte[] row = kv.get(Cf.CATALOG, Bytes.prefixed('C', s.id.toString()));
        if (row == null) {
            p.add(where + ": its catalog row is missing");
        } else {
            try {
                CollectionState stored = CollectionState.decode(s.id, row);
                if (stored.count != s.count || stored.nextRecordSeq != s.nextRecordSeq || stored.lastOpSeq != s.lastOpSeq
                        || stored.seq != s.seq) {
                    p.add(where + ": its catalog row (count " + stored.count + ", last op " + stored.lastOpSeq
                            + ") disagrees with the open store (count " + s.count + ", last op " + s.lastOpSeq + ")");
                }
            } catch (RuntimeException ex) {
                p.add(where + ": its catalog row cannot be decoded: " + ex);
            }
        }
        // the write log holds only ops after the last truncation, touching existing record numbers
        store.scanLog(s.seq, -1, (op, touched) -> {
            if (op <= s.logTruncatedThrough || op > s.lastOpSeq) {
                p.add(where + ": write-log entry " + op + " is outside (" + s.logTruncatedThrough + ", "
                        + s.lastOpSeq + "]");
            }
            for (long q : touched) {
                if (q < 0 || q >= s.nextRecordSeq) {
                    p.add(where + ": write-log entry " + op + " names record " + q + ", never allocated");
                }
            }
        });
        // the index holds exactly the records (every record has a vector); opening it catches it
        // up from the log, or rebuilds it when it cannot be trusted
        if (s.dimension == null) {
            if (recordSeqs.length > 0) {
                p.add(where + ": has records but no dimension");
            }
            return recordSeqs.length;
        }
        try {
            VectorIndex idx = e.indexLocked(s);
            long[] indexed = idx.filter(null, null);
            if (!Arrays.equals(indexed, recordSeqs)) {
                p.add(where + ": the index holds " + indexed.length + " records, the store " + recordSeqs.length
                        + describeDifference(indexed, recordSeqs));
            }
        } catch (IOException | RuntimeException ex) {
            p.add(where + ": the index cannot be read: " + ex);
        }
        return recordSeqs.length;
    }

    private static String describeDifference(long[] indexed, long[] stored) {
        Set<Long> a = new HashSet<>();
        for (long x : indexed) {
            a.add(x);
        }
        int missing = 0;
        for (long x : stored) {
            if (!a.remove(x)) {
                missing++;
            }
        }
        return " (" + missing + " missing from the index, " + a.size() + " indexed but not stored)";
    }

    /** Keys of records, ids and log entries whose collection number belongs to no live collection. */
    private static void checkOrphanKeys(Engine e, Problems p) {
        KvStore kv = e.store.kv();
        long[] live = e.collectionStates().stream().mapToLong(s -> s.seq).sorted().toArray();
        // scan only the gaps between live collections: a seek each when the store is clean
        List<byte[][]> gaps = new ArrayList<>();
        long from = 0;
        for (long seq : live) {
            if (seq > from) {
                gaps.add(new byte[][]{Bytes.key(from), Bytes.key(seq)});
            }
            from = seq + 1;
        }
        byte[] end = new byte[9];
        Arrays.fill(end, (byte) 0xFF);
        gaps.add(new byte[][]{Bytes.key(from), end});
        for (Cf cf : new Cf[]{Cf.RECORDS, Cf.IDS, Cf.LOG}) {
            Map<Long, Integer> orphans = new HashMap<>();
            for (byte[][] g : gaps) {
                kv.scan(cf, g[0], g[1], (k, v) -> {
                    orphans.merge(k.length >= 8 ? Bytes.longAt(k, 0) : -1L, 1, Integer::sum);
                    return true;
                });
            }
            orphans.forEach((coll, count) -> p.add(cf.cfName + ": " + count + " keys of collection number " + coll
                    + ", which does not exist"));
        }
    }

    private static final class Problems {
        private final List<String> list = new ArrayList<>();
        private int dropped;

        synchronized void add(String problem) {
            if (list.size() < MAX_PROBLEMS) {
                list.add(problem);
            } else {
                dropped++;
            }
        }

        List<String> list() {
            List<String> out = new ArrayList<>(list);
            if (dropped > 0) {
                out.add("... and " + dropped + " more problems");
            }
            return out;
        }
    }

    // ---- shared ----

    /** What vacuum and backup do with one collection's freshly committed index. */
    private interface IndexStep {
        void accept(CollectionState s, VectorIndex idx) throws IOException;
    }

    /** What vacuum and backup do when a collection's index cannot be committed or stepped through. */
    private interface IndexFailure {
        void accept(CollectionState s, IOException ex);
    }

    /**
     * Commits the index of each live collection that has one and runs {@code step} on it, both
     * under the collection's write lock, one collection at a time (the others keep serving). The
     * commit comes first because vacuum's merge and backup's held commit both need a durable index
     * at exactly the collection's current write-log position, and the commit truncates the write
     * log (that vacuum's compaction then drops). Returns how many indexes went through {@code step}.
     */
    private static int forEachCommittedIndex(Engine e, IndexStep step, IndexFailure onFailure) {
        int done = 0;
        for (CollectionState s : e.collectionStates()) {
            if (s.dimension == null) {
                continue;
            }
            s.writeLock.lock();
            try {
                if (s.deleted) {
                    continue;
                }
                VectorIndex idx = e.indexLocked(s);
                if (idx == null) {
                    continue;
                }
                e.commitIndexLocked(s, idx);
                step.accept(s, idx);
                done++;
            } catch (IOException ex) {
                onFailure.accept(s, ex);
            } finally {
                s.writeLock.unlock();
            }
        }
        return done;
    }

    private static Path requirePersistent(Engine e, String what) {
        if (e.path() == null) {
            throw new MaintenanceException(MaintenanceException.Reason.IN_MEMORY,
                    "This store keeps its data in memory: there is nothing on disk to " + what);
        }
        return e.path();
    }

    private static <T> T exclusive(Engine e, Supplier<T> body) {
        ReentrantLock lock = RUNNING.computeIfAbsent(e, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new MaintenanceException(MaintenanceException.Reason.BUSY,
                    "Another maintenance operation (vacuum, backup or check) is running on this store; try again later");
        }
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }
}
