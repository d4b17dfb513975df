package io.chroma.core.internal;

import io.chroma.api.InvalidArgumentException;

import java.util.Map;

/**
 * Reads what a collection's Chroma 1.x {@code schema} says about sparse-vector keys. The schema
 * is stored and echoed as given; only these settings are interpreted:
 * {@code keys.<key>.sparse_vector.sparse_vector_index.enabled} (a sparse {@code $knn} needs it
 * when the collection has a schema) and {@code ...config.bm25} (IDF weighting of the query).
 * A collection created without a schema (e.g. from Java) may search any sparse key by plain dot product.
 */
final class CollectionSchema {
    private CollectionSchema() {
    }

    static Map<String, Object> validated(Map<String, Object> schema) {
        if (schema == null) {
            return null;
        }
        if (Boolean.TRUE.equals(at(schema, "defaults", "sparse_vector", "sparse_vector_index", "enabled"))) {
            throw new InvalidArgumentException("Failed to reconcile schema: Invalid schema input: Sparse vector index "
                    + "cannot be enabled by default. Please enable sparse vector index on specific keys.");
        }
        return schema;
    }

    /** Throws Chroma's 400 when the schema does not enable a sparse index on {@code key}. */
    static void requireSparseIndex(CollectionState s, String key) {
        Map<String, Object> schema = s.configuration.schema();
        if (schema == null) {
            return;
        }
        if (!Boolean.TRUE.equals(at(schema, "keys", key, "sparse_vector", "sparse_vector_index", "enabled"))) {
            throw new InvalidArgumentException("Cannot filter using metadata key '" + key
                    + "' with type 'SparseVector' because indexing is disabled");
        }
    }

    static boolean bm25(CollectionState s, String key) {
        Map<String, Object> schema = s.configuration.schema();
        if (schema == null) {
            return false;
        }
        Object own = at(schema, "keys", key, "sparse_vector", "sparse_vector_index", "config", "bm25");
        if (own != null) {
            return Boolean.TRUE.equals(own);
        }
        return Boolean.TRUE.equals(at(schema, "defaults", "sparse_vector", "sparse_vector_index", "config", "bm25"));
    }

    private static Object at(Map<String, Object> m, String... path) {
        Object cur = m;
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> map)) {
                return null;
            }
            cur = map.get(p);
        }
        return cur;
    }
}
