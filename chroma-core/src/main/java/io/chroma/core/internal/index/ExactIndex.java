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

    /**
     * Brute-force BM25 with Lucene's formula ({@code idf · tf / (tf + k1·(1 − b + b·dl/avgdl))},
     * k1 1.2, b 0.75, statistics over documents with at least one token). Lucene stores document
     * lengths lossily (one byte), so its scores differ slightly; orderings agree on clear cases.
     */
    @Override
    public TextHits fullText(String text, int k, Where where, long[] candidates) {
        java.util.List<String> terms = LuceneFields.analyze(text);
        if (k <= 0 || terms.isEmpty()) {
            return new TextHits(new long[0], new float[0]);
        }
        lock.readLock().lock();
        try {
            Map<Long, Map<String, Integer>> tfs = new TreeMap<>();
            Map<String, Integer> df = new java.util.HashMap<>();
            long totalLength = 0;
            for (Map.Entry<Long, Entry> e : entries.entrySet()) {
                if (e.getValue().document() == null) {
                    continue;
                }
                java.util.List<String> tokens = tokens(e.getValue().document());
                if (tokens.isEmpty()) {
                    continue;
                }
                Map<String, Integer> tf = new java.util.HashMap<>();
                tokens.forEach(t -> tf.merge(t, 1, Integer::sum));
                tf.put("", tokens.size()); // the length, under a key no token can have
                tfs.put(e.getKey(), tf);
                totalLength += tokens.size();
                for (String t : terms) {
                    if (tf.containsKey(t)) {
                        df.merge(t, 1, Integer::sum);
                    }
                }
            }
            int docCount = tfs.size();
            double avg = docCount == 0 ? 1 : (double) totalLength / docCount;
            java.util.List<Long> seqs = new java.util.ArrayList<>();
            java.util.List<Float> scores = new java.util.ArrayList<>();
            java.util.Set<Long> allowed = null;
            if (candidates != null) {
                allowed = new java.util.HashSet<>();
                for (long c : candidates) {
                    allowed.add(c);
                }
            }
            for (Map.Entry<Long, Map<String, Integer>> e : tfs.entrySet()) {
                Entry en = entries.get(e.getKey());
                if ((allowed != null && !allowed.contains(e.getKey())) || !matches(en, where, null)) {
                    continue;
                }
                Map<String, Integer> tf = e.getValue();
                double dl = tf.get("");
                float score = 0;
                boolean any = false;
                for (String t : terms) {
                    Integer f = tf.get(t);
                    if (f == null) {
                        continue;
                    }
                    any = true;
                    int n = df.get(t);
                    double idf = Math.log(1 + (docCount - n + 0.5) / (n + 0.5));
                    score += (float) (idf * f / (f + 1.2 * (1 - 0.75 + 0.75 * dl / avg)));
                }
                if (any) {
                    seqs.add(e.getKey());
                    scores.add(score);
                }
            }
            Integer[] order = new Integer[seqs.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int c = Float.compare(scores.get(b), scores.get(a));
                return c != 0 ? c : Long.compare(seqs.get(a), seqs.get(b));
            });
            int n = Math.min(k, order.length);
            long[] outSeqs = new long[n];
            float[] outScores = new float[n];
            for (int i = 0; i < n; i++) {
                outSeqs[i] = seqs.get(order[i]);
                outScores[i] = scores.get(order[i]);
            }
            return new TextHits(outSeqs, outScores);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long[] sparseCandidates(String key, int[] indices, Where where, long[] candidates, long[] docFreq) {
        java.util.Set<Integer> wanted = new java.util.HashSet<>();
        for (int i : indices) {
            wanted.add(i);
        }
        lock.readLock().lock();
        try {
            java.util.List<Long> out = new java.util.ArrayList<>();
            for (Map.Entry<Long, Entry> e : entries.entrySet()) {
                Object v = e.getValue().metadata() == null ? null : e.getValue().metadata().get(key);
                if (!(v instanceof io.chroma.api.SparseVector sv)) {
                    continue;
                }
                boolean any = false;
                for (int d : sv.indices()) {
                    if (wanted.contains(d)) {
                        any = true;
                        if (docFreq != null) {
                            for (int t = 0; t < indices.length; t++) {
                                if (indices[t] == d) {
                                    docFreq[t]++;
                                }
                            }
                        }
                    }
                }
                if (any && (candidates == null || Arrays.binarySearch(candidates, e.getKey()) >= 0)
                        && matches(e.getValue(), where, null)) {
                    out.add(e.getKey());
                }
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** All tokens of a document, repeats kept (the analysis of {@link LuceneFields#TEXT}). */
    private static java.util.List<String> tokens(String text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (var ts = LuceneFields.TEXT_ANALYZER.tokenStream(LuceneFields.TEXT, text)) {
            var term = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
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
