package io.chroma.core.internal;

import io.chroma.api.ChromaException;
import io.chroma.api.DimensionMismatchException;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.SparseVector;
import io.chroma.api.Where;
import io.chroma.api.search.Key;
import io.chroma.api.search.Knn;
import io.chroma.api.search.Search;
import io.chroma.api.search.SearchResult;
import io.chroma.core.internal.index.VectorIndex;
import io.chroma.core.internal.search.Grouping;
import io.chroma.core.internal.search.IdFilter;
import io.chroma.core.internal.search.LeafResult;
import io.chroma.core.internal.search.RankEvaluator;
import io.chroma.core.internal.search.RankEvaluator.Scored;
import io.chroma.core.internal.search.SparseScorer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chroma's Search API on one collection: per payload, filter → each {@code $knn} leaf over the
 * filtered records → rank expression → group → sort (score, insertion order) → page → select.
 * Dense leaves use the vector index (distances recomputed exactly, as /query does, from the
 * index's copy of the vectors in l2 and ip, which is the written float32 values, and from the stored
 * records in cosine, whose index holds normalised copies),
 * full-text leaves Lucene BM25, sparse leaves the index's dimension terms plus exact scoring from
 * the stored vectors.
 */
final class SearchOps {
    private final Engine engine;
    private final RecordStore store;

    SearchOps(Engine engine) {
        this.engine = engine;
        this.store = engine.store;
    }

    /** The filter as the index takes it: a where for the index, or an explicit candidate set. */
    private record Plan(Where where, long[] candidates) {
    }

    private static final class Row {
        final List<String> ids = new ArrayList<>();
        final List<String> documents = new ArrayList<>();
        final List<float[]> embeddings = new ArrayList<>();
        final List<Map<String, Object>> metadatas = new ArrayList<>();
        final List<Float> scores = new ArrayList<>();
    }

    SearchResult search(CollectionState s, List<Search> searches) {
        if (searches == null) {
            throw new InvalidArgumentException("Expected a list of searches");
        }
        for (int i = 0; i < searches.size(); i++) {
            searches.get(i).validate(i);
        }
        Engine.checkLive(s);
        List<Row> rows = engine.read(() -> {
            Engine.checkLive(s);
            List<Row> out = new ArrayList<>(searches.size());
            for (Search search : searches) {
                out.add(one(s, search));
            }
            return out;
        });
        List<List<String>> ids = new ArrayList<>(), docs = new ArrayList<>(), select = new ArrayList<>();
        List<List<float[]>> embs = new ArrayList<>();
        List<List<Map<String, Object>>> metas = new ArrayList<>();
        List<List<Float>> scores = new ArrayList<>();
        for (int i = 0; i < searches.size(); i++) {
            Search q = searches.get(i);
            Row r = rows.get(i);
            List<String> keys = q.sortedSelect();
            ids.add(r.ids);
            docs.add(keys.contains(Key.DOCUMENT) ? r.documents : null);
            embs.add(keys.contains(Key.EMBEDDING) ? r.embeddings : null);
            metas.add(wantsMetadata(keys) ? r.metadatas : null);
            scores.add(keys.contains(Key.SCORE) ? r.scores : null);
            select.add(keys);
        }
        return new SearchResult(ids, docs, embs, metas, scores, select);
    }

    private static boolean wantsMetadata(List<String> keys) {
        for (String k : keys) {
            if (!k.equals(Key.DOCUMENT) && !k.equals(Key.EMBEDDING) && !k.equals(Key.SCORE)) {
                return true; // #metadata, a metadata field, or #id (which switches the column on, as in Chroma)
            }
        }
        return false;
    }

    private Row one(CollectionState s, Search q) {
        Row row = new Row();
        if (s.dimension == null) {
            return row; // nothing written yet: no index, no records
        }
        VectorIndex idx = engine.indexForRead(s);
        if (idx == null) {
            return row;
        }
        try {
            Plan plan = plan(s, idx, q.filter());
            List<Scored> ranked;
            if (q.rank() == null) {
                long[] seqs = plan.candidates != null ? plan.candidates : idx.filter(plan.where, null);
                ranked = new ArrayList<>();
                int from = (int) Math.min(q.offset(), seqs.length);
                int to = q.limit() == null ? seqs.length : (int) Math.min((long) from + q.limit(), seqs.length);
                for (int i = from; i < to; i++) {
                    // no rank: the score is the position within the page (Chroma)
                    ranked.add(new Scored(seqs[i], i - from));
                }
                fill(s, q, row, ranked);
                return row;
            }
            List<LeafResult> leaves = new ArrayList<>();
            for (Knn k : q.rank().knnLeaves()) {
                leaves.add(leaf(s, idx, plan, k));
            }
            ranked = new ArrayList<>(RankEvaluator.evaluate(q.rank(), leaves));
            if (q.grouped()) {
                Map<Long, Map<String, Object>> meta = metadataOf(s, ranked);
                ranked = Grouping.apply(ranked, q.groupBy(), meta::get);
            } else {
                RankEvaluator.sort(ranked);
            }
            int from = (int) Math.min(q.offset(), ranked.size());
            int to = q.limit() == null ? ranked.size() : (int) Math.min((long) from + q.limit(), ranked.size());
            fill(s, q, row, ranked.subList(from, to));
            return row;
        } catch (IOException e) {
            throw new ChromaException("InternalError", "Index search failed: " + e.getMessage(), e);
        }
    }

    private Plan plan(CollectionState s, VectorIndex idx, Where filter) throws IOException {
        if (filter == null || !IdFilter.mentionsId(filter)) {
            return new Plan(filter, null);
        }
        long[][] all = {null};
        long[] seqs = IdFilter.evaluate(filter, w -> {
            try {
                return idx.filter(w, null);
            } catch (IOException e) {
                throw new ChromaException("InternalError", "Index filter failed: " + e.getMessage(), e);
            }
        }, ids -> store.lookupSeqs(s.seq, ids), () -> {
            if (all[0] == null) {
                try {
                    all[0] = idx.filter(null, null);
                } catch (IOException e) {
                    throw new ChromaException("InternalError", "Index filter failed: " + e.getMessage(), e);
                }
            }
            return all[0];
        });
        return new Plan(null, seqs);
    }

    private LeafResult leaf(CollectionState s, VectorIndex idx, Plan plan, Knn k) throws IOException {
        if (k.limit() == 0 || (plan.candidates != null && plan.candidates.length == 0)) {
            return LeafResult.empty();
        }
        if (k.dense() != null) {
            if (k.dense().length != s.dimension) {
                throw new DimensionMismatchException(s.dimension, k.dense().length);
            }
            int ef = s.configuration.hnsw().resolved().efSearch();
            VectorIndex.DenseHits dense = idx.searchWithDistances(k.dense(), k.limit(), ef, plan.where, null,
                    plan.candidates);
            long[] hits = dense.seqs();
            List<Scored> found = new ArrayList<>(hits.length);
            if (dense.distances() != null) {
                // from the index's copies, which are the stored float32 values: no record reads
                for (int i = 0; i < hits.length; i++) {
                    found.add(new Scored(hits[i], dense.distances()[i]));
                }
                return sorted(found);
            }
            // the index ranked approximately (quantized vectors) or not at all (cosine's normalised
            // copies): rank its candidates by the stored vectors and keep the limit
            List<byte[]> recs = store.records(s.seq, hits, 0, hits.length);
            for (int i = 0; i < hits.length; i++) {
                if (recs.get(i) != null) {
                    StoredRecord r = StoredRecord.decode(recs.get(i), true, false, false, false);
                    found.add(new Scored(hits[i], s.space().distance(k.dense(), r.embedding())));
                }
            }
            RankEvaluator.sort(found);
            return leafOf(found.size() > k.limit() ? found.subList(0, k.limit()) : found);
        }
        if (k.text() != null) {
            VectorIndex.TextHits hits = idx.fullText(k.text(), k.limit(), plan.where, plan.candidates);
            List<Scored> found = new ArrayList<>(hits.seqs().length);
            for (int i = 0; i < hits.seqs().length; i++) {
                found.add(new Scored(hits.seqs()[i], 1f - hits.scores()[i]));
            }
            return sorted(found);
        }
        return sparseLeaf(s, idx, plan, k);
    }

    /**
     * Sparse {@code $knn}: the index finds the records sharing a dimension with the query (Chroma's
     * compacted index returns only those too); each is scored exactly from its stored vector.
     */
    private LeafResult sparseLeaf(CollectionState s, VectorIndex idx, Plan plan, Knn k) throws IOException {
        SparseVector query = k.sparse();
        CollectionSchema.requireSparseIndex(s, k.key());
        boolean bm25 = CollectionSchema.bm25(s, k.key());
        long[] docFreq = bm25 ? new long[query.indices().length] : null;
        long[] seqs = idx.sparseCandidates(k.key(), query.indices(), plan.where, plan.candidates, docFreq);
        SparseVector q = SparseScorer.weighted(query, docFreq, s.count);
        List<Scored> found = new ArrayList<>(seqs.length);
        List<byte[]> recs = store.records(s.seq, seqs, 0, seqs.length);
        for (int i = 0; i < seqs.length; i++) {
            if (recs.get(i) == null) {
                continue; // deleted since
            }
            Map<String, Object> m = StoredRecord.decode(recs.get(i), false, false, true, false).metadata();
            if (m != null && m.get(k.key()) instanceof SparseVector doc) {
                found.add(new Scored(seqs[i], 1f - q.dot(doc)));
            }
        }
        LeafResult all = sorted(found);
        int n = Math.min(k.limit(), all.seqs().length);
        return new LeafResult(Arrays.copyOf(all.seqs(), n), Arrays.copyOf(all.scores(), n));
    }

    private static LeafResult sorted(List<Scored> found) {
        RankEvaluator.sort(found);
        return leafOf(found);
    }

    /** {@code ranked} (already in rank order) as a leaf result. */
    private static LeafResult leafOf(List<Scored> ranked) {
        long[] seqs = new long[ranked.size()];
        float[] scores = new float[ranked.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = ranked.get(i).seq();
            scores[i] = ranked.get(i).score();
        }
        return new LeafResult(seqs, scores);
    }

    private Map<Long, Map<String, Object>> metadataOf(CollectionState s, List<Scored> ranked) {
        long[] seqs = ranked.stream().mapToLong(Scored::seq).toArray();
        List<byte[]> recs = store.records(s.seq, seqs, 0, seqs.length);
        Map<Long, Map<String, Object>> out = new HashMap<>();
        for (int i = 0; i < seqs.length; i++) {
            if (recs.get(i) != null) {
                out.put(seqs[i], StoredRecord.decode(recs.get(i), false, false, true, false).metadata());
            }
        }
        return out;
    }

    private void fill(CollectionState s, Search q, Row row, List<Scored> page) {
        List<String> keys = q.sortedSelect();
        boolean wantDoc = keys.contains(Key.DOCUMENT), wantEmb = keys.contains(Key.EMBEDDING),
                wantAllMeta = keys.contains(Key.METADATA), wantMeta = wantsMetadata(keys);
        long[] seqs = page.stream().mapToLong(Scored::seq).toArray();
        List<byte[]> recs = store.records(s.seq, seqs, 0, seqs.length);
        for (int i = 0; i < seqs.length; i++) {
            byte[] b = recs.get(i);
            if (b == null) {
                continue; // deleted by a concurrent writer since the search ran
            }
            StoredRecord r = StoredRecord.decode(b, wantEmb, wantDoc, wantMeta, false);
            row.ids.add(r.id());
            row.documents.add(r.document());
            row.embeddings.add(r.embedding());
            row.metadatas.add(wantAllMeta ? r.metadata() : project(r.metadata(), keys));
            row.scores.add(page.get(i).score());
        }
    }

    /** Only the selected metadata fields the record has; {@code null} when none. */
    private static Map<String, Object> project(Map<String, Object> metadata, List<String> keys) {
        if (metadata == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) {
            if (metadata.containsKey(k)) {
                out.put(k, metadata.get(k));
            }
        }
        return out.isEmpty() ? null : out;
    }
}
