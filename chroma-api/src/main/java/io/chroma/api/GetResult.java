package io.chroma.api;

import java.util.List;
import java.util.Map;

/**
 * The records a get returned, as parallel lists. A field that was not included is {@code null};
 * an included field has one entry per id (entries may be {@code null}: no document, no metadata).
 */
public record GetResult(
        List<String> ids,
        List<float[]> embeddings,
        List<String> documents,
        List<Map<String, Object>> metadatas,
        List<String> uris,
        List<Include> include) {

    public int size() {
        return ids.size();
    }

    public static GetResult empty(List<Include> include) {
        return new GetResult(List.of(),
                include.contains(Include.EMBEDDINGS) ? List.of() : null,
                include.contains(Include.DOCUMENTS) ? List.of() : null,
                include.contains(Include.METADATAS) ? List.of() : null,
                include.contains(Include.URIS) ? List.of() : null,
                List.copyOf(include));
    }
}
