package io.chroma.core.internal;

import io.chroma.core.internal.store.KvStore;
import io.chroma.core.internal.store.KvStore.Cf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The data layout on top of {@link KvStore}: which key holds what. All keys of a collection start
 * with its 8-byte big-endian collection seq, so deleting a collection is three range deletes.
 *
 * <pre>
 * CATALOG  'M'                       → next collection seq, next creation order
 *          'T' tenant                → creation order
 *          'D' tenant 0x00 database  → uuid, creation order
 *          'C' collection-uuid       → {@link CollectionState} row (catalog fields + counters)
 * RECORDS  coll(8) seq(8)            → {@link StoredRecord}
 * IDS      coll(8) utf8 id           → seq(8)
 * LOG      coll(8) opSeq(8)          → seq(8)* touched by that write (index catch-up)
 * </pre>
 */
final class RecordStore implements AutoCloseable {
    static final byte[] META_KEY = {'M'};

    private final KvStore kv;

    RecordStore(KvStore kv) {
        this.kv = kv;
    }

    /** The key-value store itself, for whole-store operations (maintenance: compaction, checkpoints, checks). */
    KvStore kv() {
        return kv;
    }

    record TenantRow(String name, long order) {
    }

    record DatabaseRow(UUID id, String tenant, String name, long order) {
    }

    // ---- reads ----

    /** store-wide counters: [next collection seq, next creation order], or null for a new store */
    long[] meta() {
        byte[] b = kv.get(Cf.CATALOG, META_KEY);
        return b == null ? null : Bytes.longs(b);
    }

    List<TenantRow> tenants() {
        List<TenantRow> out = new ArrayList<>();
        kv.scan(Cf.CATALOG, new byte[]{'T'}, Bytes.tagEnd('T'), (k, v) -> {
            out.add(new TenantRow(new String(k, 1, k.length - 1, StandardCharsets.UTF_8), Bytes.longAt(v, 0)));
            return true;
        });
        return out;
    }

    List<DatabaseRow> databases() {
        List<DatabaseRow> out = new ArrayList<>();
        kv.scan(Cf.CATALOG, new byte[]{'D'}, Bytes.tagEnd('D'), (k, v) -> {
            String s = new String(k, 1, k.length - 1, StandardCharsets.UTF_8);
            int z = s.indexOf('\0');
            out.add(new DatabaseRow(new UUID(Bytes.longAt(v, 0), Bytes.longAt(v, 8)), s.substring(0, z),
                    s.substring(z + 1), Bytes.longAt(v, 16)));
            return true;
        });
        return out;
    }

    List<CollectionState> collections() {
        List<CollectionState> out = new ArrayList<>();
        kv.scan(Cf.CATALOG, new byte[]{'C'}, Bytes.tagEnd('C'), (k, v) -> {
            UUID id = UUID.fromString(new String(k, 1, k.length - 1, StandardCharsets.UTF_8));
            out.add(CollectionState.decode(id, v));
            return true;
        });
        return out;
    }

    /** Record seq per id (-1 when absent), one batched read. */
    long[] lookupSeqs(long coll, List<String> ids) {
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
            keys.add(Bytes.key(coll, id));
        }
        List<byte[]> values = kv.multiGet(Cf.IDS, keys);
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) {
            byte[] v = values.get(i);
            out[i] = v == null ? -1 : Bytes.longAt(v, 0);
        }
        return out;
    }

    /** Encoded records (null where missing), one batched read. */
    List<byte[]> records(long coll, long[] seqs, int from, int to) {
        List<byte[]> keys = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            keys.add(Bytes.key(coll, seqs[i]));
        }
        return kv.multiGet(Cf.RECORDS, keys);
    }

    /** Visits the collection's records in seq (= insertion) order until the visitor returns false. */
    void scanRecords(long coll, RecordVisitor visitor) {
        kv.scan(Cf.RECORDS, Bytes.key(coll, 0L), Bytes.key(coll + 1), (k, v) -> visitor.visit(Bytes.longAt(k, 8), v));
    }

    interface RecordVisitor {
        boolean visit(long seq, byte[] value);
    }

    /** Visits log entries with opSeq > after, in order. */
    void scanLog(long coll, long after, BiConsumer<Long, long[]> visitor) {
        kv.scan(Cf.LOG, Bytes.key(coll, after + 1), Bytes.key(coll + 1), (k, v) -> {
            visitor.accept(Bytes.longAt(k, 8), Bytes.longs(v));
            return true;
        });
    }

    Tx tx() {
        return new Tx(kv.batch());
    }

    /** One atomic write. */
    static final class Tx implements AutoCloseable {
        private final KvStore.Batch b;

        private Tx(KvStore.Batch b) {
            this.b = b;
        }

        Tx putMeta(long nextCollectionSeq, long nextOrder) {
            b.put(Cf.CATALOG, META_KEY, Bytes.longs(new long[]{nextCollectionSeq, nextOrder}, 2));
            return this;
        }

        Tx putTenant(String name, long order) {
            b.put(Cf.CATALOG, Bytes.prefixed('T', name), Bytes.key(order));
            return this;
        }

        Tx deleteTenant(String name) {
            b.delete(Cf.CATALOG, Bytes.prefixed('T', name));
            return this;
        }

        Tx putDatabase(DatabaseRow d) {
            b.put(Cf.CATALOG, Bytes.prefixed('D', d.tenant() + '\0' + d.name()),
                    Bytes.longs(new long[]{d.id().getMostSignificantBits(), d.id().getLeastSignificantBits(), d.order()}, 3));
            return this;
        }

        Tx deleteDatabase(String tenant, String name) {
            b.delete(Cf.CATALOG, Bytes.prefixed('D', tenant + '\0' + name));
            return this;
        }

        Tx putCollection(CollectionState s, byte[] row) {
            b.put(Cf.CATALOG, Bytes.prefixed('C', s.id.toString()), row);
            return this;
        }

        /** The catalog row and every record, id and log entry of the collection. */
        Tx dropCollection(CollectionState s) {
            b.delete(Cf.CATALOG, Bytes.prefixed('C', s.id.toString()));
            byte[] from = Bytes.key(s.seq), to = Bytes.key(s.seq + 1);
            b.deleteRange(Cf.RECORDS, from, to);
            b.deleteRange(Cf.IDS, from, to);
            b.deleteRange(Cf.LOG, from, to);
            return this;
        }

        Tx putRecord(long coll, long seq, byte[] encoded) {
            b.put(Cf.RECORDS, Bytes.key(coll, seq), encoded);
            return this;
        }

        Tx deleteRecord(long coll, long seq) {
            b.delete(Cf.RECORDS, Bytes.key(coll, seq));
            return this;
        }

        Tx putId(long coll, String id, long seq) {
            b.put(Cf.IDS, Bytes.key(coll, id), Bytes.key(seq));
            return this;
        }

        Tx deleteId(long coll, String id) {
            b.delete(Cf.IDS, Bytes.key(coll, id));
            return this;
        }

        Tx putLog(long coll, long opSeq, long[] seqs, int n) {
            b.put(Cf.LOG, Bytes.key(coll, opSeq), Bytes.longs(seqs, n));
            return this;
        }

        /** Drops log entries with opSeq ≤ through. */
        Tx truncateLog(long coll, long through) {
            b.deleteRange(Cf.LOG, Bytes.key(coll, 0L), Bytes.key(coll, through + 1));
            return this;
        }

        void commit() {
            b.commit();
        }

        @Override
        public void close() {
            b.close();
        }
    }

    @Override
    public void close() {
        kv.close();
    }
}
