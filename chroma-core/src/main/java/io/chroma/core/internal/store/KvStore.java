package io.chroma.core.internal.store;

import java.io.Closeable;
import java.util.List;

/**
 * The only door to the durable key-value store (RocksDB in {@link RocksKvStore}): a few column
 * families, point reads, batched reads, ordered range scans, and atomic write batches. Keeping
 * the engine on this small surface makes crash behaviour easy to reason about: every change the
 * engine makes is one {@link Batch}, applied all-or-nothing with the write-ahead log on.
 */
public interface KvStore extends Closeable {

    /** Kinds of data, kept apart so scans and range deletes of one kind never touch another. */
    enum Cf {
        /** tenants, databases, collections, per-collection counters, store-wide counters */
        CATALOG("catalog"),
        /** collection seq | record seq → encoded record */
        RECORDS("records"),
        /** collection seq | user id → record seq */
        IDS("ids"),
        /** collection seq | op seq → record seqs the op touched (index catch-up log) */
        LOG("log");

        public final String cfName;

        Cf(String cfName) {
            this.cfName = cfName;
        }
    }

    byte[] get(Cf cf, byte[] key);

    /** One value (or null) per key, in order; one round trip. */
    List<byte[]> multiGet(Cf cf, List<byte[]> keys);

    /** Visits keys in [from, to) in ascending byte order until the visitor returns false. */
    void scan(Cf cf, byte[] from, byte[] to, Visitor visitor);

    @FunctionalInterface
    interface Visitor {
        boolean visit(byte[] key, byte[] value);
    }

    Batch batch();

    /**
     * Rewrites every column family down to the bottommost level so that deleted and overwritten
     * values (and their tombstones) stop taking space. Safe while writes continue.
     */
    void compact();

    /**
     * A consistent point-in-time copy of the whole store in {@code target}, which must not exist
     * yet. Every {@link Batch} is in the copy entirely or not at all.
     */
    void checkpoint(java.nio.file.Path target);

    /**
     * Writes what the store buffers in memory (RocksDB's memtables) to its files, so that the
     * memory can go back to the system after a bulk load. Durability does not depend on it.
     */
    default void flushMemory() {
    }

    /** Collects changes; {@link #commit()} applies them atomically and durably (WAL). */
    interface Batch extends AutoCloseable {
        Batch put(Cf cf, byte[] key, byte[] value);

        Batch delete(Cf cf, byte[] key);

        /** Deletes keys in [from, to). */
        Batch deleteRange(Cf cf, byte[] from, byte[] to);

        void commit();

        @Override
        void close();
    }

    @Override
    void close();
}
