package io.chroma.core.internal;

import io.chroma.api.BatchSizeExceededException;
import io.chroma.api.Delete;
import io.chroma.api.DimensionMismatchException;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import io.chroma.api.internal.RecordBatches;
import io.chroma.core.internal.index.VectorIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * add / update / upsert / delete / get / query on one collection. Writes hold the collection's
 * write lock from the id lookup to the index update, commit exactly one RocksDB batch, and update
 * the index before returning, so a read that starts after a write returned sees it.
 */
final class RecordOps {
    private final Engine engine;
    private final RecordStore store;

    RecordOps(Engine engine) {
        this.engine = engine;
        this.store = engine.store;
    }

    // ---- writes ----

    void write(CollectionState s, Records records, RecordBatches.Kind kind, EmbeddingFunction ef) {
        if (records != null && records.ids() != null && records.ids().size() > engine.settings.maxBatchSize()) {
            throw new BatchSizeExceededException(records.ids().size(), engine.settings.maxBatchSize());
        }
        Engine.checkLive(s);
        // validation and embedding run outside the lock: they may be slow (an embedding model)
        Records r = RecordBatches.prepare(records, kind, ef);
        engine.run(() -> {
            s.writeLock.lock();
            try {
                Engine.checkLive(s);
                writeLocked(s, r, kind);
            } finally {
                s.writeLock.unlock();
            }
        });
    }

    private void writeLocked(CollectionState s, Records r, RecordBatches.Kind kind) {
        List<String> ids = r.ids();
        int n = ids.size();
        if (n == 0) {
            return;
        }
        Integer dim = s.dimension;
        if (r.embeddings() != null) {
            for (float[] e : r.embeddings()) {
                if (e != null) {
                    if (dim == null) {
                        dim = e.length;
                    } else if (e.length != dim) {
                        throw new DimensionMismatchException(dim, e.length);
                    }
                }
            }
        }
        long[] existing = store.lookupSeqs(s.seq, ids);
        // current values of records being updated, one batched read
        StoredRecord[] old = new StoredRecord[n];
        if (kind != RecordBatches.Kind.ADD) {
            int m = 0;
            for (long q : existing) {
                if (q >= 0) {
                    m++;
                }
            }
            if (m > 0) {
                long[] seqs = new long[m];
                int[] pos = new int[m];
                for (int i = 0, j = 0; i < n; i++) {
                    if (existing[i] >= 0) {
                        seqs[j] = existing[i];
                        pos[j++] = i;
                    }
                }
                List<byte[]> bytes = store.records(s.seq, seqs, 0, m);
                for (int j = 0; j < m; j++) {
                    byte[] b = bytes.get(j);
                    if (b != null) {
                        old[pos[j]] = StoredRecord.decode(b);
                    } else {
                        existing[pos[j]] = -1; // id map without record: treat as absent
                    }
                }
            }
        }
        long[] changedSeqs = new long[n];
        StoredRecord[] changed = new StoredRecord[n];
        int c = 0;
        int inserted = 0;
        long nextSeq = s.nextRecordSeq;
        try (RecordStore.Tx tx = store.tx()) {
            for (int i = 0; i < n; i++) {
                String id = ids.get(i);
                float[] emb = r.embeddings() == null ? null : r.embeddings().get(i);
                String doc = r.documents() == null ? null : r.documents().get(i);
                Map<String, Object> meta = r.metadatas() == null ? null : r.metadatas().get(i);
                String uri = r.uris() == null ? null : r.uris().get(i);
                StoredRecord rec;
                long seq;
                if (existing[i] < 0) {
                    if (kind == RecordBatches.Kind.UPDATE) {
                        Engine.LOG.log(System.Logger.Level.WARNING, "Update of nonexisting embedding ID: " + id
                                + " in collection " + s.name + "; skipped");
                        continue;
                    }
                    if (emb == null) {
                        throw new InvalidArgumentException("Expected an embedding for new record " + id);
                    }
                    seq = nextSeq++;
                    rec = new StoredRecord(id, emb, doc, stripNulls(meta), uri);
                    tx.putId(s.seq, id, seq);
                    inserted++;
                } else {
                    if (kind == RecordBatches.Kind.ADD) {
                        continue; // Chroma leaves an existing id unchanged
                    }
                    StoredRecord o = old[i];
                    seq = existing[i];
                    rec = new StoredRecord(id, emb != null ? emb : o.embedding(), doc != null ? doc : o.document(),
                            merge(o.metadata(), meta), uri != null ? uri : o.uri());
                }
                tx.putRecord(s.seq, seq, rec.encode());
                changedSeqs[c] = seq;
                changed[c++] = rec;
            }
            if (c == 0) {
                return;
            }
            long opSeq = s.lastOpSeq + 1;
            int newCount = s.count + inserted;
            tx.putLog(s.seq, opSeq, changedSeqs, c);
            tx.putCollection(s, s.encode(dim, newCount, nextSeq, opSeq, s.logTruncatedThrough));
            tx.commit();
            s.dimension = dim;
            s.nextRecordSeq = nextSeq;
            s.lastOpSeq = opSeq;
            s.count = newCount;
        }
        applyToIndex(s, changedSeqs, changed, c);
    }

    private void applyToIndex(CollectionState s, long[] seqs, StoredRecord[] recs, int c) {
        try {
            VectorIndex idx = engine.indexLocked(s);
            if (idx == null) {
                return;
            }
            // one call per batch: the index may parallelise it, and shows it to readers all at once
            List<VectorIndex.Change> changes = new ArrayList<>(c);
            for (int i = 0; i < c; i++) {
                if (recs == null || recs[i] == null) {
                    changes.add(VectorIndex.Change.delete(seqs[i]));
                } else {
                    StoredRecord r = recs[i];
                    changes.add(VectorIndex.Change.upsert(seqs[i], r.embedding(), r.metadata(), r.document()));
                }
            }
            idx.applyAll(changes);
            s.opsSinceCommit++;
            s.recordsSinceCommit += c;
            if (s.opsSinceCommit >= Engine.COMMIT_EVERY_OPS || s.recordsSinceCommit >= Engine.COMMIT_EVERY_RECORDS) {
                engine.commitIndexLocked(s, idx);
            }
        } catch (Exception e) {
            engine.recoverIndexLocked(s, e);
        }
    }

    private static Map<String, Object> stripNulls(Map<String, Object> meta) {
        if (meta == null || !meta.containsValue(null)) {
            return meta == null || meta.isEmpty() ? null : meta;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out.isEmpty() ? null : out;
    }

    /** Key-wise merge: a null value deletes the key; an empty result is "no metadata". */
    private static Map<String, Object> merge(Map<String, Object> old, Map<String, Object> change) {
        if (change == null) {
            return old;
        }
        Map<String, Object> out = old == null ? new LinkedHashMap<>() : new LinkedHashMap<>(old);
        change.forEach((k, v) -> {
            if (v == null) {
                out.remove(k);
            } else {
                out.put(k, v);
            }
        });
        return out.isEmpty() ? null : out;
    }

    int delete(CollectionState s, Delete d) {
        if (d == null || (d.ids() == null && d.where() == null && d.whereDocument() == null)) {
            throw new InvalidArgumentException("You must provide either ids, where, or where_document to delete. "
                    + "If you want to delete all data in a collection you can delete the collection itself");
        }
        if (d.ids() != null && d.ids().isEmpty() && d.where() == null && d.whereDocument() == null) {
            throw new InvalidArgumentException("Either ids or where must be specified");
        }
        if (d.limit() != null) {
            if (d.where() == null && d.whereDocument() == null) {
                throw new InvalidArgumentException("limit can only be specified when a where clause is provided");
            }
            if (d.limit() < 0) {
                throw new InvalidArgumentException("Expected limit to be a non-negative integer, got " + d.limit());
            }
        }
        List<String> ids = d.ids() == null ? null : checkIds(d.ids());
        Engine.checkLive(s);
        return engine.read(() -> {
            s.writeLock.lock();
            try {
                Engine.checkLive(s);
                long[] seqs = select(s, ids, d.where(), d.whereDocument());
                if (d.limit() != null && seqs.length > d.limit()) {
                    seqs = Arrays.copyOf(seqs, d.limit());
                }
                if (seqs.length == 0) {
                    return 0;
                }
                List<byte[]> recs = store.records(s.seq, seqs, 0, seqs.length);
                long[] gone = new long[seqs.length];
                int c = 0;
                try (RecordStore.Tx tx = store.tx()) {
                    for (int i = 0; i < seqs.length; i++) {
                        byte[] b = recs.get(i);
                        if (b == null) {
                            continue;
                        }
                        StoredRecord r = StoredRecord.decode(b, false, false, false, false);
                        tx.deleteRecord(s.seq, seqs[i]).deleteId(s.seq, r.id());
                        gone[c++] = seqs[i];
                    }
                    if (c == 0) {
                        return 0;
                    }
                    long opSeq = s.lastOpSeq + 1;
                    int newCount = s.count - c;
                    tx.putLog(s.seq, opSeq, gone, c);
                    tx.putCollection(s, s.encode(s.dimension, newCount, s.nextRecordSeq, opSeq, s.logTruncatedThrough));
                    tx.commit();
                    s.lastOpSeq = opSeq;
                    s.count = newCount;
                }
                applyToIndex(s, gone, null, c);
                return c;
            } finally {
                s.writeLock.unlock();
            }
        });
    }

    private static List<String> checkIds(List<?> ids) {
        for (Object id : ids) {
            if (!(id instanceof String)) {
                throw new InvalidArgumentException("Expected ID to be a str, got " + id);
            }
        }
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) ids;
        return out;
    }

    /**
     * Seqs (ascending = insertion order) of records matching ids (if given) and both filters.
     * With ids the filters are checked on the fetched records; without, the index filters.
     */
    private long[] select(CollectionState s, List<String> ids, Where where, WhereDocument whereDocument) {
        boolean filtered = where != null || whereDocument != null;
        if (ids != null) {
            long[] seqs = distinctSorted(store.lookupSeqs(s.seq, ids));
            if (!filtered || seqs.length == 0) {
                return seqs;
            }
            List<byte[]> recs = store.records(s.seq, seqs, 0, seqs.length);
            long[] out = new long[seqs.length];
            int n = 0;
            for (int i = 0; i < seqs.length; i++) {
                byte[] b = recs.get(i);
                if (b != null) {
                    StoredRecord r = StoredRecord.decode(b, false, true, true, false);
                    if (matches(r, where, whereDocument)) {
                        out[n++] = seqs[i];
                    }
                }
            }
            return Arrays.copyOf(out, n);
        }
        for (int attempt = 1; ; attempt++) {
            VectorIndex idx = engine.indexForRead(s);
            if (idx == null) {
                return new long[0];
            }
            try {
                return idx.filter(where, whereDocument);
            } catch (java.io.IOException e) {
                throw new io.chroma.api.ChromaException("InternalError", "Index filter failed: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                closedUnder(s, idx, e, attempt);
            }
        }
    }

    /**
     * Reads take no collection lock, so the index a read is using can be closed under it (Lucene's
     * AlreadyClosedException, which reached clients as a 500): by delete_collection, for the reader
     * the same NotFound as if the delete had come first; or as idle by the engine's open-index
     * budget (or replaced by a rebuild), and then the read simply runs again on the reopened index.
     * Returns to retry; throws otherwise.
     */
    private static void closedUnder(CollectionState s, VectorIndex used, RuntimeException e, int attempt) {
        if (s.deleted) {
            throw new io.chroma.api.NotFoundException("Collection [" + s.name + "] does not exist");
        }
        if (s.index == used || attempt >= 5) {
            throw e; // not closed under us: a real failure
        }
    }

    private static boolean matches(StoredRecord r, Where where, WhereDocument wd) {
        return (where == null || where.matches(r.metadata(), r.document()))
                && (wd == null || wd.matches(r.document()));
    }

    private static long[] distinctSorted(long[] seqs) {
        long[] out = Arrays.stream(seqs).filter(q -> q >= 0).sorted().distinct().toArray();
        return out;
    }

    // ---- reads ----

    GetResult get(CollectionState s, Get g) {
        Get req = g == null ? Get.all() : g;
        List<Include> include = req.effectiveInclude();
        // "distances" is accepted and echoed, with nothing to return, as Chroma 1.x does
        Engine.checkPage(req.limit(), req.offset());
        List<String> ids = req.ids() == null ? null : checkIds(req.ids());
        Engine.checkLive(s);
        boolean wantEmb = include.contains(Include.EMBEDDINGS), wantDoc = include.contains(Include.DOCUMENTS),
                wantMeta = include.contains(Include.METADATAS), wantUri = include.contains(Include.URIS);
        return engine.read(() -> {
            Engine.checkLive(s);
            Rows rows = new Rows(wantEmb, wantDoc, wantMeta, wantUri);
            int offset = req.offset() == null ? 0 : req.offset();
            int limit = req.limit() == null ? Integer.MAX_VALUE : req.limit();
            if (limit == 0) {
                return rows.toGet(include);
            }
            if (ids == null && req.where() == null && req.whereDocument() == null) {
                // everything in insertion order: one ordered scan, stopped at offset + limit
                int[] skipped = {0};
                store.scanRecords(s.seq, (seq, value) -> {
                    if (skipped[0] < offset) {
                        skipped[0]++;
                        return true;
                    }
                    rows.add(StoredRecord.decode(value, wantEmb, wantDoc, wantMeta, wantUri || wantMeta));
                    return rows.size() < limit;
                });
                return rows.toGet(include);
            }
            long[] seqs = select(s, ids, req.where(), req.whereDocument());
            int from = (int) Math.min(offset, seqs.length);
            int to = (int) Math.min((long) from + limit, seqs.length);
            List<byte[]> recs = store.records(s.seq, seqs, from, to);
            boolean filtered = req.where() != null || req.whereDocument() != null;
            for (byte[] b : recs) {
                if (b != null) { // deleted by a concurrent writer since the filter ran
                    StoredRecord r = StoredRecord.decode(b, wantEmb, wantDoc || filtered, wantMeta || filtered, wantUri || wantMeta);
                    if (!filtered || matches(r, req.where(), req.whereDocument())) {
                        rows.add(r);
                    }
                }
            }
            return rows.toGet(include);
        });
    }

    QueryResult query(CollectionState s, Query q, EmbeddingFunction ef) {
        if (q == null) {
            throw new InvalidArgumentException("Expected a query");
        }
        int k = q.effectiveNResults();
        if (k <= 0) {
            throw new InvalidArgumentException("Number of requested results " + k + ", cannot be negative, or zero.");
        }
        List<Include> include = q.effectiveInclude();
        List<float[]> queries = q.queryEmbeddings();
        if (queries != null && q.queryTexts() != null) {
            throw new InvalidArgumentException("You can only provide query embeddings or query texts, not both");
        }
        Engine.checkLive(s);
        if (queries == null) {
            if (q.queryTexts() == null) {
                throw new InvalidArgumentException("You must provide either query embeddings or query texts");
            }
            for (String t : q.queryTexts()) {
                if (t == null) {
                    throw new InvalidArgumentException("Query texts must not be null");
                }
            }
            if (ef == null) {
                throw new InvalidArgumentException("Query texts were given but the collection has no embedding "
                        + "function: pass query embeddings, or give the collection an embedding function");
            }
            queries = q.queryTexts().isEmpty() ? List.of() : ef.embedQuery(q.queryTexts());
            if (queries == null || queries.size() != q.queryTexts().size()) {
                throw new InvalidArgumentException("The embedding function returned a wrong number of embeddings");
            }
        }
        for (float[] e : queries) {
            if (e == null) {
                throw new InvalidArgumentException("Expected every query embedding to be a non-empty list of numbers");
            }
            RecordBatches.checkEmbedding(e);
        }
        List<String> ids = q.ids() == null ? null : checkIds(q.ids());
        final List<float[]> qs = queries;
        boolean wantEmb = include.contains(Include.EMBEDDINGS), wantDoc = include.contains(Include.DOCUMENTS),
                wantMeta = include.contains(Include.METADATAS), wantUri = include.contains(Include.URIS),
                wantDist = include.contains(Include.DISTANCES);
        return engine.read(() -> {
            Engine.checkLive(s);
            Integer dim = s.dimension;
            if (dim != null) {
                for (float[] e : qs) {
                    if (e.length != dim) {
                        throw new DimensionMismatchException(dim, e.length);
                    }
                }
            }
            List<Rows> out = new ArrayList<>(qs.size());
            VectorIndex idx = dim == null ? null : engine.indexForRead(s);
            long[] candidates = ids == null ? null : distinctSorted(store.lookupSeqs(s.seq, ids));
            Space space = s.space();
            int efSearch = s.configuration.hnsw().resolved().efSearch();
            boolean filtered = q.where() != null || q.whereDocument() != null;
            for (float[] query : qs) {
                Rows rows = new Rows(wantEmb, wantDoc, wantMeta, wantUri);
                out.add(rows);
                if (idx == null || (candidates != null && candidates.length == 0)) {
                    continue;
                }
                long[] hits;
                for (int attempt = 1; ; attempt++) {
                    try {
                        hits = idx.search(query, k, efSearch, q.where(), q.whereDocument(), candidates);
                        break;
                    } catch (java.io.IOException e) {
                        throw new io.chroma.api.ChromaException("InternalError", "Index search failed: " + e.getMessage(), e);
                    } catch (RuntimeException e) {
                        closedUnder(s, idx, e, attempt);
                        idx = engine.indexForRead(s);
                    }
                }
                List<byte[]> recs = store.records(s.seq, hits, 0, hits.length);
                // Every candidate is ranked by the distance to its stored vector (the index's
                // similarity only ranks, and over quantized vectors only approximately); only the
                // k that are returned are decoded whole.
                List<Hit> ranked = new ArrayList<>(hits.length);
                for (int i = 0; i < hits.length; i++) {
                    byte[] b = recs.get(i);
                    if (b == null) {
                        continue; // deleted by a concurrent writer since the search ran
                    }
                    float[] stored = StoredRecord.decode(b, true, false, false, false).embedding();
                    ranked.add(new Hit(b, stored, space.distance(query, stored), hits[i]));
                }
                ranked.sort((a, b) -> a.distance != b.distance ? Float.compare(a.distance, b.distance)
                        : Long.compare(a.seq, b.seq));
                for (Hit h : ranked) {
                    if (rows.size() == k) {
                        break;
                    }
                    // the vector was decoded for the ranking; the rest now
                    StoredRecord rest = StoredRecord.decode(h.record, false, wantDoc || filtered, wantMeta || filtered, wantUri || wantMeta);
                    StoredRecord r = new StoredRecord(rest.id(), h.embedding, rest.document(), rest.metadata(), rest.uri());
                    if (filtered && !matches(r, q.where(), q.whereDocument())) {
                        // rewritten by a concurrent writer between the index search and this read
                        // (ConcurrencyTest saw a where batch=A query return batch B): the index
                        // matched the old version; what is returned must match the filter now. The
                        // store read is one snapshot, so a batch is dropped whole, never in part.
                        continue;
                    }
                    rows.add(r);
                    rows.distances.add(h.distance);
                }
            }
            return toQuery(out, include, wantDist);
        });
    }

    /** A candidate's stored bytes, its vector (decoded for the ranking) and exact distance. */
    private record Hit(byte[] record, float[] embedding, float distance, long seq) {
    }

    private static QueryResult toQuery(List<Rows> rows, List<Include> include, boolean wantDist) {
        List<List<String>> ids = new ArrayList<>();
        List<List<float[]>> embs = include.contains(Include.EMBEDDINGS) ? new ArrayList<>() : null;
        List<List<String>> docs = include.contains(Include.DOCUMENTS) ? new ArrayList<>() : null;
        List<List<Map<String, Object>>> metas = include.contains(Include.METADATAS) ? new ArrayList<>() : null;
        List<List<String>> uris = include.contains(Include.URIS) ? new ArrayList<>() : null;
        List<List<Float>> dists = wantDist ? new ArrayList<>() : null;
        for (Rows r : rows) {
            ids.add(r.ids);
            if (embs != null) embs.add(r.embeddings);
            if (docs != null) docs.add(r.documents);
            if (metas != null) metas.add(r.metadatas);
            if (uris != null) uris.add(r.uris);
            if (dists != null) dists.add(r.distances);
        }
        return new QueryResult(ids, embs, docs, metas, uris, dists, List.copyOf(include));
    }

    /** Column builder for results. */
    private static final class Rows {
        final List<String> ids = new ArrayList<>();
        final List<float[]> embeddings;
        final List<String> documents;
        final List<Map<String, Object>> metadatas;
        final List<String> uris;
        final List<Float> distances = new ArrayList<>();

        Rows(boolean emb, boolean doc, boolean meta, boolean uri) {
            embeddings = emb ? new ArrayList<>() : null;
            documents = doc ? new ArrayList<>() : null;
            metadatas = meta ? new ArrayList<>() : null;
            uris = uri ? new ArrayList<>() : null;
        }

        int size() {
            return ids.size();
        }

        void add(StoredRecord r) {
            ids.add(r.id());
            if (embeddings != null) embeddings.add(r.embedding());
            if (documents != null) documents.add(r.document());
            // Chroma keeps a record's uri among its metadata: a record with a uri and no metadata
            // comes back with empty metadata, not none (the uri is decoded whenever metadata is)
            if (metadatas != null) metadatas.add(r.metadata() == null && r.uri() != null ? Map.of() : r.metadata());
            if (uris != null) uris.add(r.uri());
        }

        GetResult toGet(List<Include> include) {
            return new GetResult(ids, embeddings, documents, metadatas, uris, List.copyOf(include));
        }
    }
}
