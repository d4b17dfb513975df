package io.chroma.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The entry point, as in Chroma's usage guide: a client is bound to one tenant and database
 * (by default {@code default_tenant} / {@code default_database}) and manages its collections.
 * Implementations: {@code PersistentClient} and {@code EphemeralClient} (chroma-core, in-process)
 * and {@code HttpClient} (chroma-client). Thread-safe.
 */
public interface ChromaClient extends AutoCloseable {

    String DEFAULT_TENANT = "default_tenant";
    String DEFAULT_DATABASE = "default_database";

    /** Nanoseconds since the epoch; proves the client (or server) is alive. */
    long heartbeat();

    String version();

    /** Deletes everything. Refused with {@link ResetNotAllowedException} unless reset was allowed. */
    void reset();

    /** The largest batch add/update/upsert accept. */
    int maxBatchSize();

    String tenant();

    String database();

    /** A client on the same store (or server) bound to another tenant and database. */
    ChromaClient withDatabase(String tenant, String database);

    // ---- tenants and databases (Chroma's AdminClient) ----

    Tenant createTenant(String name);

    Tenant getTenant(String name);

    Database createDatabase(String tenant, String name);

    Database getDatabase(String tenant, String name);

    List<Database> listDatabases(String tenant, Integer limit, Integer offset);

    void deleteDatabase(String tenant, String name);

    // ---- collections of this client's tenant and database ----

    Collection createCollection(CreateCollection request);

    default Collection createCollection(String name) {
        return createCollection(CreateCollection.named(name));
    }

    default Collection createCollection(String name, Map<String, ?> metadata) {
        return createCollection(CreateCollection.named(name).metadata(metadata));
    }

    default Collection getOrCreateCollection(String name) {
        return createCollection(CreateCollection.named(name).getOrCreate(true));
    }

    default Collection getOrCreateCollection(String name, Map<String, ?> metadata) {
        return createCollection(CreateCollection.named(name).metadata(metadata).getOrCreate(true));
    }

    default Collection getOrCreateCollection(CreateCollection request) {
        return createCollection(request.getOrCreate(true));
    }

    default Collection getCollection(String name) {
        return getCollection(name, null);
    }

    /**
     * Gets a collection by name. With {@code embeddingFunction == null} the collection's recorded
     * function is rebuilt where this client knows it; otherwise the given one is used.
     */
    Collection getCollection(String name, EmbeddingFunction embeddingFunction);

    Collection getCollectionById(UUID id);

    List<Collection> listCollections(Integer limit, Integer offset);

    default List<Collection> listCollections() {
        return listCollections(null, null);
    }

    int countCollections();

    void deleteCollection(String name);

    /** Releases the store (or connection pool). Idempotent. */
    @Override
    void close();
}
