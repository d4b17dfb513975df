package io.chroma.client;

import io.chroma.api.AlreadyExistsException;
import io.chroma.api.BatchSizeExceededException;
import io.chroma.api.ChromaClient;
import io.chroma.api.ChromaException;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.Database;
import io.chroma.api.Delete;
import io.chroma.api.DimensionMismatchException;
import io.chroma.api.DuplicateIdException;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.Include;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.ModifyCollection;
import io.chroma.api.NotFoundException;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.ResetNotAllowedException;
import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Scenarios every {@link ChromaClient} must pass, whatever it talks to: the same assertions, the same
 * exception types. Subclasses supply the client: {@code HttpClientRealChromaTest} here (the real
 * Chroma 1.x server), and in chroma-it (through this module's test-jar) {@code EmbeddedContractTest},
 * {@code PersistentContractTest} and {@code OurServerContractTest}. Deliberate differences from the
 * real server are hooks below, answered per target; known bugs of a target are listed by the target
 * ({@link #knownBugs()}). Every test uses fresh, randomly named collections/tenants, so the suite can
 * share a server with others and needs no reset.
 */
public abstract class ClientContractTest {

    /** A new client for one test; it is closed after the test. */
    protected abstract ChromaClient createClient();

    /** Whether {@link ChromaClient#reset()} is allowed by the client's configuration. */
    protected boolean resetAllowed() {
        return false;
    }

    // ------------------------------------------------------------------ deliberate differences
    //
    // Where this project deliberately differs from the real Chroma 1.x server, the suite asks the
    // target instead of hard-coding one answer. The defaults are OUR behaviour (embedded clients and
    // our server); HttpClientRealChromaTest overrides them for the real server. Everything else must
    // behave the same on every target.

    /**
     * A query restricted to ids that do not exist (deleted or never added). Ours: those ids are simply
     * not candidates (an empty row if none is left). Real Chroma 1.x: the whole query fails with
     * 500 "Error finding id" (its own tests pin that; upstream calls it a quirk).
     */
    protected boolean queryOnMissingIdsFails() {
        return false;
    }

    /**
     * Modifying a collection's metadata with the legacy key {@code hnsw:space}. Ours: refused with
     * "not supported" (the space of an index cannot change). Real Chroma 1.x: the metadata is replaced
     * silently and the space stays what it was, so the metadata then misstates the space.
     */
    protected boolean spaceChangeInMetadataRejected() {
        return true;
    }

    /**
     * Renaming a collection onto a name that exists. Ours: {@link AlreadyExistsException} (409 on the
     * wire). Real Chroma 1.x: refused too, but as a 500 leaking "UNIQUE constraint failed" from SQLite.
     */
    protected boolean renameConflictIsAlreadyExists() {
        return true;
    }

    /**
     * The longest collection name the target accepts: 512 on a Chroma 1.x server (ours too); the
     * embedded clients default to the usage guide's 63 (ClientSettings.maxCollectionNameLength).
     */
    protected int maxCollectionNameLength() {
        return 512;
    }

    /**
     * Scenarios this target is known to fail today: test method name to a description of the bug.
     * Such a scenario still runs: while it fails it is reported as skipped with the description (not
     * hidden, not green); once it passes it FAILS, asking for the entry to be removed, so the list
     * cannot go stale. Only for bugs in the product, never for deliberate differences.
     */
    protected Map<String, String> knownBugs() {
        return Map.of();
    }

    @RegisterExtension
    final InvocationInterceptor knownBugGate = new InvocationInterceptor() {
        @Override
        public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                        ExtensionContext context) throws Throwable {
            String bug = knownBugs().get(call.getExecutable().getName());
            if (bug == null) {
                invocation.proceed();
                return;
            }
            try {
                invocation.proceed();
            } catch (Throwable stillFailing) {
                Assumptions.abort("KNOWN BUG on this target: " + bug + " -- still fails with: " + stillFailing);
            }
            throw new AssertionError("Known bug no longer reproduces, remove it from knownBugs(): " + bug);
        }
    };

    protected ChromaClient client;
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeEach
    void openClient() {
        client = createClient();
    }

    @AfterEach
    void closeClient() {
        if (client == null) {
            return; // createClient() was aborted (e.g. no server: the test is skipped)
        }
        for (Runnable r : cleanup.reversed()) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // best effort: the test may have deleted it already
            }
        }
        client.close();
    }

    protected static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    protected Collection newCollection() {
        return newCollection(CreateCollection.named(unique("coll")));
    }

    protected Collection newCollection(CreateCollection request) {
        Collection c = client.createCollection(request);
        ChromaClient owner = client;
        cleanup.add(() -> owner.deleteCollection(c.name()));
        return c;
    }

    /** a, b, c on the unit axes; with documents and metadata of each kind. */
    protected Collection abc() {
        Collection c = newCollection();
        c.add(Records.ids("a", "b", "c")
                .embeddings(new float[]{1, 0, 0}, new float[]{0, 1, 0}, new float[]{0, 0, 1})
                .documents("hello world", "foo bar", "hello foo")
                .metadatas(Map.of("n", 1, "f", 1.5, "s", "x", "tags", List.of("red", "blue")),
                        Map.of("n", 2, "s", "y", "flag", true),
                        Map.of("n", 3, "f", 0.5)));
        return c;
    }

    // ------------------------------------------------------------------ system

    @Test
    void heartbeatIsNanosecondsNearNow() {
        long now = System.currentTimeMillis() * 1_000_000L;
        assertThat(client.heartbeat()).isCloseTo(now, within(10_000_000_000L));
    }

    @Test
    void versionLooksLikeSemver() {
        assertThat(client.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void maxBatchSizeIsPositive() {
        assertThat(client.maxBatchSize()).isPositive();
    }

    @Test
    void defaultTenantAndDatabase() {
        assertThat(client.tenant()).isEqualTo(ChromaClient.DEFAULT_TENANT);
        assertThat(client.database()).isEqualTo(ChromaClient.DEFAULT_DATABASE);
    }

    @Test
    void resetIsRefusedUnlessAllowed() {
        if (resetAllowed()) {
            return;
        }
        assertThatThrownBy(client::reset).isInstanceOf(ResetNotAllowedException.class)
                .hasMessageContaining("eset");
    }

    // ------------------------------------------------------------------ tenants and databases

    @Test
    void tenantsAndDatabases() {
        String tenant = unique("tenant");
        assertThat(client.createTenant(tenant).name()).isEqualTo(tenant);
        assertThat(client.getTenant(tenant).name()).isEqualTo(tenant);
        assertThatThrownBy(() -> client.createTenant(tenant)).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining(tenant);

        String db = unique("db");
        Database created = client.createDatabase(tenant, db);
        assertThat(created.name()).isEqualTo(db);
        assertThat(created.tenant()).isEqualTo(tenant);
        assertThat(created.id()).isNotNull();
        assertThat(client.getDatabase(tenant, db)).isEqualTo(created);
        assertThat(client.listDatabases(tenant, null, null)).containsExactly(created);
        assertThatThrownBy(() -> client.createDatabase(tenant, db)).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining(db);

        try (ChromaClient other = client.withDatabase(tenant, db)) {
            assertThat(other.tenant()).isEqualTo(tenant);
            assertThat(other.database()).isEqualTo(db);
            Collection c = other.createCollection("in-other-db");
            assertThat(c.tenant()).isEqualTo(tenant);
            assertThat(c.database()).isEqualTo(db);
            assertThat(other.countCollections()).isEqualTo(1);
            assertThatThrownBy(() -> client.getCollection("in-other-db")).isInstanceOf(NotFoundException.class);
            other.deleteCollection("in-other-db");
        }

        client.deleteDatabase(tenant, db);
        assertThatThrownBy(() -> client.getDatabase(tenant, db)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(db);
        assertThat(client.listDatabases(tenant, null, null)).isEmpty();
    }

    @Test
    void listDatabasesPages() {
        String tenant = unique("tenant");
        client.createTenant(tenant);
        for (String d : List.of("db-one", "db-two", "db-three")) {
            client.createDatabase(tenant, d);
        }
        List<Database> all = client.listDatabases(tenant, null, null);
        assertThat(all).extracting(Database::name).containsExactlyInAnyOrder("db-one", "db-two", "db-three");
        assertThat(client.listDatabases(tenant, 2, 0)).hasSize(2);
        assertThat(client.listDatabases(tenant, 2, 2)).hasSize(1);
        for (Database d : all) {
            client.deleteDatabase(tenant, d.name());
        }
    }

    @Test
    void databasesLiveApartFromTenants() {
        // Chroma 1.x: a database may be created in a tenant nobody created (even one whose name
        // createTenant would refuse), the tenant still does not exist, and it may be created after
        String tenant = unique("uncreated");
        Database b = client.createDatabase(tenant, "db-b");
        client.createDatabase(tenant, "db-a");
        assertThatThrownBy(() -> client.getTenant(tenant)).isInstanceOf(NotFoundException.class);
        assertThat(client.getDatabase(tenant, "db-b")).isEqualTo(b);
        assertThat(client.listDatabases(tenant, null, null)).extracting(Database::name)
                .containsExactly("db-a", "db-b"); // in name order, not creation order
        try (ChromaClient inIt = client.withDatabase(tenant, "db-a")) {
            Collection c = inIt.createCollection("lives-here");
            c.add(Records.ids("x").embeddings(new float[]{1, 2}));
            assertThat(c.count()).isEqualTo(1);
        }
        assertThat(client.createTenant(tenant).name()).isEqualTo(tenant);
        assertThat(client.listDatabases(tenant, null, null)).hasSize(2);
        String db = unique("db");
        client.createDatabase("zq", db);
        assertThat(client.getDatabase("zq", db).tenant()).isEqualTo("zq");
        client.deleteDatabase("zq", db);
        client.deleteDatabase(tenant, "db-a");
        client.deleteDatabase(tenant, "db-b");
        assertThat(client.listDatabases(tenant, null, null)).isEmpty();
    }

    @Test
    void shortDatabaseNameInAPathIsInvalid() {
        // Chroma 1.x checks the name of the database a request is under, except to delete one
        assertThatThrownBy(() -> client.getDatabase(ChromaClient.DEFAULT_TENANT, "ab"))
                .isInstanceOf(InvalidArgumentException.class);
        try (ChromaClient in = client.withDatabase(ChromaClient.DEFAULT_TENANT, "ab")) {
            assertThatThrownBy(in::listCollections).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(in::countCollections).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> in.getCollection("some-name")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> in.createCollection("some-name")).isInstanceOf(InvalidArgumentException.class);
        }
        assertThatThrownBy(() -> client.deleteDatabase(ChromaClient.DEFAULT_TENANT, "ab"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void missingTenantAndDatabaseAreNotFound() {
        String t = unique("nope");
        assertThatThrownBy(() -> client.getTenant(t)).isInstanceOf(NotFoundException.class).hasMessageContaining(t);
        assertThatThrownBy(() -> client.getDatabase(ChromaClient.DEFAULT_TENANT, "nope-db"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nope-db");
        assertThatThrownBy(() -> client.deleteDatabase(ChromaClient.DEFAULT_TENANT, "nope-db"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void shortNamesAreInvalid() {
        assertThatThrownBy(() -> client.createTenant("ab")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> client.createDatabase(ChromaClient.DEFAULT_TENANT, "x"))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> client.createCollection("c1")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Expected a name containing 3-");
    }

    // ------------------------------------------------------------------ collections

    @Test
    void collectionLifecycle() {
        String name = unique("life");
        Collection c = newCollection(CreateCollection.named(name).metadata(Map.of("topic", "cats", "n", 7, "x", 0.25)));
        assertThat(c.name()).isEqualTo(name);
        assertThat(c.id()).isNotNull();
        assertThat(c.metadata()).containsEntry("topic", "cats").containsEntry("n", 7L).containsEntry("x", 0.25);
        assertThat(c.tenant()).isEqualTo(ChromaClient.DEFAULT_TENANT);
        assertThat(c.database()).isEqualTo(ChromaClient.DEFAULT_DATABASE);
        assertThat(c.dimension()).isNull();
        assertThat(c.count()).isZero();

        Collection byName = client.getCollection(name);
        assertThat(byName.id()).isEqualTo(c.id());
        assertThat(byName.metadata()).isEqualTo(c.metadata());
        assertThat(client.getCollectionById(c.id()).name()).isEqualTo(name);
        assertThat(client.listCollections()).extracting(Collection::name).contains(name);

        assertThatThrownBy(() -> client.createCollection(name)).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining(name);
        assertThat(client.getOrCreateCollection(name).id()).isEqualTo(c.id());

        client.deleteCollection(name);
        assertThatThrownBy(() -> client.getCollection(name)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(name);
        assertThatThrownBy(c::count).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> c.add(Records.ids("a").embeddings(new float[]{1})))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.deleteCollection(name)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.getCollectionById(UUID.randomUUID())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void countAndListCollectionsPage() {
        String tenant = unique("tenant");
        client.createTenant(tenant);
        client.createDatabase(tenant, "paging");
        try (ChromaClient db = client.withDatabase(tenant, "paging")) {
            for (int i = 0; i < 3; i++) {
                db.createCollection("page-" + i);
            }
            assertThat(db.countCollections()).isEqualTo(3);
            assertThat(db.listCollections()).hasSize(3);
            assertThat(db.listCollections(2, null)).hasSize(2);
            assertThat(db.listCollections(null, 2)).hasSize(1);
            assertThat(db.listCollections(10, 1)).hasSize(2);
            for (int i = 0; i < 3; i++) {
                db.deleteCollection("page-" + i);
            }
            assertThat(db.countCollections()).isZero();
        }
        client.deleteDatabase(tenant, "paging");
    }

    @Test
    void modifyRenamesAndReplacesMetadata() {
        Collection c = newCollection(CreateCollection.named(unique("mod")).metadata(Map.of("a", 1, "b", 2)));
        String oldName = c.name();
        String newName = unique("renamed");
        c.modify(newName, Map.of("c", "three"));
        assertThat(c.name()).isEqualTo(newName);
        assertThat(c.metadata()).isEqualTo(Map.of("c", "three"));
        Collection fetched = client.getCollection(newName);
        assertThat(fetched.id()).isEqualTo(c.id());
        assertThat(fetched.metadata()).isEqualTo(Map.of("c", "three"));
        assertThatThrownBy(() -> client.getCollection(oldName)).isInstanceOf(NotFoundException.class);
        cleanup.add(() -> client.deleteCollection(newName));
        // keys set to null are left out of the new metadata; all of them clears it (as Chroma 1.x)
        Map<String, Object> dropC = new HashMap<>();
        dropC.put("c", null);
        dropC.put("d", 4);
        c.modify(ModifyCollection.metadata(dropC));
        assertThat(c.metadata()).isEqualTo(Map.of("d", 4L));
        assertThat(client.getCollection(newName).metadata()).isEqualTo(Map.of("d", 4L));
        c.modify(ModifyCollection.metadata(java.util.Collections.singletonMap("d", null)));
        assertThat(c.metadata()).isNull();
        assertThat(client.getCollection(newName).metadata()).isNull();

        c.modify(ModifyCollection.hnsw(new HnswConfiguration(null, null, 42, null, null, null, null, null)));
        assertThat(c.configuration().hnsw().efSearch()).isEqualTo(42);
        assertThat(client.getCollection(newName).configuration().hnsw().efSearch()).isEqualTo(42);
    }

    @Test
    void emptyCollectionMetadataIsInvalid() {
        Collection c = newCollection();
        assertThatThrownBy(() -> c.modify(ModifyCollection.metadata(Map.of())))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Metadata cannot be empty");
    }

    @Test
    void hnswSpaceFromConfigurationAndFromLegacyMetadata() {
        Collection cos = newCollection(CreateCollection.named(unique("cos"))
                .configuration(CollectionConfiguration.of(HnswConfiguration.DEFAULT.withSpace(Space.COSINE))));
        assertThat(cos.configuration().hnsw().space()).isEqualTo(Space.COSINE);
        Collection ip = newCollection(CreateCollection.named(unique("ip")).metadata(Map.of("hnsw:space", "ip")));
        assertThat(client.getCollection(ip.name()).configuration().hnsw().space()).isEqualTo(Space.IP);

        cos.add(Records.ids("x", "y").embeddings(new float[]{1, 0}, new float[]{1, 1}));
        QueryResult r = cos.query(Query.embeddings(new float[]{2, 0}).nResults(2));
        assertThat(r.ids().get(0)).containsExactly("x", "y");
        assertThat(r.distances().get(0).get(0)).isCloseTo(0f, within(1e-5f));
        assertThat(r.distances().get(0).get(1)).isCloseTo((float) (1 - 1 / Math.sqrt(2)), within(1e-5f));
    }

    // ------------------------------------------------------------------ records

    @Test
    void addThenGetWithIncludeVariants() {
        Collection c = abc();
        assertThat(c.count()).isEqualTo(3);
        assertThat(c.dimension()).isEqualTo(3);
        assertThat(client.getCollection(c.name()).dimension()).isEqualTo(3);

        GetResult def = c.get();
        assertThat(def.ids()).containsExactly("a", "b", "c");
        assertThat(def.include()).containsExactlyInAnyOrder(Include.DOCUMENTS, Include.METADATAS);
        assertThat(def.embeddings()).isNull();
        assertThat(def.documents()).containsExactly("hello world", "foo bar", "hello foo");
        assertThat(def.metadatas().get(0)).containsEntry("n", 1L).containsEntry("f", 1.5).containsEntry("s", "x")
                .containsEntry("tags", List.of("red", "blue"));
        assertThat(def.metadatas().get(1)).containsEntry("flag", true);

        GetResult emb = c.get(Get.ids("b", "a").include(Include.EMBEDDINGS));
        assertThat(emb.ids()).containsExactlyInAnyOrder("a", "b");
        assertThat(emb.documents()).isNull();
        assertThat(emb.metadatas()).isNull();
        int ia = emb.ids().indexOf("a");
        assertThat(emb.embeddings().get(ia)).containsExactly(1f, 0f, 0f);

        GetResult none = c.get(Get.all().include(List.of()));
        assertThat(none.ids()).hasSize(3);
        assertThat(none.embeddings()).isNull();
        assertThat(none.documents()).isNull();
        assertThat(none.metadatas()).isNull();
        assertThat(c.ids()).containsExactly("a", "b", "c");

        GetResult page = c.get(Get.all().limit(1).offset(1));
        assertThat(page.ids()).containsExactly("b");

        GetResult peek = c.peek(2);
        assertThat(peek.ids()).containsExactly("a", "b");
        assertThat(peek.embeddings()).hasSize(2);
        assertThat(peek.documents()).hasSize(2);
        assertThat(peek.metadatas()).hasSize(2);

        assertThat(c.get(Get.ids("nope")).ids()).isEmpty();
    }

    @Test
    void urisRoundTrip() {
        Collection c = newCollection();
        c.add(Records.ids("u1", "u2").embeddings(new float[]{1}, new float[]{2}).uris("s3://a", "s3://b"));
        GetResult r = c.get(Get.all().include(Include.URIS));
        assertThat(r.uris()).containsExactly("s3://a", "s3://b");
    }

    @Test
    void recordsWithoutDocumentOrMetadataComeBackAsNulls() {
        Collection c = newCollection();
        c.add(Records.ids("p", "q").embeddings(new float[]{1}, new float[]{2}).documents(java.util.Arrays.asList("doc", null)));
        GetResult r = c.get();
        assertThat(r.documents()).containsExactly("doc", null);
        assertThat(r.metadatas()).containsExactly(null, null);
    }

    @Test
    void floatsRoundTripExactly() {
        float[] v = {0.1f, -1e-7f, 9.0e18f, 1.17549435e-38f, 1.4e-45f, 123456.789f, -0f};
        Collection c = newCollection();
        c.add(Records.ids("v").embeddings(v));
        assertThat(c.get(Get.ids("v").include(Include.EMBEDDINGS)).embeddings().get(0)).containsExactly(v);
        // Deliberately stricter than Chroma: a vector whose squared distances overflow float32 (norm
        // above ~9.2e18) cannot be ranked, so it is refused before it is stored
        assertThatThrownBy(() -> c.add(Records.ids("w").embeddings(new float[] {3.4028235e38f, 0f, 0f, 0f, 0f, 0f, 0f})))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(c.count()).isEqualTo(1);
    }

    @Test
    void queryReturnsNearestFirstWithDistances() {
        Collection c = abc();
        QueryResult r = c.query(Query.embeddings(new float[]{1, 0.1f, 0}).nResults(2));
        assertThat(r.rows()).isEqualTo(1);
        assertThat(r.ids().get(0)).containsExactly("a", "b");
        assertThat(r.distances().get(0).get(0)).isCloseTo(0.01f, within(1e-5f));
        assertThat(r.distances().get(0).get(1)).isCloseTo(1.81f, within(1e-5f));
        assertThat(r.documents().get(0)).containsExactly("hello world", "foo bar");
        assertThat(r.metadatas().get(0).get(0)).containsEntry("s", "x");
        assertThat(r.embeddings()).isNull();
        assertThat(r.include()).containsExactlyInAnyOrder(Include.DOCUMENTS, Include.METADATAS, Include.DISTANCES);

        QueryResult two = c.query(Query.embeddings(new float[]{0, 0, 1}, new float[]{0, 1, 0}).nResults(1)
                .include(Include.EMBEDDINGS));
        assertThat(two.ids()).containsExactly(List.of("c"), List.of("b"));
        assertThat(two.embeddings().get(0).get(0)).containsExactly(0f, 0f, 1f);
        assertThat(two.distances()).isNull();
        assertThat(two.documents()).isNull();

        assertThat(c.query(Query.embeddings(new float[]{1, 0, 0})).ids().get(0)).hasSize(3);
        assertThat(c.query(Query.embeddings(new float[]{1, 0, 0}).ids("b", "c").nResults(5)).ids().get(0))
                .containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void whereFilters() {
        Collection c = abc();
        assertThat(ids(c, Where.eq("s", "x"))).containsExactly("a");
        assertThat(ids(c, Where.ne("s", "x"))).containsExactly("b", "c"); // c has no "s": $ne matches it
        assertThat(ids(c, Where.gt("n", 1))).containsExactly("b", "c");
        assertThat(ids(c, Where.gte("f", 1.5))).containsExactly("a");
        assertThat(ids(c, Where.lt("n", 3))).containsExactly("a", "b");
        // not asserted: an int field against a fractional operand ($lt 2.5 on n=2). Real Chroma 1.x
        // truncates the operand (2 < 2 is false, so it misses "b"); io.chroma.api.Where compares numerically.
        assertThat(ids(c, Where.in("n", 1, 3))).containsExactly("a", "c");
        assertThat(ids(c, Where.nin("n", 1, 3))).containsExactly("b");
        assertThat(ids(c, Where.eq("flag", true))).containsExactly("b");
        assertThat(ids(c, Where.and(Where.gt("n", 1), Where.lt("n", 3)))).containsExactly("b");
        assertThat(ids(c, Where.or(Where.eq("n", 1), Where.eq("n", 3)))).containsExactly("a", "c");
        assertThat(ids(c, Where.contains("tags", "red"))).containsExactly("a");
        assertThat(ids(c, Where.eq("n", 1.0))).containsExactly("a"); // int and float compare numerically

        QueryResult q = c.query(Query.embeddings(new float[]{1, 0, 0}).where(Where.gt("n", 1)));
        assertThat(q.ids().get(0)).containsExactly("b", "c");
    }

    @Test
    void whereDocumentFilters() {
        Collection c = abc();
        assertThat(c.get(Get.all().whereDocument(WhereDocument.contains("hello"))).ids()).containsExactly("a", "c");
        assertThat(c.get(Get.all().whereDocument(WhereDocument.notContains("hello"))).ids()).containsExactly("b");
        assertThat(c.get(Get.all().whereDocument(WhereDocument.or(WhereDocument.contains("world"),
                WhereDocument.contains("bar")))).ids()).containsExactly("a", "b");
        assertThat(c.get(Get.all().whereDocument(WhereDocument.regex("^hel+o f"))).ids()).containsExactly("c");
        assertThat(c.get(Get.where(Where.eq("n", 1)).whereDocument(WhereDocument.contains("foo"))).ids()).isEmpty();
        QueryResult q = c.query(Query.embeddings(new float[]{0, 0.1f, 1}).whereDocument(WhereDocument.contains("hello")));
        assertThat(q.ids().get(0)).containsExactly("c", "a");
    }

    @Test
    void updateChangesOnlyGivenFieldsAndMergesMetadata() {
        Collection c = abc();
        c.update(Records.ids("a").documents("changed").metadatas(Map.of("s", "z", "new", 1)));
        GetResult r = c.get(Get.ids("a").include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS));
        assertThat(r.documents()).containsExactly("changed");
        assertThat(r.embeddings().get(0)).containsExactly(1f, 0f, 0f);
        assertThat(r.metadatas().get(0)).containsEntry("s", "z").containsEntry("new", 1L).containsEntry("n", 1L);

        Map<String, Object> removeKey = new HashMap<>();
        removeKey.put("s", null);
        c.update(Records.ids("a").metadatas(removeKey));
        assertThat(c.get(Get.ids("a")).metadatas().get(0)).doesNotContainKey("s").containsEntry("n", 1L);

        c.update(Records.ids("b").embeddings(new float[]{5, 5, 5}));
        assertThat(c.get(Get.ids("b").include(Include.EMBEDDINGS)).embeddings().get(0)).containsExactly(5f, 5f, 5f);

        c.update(Records.ids("does-not-exist").embeddings(new float[]{1, 1, 1})); // skipped, no error
        assertThat(c.count()).isEqualTo(3);
    }

    @Test
    void upsertInsertsAndUpdates() {
        Collection c = abc();
        c.upsert(Records.ids("a", "d").embeddings(new float[]{9, 9, 9}, new float[]{1, 1, 1})
                .documents("A again", "D").metadatas(Map.of("n", 10), Map.of("n", 4)));
        assertThat(c.count()).isEqualTo(4);
        GetResult r = c.get(Get.ids("a", "d").include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS));
        int ia = r.ids().indexOf("a");
        int id = r.ids().indexOf("d");
        assertThat(r.embeddings().get(ia)).containsExactly(9f, 9f, 9f);
        assertThat(r.documents().get(ia)).isEqualTo("A again");
        assertThat(r.metadatas().get(ia)).containsEntry("n", 10L);
        assertThat(r.documents().get(id)).isEqualTo("D");
    }

    @Test
    void addingAnExistingIdLeavesItUnchanged() {
        Collection c = abc();
        c.add(Records.ids("a").embeddings(new float[]{7, 7, 7}).documents("other"));
        assertThat(c.count()).isEqualTo(3);
        assertThat(c.get(Get.ids("a")).documents()).containsExactly("hello world");
    }

    @Test
    void deleteByIdsAndByWhere() {
        Collection c = abc();
        assertThat(c.delete(Delete.ids("a"))).isEqualTo(1);
        assertThat(c.ids()).containsExactly("b", "c");
        assertThat(c.delete(Delete.where(Where.eq("n", 3)))).isEqualTo(1);
        assertThat(c.ids()).containsExactly("b");
        // not asserted: deleting ids that do not exist. Real Chroma 1.x reports {"deleted": <number of ids sent>}
        // (1 for ["zzz"]), not the number of records removed.
        assertThat(c.delete(Delete.whereDocument(WhereDocument.contains("foo")))).isEqualTo(1);
        assertThat(c.count()).isZero();
    }

    // ------------------------------------------------------------------ errors and validation

    @Test
    void dimensionMismatchIsTyped() {
        Collection c = abc();
        assertThatThrownBy(() -> c.add(Records.ids("d").embeddings(new float[]{1, 2})))
                .isInstanceOfSatisfying(DimensionMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(3);
                    assertThat(e.actual()).isEqualTo(2);
                })
                .hasMessage("Collection expecting embedding with dimension of 3, got 2");
        assertThatThrownBy(() -> c.query(Query.embeddings(new float[]{1, 2})))
                .isInstanceOf(DimensionMismatchException.class);
        assertThatThrownBy(() -> c.upsert(Records.ids("a").embeddings(new float[]{1, 2, 3, 4})))
                .isInstanceOf(DimensionMismatchException.class);
    }

    @Test
    void badBatchesFailBeforeTheWire() {
        Collection c = newCollection();
        assertThatThrownBy(() -> c.add(Records.ids("a", "a").embeddings(new float[]{1}, new float[]{2})))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("duplicates of: a");
        assertThatThrownBy(() -> c.add(Records.ids("a", "b").embeddings(new float[]{1})))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Inconsistent number");
        assertThatThrownBy(() -> c.add(Records.ids("a").embeddings(new float[]{Float.NaN})))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> c.add(Records.ids("a").embeddings(new float[]{1}).metadatas(Map.of("k", Map.of()))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(c.count()).isZero();
    }

    @Test
    void documentsWithoutEmbeddingFunctionSayHowToPassOne() {
        Collection c = newCollection();
        assertThat(c.embeddingFunction()).isNull();
        assertThatThrownBy(() -> c.add(Records.ids("a").documents("text")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("embeddingFunction(ef)");
        assertThatThrownBy(() -> c.query(Query.texts("text")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("embedding function");
    }

    @Test
    void embeddingFunctionEmbedsDocumentsAndQueryTextsAndIsRebuiltOnGet() {
        HashEmbeddingFunction ef = new HashEmbeddingFunction(8);
        Collection c = newCollection(CreateCollection.named(unique("ef")).embeddingFunction(ef));
        assertThat(c.configuration().embeddingFunction())
                .containsEntry("type", "known").containsEntry("name", HashEmbeddingFunction.NAME);
        c.add(Records.ids("x", "y").documents("aaaa", "bbbb"));
        assertThat(c.dimension()).isEqualTo(8);
        assertThat(c.query(Query.texts("aab").nResults(1)).ids().get(0)).containsExactly("x");

        Collection again = client.getCollection(c.name());
        Map<String, Object> descriptor = again.configuration().embeddingFunction();
        assertThat(descriptor).containsEntry("name", HashEmbeddingFunction.NAME);
        // in-process the config map is kept as given (Integer); over JSON it comes back as a Long
        assertThat(descriptor.get("config")).isInstanceOfSatisfying(Map.class,
                config -> assertThat(((Number) config.get("dims")).intValue()).isEqualTo(8));
        assertThat(again.embeddingFunction()).isNotNull();
        assertThat(again.embeddingFunction().name()).isEqualTo(HashEmbeddingFunction.NAME);
        assertThat(again.query(Query.texts("bbb").nResults(1)).ids().get(0)).containsExactly("y");
    }

    @Test
    void batchesOverTheLimitAreRefused() {
        Collection c = newCollection();
        int max = client.maxBatchSize();
        List<String> ids = IntStream.range(0, max + 1).mapToObj(i -> "id" + i).toList();
        List<float[]> vs = IntStream.range(0, max + 1).mapToObj(i -> new float[]{i}).toList();
        assertThatThrownBy(() -> c.add(Records.ids(ids).embeddings(vs)))
                .isInstanceOf(BatchSizeExceededException.class)
                .hasMessage("Batch size " + (max + 1) + " exceeds maximum batch size " + max);
        assertThat(c.count()).isZero();
    }

    @Test
    void oneClientServesManyThreads() throws Exception {
        Collection c = newCollection();
        int threads = 4;
        int perThread = 10;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        c.add(Records.ids("t" + thread + "-" + i).embeddings(new float[]{thread, i}));
                        assertThat(c.query(Query.embeddings(new float[]{thread, i}).nResults(1)).ids().get(0))
                                .hasSize(1);
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        assertThat(c.count()).isEqualTo(threads * perThread);
    }

    // ------------------------------------------------------------------ more scenarios (shared suite, round 2)

    @Test
    void resetDeletesEverythingWhenAllowed() {
        if (!resetAllowed()) {
            return; // resetIsRefusedUnlessAllowed covers this target
        }
        String tenant = unique("tenant");
        client.createTenant(tenant);
        client.createDatabase(tenant, "doomed");
        Collection c = client.createCollection(unique("doomed"));
        c.add(Records.ids("a").embeddings(new float[]{1}));
        client.reset();
        assertThat(client.countCollections()).isZero();
        assertThat(client.listCollections()).isEmpty();
        assertThatThrownBy(c::count).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.getTenant(tenant)).isInstanceOf(NotFoundException.class);
        // the default tenant and database come back: the client stays usable
        assertThat(client.getDatabase(ChromaClient.DEFAULT_TENANT, ChromaClient.DEFAULT_DATABASE).name())
                .isEqualTo(ChromaClient.DEFAULT_DATABASE);
        Collection again = newCollection();
        again.add(Records.ids("a").embeddings(new float[]{1, 2}));
        assertThat(again.count()).isEqualTo(1);
    }

    @Test
    void sameCollectionNameInTwoDatabasesIsIsolated() {
        String tenant = unique("tenant");
        client.createTenant(tenant);
        client.createDatabase(tenant, "db-one");
        client.createDatabase(tenant, "db-two");
        String otherTenant = unique("tenant");
        client.createTenant(otherTenant);
        client.createDatabase(otherTenant, "db-one"); // the same database name under another tenant
        try (ChromaClient one = client.withDatabase(tenant, "db-one");
             ChromaClient two = client.withDatabase(tenant, "db-two");
             ChromaClient three = client.withDatabase(otherTenant, "db-one")) {
            Collection c1 = one.createCollection("shared", Map.of("where", "one"));
            Collection c2 = two.createCollection("shared", Map.of("where", "two"));
            Collection c3 = three.createCollection("shared", Map.of("where", "three"));
            assertThat(List.of(c1.id(), c2.id(), c3.id())).doesNotHaveDuplicates();
            c1.add(Records.ids("x").embeddings(new float[]{1, 0}).documents("in one"));
            c2.add(Records.ids("x", "y").embeddings(new float[]{0, 1}, new float[]{1, 1}).documents("in two", "y"));
            c3.add(Records.ids("z").embeddings(new float[]{1, 2, 3})); // another dimension: nothing is shared

            assertThat(one.getCollection("shared").metadata()).containsEntry("where", "one");
            assertThat(two.getCollection("shared").metadata()).containsEntry("where", "two");
            assertThat(three.getCollection("shared").metadata()).containsEntry("where", "three");
            assertThat(c1.count()).isEqualTo(1);
            assertThat(c2.count()).isEqualTo(2);
            assertThat(c3.ids()).containsExactly("z");
            assertThat(c1.get(Get.ids("x")).documents()).containsExactly("in one");
            assertThat(c2.get(Get.ids("x")).documents()).containsExactly("in two");
            assertThat(c1.query(Query.embeddings(new float[]{1, 1}).nResults(5)).ids().get(0)).containsExactly("x");
            assertThat(client.listCollections()).extracting(Collection::id).doesNotContain(c1.id(), c2.id(), c3.id());
            // by id, too, a collection is found only through its own tenant and database
            assertThat(one.getCollectionById(c1.id()).name()).isEqualTo("shared");
            assertThatThrownBy(() -> client.getCollectionById(c1.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> two.getCollectionById(c1.id())).isInstanceOf(NotFoundException.class);

            c1.delete(Delete.ids("x"));
            assertThat(c2.ids()).containsExactly("x", "y");

            client.deleteDatabase(tenant, "db-one");
            assertThatThrownBy(() -> one.getCollection("shared")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> c1.upsert(Records.ids("x").embeddings(new float[]{1, 0})))
                    .isInstanceOf(NotFoundException.class);
            assertThat(two.getCollection("shared").count()).isEqualTo(2);
            assertThat(three.getCollection("shared").count()).isEqualTo(1);
            assertThat(client.listDatabases(tenant, null, null)).extracting(Database::name).containsExactly("db-two");
            assertThat(client.listDatabases(otherTenant, null, null)).extracting(Database::name)
                    .containsExactly("db-one");
            two.deleteCollection("shared");
            three.deleteCollection("shared");
        }
        client.deleteDatabase(tenant, "db-two");
        client.deleteDatabase(otherTenant, "db-one");
    }

    @Test
    void listingTheDatabasesOfAnUnknownTenantGivesNone() {
        // real Chroma 1.x answers 200 [] here (getTenant of the same name is a 404)
        String t = unique("nope");
        assertThat(client.listDatabases(t, null, null)).isEmpty();
    }

    @Test
    void getOrCreateReturnsTheExistingCollectionWithItsOriginalMetadata() {
        String name = unique("goc");
        Collection first = newCollection(CreateCollection.named(name).metadata(Map.of("v", 1)));
        Collection again = client.getOrCreateCollection(name, Map.of("v", 2, "other", "x"));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.metadata()).isEqualTo(Map.of("v", 1L));
        assertThat(client.getCollection(name).metadata()).isEqualTo(Map.of("v", 1L));

        String plain = unique("goc");
        Collection noMeta = client.getOrCreateCollection(plain);
        cleanup.add(() -> client.deleteCollection(plain));
        assertThat(noMeta.metadata()).isNull();
        assertThat(client.getOrCreateCollection(plain, Map.of("late", true)).metadata()).isNull();
    }

    @Test
    void renameOntoAnExistingNameFails() {
        Collection a = newCollection();
        Collection b = newCollection();
        if (renameConflictIsAlreadyExists()) {
            assertThatThrownBy(() -> a.modify(ModifyCollection.name(b.name())))
                    .isInstanceOf(AlreadyExistsException.class).hasMessageContaining(b.name());
        } else {
            assertThatThrownBy(() -> a.modify(ModifyCollection.name(b.name()))).isInstanceOf(ChromaException.class);
        }
        assertThat(client.getCollection(a.name()).id()).isEqualTo(a.id());
        assertThat(client.getCollection(b.name()).id()).isEqualTo(b.id());
    }

    @Test
    void distanceSpaceCannotChangeAfterCreation() {
        Collection c = newCollection(CreateCollection.named(unique("space")).metadata(Map.of("topic", "x")));
        c.add(Records.ids("x", "y").embeddings(new float[]{1, 0}, new float[]{2, 0}));
        // the configuration route: refused everywhere (real Chroma: 422 "unknown field `space`")
        assertThatThrownBy(() -> c.modify(ModifyCollection.hnsw(new HnswConfiguration(Space.COSINE, null, null, null,
                null, null, null, null)))).isInstanceOf(InvalidArgumentException.class);
        // the legacy metadata route
        if (spaceChangeInMetadataRejected()) {
            assertThatThrownBy(() -> c.modify(ModifyCollection.metadata(Map.of("hnsw:space", "cosine"))))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not supported");
            assertThat(client.getCollection(c.name()).metadata()).isEqualTo(Map.of("topic", "x"));
        } else {
            c.modify(ModifyCollection.metadata(Map.of("hnsw:space", "cosine")));
        }
        // either way the space is still l2: distances are squared euclidean, not cosine (which would be 0)
        assertThat(client.getCollection(c.name()).configuration().hnsw().space()).isIn(null, Space.L2);
        QueryResult r = c.query(Query.embeddings(new float[]{3, 0}).nResults(2));
        assertThat(r.ids().get(0)).containsExactly("y", "x");
        assertThat(r.distances().get(0)).containsExactly(1f, 4f);
    }

    @Test
    void staleHandleFailsWithNotFoundForEveryOperation() {
        Collection c = abc();
        client.deleteCollection(c.name());
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> ops = List.of(
                c::count, c::get, c::ids, () -> c.peek(1),
                () -> c.query(Query.embeddings(new float[]{1, 0, 0})),
                () -> c.update(Records.ids("a").embeddings(new float[]{1, 1, 1})),
                () -> c.upsert(Records.ids("a").embeddings(new float[]{1, 1, 1})),
                () -> c.delete(Delete.ids("a")),
                () -> c.modify(ModifyCollection.metadata(Map.of("k", "v"))));
        for (int i = 0; i < ops.size(); i++) {
            assertThatThrownBy(ops.get(i)).as("operation %d on a deleted collection", i)
                    .isInstanceOf(NotFoundException.class);
        }
        // a collection of the same name created afterwards is another collection
        Collection reborn = newCollection(CreateCollection.named(c.name()));
        assertThat(reborn.id()).isNotEqualTo(c.id());
        assertThat(reborn.count()).isZero();
        assertThatThrownBy(c::count).isInstanceOf(NotFoundException.class);
    }

    @Test
    void getLimitOffsetSlicesInInsertionOrder() {
        Collection c = newCollection();
        List<String> ids = IntStream.range(0, 11).mapToObj(i -> "r" + i).toList();
        List<float[]> vs = IntStream.range(0, 11).mapToObj(i -> new float[]{i, 1}).toList();
        List<Map<String, ?>> metas = IntStream.range(0, 11).<Map<String, ?>>mapToObj(i -> Map.of("i", i, "even", i % 2 == 0)).toList();
        c.add(Records.ids(ids).embeddings(vs).metadatas(metas));

        assertThat(c.ids()).isEqualTo(ids);
        assertThat(c.get(Get.all().limit(10).offset(10)).ids()).containsExactly("r10"); // the PR #3489 off-by-one
        assertThat(c.get(Get.all().limit(3).offset(2)).ids()).containsExactly("r2", "r3", "r4");
        assertThat(c.get(Get.all().limit(3)).ids()).containsExactly("r0", "r1", "r2");
        assertThat(c.get(Get.all().offset(8)).ids()).containsExactly("r8", "r9", "r10");
        assertThat(c.get(Get.all().limit(100).offset(9)).ids()).containsExactly("r9", "r10");
        assertThat(c.get(Get.all().limit(0)).ids()).isEmpty();
        GetResult past = c.get(Get.all().limit(5).offset(11));
        assertThat(past.ids()).isEmpty();
        assertThat(past.documents()).isEmpty();
        assertThat(past.metadatas()).isEmpty();
        // filters first, then the slice
        assertThat(c.get(Get.where(Where.eq("even", true)).limit(2).offset(1)).ids()).containsExactly("r2", "r4");
        assertThat(c.get(Get.where(Where.gte("i", 7)).offset(3)).ids()).containsExactly("r10");
        assertThat(c.get(Get.ids("r5", "r1", "r9", "r3").withWhere(Where.gt("i", 2)).limit(1).offset(1)).ids()).hasSize(1)
                .isSubsetOf("r5", "r9", "r3");
    }

    @Test
    void includeEmptyGivesIdsOnlyForGetAndQuery() {
        Collection c = abc();
        GetResult g = c.get(Get.where(Where.gt("n", 1)).include(List.of()));
        assertThat(g.ids()).containsExactly("b", "c");
        assertThat(g.include()).isEmpty();
        assertThat(g.embeddings()).isNull();
        assertThat(g.documents()).isNull();
        assertThat(g.metadatas()).isNull();
        assertThat(g.uris()).isNull();

        QueryResult q = c.query(Query.embeddings(new float[]{0.1f, 0, 1}, new float[]{1, 0, 0.1f}).nResults(2).include(List.of()));
        assertThat(q.ids()).containsExactly(List.of("c", "a"), List.of("a", "c"));
        assertThat(q.include()).isEmpty();
        assertThat(q.embeddings()).isNull();
        assertThat(q.documents()).isNull();
        assertThat(q.metadatas()).isNull();
        assertThat(q.distances()).isNull();
        assertThat(q.uris()).isNull();

        GetResult all = c.get(Get.ids("c").include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS));
        assertThat(all.include()).containsExactlyInAnyOrder(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS,
                Include.URIS);
        assertThat(all.uris()).containsExactly((String) null);
        assertThat(all.documents()).containsExactly("hello foo");
    }

    @Test
    void nResultsLargerThanTheCountReturnsEverything() {
        Collection c = abc();
        QueryResult r = c.query(Query.embeddings(new float[]{0.1f, 1, 0}).nResults(100));
        assertThat(r.ids().get(0)).containsExactly("b", "a", "c");
        assertThat(r.distances().get(0)).hasSize(3);
        assertThat(r.documents().get(0)).hasSize(3);
        assertThat(c.query(Query.embeddings(new float[]{0.1f, 1, 0}).nResults(100).where(Where.gte("n", 2))).ids().get(0))
                .containsExactly("b", "c");
        assertThat(c.query(Query.embeddings(new float[]{0.1f, 1, 0}).nResults(100).ids("c", "a")).ids().get(0))
                .containsExactly("a", "c");
    }

    @Test
    void queryingACollectionWithoutRecordsGivesEmptyRows() {
        Collection fresh = newCollection();
        QueryResult r = fresh.query(Query.embeddings(new float[]{1, 2, 3}, new float[]{4, 5, 6}).nResults(3));
        assertThat(r.ids()).containsExactly(List.of(), List.of());
        assertThat(r.distances()).containsExactly(List.of(), List.of());
        assertThat(r.documents()).containsExactly(List.of(), List.of());
        assertThat(r.metadatas()).containsExactly(List.of(), List.of());
        assertThat(fresh.get().ids()).isEmpty();

        // emptied after it had records (its dimension is set now)
        Collection emptied = abc();
        emptied.delete(Delete.ids("a", "b", "c"));
        QueryResult e = emptied.query(Query.embeddings(new float[]{1, 0, 0}).include(Include.EMBEDDINGS, Include.DISTANCES));
        assertThat(e.ids()).containsExactly(List.of());
        assertThat(e.embeddings()).containsExactly(List.of());
        assertThat(e.distances()).containsExactly(List.of());
    }

    @Test
    void filtersMatchingNothingGiveEmptyRowsNotErrors() {
        Collection c = abc();
        QueryResult q = c.query(Query.embeddings(new float[]{1, 0, 0}, new float[]{0, 1, 0}).where(Where.eq("n", 99))
                .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.DISTANCES));
        assertThat(q.ids()).containsExactly(List.of(), List.of());
        assertThat(q.distances()).containsExactly(List.of(), List.of());
        assertThat(q.metadatas()).containsExactly(List.of(), List.of());
        assertThat(q.documents()).containsExactly(List.of(), List.of());
        assertThat(q.embeddings()).containsExactly(List.of(), List.of());
        GetResult g = c.get(Get.all().whereDocument(WhereDocument.contains("no such text")));
        assertThat(g.ids()).isEmpty();
        assertThat(g.documents()).isEmpty();
        assertThat(g.metadatas()).isEmpty();
        assertThat(c.query(Query.embeddings(new float[]{1, 0, 0}).ids(List.of())).ids()).containsExactly(List.of());
    }

    @Test
    void queryRestrictedToDeletedOrUnknownIds() {
        Collection c = abc();
        c.delete(Delete.ids("a"));
        if (queryOnMissingIdsFails()) {
            assertThatThrownBy(() -> c.query(Query.embeddings(new float[]{1, 0, 0}).ids("a")))
                    .isInstanceOf(ChromaException.class).hasMessageContaining("Error finding id");
            assertThatThrownBy(() -> c.query(Query.embeddings(new float[]{1, 0, 0}).ids("b", "never")))
                    .isInstanceOf(ChromaException.class).hasMessageContaining("Error finding id");
        } else {
            QueryResult r = c.query(Query.embeddings(new float[]{1, 0, 0}).ids("a"));
            assertThat(r.ids()).containsExactly(List.of());
            assertThat(r.distances()).containsExactly(List.of());
            assertThat(c.query(Query.embeddings(new float[]{1, 0, 0}).ids("b", "never")).ids())
                    .containsExactly(List.of("b"));
        }
        // get by deleted / unknown ids is never an error
        assertThat(c.get(Get.ids("a", "never", "c")).ids()).containsExactly("c");
    }

    @Test
    void whereDocumentRegexWithInlineFlagsAndNegation() {
        Collection c = newCollection();
        c.add(Records.ids("lower", "title", "upper", "dog", "nodoc")
                .embeddings(new float[]{1}, new float[]{2}, new float[]{3}, new float[]{4}, new float[]{5})
                .documents(java.util.Arrays.asList("a cat", "Cat", "CAT!", "dog", null))
                .metadatas(Map.of("n", 1), Map.of("n", 10), Map.of("n", 3), Map.of("n", 4), Map.of("n", 5)));
        assertThat(docIds(c, WhereDocument.regex("cat"))).containsExactly("lower");
        assertThat(docIds(c, WhereDocument.regex("(?i)cat"))).containsExactly("lower", "title", "upper");
        assertThat(docIds(c, WhereDocument.regex("(?i)c(?-i)at"))).containsExactly("lower", "title");
        assertThat(docIds(c, WhereDocument.regex("^[A-Z]+!$"))).containsExactly("upper");
        assertThat(docIds(c, WhereDocument.regex("o"))).containsExactly("dog");
        // negations match records without a document too
        assertThat(docIds(c, WhereDocument.notRegex("(?i)cat"))).containsExactly("dog", "nodoc");
        assertThat(docIds(c, WhereDocument.notContains("cat"))).containsExactly("title", "upper", "dog", "nodoc");
        assertThat(docIds(c, WhereDocument.and(WhereDocument.regex("(?i)cat"), WhereDocument.notContains("!"))))
                .containsExactly("lower", "title");
        // combined with a metadata filter (the upstream test_regex case)
        assertThat(c.get(Get.where(Where.ne("n", 10)).whereDocument(WhereDocument.regex("(?i)c(?-i)at"))
                .include(List.of())).ids()).containsExactly("lower");
        QueryResult q = c.query(Query.embeddings(new float[]{3}).nResults(5).whereDocument(WhereDocument.regex("(?i)^c")));
        assertThat(q.ids().get(0)).containsExactly("upper", "title");
        assertThat(c.delete(Delete.whereDocument(WhereDocument.regex("^d")))).isEqualTo(1);
        assertThat(c.ids()).containsExactly("lower", "title", "upper", "nodoc");
    }

    @Test
    void listMetadataContainsAndNotContains() {
        Collection c = newCollection();
        c.add(Records.ids("a", "b", "c", "d")
                .embeddings(new float[]{1}, new float[]{2}, new float[]{3}, new float[]{4})
                .metadatas(Arrays.asList(
                        Map.of("tags", List.of("action", "drama"), "nums", List.of(1, 2, 3)),
                        Map.of("tags", List.of("comedy"), "nums", List.of(3, 4), "scores", List.of(0.5, 1.5)),
                        Map.of("tags", "action", "flags", List.of(true)),
                        null)));
        GetResult back = c.get(Get.ids("a", "b"));
        assertThat(back.metadatas().get(back.ids().indexOf("a"))).containsEntry("tags", List.of("action", "drama"))
                .containsEntry("nums", List.of(1L, 2L, 3L));
        assertThat(back.metadatas().get(back.ids().indexOf("b"))).containsEntry("scores", List.of(0.5, 1.5));

        assertThat(ids(c, Where.contains("tags", "action"))).containsExactly("a"); // a scalar "action" is no list
        assertThat(ids(c, Where.contains("tags", "comedy"))).containsExactly("b");
        assertThat(ids(c, Where.contains("nums", 3))).containsExactly("a", "b");
        assertThat(ids(c, Where.contains("nums", 4))).containsExactly("b");
        assertThat(ids(c, Where.contains("scores", 1.5))).containsExactly("b");
        assertThat(ids(c, Where.contains("flags", true))).containsExactly("c");
        assertThat(ids(c, Where.notContains("nums", 3))).containsExactly("c", "d"); // absent key matches
        assertThat(ids(c, Where.and(Where.contains("nums", 3), Where.notContains("tags", "drama"))))
                .containsExactly("b");

        // updating a list replaces it: the old elements stop matching
        c.update(Records.ids("a").metadatas(Map.of("tags", List.of("horror"))));
        assertThat(ids(c, Where.contains("tags", "action"))).isEmpty();
        assertThat(ids(c, Where.contains("tags", "horror"))).containsExactly("a");
        // list -> scalar and removal leave no stale matches
        c.update(Records.ids("b").metadatas(Map.of("nums", 4)));
        assertThat(ids(c, Where.contains("nums", 4))).isEmpty();
        assertThat(ids(c, Where.eq("nums", 4))).containsExactly("b");
        Map<String, Object> drop = new HashMap<>();
        drop.put("nums", null);
        c.update(Records.ids("a").metadatas(drop));
        assertThat(ids(c, Where.contains("nums", 3))).isEmpty();

        assertThatThrownBy(() -> c.add(Records.ids("e").embeddings(new float[]{5}).metadatas(Map.of("l", List.of(1, "x")))))
                .isInstanceOf(InvalidArgumentException.class);
        // as Chroma 1.x: an empty list is accepted and keeps no value (absent on add, removed on update)
        c.add(Records.ids("e").embeddings(new float[]{5}).metadatas(Map.of("l", List.of(), "k", 1)));
        assertThat(c.get(Get.ids("e")).metadatas().get(0)).isEqualTo(Map.of("k", 1L));
        c.update(Records.ids("e").metadatas(Map.of("k", List.of(), "j", 2)));
        assertThat(c.get(Get.ids("e")).metadatas().get(0)).isEqualTo(Map.of("j", 2L));
        assertThat(c.count()).isEqualTo(5);
    }

    @Test
    void boolAndNumbersNeverMatchEachOther() {
        Collection c = newCollection();
        c.add(Records.ids("t", "f", "one", "zero")
                .embeddings(new float[]{1}, new float[]{2}, new float[]{3}, new float[]{4})
                .metadatas(Map.of("v", true), Map.of("v", false), Map.of("v", 1), Map.of("v", 0)));
        assertThat(ids(c, Where.eq("v", true))).containsExactly("t");
        assertThat(ids(c, Where.eq("v", 1))).containsExactly("one");
        assertThat(ids(c, Where.eq("v", 0))).containsExactly("zero");
        assertThat(ids(c, Where.ne("v", false))).containsExactly("t", "one", "zero");
        assertThat(ids(c, Where.in("v", "x", "y"))).isEmpty();
        assertThat(ids(c, Where.in("v", 0, 1))).containsExactly("one", "zero");
        assertThat(ids(c, Where.nin("v", true))).containsExactly("f", "one", "zero");
    }

    @Test
    void metadataValueTypesRoundTrip() {
        Collection c = newCollection();
        c.add(Records.ids("m").embeddings(new float[]{1})
                .metadatas(Map.of("i", 7, "big", 1L << 40, "neg", -3, "f", 2.0, "pi", 3.25, "s", "text", "b", false,
                        "unicode", "héllo ✓")));
        Map<String, Object> m = c.get(Get.ids("m")).metadatas().get(0);
        assertThat(m).containsEntry("i", 7L).containsEntry("big", 1L << 40).containsEntry("neg", -3L)
                .containsEntry("f", 2.0).containsEntry("pi", 3.25).containsEntry("s", "text").containsEntry("b", false)
                .containsEntry("unicode", "héllo ✓");
        assertThat(m.get("f")).isInstanceOf(Double.class); // a whole float stays a float
        assertThat(ids(c, Where.eq("f", 2))).containsExactly("m");
        assertThat(ids(c, Where.lte("i", 7.0))).containsExactly("m");
    }

    @Test
    void deleteWithLimitNeedsAWhereAndCapsTheCount() {
        Collection c = newCollection();
        c.add(Records.ids("a1", "a2", "a3", "a4", "a5", "b1")
                .embeddings(new float[]{1}, new float[]{2}, new float[]{3}, new float[]{4}, new float[]{5}, new float[]{6})
                .metadatas(Map.of("cat", "a"), Map.of("cat", "a"), Map.of("cat", "a"), Map.of("cat", "a"),
                        Map.of("cat", "a"), Map.of("cat", "b")));
        assertThat(c.delete(Delete.where(Where.eq("cat", "a")).limit(0))).isZero();
        assertThat(c.count()).isEqualTo(6);
        assertThat(c.delete(Delete.where(Where.eq("cat", "a")).limit(2))).isEqualTo(2);
        assertThat(c.count()).isEqualTo(4);
        assertThat(ids(c, Where.eq("cat", "a"))).hasSize(3);
        assertThat(c.delete(Delete.where(Where.eq("cat", "a")).limit(2))).isEqualTo(2);
        assertThat(c.delete(Delete.where(Where.eq("cat", "a")).limit(100))).isEqualTo(1); // fewer matches than the limit
        assertThat(c.ids()).containsExactly("b1");

        assertThatThrownBy(() -> c.delete(Delete.ids("b1").limit(1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("limit");
        assertThat(c.ids()).containsExactly("b1");
    }

    @Test
    void deletingWhatDoesNotExistChangesNothing() {
        Collection c = abc();
        c.delete(Delete.ids("zzz", "yyy"));
        assertThat(c.delete(Delete.where(Where.eq("n", 99)))).isZero();
        assertThat(c.delete(Delete.whereDocument(WhereDocument.contains("no such text")))).isZero();
        assertThat(c.ids()).containsExactly("a", "b", "c");
        // ids and where together: both must hold
        assertThat(c.delete(Delete.ids("a", "b").withWhere(Where.eq("n", 2)))).isEqualTo(1);
        assertThat(c.ids()).containsExactly("a", "c");
    }

    @Test
    void deletedIdsCanBeAddedAgainAndUpsertedFresh() {
        Collection c = abc();
        c.delete(Delete.ids("a", "b"));
        c.add(Records.ids("a").embeddings(new float[]{0, 0, 2}).documents("new a"));
        c.upsert(Records.ids("b").embeddings(new float[]{0, 2, 0}).metadatas(Map.of("only", "this")));
        GetResult r = c.get(Get.ids("a", "b").include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS));
        int ia = r.ids().indexOf("a");
        int ib = r.ids().indexOf("b");
        assertThat(r.embeddings().get(ia)).containsExactly(0f, 0f, 2f);
        assertThat(r.documents().get(ia)).isEqualTo("new a");
        assertThat(r.metadatas().get(ia)).isNull(); // nothing survives from the deleted record
        assertThat(r.documents().get(ib)).isNull();
        assertThat(r.metadatas().get(ib)).isEqualTo(Map.of("only", "this"));
        assertThat(c.count()).isEqualTo(3);
        assertThat(c.query(Query.embeddings(new float[]{0, 0, 2}).nResults(1)).ids().get(0)).containsExactly("a");
        assertThat(ids(c, Where.eq("n", 1))).isEmpty(); // the old metadata is gone from the index too
    }

    @Test
    void updateOfAMissingIdCreatesNothingAndALaterAddWins() {
        Collection c = abc();
        c.update(Records.ids("ghost").embeddings(new float[]{9, 9, 9}).documents("ghost doc"));
        assertThat(c.get(Get.ids("ghost")).ids()).isEmpty();
        c.add(Records.ids("ghost").embeddings(new float[]{1, 1, 1}).documents("real"));
        GetResult r = c.get(Get.ids("ghost").include(Include.EMBEDDINGS, Include.DOCUMENTS));
        assertThat(r.embeddings().get(0)).containsExactly(1f, 1f, 1f);
        assertThat(r.documents()).containsExactly("real");
    }

    @Test
    void updatedRecordsAreFoundByTheirNewVectorsAndMetadata() {
        Collection c = abc();
        c.update(Records.ids("c").embeddings(new float[]{1, 0.05f, 0}).metadatas(Map.of("n", 30)));
        assertThat(c.query(Query.embeddings(new float[]{1, 0, 0}).nResults(2)).ids().get(0)).containsExactly("a", "c");
        assertThat(ids(c, Where.eq("n", 3))).isEmpty();
        assertThat(ids(c, Where.gt("n", 20))).containsExactly("c");
        c.update(Records.ids("b").documents("replaced text"));
        assertThat(c.get(Get.all().whereDocument(WhereDocument.contains("foo"))).ids()).containsExactly("c");
        assertThat(c.get(Get.all().whereDocument(WhereDocument.contains("replaced"))).ids()).containsExactly("b");
    }

    @Test
    void duplicateIdsInOneBatchAreRejectedForAddAndUpsert() {
        Collection c = abc();
        assertThatThrownBy(() -> c.upsert(Records.ids("a", "x", "a").embeddings(new float[]{1, 1, 1}, new float[]{2, 2, 2},
                new float[]{3, 3, 3}))).isInstanceOf(DuplicateIdException.class).hasMessageContaining("a");
        assertThatThrownBy(() -> c.add(Records.ids("x", "x").embeddings(new float[]{1, 1, 1}, new float[]{2, 2, 2})))
                .isInstanceOf(DuplicateIdException.class);
        assertThat(c.ids()).containsExactly("a", "b", "c");
    }

    @Test
    void collectionNameRules() {
        int max = maxCollectionNameLength();
        String longest = "a" + "b".repeat(max - 2) + "c";
        newCollection(CreateCollection.named(longest));
        assertThat(client.getCollection(longest).name()).hasSize(max);
        for (String bad : List.of("a".repeat(max + 1), "abc..def", "-abc", "abc-", "_abc", ".abc", "192.168.0.1",
                "has space", "slash/no")) {
            assertThatThrownBy(() -> client.createCollection(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
        for (String ok : List.of("my_collection", "my-collection", "my.collection", "MyCollection123")) {
            String name = ok + "-" + unique("n").substring(2, 8);
            assertThat(newCollection(CreateCollection.named(name)).name()).isEqualTo(name);
        }
    }

    @Test
    void listCollectionsPagesConcatenateToTheWholeList() {
        String tenant = unique("tenant");
        client.createTenant(tenant);
        client.createDatabase(tenant, "pages");
        try (ChromaClient db = client.withDatabase(tenant, "pages")) {
            for (String n : List.of("one", "two", "three", "four", "five")) {
                db.createCollection("coll-" + n);
            }
            List<String> all = db.listCollections().stream().map(Collection::name).toList();
            assertThat(all).hasSize(5);
            List<String> paged = new ArrayList<>();
            for (int offset = 0; offset < 5; offset += 2) {
                db.listCollections(2, offset).forEach(c -> paged.add(c.name()));
            }
            assertThat(paged).isEqualTo(all);
            assertThat(db.listCollections(10, 5)).isEmpty();
            assertThat(db.listCollections(10, 50)).isEmpty();
            assertThat(db.countCollections()).isEqualTo(5);
            for (String n : all) {
                db.deleteCollection(n);
            }
        }
        client.deleteDatabase(tenant, "pages");
    }

    @Test
    void embeddingFunctionRecomputesVectorsOnUpdateAndUpsert() {
        HashEmbeddingFunction ef = new HashEmbeddingFunction(8);
        Collection c = newCollection(CreateCollection.named(unique("ef")).embeddingFunction(ef));
        c.add(Records.ids("x", "y").documents("aaaa", "bbbb"));
        c.update(Records.ids("x").documents("cccc"));
        GetResult r = c.get(Get.ids("x").include(Include.EMBEDDINGS, Include.DOCUMENTS));
        assertThat(r.documents()).containsExactly("cccc");
        assertThat(r.embeddings().get(0)).containsExactly(ef.embed(List.of("cccc")).get(0));
        assertThat(c.query(Query.texts("ccc").nResults(1)).ids().get(0)).containsExactly("x");
        c.upsert(Records.ids("z", "y").documents("dddd", "aaaa"));
        assertThat(c.count()).isEqualTo(3);
        assertThat(c.query(Query.texts("ddd").nResults(1)).ids().get(0)).containsExactly("z");
        assertThat(c.query(Query.texts("aaa").nResults(1)).ids().get(0)).containsExactly("y");
        // given embeddings win over the function
        c.add(Records.ids("w").embeddings(new float[]{0, 0, 0, 0, 0, 0, 0, 9}).documents("aaaa"));
        assertThat(c.get(Get.ids("w").include(Include.EMBEDDINGS)).embeddings().get(0))
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 9);
        assertThatThrownBy(() -> c.query(Query.embeddings(new float[]{1, 2}))).isInstanceOf(DimensionMismatchException.class);
    }

    @Test
    void textsAndIdsRoundTripVerbatim() {
        Collection c = newCollection();
        String big = "lorem ipsum ".repeat(2_000);
        List<String> docs = List.of("emoji \uD83D\uDE00 and ünïcødé", "quotes \" ' \\ and\nnew\tlines", big, "");
        List<String> ids = List.of("id with spaces", "id/with/slashes?&=", "ünïcødé-id", "x".repeat(300));
        c.add(Records.ids(ids).embeddings(new float[]{1}, new float[]{2}, new float[]{3}, new float[]{4}).documents(docs));
        GetResult r = c.get();
        assertThat(r.ids()).isEqualTo(ids);
        assertThat(r.documents().subList(0, 3)).isEqualTo(docs.subList(0, 3));
        assertThat(c.get(Get.ids("id/with/slashes?&=")).documents()).containsExactly(docs.get(1));
        assertThat(c.get(Get.all().whereDocument(WhereDocument.contains("ünïcødé"))).ids()).containsExactly("id with spaces");
        assertThat(c.get(Get.all().whereDocument(WhereDocument.contains("\uD83D\uDE00"))).ids())
                .containsExactly("id with spaces");
        assertThat(c.delete(Delete.ids("ünïcødé-id"))).isEqualTo(1);
        assertThat(c.count()).isEqualTo(3);
    }

    @Test
    void innerProductDistances() {
        Collection ip = newCollection(CreateCollection.named(unique("ip"))
                .configuration(CollectionConfiguration.of(HnswConfiguration.DEFAULT.withSpace(Space.IP))));
        ip.add(Records.ids("near", "far").embeddings(new float[]{3, 0}, new float[]{1, 2}));
        QueryResult r = ip.query(Query.embeddings(new float[]{1, 0}).nResults(2));
        assertThat(r.ids().get(0)).containsExactly("near", "far");
        assertThat(r.distances().get(0).get(0)).isCloseTo(-2f, within(1e-5f)); // 1 - dot
        assertThat(r.distances().get(0).get(1)).isCloseTo(0f, within(1e-5f));
    }

    @Test
    void aBatchOfExactlyTheMaximumIsAccepted() {
        Collection c = newCollection();
        int max = client.maxBatchSize();
        List<String> ids = IntStream.range(0, max).mapToObj(i -> "id" + i).toList();
        List<float[]> vs = IntStream.range(0, max).mapToObj(i -> new float[]{i, -i}).toList();
        c.add(Records.ids(ids).embeddings(vs));
        assertThat(c.count()).isEqualTo(max);
        assertThat(c.query(Query.embeddings(new float[]{42, -42}).nResults(1)).ids().get(0)).containsExactly("id42");
        c.upsert(Records.ids(ids).embeddings(vs));
        assertThat(c.count()).isEqualTo(max);
    }

    @Test
    void badMetadataKeysAreInvalid() {
        Collection c = newCollection();
        for (String key : List.of("", "#hidden", "$op")) {
            assertThatThrownBy(() -> c.add(Records.ids("a").embeddings(new float[]{1}).metadatas(Map.of(key, 1))))
                    .as("key '%s'", key).isInstanceOf(InvalidArgumentException.class);
        }
        assertThat(c.count()).isZero();
    }

    @Test
    void whereOnTheDocumentPseudoKey() {
        Collection c = abc();
        assertThat(ids(c, Where.document(WhereDocument.contains("hello")))).containsExactly("a", "c");
        assertThat(ids(c, Where.document(WhereDocument.notContains("hello")))).containsExactly("b");
    }

    @Test
    void deleteWithAnEmptyIdListIsInvalid() {
        // real Chroma 1.x: 400 "Either ids or where must be specified"
        Collection c = abc();
        assertThatThrownBy(() -> c.delete(Delete.ids(List.of()))).isInstanceOf(InvalidArgumentException.class);
        assertThat(c.count()).isEqualTo(3);
    }

    @Test
    void upsertOfAnExistingRecordMergesMetadataAndKeepsWhatIsNotGiven() {
        Collection c = abc();
        c.upsert(Records.ids("a").embeddings(new float[]{1, 0, 0}).metadatas(Map.of("n", 10, "extra", "e")));
        GetResult r = c.get(Get.ids("a"));
        assertThat(r.documents()).containsExactly("hello world");
        assertThat(r.metadatas().get(0)).containsEntry("n", 10L).containsEntry("extra", "e").containsEntry("s", "x");
        // a null row in an update batch leaves that record's metadata alone
        c.update(Records.ids("b", "c").metadatas(Arrays.asList(null, Map.of("n", 33))));
        assertThat(c.get(Get.ids("b")).metadatas().get(0)).isEqualTo(Map.of("n", 2L, "s", "y", "flag", true));
        assertThat(ids(c, Where.eq("n", 33))).containsExactly("c");
    }

    @Test
    void numericOperandsCompareAcrossIntAndFloat() {
        Collection c = abc();
        assertThat(ids(c, Where.in("n", 1.0, 3.0))).containsExactly("a", "c");
        assertThat(ids(c, Where.gt("f", 1))).containsExactly("a");
        assertThat(ids(c, Where.lte("n", 2.0))).containsExactly("a", "b");
        assertThat(ids(c, Where.nin("f", 1.5))).containsExactly("b", "c");
    }

    @Test
    void invalidFilterOperandsAreInvalidArguments() {
        Collection c = abc();
        assertThatThrownBy(() -> c.get(Get.where(Where.gt("s", "x")))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> c.get(Get.where(Where.in("n", 1, "x")))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> c.get(Get.where(Where.in("n", List.of())))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> c.get(Get.where(Where.in("n", 1, 2.5)))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> c.add(Records.ids("x").embeddings(new float[]{1, 1, 1}).metadatas(Map.of("v", Double.NaN))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(c.count()).isEqualTo(3);
    }

    @Test
    void concurrentGetOrCreateOfOneNameYieldsOneCollection() throws Exception {
        String name = unique("race");
        int threads = 6;
        List<java.util.concurrent.Future<UUID>> futures = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            var start = new java.util.concurrent.CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return client.getOrCreateCollection(name).id();
                }));
            }
            start.countDown();
            List<UUID> got = new ArrayList<>();
            for (var f : futures) {
                got.add(f.get());
            }
            cleanup.add(() -> client.deleteCollection(name));
            assertThat(got).containsOnly(client.getCollection(name).id());
        }
        assertThat(client.listCollections()).extracting(Collection::name).containsOnlyOnce(name);
    }

    @Test
    void namesThatCannotExistAreNotFoundOnLookup() {
        assertThatThrownBy(() -> client.getCollection("ab")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.deleteCollection("ab")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void listingTheCollectionsOfAMissingDatabaseGivesNone() {
        String db = unique("no-such-db");
        try (ChromaClient missing = client.withDatabase(ChromaClient.DEFAULT_TENANT, db)) {
            assertThat(missing.listCollections()).isEmpty();
            assertThat(missing.countCollections()).isZero();
            assertThatThrownBy(() -> missing.getCollection("abcdef")).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void creatingACollectionInAMissingDatabaseIsInvalid() {
        // real Chroma 1.x: 400 InvalidArgumentError "Database [<name>] does not exist"
        String db = unique("no-such-db");
        try (ChromaClient missing = client.withDatabase(ChromaClient.DEFAULT_TENANT, db)) {
            assertThatThrownBy(() -> missing.createCollection("abcdef")).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining(db);
        }
    }

    private static List<String> ids(Collection c, Where where) {
        return c.get(Get.where(where).include(List.of())).ids();
    }

    private static List<String> docIds(Collection c, WhereDocument whereDocument) {
        return c.get(Get.all().whereDocument(whereDocument).include(List.of())).ids();
    }
}
