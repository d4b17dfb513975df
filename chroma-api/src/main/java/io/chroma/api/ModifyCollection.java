package io.chroma.api;

import java.util.Map;

/**
 * A change to a collection: a new name, new metadata (replaces the old wholesale), and/or new
 * HNSW settings (only {@code ef_search} and similar query-time settings may change; the space never).
 */
public record ModifyCollection(String newName, Map<String, Object> newMetadata, HnswConfiguration newHnsw) {

    public static ModifyCollection name(String newName) {
        return new ModifyCollection(newName, null, null);
    }

    @SuppressWarnings("unchecked")
    public static ModifyCollection metadata(Map<String, ?> newMetadata) {
        return new ModifyCollection(null, (Map<String, Object>) newMetadata, null);
    }

    public static ModifyCollection hnsw(HnswConfiguration newHnsw) {
        return new ModifyCollection(null, null, newHnsw);
    }

    @SuppressWarnings("unchecked")
    public ModifyCollection withMetadata(Map<String, ?> v) {
        return new ModifyCollection(newName, (Map<String, Object>) v, newHnsw);
    }

    public ModifyCollection withName(String v) {
        return new ModifyCollection(v, newMetadata, newHnsw);
    }

    public ModifyCollection withHnsw(HnswConfiguration v) {
        return new ModifyCollection(newName, newMetadata, v);
    }
}
