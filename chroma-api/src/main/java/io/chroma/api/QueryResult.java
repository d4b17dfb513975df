package io.chroma.api;

import java.util.List;
import java.util.Map;

/**
 * The result of a query: one row per query embedding, each row ordered nearest first. A field
 * that was not included is {@code null}; otherwise it has one list per query row.
 */
public record QueryResult(
        List<List<String>> ids,
        List<List<float[]>> embeddings,
        List<List<String>> documents,
        List<List<Map<String, Object>>> metadatas,
        List<List<String>> uris,
        List<List<Float>> distances,
        List<Include> include) {

    /** Number of query rows. */
    public int rows() {
        return ids.size();
    }
}
