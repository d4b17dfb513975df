package io.chroma.core.internal;

import io.chroma.api.CollectionConfiguration;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.Space;
import io.chroma.core.internal.index.VectorIndex;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything the engine knows about one live collection: its catalog row (persisted as one value,
 * rewritten in the same write batch as every data change so counters never drift from the data)
 * and its runtime parts (writer lock, opened index).
 *
 * <p>Fields written only under {@link #writeLock} (and, for name/metadata/config, also the
 * engine's catalog mutex); the volatile ones are read without locks.
 */
final class CollectionState {
    private static final int VERSION = 1;

    final UUID id;
    /** dense internal number used as the key prefix of this collection's records, ids and log */
    final long seq;
    final String tenant;
    final String database;
    final long createdOrder;

    volatile String name;
    volatile Map<String, Object> metadata;
    volatile CollectionConfiguration configuration;
    volatile Integer dimension;
    volatile int count;
    long nextRecordSeq;
    long lastOpSeq = -1;
    long logTruncatedThrough = -1;

    // ---- runtime only ----
    final ReentrantLock writeLock = new ReentrantLock();
    volatile VectorIndex index;
    volatile boolean deleted;
    int opsSinceCommit;
    long recordsSinceCommit;
    /** the embedding function last given for or rebuilt from this collection, reused by later handles */
    volatile EmbeddingFunction embeddingFunction;

    CollectionState(UUID id, long seq, String tenant, String database, long createdOrder, String name,
                    Map<String, Object> metadata, CollectionConfiguration configuration) {
        this.id = id;
        this.seq = seq;
        this.tenant = tenant;
        this.database = database;
        this.createdOrder = createdOrder;
        this.name = name;
        this.metadata = metadata;
        this.configuration = configuration;
    }

    Space space() {
        return configuration.hnsw().resolved().space();
    }

    byte[] encode() {
        return encode(dimension, count, nextRecordSeq, lastOpSeq, logTruncatedThrough);
    }

    /** The row with the given counters (a write encodes its tentative counters before it commits). */
    byte[] encode(Integer dim, int cnt, long nextSeq, long opSeq, long truncated) {
        Bytes.Writer w = new Bytes.Writer(256);
        w.u8(VERSION).i64(seq).string(tenant).string(database).zigzag(createdOrder).string(name);
        w.value(metadata);
        w.value(hnswMap(configuration.hnsw()));
        w.value(configuration.embeddingFunction());
        w.zigzag(dim == null ? -1 : dim).zigzag(cnt).zigzag(nextSeq).zigzag(opSeq).zigzag(truncated);
        if (configuration.schema() != null) {
            w.value(configuration.schema()); // optional tail: rows written before schemas end here
        }
        return w.toBytes();
    }

    @SuppressWarnings("unchecked")
    static CollectionState decode(UUID id, byte[] b) {
        Bytes.Reader r = new Bytes.Reader(b);
        int v = r.u8();
        if (v != VERSION) {
            throw new IllegalStateException("unknown collection row format " + v);
        }
        long seq = r.i64();
        String tenant = r.string();
        String database = r.string();
        long order = r.zigzag();
        String name = r.string();
        Map<String, Object> metadata = (Map<String, Object>) r.value();
        Map<String, Object> hnsw = (Map<String, Object>) r.value();
        Map<String, Object> ef = (Map<String, Object>) r.value();
        CollectionState s = new CollectionState(id, seq, tenant, database, order, name,
                metadata == null ? null : java.util.Collections.unmodifiableMap(metadata),
                new CollectionConfiguration(hnswFromMap(hnsw), ef));
        int dim = (int) r.zigzag();
        s.dimension = dim < 0 ? null : dim;
        s.count = (int) r.zigzag();
        s.nextRecordSeq = r.zigzag();
        s.lastOpSeq = r.zigzag();
        s.logTruncatedThrough = r.zigzag();
        if (r.remaining() > 0) {
            s.configuration = s.configuration.withSchema((Map<String, Object>) r.value());
        }
        return s;
    }

    /** Only the fields that were set, so "unset = Chroma's default" survives a restart. */
    private static Map<String, Object> hnswMap(HnswConfiguration h) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (h.space() != null) m.put("space", h.space().wireName());
        if (h.efConstruction() != null) m.put("ef_construction", (long) h.efConstruction());
        if (h.efSearch() != null) m.put("ef_search", (long) h.efSearch());
        if (h.maxNeighbors() != null) m.put("max_neighbors", (long) h.maxNeighbors());
        if (h.numThreads() != null) m.put("num_threads", (long) h.numThreads());
        if (h.resizeFactor() != null) m.put("resize_factor", h.resizeFactor());
        if (h.syncThreshold() != null) m.put("sync_threshold", (long) h.syncThreshold());
        if (h.batchSize() != null) m.put("batch_size", (long) h.batchSize());
        return m;
    }

    private static HnswConfiguration hnswFromMap(Map<String, Object> m) {
        return HnswConfiguration.fromJson(m);
    }
}
