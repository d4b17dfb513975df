package io.chroma.client.internal;

import io.chroma.api.ChromaServerException;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.HnswConfiguration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the server says about a collection (its Collection JSON), as one immutable snapshot so a
 * handle can swap it atomically after a modify.
 */
public record CollectionInfo(UUID id, String name, String tenant, String database, Map<String, Object> metadata,
                             CollectionConfiguration configuration, Integer dimension) {

    /** The keys {@link HnswConfiguration#fromJson} understands; newer servers may add others. */
    private static final Set<String> HNSW_KEYS = Set.of("space", "ef_construction", "ef_search", "max_neighbors",
            "num_threads", "resize_factor", "sync_threshold", "batch_size");

    public static CollectionInfo fromJson(Object json) {
        Map<String, Object> n = Json.object(json);
        if (n == null || !(n.get("id") instanceof String id) || !(n.get("name") instanceof String name)) {
            throw new ChromaServerException("ChromaError", "Unexpected collection JSON from the server: " + json, 200);
        }
        // 0.5/0.6 servers send configuration_json in their old "_type" shape: read it as defaults
        Map<String, Object> cfg = Json.object(n.get("configuration_json"));
        HnswConfiguration hnsw = HnswConfiguration.DEFAULT;
        Map<String, Object> ef = null;
        if (cfg != null) {
            Map<String, Object> h = Json.object(cfg.get("hnsw"));
            if (h != null) {
                Map<String, Object> known = new LinkedHashMap<>();
                h.forEach((k, v) -> {
                    if (HNSW_KEYS.contains(k)) {
                        known.put(k, v);
                    }
                });
                hnsw = HnswConfiguration.fromJson(known);
            }
            ef = Json.object(cfg.get("embedding_function"));
        }
        return new CollectionInfo(
                UUID.fromString(id),
                name,
                Json.string(n.get("tenant")),
                Json.string(n.get("database")),
                Json.object(n.get("metadata")),
                new CollectionConfiguration(hnsw, ef, Json.object(n.get("schema"))),
                Json.integer(n.get("dimension")));
    }

    public CollectionInfo withName(String v) {
        return new CollectionInfo(id, v, tenant, database, metadata, configuration, dimension);
    }

    public CollectionInfo withMetadata(Map<String, Object> v) {
        return new CollectionInfo(id, name, tenant, database, v, configuration, dimension);
    }

    public CollectionInfo withConfiguration(CollectionConfiguration v) {
        return new CollectionInfo(id, name, tenant, database, metadata, v, dimension);
    }

    public CollectionInfo withDimension(Integer v) {
        return new CollectionInfo(id, name, tenant, database, metadata, configuration, v);
    }
}
