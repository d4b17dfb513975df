package io.chroma.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HNSW index settings of a collection. A {@code null} field means "Chroma's default"; see
 * {@link #resolved()}. Legacy {@code hnsw:*} collection metadata keys map onto these fields.
 */
public record HnswConfiguration(
        Space space,
        Integer efConstruction,
        Integer efSearch,
        Integer maxNeighbors,
        Integer numThreads,
        Double resizeFactor,
        Integer syncThreshold,
        Integer batchSize) {

    public static final int DEFAULT_EF_CONSTRUCTION = 100;
    public static final int DEFAULT_EF_SEARCH = 100;
    public static final int DEFAULT_MAX_NEIGHBORS = 16;
    public static final double DEFAULT_RESIZE_FACTOR = 1.2;
    public static final int DEFAULT_SYNC_THRESHOLD = 1000;
    public static final int DEFAULT_BATCH_SIZE = 100;

    public static final HnswConfiguration DEFAULT = new HnswConfiguration(
            null, null, null, null, null, null, null, null);

    public HnswConfiguration {
        // As Chroma 1.x: ef_construction and ef_search 0 are accepted (the graph's build and search
        // then use at least the links and the results wanted), so are 0 threads, sync threshold and
        // batch size, which a single node does not use. max_neighbors 0 is refused: real Chroma
        // accepts it and its server dies on the first add; above 512 Lucene has no such graph.
        if (efConstruction != null && efConstruction < 0) {
            throw new InvalidArgumentException("ef_construction must be a non-negative integer, got " + efConstruction);
        }
        if (efSearch != null && efSearch < 0) {
            throw new InvalidArgumentException("ef_search must be a non-negative integer, got " + efSearch);
        }
        if (maxNeighbors != null && (maxNeighbors < 1 || maxNeighbors > 512)) {
            throw new InvalidArgumentException("max_neighbors (hnsw:M) must be between 1 and 512, got " + maxNeighbors);
        }
        if (numThreads != null && numThreads < 0) {
            throw new InvalidArgumentException("num_threads must be a non-negative integer, got " + numThreads);
        }
        if (syncThreshold != null && syncThreshold < 0) {
            throw new InvalidArgumentException("sync_threshold must be a non-negative integer, got " + syncThreshold);
        }
        if (batchSize != null && batchSize < 0) {
            throw new InvalidArgumentException("batch_size must be a non-negative integer, got " + batchSize);
        }
    }

    /** The same settings with every default filled in. */
    public HnswConfiguration resolved() {
        return new HnswConfiguration(
                space == null ? Space.L2 : space,
                efConstruction == null ? DEFAULT_EF_CONSTRUCTION : efConstruction,
                efSearch == null ? DEFAULT_EF_SEARCH : efSearch,
                maxNeighbors == null ? DEFAULT_MAX_NEIGHBORS : maxNeighbors,
                numThreads,
                resizeFactor == null ? DEFAULT_RESIZE_FACTOR : resizeFactor,
                syncThreshold == null ? DEFAULT_SYNC_THRESHOLD : syncThreshold,
                batchSize == null ? DEFAULT_BATCH_SIZE : batchSize);
    }

    public HnswConfiguration withSpace(Space s) {
        return new HnswConfiguration(s, efConstruction, efSearch, maxNeighbors, numThreads, resizeFactor, syncThreshold, batchSize);
    }

    public HnswConfiguration withEfSearch(Integer v) {
        return new HnswConfiguration(space, efConstruction, v, maxNeighbors, numThreads, resizeFactor, syncThreshold, batchSize);
    }

    public HnswConfiguration withEfConstruction(Integer v) {
        return new HnswConfiguration(space, v, efSearch, maxNeighbors, numThreads, resizeFactor, syncThreshold, batchSize);
    }

    public HnswConfiguration withMaxNeighbors(Integer v) {
        return new HnswConfiguration(space, efConstruction, efSearch, v, numThreads, resizeFactor, syncThreshold, batchSize);
    }

    /**
     * Reads the legacy {@code hnsw:*} keys from collection metadata (Chroma 0.x style). Unknown
     * {@code hnsw:} keys and values of the wrong type are errors, as in Chroma.
     */
    public static HnswConfiguration fromLegacyMetadata(Map<String, ?> metadata) {
        HnswConfiguration c = DEFAULT;
        if (metadata == null) {
            return c;
        }
        Space space = null;
        Integer efc = null, efs = null, m = null, threads = null, sync = null, batch = null;
        Double resize = null;
        for (Map.Entry<String, ?> e : metadata.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("hnsw:")) {
                continue;
            }
            Object v = e.getValue();
            switch (k) {
                case "hnsw:space" -> {
                    if (!(v instanceof String s)) {
                        throw invalid(k, v);
                    }
                    space = Space.fromWireName(s);
                }
                case "hnsw:construction_ef" -> efc = intValue(k, v);
                case "hnsw:search_ef" -> efs = intValue(k, v);
                case "hnsw:M" -> m = intValue(k, v);
                case "hnsw:num_threads" -> threads = intValue(k, v);
                case "hnsw:sync_threshold" -> sync = intValue(k, v);
                case "hnsw:batch_size" -> batch = intValue(k, v);
                case "hnsw:resize_factor" -> {
                    if (!(v instanceof Number n) || v instanceof Boolean) {
                        throw invalid(k, v);
                    }
                    resize = n.doubleValue();
                }
                default -> throw new InvalidArgumentException("Unknown HNSW parameter: " + k);
            }
        }
        return new HnswConfiguration(space, efc, efs, m, threads, resize, sync, batch);
    }

    /** Reads the 1.x {@code configuration.hnsw} JSON object. Unknown keys are errors. */
    public static HnswConfiguration fromJson(Map<String, ?> json) {
        if (json == null) {
            return DEFAULT;
        }
        Space space = null;
        Integer efc = null, efs = null, m = null, threads = null, sync = null, batch = null;
        Double resize = null;
        for (Map.Entry<String, ?> e : json.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            switch (k) {
                case "space" -> {
                    if (!(v instanceof String s)) {
                        throw invalid(k, v);
                    }
                    space = Space.fromWireName(s);
                }
                case "ef_construction" -> efc = intValue(k, v);
                case "ef_search" -> efs = intValue(k, v);
                case "max_neighbors", "M" -> m = intValue(k, v);
                case "num_threads" -> threads = intValue(k, v);
                case "sync_threshold" -> sync = intValue(k, v);
                case "batch_size" -> batch = intValue(k, v);
                case "resize_factor" -> {
                    if (!(v instanceof Number n) || v instanceof Boolean) {
                        throw invalid(k, v);
                    }
                    resize = n.doubleValue();
                }
                case "_type" -> { }
                default -> throw new InvalidArgumentException("Unknown HNSW configuration parameter: " + k);
            }
        }
        return new HnswConfiguration(space, efc, efs, m, threads, resize, sync, batch);
    }

    /** The 1.x {@code configuration_json.hnsw} shape, defaults filled in. */
    public Map<String, Object> toJson() {
        HnswConfiguration r = resolved();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("space", r.space.wireName());
        out.put("ef_construction", r.efConstruction);
        out.put("ef_search", r.efSearch);
        out.put("max_neighbors", r.maxNeighbors);
        out.put("resize_factor", r.resizeFactor);
        out.put("sync_threshold", r.syncThreshold);
        return out;
    }

    /** Overlays the non-null fields of {@code other} on this configuration. */
    public HnswConfiguration merge(HnswConfiguration other) {
        if (other == null) {
            return this;
        }
        return new HnswConfiguration(
                other.space != null ? other.space : space,
                other.efConstruction != null ? other.efConstruction : efConstruction,
                other.efSearch != null ? other.efSearch : efSearch,
                other.maxNeighbors != null ? other.maxNeighbors : maxNeighbors,
                other.numThreads != null ? other.numThreads : numThreads,
                other.resizeFactor != null ? other.resizeFactor : resizeFactor,
                other.syncThreshold != null ? other.syncThreshold : syncThreshold,
                other.batchSize != null ? other.batchSize : batchSize);
    }

    private static Integer intValue(String key, Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            long l = ((Number) v).longValue();
            if (l >= Integer.MIN_VALUE) {
                // Chroma takes any 64-bit size; beyond 2^31 - 1 a beam or threshold means "all" here too
                return (int) Math.min(l, Integer.MAX_VALUE);
            }
        } else if (v instanceof java.math.BigInteger b && b.signum() > 0) {
            return Integer.MAX_VALUE;
        }
        throw invalid(key, v);
    }

    private static InvalidArgumentException invalid(String key, Object v) {
        return new InvalidArgumentException("Invalid value for HNSW parameter: " + key + " = " + v);
    }
}
