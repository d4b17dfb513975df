package io.chroma.core.internal.index;

import io.chroma.api.Where;
import io.chroma.api.WhereDocument;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The derived, rebuildable index of one collection: vectors for nearest-neighbour search and
 * metadata/documents for filters. Records are addressed by their internal sequence number
 * ({@code seq}, dense per collection, insertion order). RocksDB holds the truth; everything here
 * can be rebuilt from it, so an implementation may lose uncommitted work on a crash.
 *
 * <p>Threading: one writer at a time (the engine serialises writes per collection), any number
 * of concurrent readers. A read started after a write returned sees that write.
 */
public interface VectorIndex extends Closeable {

    /** Adds or replaces the record {@code seq}. {@code metadata} values are normalised (String/Long/Double/Boolean/List). */
    void upsert(long seq, float[] vector, Map<String, Object> metadata, String document) throws IOException;

    void delete(long seq) throws IOException;

    /**
     * One record's change in a batch: an upsert ({@code delete} false, {@code vector} required) or
     * a delete of {@code seq}.
     */
    record Change(long seq, float[] vector, Map<String, Object> metadata, String document, boolean delete) {
        public static Change upsert(long seq, float[] vector, Map<String, Object> metadata, String document) {
            return new Change(seq, vector, metadata, document, false);
        }

        public static Change delete(long seq) {
            return new Change(seq, null, null, null, true);
        }
    }

    /**
     * Applies one write batch, each seq at most once. Implementations may apply it in parallel and
     * should make it visible to readers all at once (a read sees the whole batch or none of it);
     * this default applies the changes one by one.
     */
    default void applyAll(List<Change> changes) throws IOException {
        for (Change c : changes) {
            if (c.delete()) {
                delete(c.seq());
            } else {
                upsert(c.seq(), c.vector(), c.metadata(), c.document());
            }
        }
    }

    /**
     * Seqs of all records matching both filters (either may be {@code null} = no filter), ascending.
     * Exact: the result equals applying {@link Where#matches} / {@link WhereDocument#matches} to every record.
     */
    long[] filter(Where where, WhereDocument whereDocument) throws IOException;

    /**
     * The seqs nearest to {@code query}, nearest first, among records that match the filters and,
     * when {@code candidates} is non-null, whose seq is in {@code candidates} (sorted ascending).
     * An index that scores the vectors as written returns up to {@code k}; one that scores
     * compressed copies returns more candidates, ranked by its approximate similarity, and the
     * caller ranks them by the exact distance to the stored vectors and keeps {@code k}. When at most
     * {@code k} records qualify, all of them are returned (exact search).
     * {@code ef} is Chroma's ef_search; implementations search with a beam of at least {@code k} that grows with it.
     */
    long[] search(float[] query, int k, int ef, Where where, WhereDocument whereDocument, long[] candidates)
            throws IOException;

    /**
     * Dense hits: seqs nearest first and, when the index holds every hit's vector exactly as written
     * (the same float32 values the record store has), the collection space's distance from the
     * query to each ({@link io.chroma.api.Space#distance}, bit for bit what the stored vectors
     * give); otherwise {@code distances} is null.
     */
    record DenseHits(long[] seqs, float[] distances) {
    }

    /**
     * {@link #search} that also returns the hits' exact distances when the index has the original
     * vectors, so that callers need not read the records. The default has none.
     */
    default DenseHits searchWithDistances(float[] query, int k, int ef, Where where, WhereDocument whereDocument,
            long[] candidates) throws IOException {
        return new DenseHits(search(query, k, ef, where, whereDocument, candidates), null);
    }

    /** Full-text hits: seqs best first with their BM25 scores (higher is better). */
    record TextHits(long[] seqs, float[] scores) {
    }

    /**
     * The {@code k} records whose documents best match {@code text} by BM25 (k1 1.2, b 0.75) over
     * lower-cased word tokens, among records matching {@code where} and, when non-null,
     * {@code candidates} (ascending). Records sharing no term with the query are not returned.
     */
    TextHits fullText(String text, int k, Where where, long[] candidates) throws IOException;

    /**
     * Seqs (ascending) of records whose sparse vector under metadata {@code key} has at least one of
     * {@code indices}, among records matching {@code where} and {@code candidates} (when non-null).
     * {@code docFreq}, when non-null, receives per index the number of records (unfiltered) whose
     * vector under {@code key} has it.
     */
    long[] sparseCandidates(String key, int[] indices, Where where, long[] candidates, long[] docFreq) throws IOException;

    /** Number of records in the index. */
    int size() throws IOException;

    /**
     * Makes everything applied so far durable, recording {@code appliedOpSeq}: the engine's
     * write-log position up to which this index is complete.
     */
    void commit(long appliedOpSeq) throws IOException;

    /** The {@code appliedOpSeq} of the last durable commit, or -1 for a new or empty index. */
    long committedOpSeq();

    /** Removes every record (used before a rebuild). */
    void clear() throws IOException;

    /**
     * Rewrites the index without the space of deleted and replaced records, makes the result
     * durable under the same {@link #committedOpSeq()} (the records it holds do not change), and
     * deletes files nothing needs any more. The engine calls it right after a {@link #commit}, with
     * the collection's writes held. Default: nothing to reclaim (in-memory indexes).
     */
    default void reclaimSpace() throws IOException {
    }

    /**
     * Holds the last durable commit's files on disk until the returned handle is closed, so a
     * backup can copy them while writes and merges go on; empty when the index keeps nothing on
     * disk. The engine commits right before, with the collection's writes held.
     */
    default Optional<HeldCommit> holdCommit() throws IOException {
        return Optional.empty();
    }

    /** Files (names relative to {@code dir}) of one held commit, valid until {@link #close()}. */
    interface HeldCommit extends Closeable {
        Path dir();

        List<String> files();

        /** The commit's {@link #committedOpSeq()}. */
        long opSeq();

        @Override
        void close();
    }
}
