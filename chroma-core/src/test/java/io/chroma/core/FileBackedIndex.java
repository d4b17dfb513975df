package io.chroma.core;

import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import io.chroma.core.internal.index.ExactIndex;
import io.chroma.core.internal.index.IndexSettings;
import io.chroma.core.internal.index.VectorIndex;
import io.chroma.core.internal.index.VectorIndexFactory;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A durable index for tests, standing in for the Lucene one: commit() writes every entry and the
 * op seq to {@code index.bin} (atomically, by rename); open reads it back and throws on a corrupt
 * file. Exercises the engine's catch-up-from-log and rebuild paths.
 */
final class FileBackedIndex implements VectorIndex {
    static final VectorIndexFactory FACTORY = FileBackedIndex::open;
    static final String FILE = "index.bin";

    private final Path dir;
    private final ExactIndex exact;
    private final TreeMap<Long, Object[]> entries = new TreeMap<>();
    private long committed = -1;

    private FileBackedIndex(Path dir, IndexSettings settings) {
        this.dir = dir;
        this.exact = new ExactIndex(settings);
    }

    @SuppressWarnings("unchecked")
    static VectorIndex open(Path dir, IndexSettings settings) throws IOException {
        FileBackedIndex idx = new FileBackedIndex(dir, settings);
        Path file = dir == null ? null : dir.resolve(FILE);
        if (file != null && Files.exists(file)) {
            try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
                idx.committed = in.readLong();
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    long seq = in.readLong();
                    float[] v = (float[]) in.readObject();
                    Map<String, Object> m = (Map<String, Object>) in.readObject();
                    String d = (String) in.readObject();
                    idx.upsert(seq, v, m, d);
                }
            } catch (ClassNotFoundException | RuntimeException e) {
                throw new IOException("corrupt index file " + file, e);
            }
        }
        return idx;
    }

    @Override
    public synchronized void upsert(long seq, float[] vector, Map<String, Object> metadata, String document) {
        exact.upsert(seq, vector, metadata, document);
        entries.put(seq, new Object[]{vector, metadata == null ? null : new HashMap<>(metadata), document});
    }

    @Override
    public synchronized void delete(long seq) {
        exact.delete(seq);
        entries.remove(seq);
    }

    @Override
    public long[] filter(Where where, WhereDocument whereDocument) {
        return exact.filter(where, whereDocument);
    }

    @Override
    public long[] search(float[] query, int k, int ef, Where where, WhereDocument whereDocument, long[] candidates) {
        return exact.search(query, k, ef, where, whereDocument, candidates);
    }

    @Override
    public long[] sparseCandidates(String key, int[] indices, Where where, long[] candidates, long[] docFreq) {
        return exact.sparseCandidates(key, indices, where, candidates, docFreq);
    }

    @Override
    public TextHits fullText(String text, int k, Where where, long[] candidates) {
        return exact.fullText(text, k, where, candidates);
    }

    @Override
    public int size() {
        return exact.size();
    }

    @Override
    public synchronized void commit(long appliedOpSeq) throws IOException {
        if (dir == null) {
            return;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(tmp))) {
            out.writeLong(appliedOpSeq);
            out.writeInt(entries.size());
            for (Map.Entry<Long, Object[]> e : entries.entrySet()) {
                out.writeLong(e.getKey());
                out.writeObject(e.getValue()[0]);
                out.writeObject(e.getValue()[1]);
                out.writeObject(e.getValue()[2]);
            }
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = appliedOpSeq;
    }

    @Override
    public long committedOpSeq() {
        return committed;
    }

    @Override
    public synchronized void clear() {
        exact.clear();
        entries.clear();
    }

    @Override
    public void close() {
        exact.close();
    }

}
