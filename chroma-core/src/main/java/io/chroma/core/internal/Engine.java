package io.chroma.core.internal;

import io.chroma.api.AlreadyExistsException;
import io.chroma.api.ChromaException;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.Database;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.ModifyCollection;
import io.chroma.api.NotFoundException;
import io.chroma.api.ResetNotAllowedException;
import io.chroma.api.Space;
import io.chroma.api.Tenant;
import io.chroma.api.internal.EmbeddingFunctions;
import io.chroma.api.internal.Names;
import io.chroma.api.internal.Values;
import io.chroma.core.ClientSettings;
import io.chroma.core.internal.index.IndexSettings;
import io.chroma.core.internal.index.VectorIndex;
import io.chroma.core.internal.index.VectorIndexFactory;
import io.chroma.core.internal.store.RocksKvStore;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One open store: the catalog (tenants, databases, collections, kept in memory and written through
 * to RocksDB), the record store, and the per-collection indexes. Shared by every client bound to
 * the store ({@link EngineClient#withDatabase}); record operations live in {@link RecordOps}.
 *
 * <p>Locks, always taken in this order: {@link #lifecycle} (read by every operation, write by
 * close/reset so nothing runs on a closed RocksDB), {@link #catalogMutex} (catalog changes), then a
 * collection's {@code writeLock} (one writer per collection). Reads take no collection lock.
 */
public final class Engine implements AutoCloseable {
    /** The Chroma API version this implementation mirrors, reported by {@code version()}. */
    public static final String VERSION = "1.0.0";

    static final System.Logger LOG = System.getLogger("io.chroma.core");

    /**
     * Commit an index (and truncate the write log) after this many write ops or records. Each commit
     * flushes a new segment with its own HNSW graph, and a query searches every segment: at 100k x 384
     * one segment answered in 2.3 ms where two of 50k took 3.3 ms (server-side p50, bench/run). The
     * price is replay after a crash: up to this many records are indexed again on open (about 30 s
     * at 384-d on 2 cores). {@code -Dchroma.index.commitEveryRecords} trades one for the other.
     */
    static final int COMMIT_EVERY_OPS = 1000;
    static final long COMMIT_EVERY_RECORDS = Math.max(1, Long.getLong("chroma.index.commitEveryRecords", 100_000));

    /** Records per index batch when catching up or rebuilding (a batch may be indexed in parallel). */
    static final int REBUILD_BATCH = 1000;

    private final Path root;          // null when ephemeral
    private final Path tempDir;       // ephemeral only: deleted on close
    private final Path indexRoot;     // null when ephemeral: indexes are in memory
    final ClientSettings settings;
    final VectorIndexFactory factory;
    final RecordStore store;
    final RecordOps ops;
    final SearchOps search;

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock catalogMutex = new ReentrantLock();
    private volatile boolean closed;

    /**
     * Persistent indexes kept open at most (-Dchroma.index.maxOpen). Each open Lucene index holds a
     * file handle (its write.lock), mapped segments and an IndexWriter's buffers: with thousands of
     * collections an unbounded set ran into the process's file limit. Beyond this many, the least
     * recently used idle index is committed and closed; its next use reopens it (tens of ms).
     */
    static final int MAX_OPEN_INDEXES = Math.max(1, Integer.getInteger("chroma.index.maxOpen", 256));

    /** Collections with an open persistent index, least recently used first. Guarded by itself. */
    private final java.util.LinkedHashMap<CollectionState, Boolean> openIndexes =
            new java.util.LinkedHashMap<>(64, 0.75f, true);

    private final Map<String, Long> tenants = new ConcurrentHashMap<>();
    private final Map<String, Map<String, RecordStore.DatabaseRow>> databases = new ConcurrentHashMap<>();
    private final Map<UUID, CollectionState> byId = new ConcurrentHashMap<>();
    private final Map<NameKey, CollectionState> byName = new ConcurrentHashMap<>();
    private long nextCollectionSeq;
    private long nextOrder;

    private record NameKey(String tenant, String database, String name) {
    }

    private Engine(Path root, Path tempDir, Path storeDir, Path indexRoot, ClientSettings settings, VectorIndexFactory factory) {
        this.root = root;
        this.tempDir = tempDir;
        this.indexRoot = indexRoot;
        this.settings = settings;
        this.factory = factory;
        this.store = new RecordStore(RocksKvStore.open(storeDir));
        this.ops = new RecordOps(this);
        this.search = new SearchOps(this);
        try {
            load();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Opens (or creates) a persistent store: {@code <root>/rocksdb} and {@code <root>/index/<collection-uuid>/}. */
    public static Engine openPersistent(Path root, ClientSettings settings, VectorIndexFactory factory) {
        Path abs = root.toAbsolutePath();
        return new Engine(abs, null, abs.resolve("rocksdb"), abs.resolve("index"), settings, factory);
    }

    /** A store in a temporary directory that {@link #close()} deletes; indexes in memory. */
    public static Engine openEphemeral(ClientSettings settings, VectorIndexFactory factory) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("chroma-ephemeral-");
        } catch (IOException e) {
            throw new ChromaException("InternalError", "Cannot create a temporary directory: " + e.getMessage(), e);
        }
        try {
            return new Engine(null, tmp, tmp.resolve("rocksdb"), null, settings, factory);
        } catch (RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    public Path path() {
        return root;
    }

    /** The live collections now (maintenance walks them: vacuum, backup, check). */
    List<CollectionState> collectionStates() {
        return List.copyOf(byId.values());
    }

    /** {@code <root>/index}, or null when indexes are in memory. */
    Path indexRoot() {
        return indexRoot;
    }

    private void load() {
        long[] meta = store.meta();
        if (meta == null) {
            // a new store: the default tenant and database exist from the start
            nextCollectionSeq = 1;
            nextOrder = 1;
            try (RecordStore.Tx tx = store.tx()) {
                createDefaults(tx);
                tx.putMeta(nextCollectionSeq, nextOrder).commit();
            }
            return;
        }
        nextCollectionSeq = meta[0];
        nextOrder = meta[1];
        for (RecordStore.TenantRow t : store.tenants()) {
            tenants.put(t.name(), t.order());
        }
        for (RecordStore.DatabaseRow d : store.databases()) {
            databases.computeIfAbsent(d.tenant(), k -> new ConcurrentHashMap<>()).put(d.name(), d);
        }
        for (CollectionState s : store.collections()) {
            byId.put(s.id, s);
            byName.put(new NameKey(s.tenant, s.database, s.name), s);
        }
        removeOrphanIndexes();
    }

    /** Index directories of collections that no longer exist (a crash after the delete's batch). */
    private void removeOrphanIndexes() {
        if (indexRoot == null || !Files.isDirectory(indexRoot)) {
            return;
        }
        try (var dirs = Files.list(indexRoot)) {
            for (Path d : dirs.toList()) {
                UUID id;
                try {
                    id = UUID.fromString(d.getFileName().toString());
                } catch (IllegalArgumentException e) {
                    continue; // not ours
                }
                if (!byId.containsKey(id)) {
                    LOG.log(System.Logger.Level.INFO, "Removing the index of deleted collection " + id);
                    deleteTree(d);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot list " + indexRoot + ": " + e.getMessage());
        }
    }

    private void createDefaults(RecordStore.Tx tx) {
        long t = nextOrder++;
        tenants.put(io.chroma.api.ChromaClient.DEFAULT_TENANT, t);
        tx.putTenant(io.chroma.api.ChromaClient.DEFAULT_TENANT, t);
        RecordStore.DatabaseRow d = new RecordStore.DatabaseRow(UUID.randomUUID(), io.chroma.api.ChromaClient.DEFAULT_TENANT,
                io.chroma.api.ChromaClient.DEFAULT_DATABASE, nextOrder++);
        databases.computeIfAbsent(d.tenant(), k -> new ConcurrentHashMap<>()).put(d.name(), d);
        tx.putDatabase(d);
    }

    // ---- lifecycle guard ----

    <T> T read(Supplier<T> body) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return body.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    void run(Runnable body) {
        read(() -> {
            body.run();
            return null;
        });
    }

    private void ensureOpen() {
        if (closed) {
            throw new ChromaException("ChromaError", "This client has been closed");
        }
    }

    private <T> T catalog(Supplier<T> body) {
        return read(() -> {
            catalogMutex.lock();
            try {
                return body.get();
            } finally {
                catalogMutex.unlock();
            }
        });
    }

    // ---- tenants and databases ----

    public Tenant createTenant(String name) {
        Names.validateTenantName(name);
        return catalog(() -> {
            if (tenants.containsKey(name)) {
                throw new AlreadyExistsException("Tenant [" + name + "] already exists");
            }
            long order = nextOrder++;
            try (RecordStore.Tx tx = store.tx()) {
                tx.putTenant(name, order).putMeta(nextCollectionSeq, nextOrder).commit();
            }
            tenants.put(name, order);
            return new Tenant(name);
        });
    }

    public Tenant getTenant(String name) {
        return read(() -> {
            if (name == null || !tenants.containsKey(name)) {
                throw new NotFoundException("Tenant [" + name + "] not found");
            }
            return new Tenant(name);
        });
    }

    public Database createDatabase(String tenant, String name) {
        Names.validateDatabaseName(name);
        return catalog(() -> {
            // Chroma 1.x keeps databases apart from tenants: a database may be created in a tenant
            // nobody created (whatever its name), and that tenant still does not exist for
            // getTenant, while createTenant may still create it
            if (tenant == null) {
                throw new NotFoundException("Tenant [null] not found");
            }
            if (databaseRow(tenant, name) != null) {
                throw new AlreadyExistsException("Database [" + name + "] already exists");
            }
            RecordStore.DatabaseRow d = new RecordStore.DatabaseRow(UUID.randomUUID(), tenant, name, nextOrder++);
            try (RecordStore.Tx tx = store.tx()) {
                tx.putDatabase(d).putMeta(nextCollectionSeq, nextOrder).commit();
            }
            databases.computeIfAbsent(tenant, k -> new ConcurrentHashMap<>()).put(name, d);
            return new Database(d.id(), name, tenant);
        });
    }

    public Database getDatabase(String tenant, String name) {
        Names.validateDatabaseNameInPath(name);
        return read(() -> {
            RecordStore.DatabaseRow d = requireDatabase(tenant, name);
            return new Database(d.id(), d.name(), d.tenant());
        });
    }

    public List<Database> listDatabases(String tenant, Integer limit, Integer offset) {
        checkPage(limit, offset);
        return read(() -> {
            // as Chroma 1.x: whether or not the tenant was created, in name order
            List<RecordStore.DatabaseRow> rows = new ArrayList<>(
                    tenant == null ? List.of() : databases.getOrDefault(tenant, Map.of()).values());
            rows.sort(Comparator.comparing(RecordStore.DatabaseRow::name));
            return page(rows, limit, offset).stream().map(d -> new Database(d.id(), d.name(), d.tenant())).toList();
        });
    }

    public void deleteDatabase(String tenant, String name) {
        catalog(() -> {
            if (databaseRow(tenant, name) == null) {
                throw new NotFoundException("Database [" + name + "] not found");
            }
            for (CollectionState s : collectionsOf(tenant, name)) {
                dropCollection(s);
            }
            try (RecordStore.Tx tx = store.tx()) {
                tx.deleteDatabase(tenant, name).commit();
            }
            databases.get(tenant).remove(name);
            return null;
        });
    }

    /** The database, or null when there is none by that name in that tenant (or either is null). */
    private RecordStore.DatabaseRow databaseRow(String tenant, String name) {
        return tenant == null || name == null ? null : databases.getOrDefault(tenant, Map.of()).get(name);
    }

    private RecordStore.DatabaseRow requireDatabase(String tenant, String name) {
        RecordStore.DatabaseRow d = databaseRow(tenant, name);
        if (d == null) {
            throw new NotFoundException("Database [" + name + "] not found. Are you sure it exists?");
        }
        return d;
    }

    static void checkPage(Integer limit, Integer offset) {
        if (limit != null && limit < 0) {
            throw new InvalidArgumentException("Expected limit to be a non-negative integer, got " + limit);
        }
        if (offset != null && offset < 0) {
            throw new InvalidArgumentException("Expected offset to be a non-negative integer, got " + offset);
        }
    }

    static <T> List<T> page(List<T> all, Integer limit, Integer offset) {
        int from = offset == null ? 0 : Math.min(offset, all.size());
        int to = limit == null ? all.size() : (int) Math.min((long) from + limit, all.size());
        return all.subList(from, to);
    }

    // ---- collections ----

    /** The state and the embedding function given for the new handle (null: the recorded one, lazily). */
    record Opened(CollectionState state, EmbeddingFunction embeddingFunction) {
    }

    public Opened createCollection(String tenant, String database, CreateCollection req) {
        Names.validateDatabaseNameInPath(database);
        if (req == null) {
            throw new InvalidArgumentException("Expected a create collection request");
        }
        Names.validateCollectionName(req.name(), settings.maxCollectionNameLength());
        Map<String, Object> metadata = Values.collectionMetadata(req.metadata());
        HnswConfiguration legacy = HnswConfiguration.fromLegacyMetadata(metadata); // checked even when unused
        CollectionConfiguration given = req.configuration();
        // As Chroma 1.x: a configuration whose hnsw settings differ from the defaults replaces the
        // legacy hnsw: metadata keys as a whole; one that only restates the defaults leaves them in force
        HnswConfiguration hnsw = given == null || given.hnsw() == null
                || given.hnsw().resolved().equals(HnswConfiguration.DEFAULT.resolved()) ? legacy : given.hnsw();
        EmbeddingFunction ef = req.embeddingFunction();
        // the usage guide: "if no embedding function is supplied, Chroma will use sentence transformer"
        // (rebuild gives null when chroma-embeddings is not on the class path)
        EmbeddingFunction efIfNew = ef == null && (given == null || given.embeddingFunction() == null)
                && settings.defaultEmbeddingFunction() ? EmbeddingFunctions.rebuild(DEFAULT_EMBEDDING_FUNCTION) : ef;
        if (hnsw.space() == null && efIfNew != null && efIfNew.defaultSpace() != null && efIfNew.defaultSpace() != Space.L2) {
            hnsw = hnsw.withSpace(efIfNew.defaultSpace());
        }
        Map<String, Object> efDescriptor = given != null && given.embeddingFunction() != null
                ? given.embeddingFunction() : CollectionConfiguration.describe(efIfNew);
        CollectionConfiguration config = new CollectionConfiguration(hnsw, efDescriptor,
                given == null ? null : CollectionSchema.validated(given.schema()));
        return catalog(() -> {
            if (databaseRow(tenant, database) == null) {
                throw new InvalidArgumentException("Database [" + database + "] does not exist");
            }
            NameKey key = new NameKey(tenant, database, req.name());
            CollectionState existing = byName.get(key);
            if (existing != null) {
                if (!req.getOrCreate()) {
                    throw new AlreadyExistsException("Collection [" + req.name() + "] already exists");
                }
                checkSameEmbeddingFunction(existing, ef);
                return new Opened(existing, ef);
            }
            CollectionState s = new CollectionState(UUID.randomUUID(), nextCollectionSeq++, tenant, database,
                    nextOrder++, req.name(), metadata, config);
            try (RecordStore.Tx tx = store.tx()) {
                tx.putCollection(s, s.encode()).putMeta(nextCollectionSeq, nextOrder).commit();
            }
            s.embeddingFunction = efIfNew;
            byId.put(s.id, s);
            byName.put(key, s);
            return new Opened(s, ef);
        });
    }

    /** The function recorded for the collection: the one given earlier in this process, or rebuilt. */
    EmbeddingFunction embeddingFunctionOf(CollectionState s) {
        EmbeddingFunction ef = s.embeddingFunction;
        if (ef == null && s.configuration.embeddingFunction() != null) {
            try {
                ef = EmbeddingFunctions.rebuild(s.configuration.embeddingFunction());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot rebuild the embedding function of collection "
                        + s.name + ": " + e.getMessage());
                ef = null;
            }
            s.embeddingFunction = ef;
        }
        return ef;
    }

    public Opened getCollection(String tenant, String database, String name, EmbeddingFunction ef) {
        Names.validateDatabaseNameInPath(database);
        return read(() -> {
            // as Chroma 1.x: a collection in a missing tenant or database simply does not exist
            CollectionState s = byName.get(new NameKey(tenant, database, name));
            if (s == null) {
                throw new NotFoundException("Collection [" + name + "] does not exist");
            }
            checkSameEmbeddingFunction(s, ef);
            return new Opened(s, ef);
        });
    }

    static final Map<String, Object> DEFAULT_EMBEDDING_FUNCTION =
            Map.of("type", "known", "name", "default", "config", Map.of());

    /** Chroma refuses a function other than the one the collection recorded; so do we, naming both. */
    private static void checkSameEmbeddingFunction(CollectionState s, EmbeddingFunction given) {
        Map<String, Object> recorded = s.configuration.embeddingFunction();
        if (given == null || recorded == null || !"known".equals(recorded.get("type"))) {
            return;
        }
        Object name = recorded.get("name");
        if (name != null && !name.equals(given.name())) {
            throw new InvalidArgumentException("An embedding function already exists in the collection configuration, "
                    + "and a different one is provided. Embedding function conflict: new: " + given.name()
                    + " vs persisted: " + name);
        }
    }

    public Opened getCollectionById(String tenant, String database, UUID id) {
        Names.validateDatabaseNameInPath(database);
        return read(() -> {
            CollectionState s = id == null ? null : byId.get(id);
            if (s == null || (tenant != null && (!s.tenant.equals(tenant) || !s.database.equals(database)))) {
                throw new NotFoundException("Collection [" + id + "] does not exist.");
            }
            return new Opened(s, null);
        });
    }

    public Optional<Opened> findCollectionById(UUID id) {
        return read(() -> {
            CollectionState s = id == null ? null : byId.get(id);
            return s == null ? Optional.<Opened>empty() : Optional.of(new Opened(s, null));
        });
    }

    private List<CollectionState> collectionsOf(String tenant, String database) {
        List<CollectionState> out = new ArrayList<>();
        for (CollectionState s : byId.values()) {
            if (s.tenant.equals(tenant) && s.database.equals(database)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingLong(s -> s.createdOrder));
        return out;
    }

    public List<Opened> listCollections(String tenant, String database, Integer limit, Integer offset) {
        Names.validateDatabaseNameInPath(database);
        checkPage(limit, offset);
        return read(() -> {
            // as Chroma 1.x: a database that does not exist simply has no collections
            return page(collectionsOf(tenant, database), limit, offset).stream()
                    .map(s -> new Opened(s, null)).toList();
        });
    }

    public int countCollections(String tenant, String database) {
        Names.validateDatabaseNameInPath(database);
        return read(() -> collectionsOf(tenant, database).size());
    }

    public void deleteCollection(String tenant, String database, String name) {
        Names.validateDatabaseNameInPath(database);
        catalog(() -> {
            // as Chroma 1.x: a collection in a missing tenant or database simply does not exist
            CollectionState s = byName.get(new NameKey(tenant, database, name));
            if (s == null) {
                throw new NotFoundException("Collection [" + name + "] does not exist");
            }
            dropCollection(s);
            return null;
        });
    }

    /** Under the catalog mutex: removes records, ids, log, catalog row and index directory. */
    private void dropCollection(CollectionState s) {
        s.writeLock.lock();
        try {
            s.deleted = true;
            try (RecordStore.Tx tx = store.tx()) {
                tx.dropCollection(s).commit();
            }
            byId.remove(s.id);
            byName.remove(new NameKey(s.tenant, s.database, s.name), s);
            VectorIndex idx = s.index;
            s.index = null;
            forget(s);
            closeQuietly(idx);
            if (indexRoot != null) {
                deleteTree(indexRoot.resolve(s.id.toString()));
            }
        } finally {
            s.writeLock.unlock();
        }
    }

    public void modifyCollection(CollectionState s, ModifyCollection change) {
        if (change == null) {
            return;
        }
        if (change.newName() != null) {
            Names.validateCollectionName(change.newName(), settings.maxCollectionNameLength());
        }
        Map<String, Object> newMetadata = Values.newCollectionMetadata(change.newMetadata());
        catalog(() -> {
            s.writeLock.lock();
            try {
                checkLive(s);
                HnswConfiguration current = s.configuration.hnsw();
                HnswConfiguration hnsw = current;
                if (newMetadata != null) {
                    if (newMetadata.containsKey("hnsw:space")) {
                        throw new InvalidArgumentException("Changing the distance function of a collection once it is "
                                + "created is not supported currently.");
                    }
                    hnsw = mergeMutable(hnsw, HnswConfiguration.fromLegacyMetadata(newMetadata));
                }
                hnsw = mergeMutable(hnsw, change.newHnsw());
                String newName = change.newName();
                if (newName != null && !newName.equals(s.name)
                        && byName.containsKey(new NameKey(s.tenant, s.database, newName))) {
                    throw new AlreadyExistsException("Collection [" + newName + "] already exists");
                }
                String oldName = s.name;
                Map<String, Object> oldMeta = s.metadata;
                CollectionConfiguration oldConfig = s.configuration;
                if (newName != null) {
                    s.name = newName;
                }
                if (newMetadata != null) {
                    s.metadata = newMetadata.isEmpty() ? null : newMetadata; // every key set to null: cleared
                }
                s.configuration = s.configuration.withHnsw(hnsw);
                try (RecordStore.Tx tx = store.tx()) {
                    tx.putCollection(s, s.encode()).commit();
                } catch (RuntimeException e) {
                    s.name = oldName;
                    s.metadata = oldMeta;
                    s.configuration = oldConfig;
                    throw e;
                }
                if (!oldName.equals(s.name)) {
                    byName.remove(new NameKey(s.tenant, s.database, oldName), s);
                    byName.put(new NameKey(s.tenant, s.database, s.name), s);
                }
                return null;
            } finally {
                s.writeLock.unlock();
            }
        });
    }

    /** Query-time settings may change; the space and the graph-shaping ones may not. */
    private static HnswConfiguration mergeMutable(HnswConfiguration current, HnswConfiguration change) {
        if (change == null) {
            return current;
        }
        HnswConfiguration r = current.resolved();
        if (change.space() != null && change.space() != r.space()) {
            throw new InvalidArgumentException("Changing the distance function of a collection once it is created "
                    + "is not supported currently.");
        }
        if (change.maxNeighbors() != null && !change.maxNeighbors().equals(r.maxNeighbors())) {
            throw new InvalidArgumentException("Changing max_neighbors (hnsw:M) of an existing collection is not supported");
        }
        if (change.efConstruction() != null && !change.efConstruction().equals(r.efConstruction())) {
            throw new InvalidArgumentException("Changing ef_construction of an existing collection is not supported");
        }
        return current.merge(new HnswConfiguration(null, null, change.efSearch(), null, change.numThreads(),
                change.resizeFactor(), change.syncThreshold(), change.batchSize()));
    }

    static void checkLive(CollectionState s) {
        if (s.deleted) {
            throw new NotFoundException("Collection [" + s.name + "] does not exist");
        }
    }

    // ---- indexes ----

    /** The collection's index, opened (and caught up) on first use; null while it has no vectors. */
    VectorIndex indexForRead(CollectionState s) {
        VectorIndex idx = s.index;
        if (idx != null || s.dimension == null) {
            if (idx != null) {
                touch(s);
            }
            return idx;
        }
        s.writeLock.lock();
        try {
            checkLive(s);
            return indexLocked(s);
        } finally {
            s.writeLock.unlock();
        }
    }

    /** Under the collection's write lock. */
    VectorIndex indexLocked(CollectionState s) {
        VectorIndex idx = s.index;
        if (idx != null || s.dimension == null) {
            if (idx != null) {
                touch(s);
            }
            return idx;
        }
        HnswConfiguration h = s.configuration.hnsw().resolved();
        IndexSettings is = new IndexSettings(h.space(), s.dimension, h.maxNeighbors(), h.efConstruction());
        Path dir = indexRoot == null ? null : indexRoot.resolve(s.id.toString());
        try {
            idx = factory.open(dir, is);
            catchUp(s, idx);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Index of collection " + s.name + " (" + s.id + ") in " + dir
                    + " cannot be used (" + e + "); rebuilding it from the record store", e);
            closeQuietly(idx);
            idx = rebuildFresh(s, dir, is);
        }
        s.index = idx;
        opened(s);
        return idx;
    }

    /**
     * Opens the persistent indexes of up to {@code max} collections (most records first) on a
     * daemon thread and returns at once. A server calls it right after start-up: opening an index
     * (its segments, the catch-up from the write log) otherwise falls on the first query of each
     * collection, which after a restart took most of a second at 100k × 384. A request that needs
     * an index still being opened waits for it exactly as it would have opened it itself.
     */
    public void openIndexesInBackground(int max) {
        if (indexRoot == null || max <= 0) {
            return;
        }
        List<CollectionState> order = new ArrayList<>(byId.values());
        order.removeIf(s -> s.deleted || s.dimension == null || s.count == 0);
        order.sort(java.util.Comparator.comparingInt((CollectionState s) -> s.count).reversed());
        List<CollectionState> chosen = List.copyOf(order.subList(0, Math.min(max, Math.min(order.size(), MAX_OPEN_INDEXES))));
        if (chosen.isEmpty()) {
            return;
        }
        Thread.ofPlatform().daemon().name("chroma-index-open").start(() -> {
            long t0 = System.nanoTime();
            for (CollectionState s : chosen) {
                if (!lifecycle.readLock().tryLock()) {
                    return; // closing
                }
                try {
                    if (closed) {
                        return;
                    }
                    if (!s.deleted) {
                        indexForRead(s);
                    }
                } catch (RuntimeException e) {
                    // the collection's next request opens (or rebuilds) it and reports the failure
                    LOG.log(System.Logger.Level.DEBUG, "Opening the index of " + s.name + " ahead of use failed", e);
                } finally {
                    lifecycle.readLock().unlock();
                }
            }
            LOG.log(System.Logger.Level.INFO, "Opened the indexes of " + chosen.size() + " collection(s) ahead of use in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
        });
    }

    // ---- open-index budget ----

    private void touch(CollectionState s) {
        if (indexRoot != null) {
            synchronized (openIndexes) {
                openIndexes.get(s); // access order: now the most recently used
            }
        }
    }

    private void forget(CollectionState s) {
        synchronized (openIndexes) {
            openIndexes.remove(s);
        }
    }

    /** Under {@code s}'s write lock, after its index was opened: closes idle ones over the budget. */
    private void opened(CollectionState s) {
        if (indexRoot == null) {
            return; // in-memory indexes cannot be reopened, only rebuilt: never closed early
        }
        List<CollectionState> eldest = new ArrayList<>();
        synchronized (openIndexes) {
            openIndexes.put(s, Boolean.TRUE);
            int excess = openIndexes.size() - MAX_OPEN_INDEXES;
            for (CollectionState c : openIndexes.keySet()) {
                if (eldest.size() >= excess) {
                    break;
                }
                if (c != s) {
                    eldest.add(c);
                }
            }
        }
        for (CollectionState c : eldest) {
            // never wait: we hold s's write lock, and a writer of c may be waiting to open its index
            if (!c.writeLock.tryLock()) {
                continue; // busy, so not idle; the budget is caught up on a later open
            }
            try {
                VectorIndex idx = c.index;
                if (idx != null && !c.deleted) {
                    if (c.opsSinceCommit > 0) {
                        commitIndexLocked(c, idx);
                    }
                    c.index = null;
                    // a reader still searching it finishes on the segments it holds; a reader that
                    // fetched it just before this sees it closed and reopens it (RecordOps)
                    closeQuietly(idx);
                }
                forget(c);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Closing the idle index of " + c.name + " failed; it stays open", e);
            } finally {
                c.writeLock.unlock();
            }
        }
    }

    private VectorIndex rebuildFresh(CollectionState s, Path dir, IndexSettings is) {
        if (dir != null) {
            deleteTree(dir);
        }
        VectorIndex idx = null;
        try {
            idx = factory.open(dir, is);
            rebuild(s, idx);
            return idx;
        } catch (Exception e) {
            closeQuietly(idx);
            throw new ChromaException("InternalError", "Cannot rebuild the index of collection " + s.name + ": " + e, e);
        }
    }

    /** Replays the write log after the index's last durable commit, or rebuilds when the log cannot. */
    private void catchUp(CollectionState s, VectorIndex idx) throws IOException {
        long committed = idx.committedOpSeq();
        if (committed < 0 || committed < s.logTruncatedThrough || committed > s.lastOpSeq) {
            rebuild(s, idx);
            return;
        }
        java.util.TreeSet<Long> touched = new java.util.TreeSet<>();
        store.scanLog(s.seq, committed, (op, seqs) -> {
            for (long q : seqs) {
                touched.add(q);
            }
        });
        if (!touched.isEmpty()) {
            long[] seqs = touched.stream().mapToLong(Long::longValue).toArray();
            for (int from = 0; from < seqs.length; from += REBUILD_BATCH) {
                int to = Math.min(seqs.length, from + REBUILD_BATCH);
                List<byte[]> recs = store.records(s.seq, seqs, from, to);
                List<VectorIndex.Change> changes = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    byte[] b = recs.get(i - from);
                    if (b == null) {
                        changes.add(VectorIndex.Change.delete(seqs[i]));
                    } else {
                        StoredRecord r = StoredRecord.decode(b, true, true, true, false);
                        changes.add(VectorIndex.Change.upsert(seqs[i], r.embedding(), r.metadata(), r.document()));
                    }
                }
                idx.applyAll(changes);
            }
        }
        if (idx.size() != s.count) {
            LOG.log(System.Logger.Level.WARNING, "Index of collection " + s.name + " holds " + idx.size()
                    + " records, the store " + s.count + "; rebuilding it");
            rebuild(s, idx);
        } else if (!touched.isEmpty()) {
            commitIndexLocked(s, idx);
        }
    }

    private void rebuild(CollectionState s, VectorIndex idx) throws IOException {
        idx.clear();
        IOException[] failure = new IOException[1];
        List<VectorIndex.Change> changes = new ArrayList<>(REBUILD_BATCH);
        store.scanRecords(s.seq, (seq, value) -> {
            StoredRecord r = StoredRecord.decode(value, true, true, true, false);
            changes.add(VectorIndex.Change.upsert(seq, r.embedding(), r.metadata(), r.document()));
            if (changes.size() < REBUILD_BATCH) {
                return true;
            }
            try {
                idx.applyAll(changes);
                changes.clear();
                return true;
            } catch (IOException e) {
                failure[0] = e;
                return false;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        idx.applyAll(changes);
        commitIndexLocked(s, idx);
    }

    /** Makes the index durable up to the last op, then drops the log it no longer needs. */
    void commitIndexLocked(CollectionState s, VectorIndex idx) throws IOException {
        long through = s.lastOpSeq;
        long records = s.recordsSinceCommit;
        idx.commit(through);
        if (records >= RELEASE_MEMORY_AFTER_RECORDS) {
            releaseMemoryAfterBulkLoad();
        }
        s.opsSinceCommit = 0;
        s.recordsSinceCommit = 0;
        if (through >= 0 && through > s.logTruncatedThrough && !s.deleted) {
            try (RecordStore.Tx tx = store.tx()) {
                tx.truncateLog(s.seq, through)
                        .putCollection(s, s.encode(s.dimension, s.count, s.nextRecordSeq, s.lastOpSeq, through))
                        .commit();
            }
            s.logTruncatedThrough = through;
        }
    }

    /**
     * A commit covering at least this many new records ends a bulk load: the index's indexing
     * buffer (vectors and graph, up to 256 MB per 384 dimensions) has just been written out, and RocksDB's memtables
     * hold the same records.
     */
    static final long RELEASE_MEMORY_AFTER_RECORDS = Long.getLong("chroma.releaseMemoryAfterRecords", 10_000);

    /**
     * Whether a bulk load's end also asks the JVM for a full collection. The heap grew to hold the
     * indexing buffer and a garbage-first heap gives memory back only after a full or marking cycle;
     * under a steady query load neither comes, so a server kept ~300 MB it no longer used
     * (docs/memory.md). Off by default for embedded use, where GC is the application's business;
     * the server's launcher turns it on.
     */
    static final boolean GC_AFTER_BULK_LOAD = Boolean.getBoolean("chroma.gcAfterBulkLoad");

    private final java.util.concurrent.atomic.AtomicBoolean memoryReleasePending = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * In the background, so the write that triggered it returns at once: flushes the store's
     * memtables and, when enabled, collects the heap. Coalesced: one release at a time.
     */
    private void releaseMemoryAfterBulkLoad() {
        if (!memoryReleasePending.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("chroma-memory-release").start(() -> {
            try {
                if (!lifecycle.readLock().tryLock(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    return; // closing or resetting
                }
                try {
                    if (closed) {
                        return;
                    }
                    store.kv().flushMemory();
                } finally {
                    lifecycle.readLock().unlock();
                }
                if (GC_AFTER_BULK_LOAD) {
                    System.gc();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Releasing memory after a bulk load failed", e);
            } finally {
                memoryReleasePending.set(false);
            }
        });
    }

    /** After a write whose index update failed: the store has the truth, so rebuild from it. */
    void recoverIndexLocked(CollectionState s, Exception cause) {
        LOG.log(System.Logger.Level.WARNING, "Index update of collection " + s.name + " failed (" + cause
                + "); rebuilding the index from the record store", cause);
        VectorIndex old = s.index;
        s.index = null;
        closeQuietly(old);
        HnswConfiguration h = s.configuration.hnsw().resolved();
        IndexSettings is = new IndexSettings(h.space(), s.dimension, h.maxNeighbors(), h.efConstruction());
        s.index = rebuildFresh(s, indexRoot == null ? null : indexRoot.resolve(s.id.toString()), is);
        opened(s);
    }

    // ---- reset and close ----

    public void reset() {
        if (!settings.allowReset()) {
            throw new ResetNotAllowedException();
        }
        lifecycle.writeLock().lock();
        try {
            ensureOpen();
            for (CollectionState s : new ArrayList<>(byId.values())) {
                dropCollection(s);
            }
            try (RecordStore.Tx tx = store.tx()) {
                for (Map.Entry<String, Map<String, RecordStore.DatabaseRow>> e : databases.entrySet()) {
                    for (String db : e.getValue().keySet()) {
                        tx.deleteDatabase(e.getKey(), db);
                    }
                }
                for (String t : tenants.keySet()) {
                    tx.deleteTenant(t);
                }
                databases.clear();
                tenants.clear();
                createDefaults(tx);
                tx.putMeta(nextCollectionSeq, nextOrder).commit();
            }
            if (indexRoot != null) {
                deleteTree(indexRoot);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (CollectionState s : byId.values()) {
                VectorIndex idx = s.index;
                if (idx == null) {
                    continue;
                }
                s.writeLock.lock();
                try {
                    if (indexRoot != null && s.opsSinceCommit > 0) {
                        commitIndexLocked(s, idx);
                    }
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "Index commit of " + s.name + " failed on close; it will "
                            + "be caught up from the write log on the next open", e);
                } finally {
                    s.index = null;
                    forget(s);
                    closeQuietly(idx);
                    s.writeLock.unlock();
                }
            }
            store.close();
            if (tempDir != null) {
                deleteTree(tempDir);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "close failed", e);
            }
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot delete " + dir + ": " + e.getMessage());
        }
    }

    // ---- monitoring (read-only) ----

    /**
     * One live collection's counters for monitoring.
     *
     * @param records      records in the collection
     * @param unindexedOps write operations in the write log since the index's last durable commit: what a
     *                     restart would replay (at most {@link #COMMIT_EVERY_OPS} in steady state)
     */
    public record CollectionStats(UUID id, String tenant, String database, String name, int records,
                                  long unindexedOps) {
    }

    /**
     * Counters of every live collection, read without locks from the in-memory catalog: no store or index access,
     * so a metrics scrape costs O(collections). Values may be a moment stale while a write is in flight
     * (lastOpSeq and logTruncatedThrough are plain fields written under the collection's lock). Empty when closed.
     */
    public List<CollectionStats> collectionStats() {
        if (closed) {
            return List.of();
        }
        List<CollectionStats> out = new ArrayList<>(byId.size());
        for (CollectionState s : byId.values()) {
            if (!s.deleted) {
                long lag = s.lastOpSeq - s.logTruncatedThrough; // both -1 for a collection never written
                out.add(new CollectionStats(s.id, s.tenant, s.database, s.name, s.count, Math.max(0, lag)));
            }
        }
        return out;
    }
}
