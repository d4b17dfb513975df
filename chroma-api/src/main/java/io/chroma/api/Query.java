package io.chroma.api;

import java.util.Arrays;
import java.util.List;

/**
 * A nearest-neighbour query: query embeddings (or texts, embedded by the collection's embedding
 * function), n_results (default 10), optional candidate ids, where and where_document filters,
 * and what to include (default: documents, metadatas, distances).
 */
public record Query(List<float[]> queryEmbeddings, List<String> queryTexts, Integer nResults, List<String> ids,
                    Where where, WhereDocument whereDocument, List<Include> include) {

    public static final int DEFAULT_N_RESULTS = 10;

    public static Query embeddings(float[]... embeddings) {
        return new Query(Arrays.asList(embeddings), null, null, null, null, null, null);
    }

    public static Query embeddings(List<float[]> embeddings) {
        return new Query(embeddings, null, null, null, null, null, null);
    }

    public static Query texts(String... texts) {
        return new Query(null, List.of(texts), null, null, null, null, null);
    }

    public static Query texts(List<String> texts) {
        return new Query(null, texts, null, null, null, null, null);
    }

    public Query nResults(int n) { return new Query(queryEmbeddings, queryTexts, n, ids, where, whereDocument, include); }

    public Query ids(String... v) { return ids(List.of(v)); }

    public Query ids(List<String> v) { return new Query(queryEmbeddings, queryTexts, nResults, v, where, whereDocument, include); }

    public Query where(Where v) { return new Query(queryEmbeddings, queryTexts, nResults, ids, v, whereDocument, include); }

    public Query whereDocument(WhereDocument v) { return new Query(queryEmbeddings, queryTexts, nResults, ids, where, v, include); }

    public Query include(Include... v) { return include(Arrays.asList(v)); }

    public Query include(List<Include> v) { return new Query(queryEmbeddings, queryTexts, nResults, ids, where, whereDocument, v); }

    public Query withEmbeddings(List<float[]> v) { return new Query(v, queryTexts, nResults, ids, where, whereDocument, include); }

    public int effectiveNResults() {
        return nResults == null ? DEFAULT_N_RESULTS : nResults;
    }

    public List<Include> effectiveInclude() {
        return include == null ? Include.QUERY_DEFAULT : include;
    }
}
