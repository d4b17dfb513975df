package io.chroma.server.internal;

import io.chroma.api.BatchSizeExceededException;
import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.Database;
import io.chroma.api.Delete;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.ModifyCollection;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.Space;
import io.chroma.api.Tenant;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one application service behind both API versions: tenant, database, collection and record
 * operations on the engine, plus the request checks that must happen before the engine is called
 * (batch size, configuration shape). The v1 and v2 controllers only translate HTTP to these calls
 * and results/errors back to their version's wire shapes.
 */
public final class ChromaService {

    /** Chroma 1.x's request body limit, also ours. */
    public static final int MAX_BODY_BYTES = 40 * 1024 * 1024;

    private final Supplier<? extends ChromaClient> engine;
    private final Function<UUID, Optional<Collection>> findById;

    /**
     * @param client   the engine, bound to the default tenant and database
     * @param findById finds a collection by id in any tenant and database (the v1 API addresses
     *                 records by id alone)
     */
    public ChromaService(ChromaClient client, Function<UUID, Optional<Collection>> findById) {
        this(() -> client, findById);
    }

    /**
     * With an engine that may still be opening: {@code engine} waits for it. (The server builds its
     * HTTP side while the store opens, and binds the port only once the store is open.)
     */
    public ChromaService(Supplier<? extends ChromaClient> engine, Function<UUID, Optional<Collection>> findById) {
        this.engine = engine;
        this.findById = findById;
    }

    private ChromaClient client() {
        return engine.get();
    }

    public long heartbeat() {
        return client().heartbeat();
    }

    public int maxBatchSize() {
        return client().maxBatchSize();
    }

    public void reset() {
        client().reset();
    }

    // ---------------------------------------------------------------- tenants and databases

    public void createTenant(String name) {
        client().createTenant(name);
    }

    public Tenant getTenant(String name) {
        return client().getTenant(name);
    }

    public void createDatabase(String tenant, String name) {
        client().createDatabase(tenant, name);
    }

    public Database getDatabase(String tenant, String name) {
        return client().getDatabase(tenant, name);
    }

    public List<Database> listDatabases(String tenant, Integer limit, Integer offset) {
        return client().listDatabases(tenant, limit, offset);
    }

    public void deleteDatabase(String tenant, String name) {
        client().deleteDatabase(tenant, name);
    }

    // ---------------------------------------------------------------- collections

    private ChromaClient in(String tenant, String database) {
        return client().withDatabase(tenant, database);
    }

    public List<Collection> listCollections(String tenant, String database, Integer limit, Integer offset) {
        return in(tenant, database).listCollections(limit, offset);
    }

    public int countCollections(String tenant, String database) {
        return in(tenant, database).countCollections();
    }

    public Collection createCollection(String tenant, String database, CreateCollection request) {
        return in(tenant, database).createCollection(request);
    }

    public Collection getCollection(String tenant, String database, String name) {
        return in(tenant, database).getCollection(name);
    }

    /** A collection by id within one tenant and database (v2). */
    public Collection collection(String tenant, String database, UUID id) {
        return in(tenant, database).getCollectionById(id);
    }

    /** A collection by id wherever it lives (v1). */
    public Optional<Collection> collection(UUID id) {
        return findById.apply(id);
    }

    public void deleteCollection(String tenant, String database, String name) {
        in(tenant, database).deleteCollection(name);
    }

    public void modifyCollection(Collection c, ModifyCollection change) {
        c.modify(change);
    }

    // ---------------------------------------------------------------- records

    public void add(Collection c, Records records) {
        checkBatch(records.size());
        c.add(records);
    }

    public void update(Collection c, Records records) {
        checkBatch(records.size());
        c.update(records);
    }

    public void upsert(Collection c, Records records) {
        checkBatch(records.size());
        c.upsert(records);
    }

    public int delete(Collection c, Delete request) {
        if (request.ids() == null && request.where() == null && request.whereDocument() == null) {
            return 0; // Chroma 1.x: an empty delete deletes nothing
        }
        return c.delete(request);
    }

    public GetResult get(Collection c, Get request) {
        return c.get(request);
    }

    public QueryResult query(Collection c, Query request) {
        if (request.nResults() != null && request.nResults() == 0) {
            // Chroma 1.x answers n_results = 0 with one empty row per query, not an error
            int rows = request.queryEmbeddings() != null ? request.queryEmbeddings().size()
                    : request.queryTexts().size();
            List<io.chroma.api.Include> inc = request.effectiveInclude();
            return new QueryResult(empty(rows, true), empty(rows, inc.contains(io.chroma.api.Include.EMBEDDINGS)),
                    empty(rows, inc.contains(io.chroma.api.Include.DOCUMENTS)),
                    empty(rows, inc.contains(io.chroma.api.Include.METADATAS)),
                    empty(rows, inc.contains(io.chroma.api.Include.URIS)),
                    empty(rows, inc.contains(io.chroma.api.Include.DISTANCES)), List.copyOf(inc));
        }
        return c.query(request);
    }

    private static <T> List<List<T>> empty(int rows, boolean included) {
        return included ? java.util.Collections.nCopies(rows, List.of()) : null;
    }

    public int count(Collection c) {
        return c.count();
    }

    private void checkBatch(int size) {
        int max = client().maxBatchSize();
        if (size > max) {
            throw new BatchSizeExceededException(size, max);
        }
    }

    // ---------------------------------------------------------------- shared parsing helpers

    /** Parses a path segment as a collection id; Chroma 1.x's message when it is not one. */
    public static UUID collectionId(String segment) {
        try {
            if (segment.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(segment);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("Collection ID is not a valid UUIDv4");
        }
    }

    /**
     * The 1.x {@code configuration} object of create / modify: {@code hnsw} settings (or the
     * {@code spann} ones, of which only the space applies here) and the embedding function
     * descriptor, kept verbatim. {@code null} when nothing was configured.
     */
    @SuppressWarnings("unchecked")
    public static CollectionConfiguration configuration(Map<String, Object> json) {
        return configuration(json, false);
    }

    /** Keys Chroma 1.x's HNSW configuration accepts on create, and the subset it accepts on modify. */
    private static final java.util.Set<String> HNSW_CREATE_KEYS = java.util.Set.of("space", "ef_construction",
            "ef_search", "max_neighbors", "num_threads", "resize_factor", "sync_threshold", "batch_size");
    private static final java.util.Set<String> HNSW_UPDATE_KEYS = java.util.Set.of("ef_search", "max_neighbors",
            "num_threads", "resize_factor", "sync_threshold", "batch_size");

    /**
     * As {@link #configuration(Map)}; with {@code forUpdate} only the settings Chroma lets a
     * modify change are accepted (an unknown or immutable key is a 422 shape error, as in 1.x).
     */
    public static CollectionConfiguration configuration(Map<String, Object> json, boolean forUpdate) {
        if (json == null) {
            return null;
        }
        Object hnsw = json.get("hnsw");
        Object spann = json.get("spann");
        if (hnsw != null && spann != null) {
            throw new InvalidArgumentException("Multiple vector index configurations provided");
        }
        HnswConfiguration h = null;
        if (hnsw != null) {
            Map<String, Object> hm = requireMap("hnsw", hnsw);
            java.util.Set<String> allowed = forUpdate ? HNSW_UPDATE_KEYS : HNSW_CREATE_KEYS;
            for (String k : hm.keySet()) {
                if (!allowed.contains(k)) {
                    throw MalformedBodyException.type((forUpdate ? "new_configuration" : "configuration") + ".hnsw",
                            "unknown field `" + k + "`, expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            }
            String where = (forUpdate ? "new_configuration" : "configuration") + ".hnsw.";
            hm.forEach((k, v) -> checkHnswValueType(where + k, k, v));
            h = HnswConfiguration.fromJson(hm);
        } else if (spann != null) {
            Object space = requireMap("spann", spann).get("space");
            h = HnswConfiguration.DEFAULT.withSpace(space == null ? null : Space.fromWireName(String.valueOf(space)));
        }
        Object ef = json.get("embedding_function");
        Map<String, Object> efMap = ef == null ? null : requireMap("embedding_function", ef);
        if (h == null && efMap == null) {
            return null;
        }
        return new CollectionConfiguration(h, efMap);
    }

    /** The spaces' wire names, exactly (serde matches them case-sensitively). */
    private static final java.util.Set<String> SPACE_NAMES = java.util.Arrays.stream(Space.values())
            .map(Space::wireName).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static final java.util.Set<String> HNSW_SIZE_KEYS = java.util.Set.of("ef_construction", "ef_search",
            "max_neighbors", "num_threads", "sync_threshold", "batch_size");

    /**
     * Chroma 1.x reads {@code configuration.hnsw} into typed fields, so a value of the wrong type is
     * a 422 shape error in serde's words (a size must be a non-negative integer, the space one of
     * three names), before any range check.
     */
    private static void checkHnswValueType(String path, String key, Object v) {
        if (v == null) {
            return;
        }
        if (HNSW_SIZE_KEYS.contains(key)) {
            if (v instanceof Number n && !(v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal)) {
                if (n instanceof java.math.BigInteger b ? b.signum() < 0 : n.longValue() < 0) {
                    throw MalformedBodyException.type(path, "invalid value: integer `" + v + "`, expected usize");
                }
                return;
            }
            throw MalformedBodyException.type(path, serdeInvalidType(v) + ", expected usize");
        }
        if (key.equals("resize_factor") && !(v instanceof Number)) {
            throw MalformedBodyException.type(path, serdeInvalidType(v) + ", expected f64");
        }
        if (key.equals("space") && v instanceof String s && !SPACE_NAMES.contains(s)) {
            throw MalformedBodyException.type(path, "unknown variant `" + s + "`, expected one of `l2`, `cosine`, `ip`");
        }
    }

    /** serde_json's "invalid type" phrase for a JSON value. */
    private static String serdeInvalidType(Object v) {
        if (v instanceof String s) {
            return "invalid type: string \"" + s + "\"";
        }
        if (v instanceof Boolean b) {
            return "invalid type: boolean `" + b + "`";
        }
        if (v instanceof Number n) {
            return "invalid type: floating point `" + n + "`";
        }
        return v instanceof Map ? "invalid type: map" : "invalid type: sequence";
    }

    /** The old (0.5.x) {@code {"hnsw_configuration": {...}, "_type": ...}} configuration. */
    public static CollectionConfiguration legacyConfiguration(Map<String, Object> json) {
        if (json == null) {
            return null;
        }
        Object hnsw = json.get("hnsw_configuration");
        if (hnsw == null) {
            return null;
        }
        return CollectionConfiguration.of(HnswConfiguration.fromJson(requireMap("hnsw_configuration", hnsw)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requireMap(String field, Object v) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new InvalidArgumentException("Expected configuration field " + field + " to be an object, got " + v);
    }
}
