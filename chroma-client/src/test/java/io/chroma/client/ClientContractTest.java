package io.chroma.client;

import io.chroma.api.AlreadyExistsException;
import io.chroma.api.BatchSizeExceededException;
import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.Database;
import io.chroma.api.Delete;
import io.chroma.api.DimensionMismatchException;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
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
 * Scenarios every {@link ChromaClient} must pass, whatever it talks to. Subclasses supply the
 * client (HTTP against a server here; the embedded clients can reuse the class as it is). Every
 * test uses fresh, randomly named collections/tenants, so the suite can share a server with others
 * and needs no reset.
 */
abstract class ClientContractTest {

    /** A new client for one test; it is closed after the test. */
    protected abstract ChromaClient createClient();

    /** Whether {@link ChromaClient#reset()} is allowed by the client's configuration. */
    protected boolean resetAllowed() {
        return false;
    }

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
        float[] v = {0.1f, -1e-7f, 3.4028235e38f, 1.17549435e-38f, 123456.789f, -0f};
        Collection c = newCollection();
        c.add(Records.ids("v").embeddings(v));
        assertThat(c.get(Get.ids("v").include(Include.EMBEDDINGS)).embeddings().get(0)).containsExactly(v);
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

    private static List<String> ids(Collection c, Where where) {
        return c.get(Get.where(where).include(List.of())).ids();
    }
}
