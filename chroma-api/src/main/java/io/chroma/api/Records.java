package io.chroma.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A batch of records for add, update and upsert: parallel lists, one entry per id. A field left
 * {@code null} is "not given"; inside a list a {@code null} entry is "nothing for this record"
 * (on update: leave unchanged). In update/upsert metadata a key mapped to {@code null} deletes it.
 *
 * <pre>{@code
 * collection.add(Records.ids("id1", "id2")
 *     .documents("doc one", "doc two")
 *     .metadatas(Map.of("source", "notion"), Map.of("source", "google-docs")));
 * }</pre>
 */
public record Records(
        List<String> ids,
        List<float[]> embeddings,
        List<String> documents,
        List<Map<String, Object>> metadatas,
        List<String> uris) {

    public static Records ids(String... ids) {
        return new Records(List.of(ids), null, null, null, null);
    }

    public static Records ids(List<String> ids) {
        return new Records(ids, null, null, null, null);
    }

    public Records embeddings(float[]... embeddings) {
        return embeddings(Arrays.asList(embeddings));
    }

    public Records embeddings(List<float[]> embeddings) {
        return new Records(ids, embeddings, documents, metadatas, uris);
    }

    public Records documents(String... documents) {
        return documents(Arrays.asList(documents));
    }

    public Records documents(List<String> documents) {
        return new Records(ids, embeddings, documents, metadatas, uris);
    }

    @SafeVarargs
    public final Records metadatas(Map<String, ?>... metadatas) {
        return metadatas(Arrays.asList(metadatas));
    }

    @SuppressWarnings("unchecked")
    public Records metadatas(List<? extends Map<String, ?>> metadatas) {
        return new Records(ids, embeddings, documents, (List<Map<String, Object>>) (List<?>) metadatas, uris);
    }

    public Records uris(String... uris) {
        return uris(Arrays.asList(uris));
    }

    public Records uris(List<String> uris) {
        return new Records(ids, embeddings, documents, metadatas, uris);
    }

    public int size() {
        return ids == null ? 0 : ids.size();
    }
}
