package io.chroma.api.search;

import java.util.List;
import java.util.Map;

/**
 * The answer to a batch of searches, column-major like Chroma's {@code SearchResponse}: each list
 * has one entry per search payload, in request order. A payload's entry is {@code null} in
 * {@code documents}, {@code embeddings}, {@code metadatas} or {@code scores} when that column was
 * not selected. Metadata entries hold only the selected fields unless {@code #metadata} was selected.
 */
public record SearchResult(
        List<List<String>> ids,
        List<List<String>> documents,
        List<List<float[]>> embeddings,
        List<List<Map<String, Object>>> metadatas,
        List<List<Float>> scores,
        List<List<String>> select) {

    /** Number of payloads answered. */
    public int size() {
        return ids.size();
    }
}
