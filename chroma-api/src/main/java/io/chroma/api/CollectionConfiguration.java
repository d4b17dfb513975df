package io.chroma.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A collection's configuration in Chroma 1.x terms: the HNSW settings and the embedding
 * function descriptor ({@code {"type":"known","name":..,"config":{..}}}), which is stored and
 * echoed verbatim so clients can rebuild their embedding function from it.
 */
public record CollectionConfiguration(HnswConfiguration hnsw, Map<String, Object> embeddingFunction,
                                      Map<String, Object> schema) {

    public static final CollectionConfiguration DEFAULT = new CollectionConfiguration(HnswConfiguration.DEFAULT, null);

    public CollectionConfiguration {
        hnsw = hnsw == null ? HnswConfiguration.DEFAULT : hnsw;
        embeddingFunction = embeddingFunction == null ? null : Map.copyOf(embeddingFunction);
        // kept as given (nested maps, key order): clients read it back verbatim
        schema = schema == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schema));
    }

    /** Without a Chroma 1.x {@code schema} (index settings per key, e.g. sparse-vector indexes). */
    public CollectionConfiguration(HnswConfiguration hnsw, Map<String, Object> embeddingFunction) {
        this(hnsw, embeddingFunction, null);
    }

    public CollectionConfiguration withSchema(Map<String, Object> s) {
        return new CollectionConfiguration(hnsw, embeddingFunction, s);
    }

    public static CollectionConfiguration of(HnswConfiguration hnsw) {
        return new CollectionConfiguration(hnsw, null);
    }

    public CollectionConfiguration withHnsw(HnswConfiguration h) {
        return new CollectionConfiguration(h, embeddingFunction, schema);
    }

    public CollectionConfiguration withEmbeddingFunction(Map<String, Object> ef) {
        return new CollectionConfiguration(hnsw, ef, schema);
    }

    /** The descriptor Chroma records for an embedding function. */
    public static Map<String, Object> describe(EmbeddingFunction ef) {
        if (ef == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "known");
        out.put("name", ef.name());
        out.put("config", ef.config());
        return out;
    }

    /** The 1.x {@code configuration_json} object. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hnsw", hnsw.toJson());
        out.put("spann", null);
        out.put("embedding_function", embeddingFunction);
        return out;
    }
}
