package io.chroma.core.internal;

import io.chroma.api.Collection;
import io.chroma.api.CreateCollection;
import io.chroma.api.Database;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Tenant;
import io.chroma.core.EmbeddedClient;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link EmbeddedClient} over an {@link Engine}, bound to one tenant and database. The client
 * that opened the engine owns it and closes it; clients from {@link #withDatabase} share it.
 */
public class EngineClient implements EmbeddedClient {
    private final Engine engine;
    private final String tenant;
    private final String database;
    private final boolean owner;

    protected EngineClient(Engine engine, String tenant, String database, boolean owner) {
        this.engine = engine;
        this.tenant = tenant;
        this.database = database;
        this.owner = owner;
    }

    /** The engine behind this client (maintenance operations run on it; the server reads its monitoring counters). */
    public Engine engine() {
        return engine;
    }

    @Override
    public long heartbeat() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public String version() {
        return Engine.VERSION;
    }

    @Override
    public void reset() {
        engine.reset();
    }

    @Override
    public int maxBatchSize() {
        return engine.settings.maxBatchSize();
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public EmbeddedClient withDatabase(String tenant, String database) {
        return new EngineClient(engine, tenant, database, false);
    }

    @Override
    public Tenant createTenant(String name) {
        return engine.createTenant(name);
    }

    @Override
    public Tenant getTenant(String name) {
        return engine.getTenant(name);
    }

    @Override
    public Database createDatabase(String tenant, String name) {
        return engine.createDatabase(tenant, name);
    }

    @Override
    public Database getDatabase(String tenant, String name) {
        return engine.getDatabase(tenant, name);
    }

    @Override
    public List<Database> listDatabases(String tenant, Integer limit, Integer offset) {
        return engine.listDatabases(tenant, limit, offset);
    }

    @Override
    public void deleteDatabase(String tenant, String name) {
        engine.deleteDatabase(tenant, name);
    }

    @Override
    public Collection createCollection(CreateCollection request) {
        return handle(engine.createCollection(tenant, database, request));
    }

    @Override
    public Collection getCollection(String name, EmbeddingFunction embeddingFunction) {
        return handle(engine.getCollection(tenant, database, name, embeddingFunction));
    }

    @Override
    public Collection getCollectionById(UUID id) {
        return handle(engine.getCollectionById(tenant, database, id));
    }

    @Override
    public Optional<Collection> findCollectionById(UUID id) {
        return engine.findCollectionById(id).map(this::handle);
    }

    @Override
    public List<Collection> listCollections(Integer limit, Integer offset) {
        return engine.listCollections(tenant, database, limit, offset).stream().map(this::handle).toList();
    }

    @Override
    public int countCollections() {
        return engine.countCollections(tenant, database);
    }

    @Override
    public void deleteCollection(String name) {
        engine.deleteCollection(tenant, database, name);
    }

    @Override
    public Path path() {
        return engine.path();
    }

    @Override
    public void close() {
        if (owner) {
            engine.close();
        }
    }

    private Collection handle(Engine.Opened o) {
        return new EngineCollection(engine, o);
    }
}
