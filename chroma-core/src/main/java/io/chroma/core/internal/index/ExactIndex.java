package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Brute force, in memory: every search computes the exact distance to every qualifying record.
 * It is the engine's reference index (the oracle the HNSW index is tested against) and the index
 * of small or ephemeral stores. Nothing is durable: {@link #committedOpSeq()} is always -1, so the
 * engine rebuilds it from the record store whenever it is opened.
 */
public final class ExactIndex implements VectorIndex {

    private record Entry(float[] vector, Map<String, Object> metadata, String document) {
    }

    private final Space space;
    private final int dimension;
    /** seq → entry, ordered so filters return seqs ascending without sorting. */
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public ExactIndex(IndexSettings settings) {
        this.space = settings.space() == null ? Space.L2 : settings.space();
        this.dimension = settings.dimension();
    }

    @Override
    public void upsert(long seq, float[] vector, Map<String, Object> metadata, String document) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector of dimension " + vector.length + " in an index of " + dimension);
        }
        lock.writeLock().lock();
        try {
            entries.put(seq, new Entry(vector, metadata, document));
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void delete(long seq) {
        lock.writeLock().lock();
        try {
            entries.remove(seq);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public long[] filter(Where where, WhereDocument whereDocument) {
        lock.readLock().lock();
        try {
            long[] out = new long[entries.size()];
            int n = 0;
            for (Map.Entry<Long, Entry> e : entries.entrySet()) {
                if (matches(e.getValue(), where, whereDocument)) {
                    out[n++] = e.getKey();
                }
            }
            return Arrays.copyOf(out, n);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static boolean matches(Entry e, Where where, WhereDocument whereDocument) {
        return (where == null || where.matches(e.metadata(), e.document()))
                && (whereDocument == null || whereDocument.matches(e.document()));
    }

    @Override
    public long[] search(float[] query, int k, int ef, Where where, WhereDocument whereDocument, long[] candidates) {
        if (k <= 0) {
            return new long[0];
        }
        lock.readLock().lock();
        try {
            int cap = candidates == null ? entries.size() : Math.min(entries.size(), candidates.length);
            long[] seqs = new long[cap];
            float[] dist = new float[cap];
            int n = 0;
            if (candidates == null) {
                for (Map.Entry<Long, Entry> e : entries.entrySet()) {
                    Entry en = e.getValue();
                    if (matches(en, where, whereDocument)) {
                        seqs[n] = e.getKey();
                        dist[n++] = space.distance(query, en.vector());
                    }
                }
            } else {
                for (long seq : candidates) {
                    Entry en = entries.get(seq);
                    if (en != null && matches(en, where, whereDocument) && n < cap) {
                        seqs[n] = seq;
                        dist[n++] = space.distance(query, en.vector());
                    }
                }
            }
            // keep the k best by (distance, seq) in a bounded heap whose head is the worst kept
            final long[] sq = seqs;
            final float[] d = dist;
            java.util.Comparator<Integer> better = (a, b) -> {
                int c = Float.compare(d[a], d[b]);
                return c != 0 ? c : Long.compare(sq[a], sq[b]);
            };
            java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(Math.min(k, Math.max(1, n)) + 1,
                    better.reversed());
            for (int i = 0; i < n; i++) {
                if (heap.size() < k) {
                    heap.add(i);
                } else if (better.compare(i, heap.peek()) < 0) {
                    heap.poll();
                    heap.add(i);
                }
            }
            long[] out = new long[heap.size()];
            for (int i = out.length - 1; i >= 0; i--) {
                out[i] = seqs[heap.poll()];
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return entries.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void commit(long appliedOpSeq) {
        // nothing durable: the engine rebuilds this index from the record store on open
    }

    @Override
    public long committedOpSeq() {
        return -1;
    }

    @Override
    public void clear() {
        lock.writeLock().lock();
        try {
            entries.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        clear();
    }
}
