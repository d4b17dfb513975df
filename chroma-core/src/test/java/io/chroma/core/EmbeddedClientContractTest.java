package io.chroma.core;

import io.chroma.api.AlreadyExistsException;
import io.chroma.api.BatchSizeExceededException;
import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The behaviours of behaviour-catalogue A.3–A.6 for an embedded client; run once per client kind.
 */
abstract class EmbeddedClientContractTest {

    protected EmbeddedClient client;

    protected abstract EmbeddedClient open(ClientSettings settings);

    @BeforeEach
    void setUp() {
        client = open(ClientSettings.defaults());
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    static float[] v(float... xs) {
        return xs;
    }

    static Records threeRecords() {
        return Records.ids("1", "2", "3")
                .embeddings(v(1, 0, 0), v(0, 1, 0), v(0, 0, 1))
                .documents("doc one", "doc two", null)
                .metadatas(Arrays.asList(Map.of("a", 1, "cat", "x"), null, Map.of("a", 3.5, "cat", "y")));
    }

    // ---------------------------------------------------------------- A.3 records

    @Test
    void addThenGetReturnsEverythingInInsertionOrderWithPartialFields() {
        Collection c = client.createCollection("records");
        c.add(threeRecords());
        assertThat(c.count()).isEqualTo(3);
        GetResult all = c.get();
        assertThat(all.ids()).containsExactly("1", "2", "3");
        assertThat(all.documents()).containsExactly("doc one", "doc two", null);
        assertThat(all.metadatas().get(0)).isEqualTo(Map.of("a", 1L, "cat", "x"));
        assertThat(all.metadatas().get(1)).isNull();
        assertThat(all.metadatas().get(2).get("a")).isEqualTo(3.5);
        assertThat(all.embeddings()).as("not included by default").isNull();
        assertThat(all.include()).containsExactly(Include.DOCUMENTS, Include.METADATAS);
        assertThat(c.dimension()).isEqualTo(3);
    }

    @Test
    void intsStayIntsFloatsStayFloatsAndListsRoundTrip() {
        Collection c = client.createCollection("types");
        c.add(Records.ids("a").embeddings(v(1)).metadatas(List.of(Map.of("i", 1, "f", 2.0, "b", true,
                "l", List.of("x", "y"), "li", List.of(1, 2)))));
        Map<String, Object> m = c.get().metadatas().get(0);
        assertThat(m.get("i")).isEqualTo(1L);
        assertThat(m.get("f")).isEqualTo(2.0);
        assertThat(m.get("b")).isEqualTo(true);
        assertThat(m.get("l")).isEqualTo(List.of("x", "y"));
        assertThat(m.get("li")).isEqualTo(List.of(1L, 2L));
    }

    @Test
    void addingAnExistingIdLeavesItUnchanged() {
        Collection c = client.createCollection("multi-add");
        c.add(threeRecords());
        c.add(Records.ids("1", "4").embeddings(v(9, 9, 9), v(4, 4, 4)).documents("changed", "four"));
        assertThat(c.count()).isEqualTo(4);
        GetResult r = c.get(Get.ids("1").include(Include.EMBEDDINGS, Include.DOCUMENTS));
        assertThat(r.documents()).containsExactly("doc one");
        assertThat(r.embeddings().get(0)).containsExactly(1, 0, 0);
        assertThat(c.ids()).containsExactly("1", "2", "3", "4");
    }

    @Test
    void duplicateIdsInOneBatchAreRejected() {
        Collection c = client.createCollection("dups");
        assertThatThrownBy(() -> c.add(Records.ids("a", "a").embeddings(v(1), v(2))))
                .isInstanceOf(DuplicateIdException.class).hasMessageContaining("duplicates");
        assertThatThrownBy(() -> c.upsert(Records.ids("b", "b").embeddings(v(1), v(2))))
                .isInstanceOf(DuplicateIdException.class);
        assertThat(c.count()).isZero();
    }

    @Test
    void documentsAreEmbeddedByTheCollectionFunctionOnlyWhenNoEmbeddingsAreGiven() {
        TestEmbeddingFunction ef = new TestEmbeddingFunction();
        Collection c = client.createCollection(CreateCollection.named("with-ef").embeddingFunction(ef));
        c.add(Records.ids("a", "b").documents("hello", "hi"));
        assertThat(ef.calls.get()).isEqualTo(1);
        c.add(Records.ids("c").embeddings(v(1, 2, 3)).documents("given"));
        assertThat(ef.calls.get()).isEqualTo(1);
        GetResult r = c.get(Get.ids("a").include(Include.EMBEDDINGS));
        assertThat(r.embeddings().get(0)).containsExactly(TestEmbeddingFunction.vector("hello"));
        QueryResult q = c.query(Query.texts("hello").nResults(1));
        assertThat(q.ids()).containsExactly(List.of("a"));
        assertThat(c.configuration().embeddingFunction()).containsEntry("name", "test-length");
        // the function given at creation is reused by later handles in this process
        assertThat(client.getCollection("with-ef").embeddingFunction()).isSameAs(ef);

        Collection noEf = client.createCollection("without-ef");
        assertThatThrownBy(() -> noEf.add(Records.ids("a").documents("x")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("embedding function");
    }

    @Test
    void dimensionIsFixedByTheFirstWrite() {
        Collection c = client.createCollection("dims");
        c.add(Records.ids("a").embeddings(v(1, 2)));
        assertThatThrownBy(() -> c.add(Records.ids("b").embeddings(v(1, 2, 3))))
                .isInstanceOf(DimensionMismatchException.class).hasMessageContaining("dimension");
        assertThatThrownBy(() -> c.update(Records.ids("a").embeddings(v(1))))
                .isInstanceOf(DimensionMismatchException.class);
        assertThatThrownBy(() -> c.upsert(Records.ids("z").embeddings(v(1, 2, 3, 4))))
                .isInstanceOf(DimensionMismatchException.class);
        assertThatThrownBy(() -> c.query(Query.embeddings(v(1, 2, 3))))
                .isInstanceOf(DimensionMismatchException.class).hasMessageContaining("dimension");
        assertThat(c.count()).isEqualTo(1);
    }

    @Test
    void highAndUnitDimensionsWork() {
        Collection big = client.createCollection("big-dim");
        float[] e = new float[4096];
        e[7] = 1;
        big.add(Records.ids("x").embeddings(e));
        assertThat(big.get(Get.all().include(Include.EMBEDDINGS)).embeddings().get(0)).containsExactly(e);
        Collection one = client.createCollection("one-dim");
        one.add(Records.ids("a", "b").embeddings(v(1), v(5)));
        assertThat(one.query(Query.embeddings(v(4)).nResults(1)).ids()).containsExactly(List.of("b"));
    }

    @Test
    void batchesLargerThanTheMaximumAreRejected() {
        try (EmbeddedClient small = open2(ClientSettings.defaults().withMaxBatchSize(3))) {
            Collection c = small.createCollection("batch");
            Records four = Records.ids("a", "b", "c", "d").embeddings(v(1), v(2), v(3), v(4));
            assertThatThrownBy(() -> c.add(four)).isInstanceOf(BatchSizeExceededException.class)
                    .hasMessageContaining("batch size");
            assertThatThrownBy(() -> c.upsert(four)).isInstanceOf(BatchSizeExceededException.class);
            assertThat(small.maxBatchSize()).isEqualTo(3);
        }
    }

    /** A second, independent client (a fresh store) for settings tests. */
    protected abstract EmbeddedClient open2(ClientSettings settings);

    @Test
    void getByIdsFiltersLimitOffsetAndInclude() {
        Collection c = client.createCollection("getter");
        c.add(threeRecords());
        assertThat(c.get(Get.ids("nope")).ids()).isEmpty();
        assertThat(c.get(Get.ids("nope")).documents()).isEmpty();
        assertThat(c.get(Get.ids("3", "1")).ids()).containsExactlyInAnyOrder("1", "3");
        assertThat(c.get(Get.where(Where.eq("cat", "nothing"))).ids()).isEmpty();
        GetResult onlyIds = c.get(Get.all().include(List.of()));
        assertThat(onlyIds.ids()).containsExactly("1", "2", "3");
        assertThat(onlyIds.documents()).isNull();
        assertThat(onlyIds.metadatas()).isNull();
        assertThat(onlyIds.embeddings()).isNull();
        assertThat(onlyIds.include()).isEmpty();
        GetResult emb = c.get(Get.ids("2").include(Include.EMBEDDINGS, Include.URIS));
        assertThat(emb.embeddings().get(0)).containsExactly(0, 1, 0);
        assertThat(emb.uris()).containsExactly((String) null);
        assertThat(c.get(Get.all().offset(1).limit(1)).ids()).containsExactly("2");
        assertThat(c.get(Get.where(Where.ne("cat", "x")).limit(5)).ids()).containsExactly("2", "3");
        assertThat(c.get(Get.where(Where.ne("cat", "x")).offset(1)).ids()).containsExactly("3");
        assertThat(c.get(Get.ids("1", "3").withWhere(Where.eq("cat", "y"))).ids()).containsExactly("3");
        // as real Chroma 1.x: a get asking for distances is answered, echoing the include, without distances
        GetResult withDistances = c.get(Get.ids("1").include(Include.DISTANCES, Include.METADATAS));
        assertThat(withDistances.ids()).containsExactly("1");
        assertThat(withDistances.include()).containsExactly(Include.DISTANCES, Include.METADATAS);
        assertThatThrownBy(() -> c.get(Get.all().limit(-1))).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void limitAndOffsetSliceTheInsertionOrder() {
        Collection c = client.createCollection("paging");
        List<String> ids = IntStream.range(0, 11).mapToObj(i -> "id" + i).toList();
        List<float[]> embs = IntStream.range(0, 11).mapToObj(i -> v(i)).toList();
        c.add(Records.ids(ids).embeddings(embs).metadatas(IntStream.range(0, 11).mapToObj(i -> Map.of("i", i)).toList()));
        assertThat(c.get(Get.all().limit(10).offset(10)).ids()).containsExactly("id10");
        for (int limit = 1; limit <= 4; limit++) {
            for (int offset = 0; offset <= 12; offset++) {
                List<String> expected = ids.subList(Math.min(offset, 11), Math.min(offset + limit, 11));
                assertThat(c.get(Get.all().limit(limit).offset(offset)).ids()).isEqualTo(expected);
                assertThat(c.get(Get.where(Where.gte("i", 0)).limit(limit).offset(offset)).ids()).isEqualTo(expected);
            }
        }
        assertThat(c.peek().ids()).hasSize(10);
        assertThat(c.peek().embeddings()).hasSize(10);
        assertThat(c.peek(3).ids()).containsExactly("id0", "id1", "id2");
    }

    @Test
    void updateMergesMetadataSkipsMissingIdsAndNullDeletesAKey() {
        Collection c = client.createCollection("updates");
        c.add(Records.ids("a").embeddings(v(1, 1)).documents("old").metadatas(List.of(Map.of("k1", 1, "k2", "two"))));
        Map<String, Object> change = new HashMap<>();
        change.put("k1", null);
        change.put("k3", true);
        c.update(Records.ids("a", "ghost").metadatas(List.of(change, Map.of("x", 1))));
        assertThat(c.count()).isEqualTo(1);
        assertThat(c.get(Get.ids("ghost")).ids()).isEmpty();
        GetResult r = c.get(Get.ids("a").include(Include.METADATAS, Include.DOCUMENTS, Include.EMBEDDINGS));
        assertThat(r.metadatas().get(0)).isEqualTo(Map.of("k2", "two", "k3", true));
        assertThat(r.documents()).containsExactly("old");
        assertThat(r.embeddings().get(0)).containsExactly(1, 1);
        c.update(Records.ids("a").embeddings(v(5, 5)).documents("new"));
        r = c.get(Get.ids("a").include(Include.METADATAS, Include.DOCUMENTS, Include.EMBEDDINGS));
        assertThat(r.documents()).containsExactly("new");
        assertThat(r.embeddings().get(0)).containsExactly(5, 5);
        assertThat(r.metadatas().get(0)).isEqualTo(Map.of("k2", "two", "k3", true));
        assertThat(c.query(Query.embeddings(v(5, 5)).nResults(1).include(Include.EMBEDDINGS, Include.DISTANCES))
                .distances()).containsExactly(List.of(0f));
        // a later add of the id that update skipped works
        c.add(Records.ids("ghost").embeddings(v(7, 7)));
        assertThat(c.count()).isEqualTo(2);
        // a where filter follows the merged metadata
        assertThat(c.get(Get.where(Where.eq("k1", 1))).ids()).isEmpty();
        assertThat(c.get(Get.where(Where.ne("k1", 1))).ids()).containsExactly("a", "ghost");
    }

    @Test
    void updateOfAMissingIdLogsAWarningNamingIt() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.chroma.core");
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) { messages.add(r.getLevel() + " " + r.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        jul.addHandler(h);
        try {
            Collection c = client.createCollection("warned");
            c.add(Records.ids("present").embeddings(v(1)));
            c.update(Records.ids("present", "missing-id-42").documents("a", "b"));
            assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("WARNING").contains("missing-id-42"));
            assertThat(messages).noneSatisfy(m -> assertThat(m).contains("present"));
            assertThat(c.get(Get.ids("present")).documents()).containsExactly("a");
        } finally {
            jul.removeHandler(h);
        }
    }

    @Test
    void listValuesReplaceOnUpdateAndContainsFollows() {
        Collection c = client.createCollection("lists");
        c.add(Records.ids("m").embeddings(v(1)).metadatas(List.of(Map.of("tags", List.of("action", "drama")))));
        assertThat(c.get(Get.where(Where.contains("tags", "action"))).ids()).containsExactly("m");
        c.update(Records.ids("m").metadatas(List.of(Map.of("tags", List.of("comedy")))));
        assertThat(c.get(Get.where(Where.contains("tags", "action"))).ids()).isEmpty();
        assertThat(c.get(Get.where(Where.notContains("tags", "action"))).ids()).containsExactly("m");
        c.update(Records.ids("m").metadatas(List.of(Map.of("tags", "scalar"))));
        assertThat(c.get(Get.where(Where.contains("tags", "comedy"))).ids()).isEmpty();
        assertThat(c.get(Get.where(Where.eq("tags", "scalar"))).ids()).containsExactly("m");
    }

    @Test
    void upsertInsertsOrUpdates() {
        Collection c = client.createCollection("upserts");
        c.add(threeRecords());
        c.upsert(Records.ids("3", "4").embeddings(v(1, 1, 1), v(2, 2, 2)).metadatas(List.of(Map.of("cat", "z"), Map.of("new", 1))));
        assertThat(c.count()).isEqualTo(4);
        GetResult r = c.get(Get.ids("3").include(Include.METADATAS, Include.DOCUMENTS, Include.EMBEDDINGS));
        assertThat(r.metadatas().get(0)).isEqualTo(Map.of("a", 3.5, "cat", "z"));
        assertThat(r.embeddings().get(0)).containsExactly(1, 1, 1);
        c.delete(Delete.ids("1"));
        c.upsert(Records.ids("1").embeddings(v(3, 3, 3)).metadatas(List.of(Map.of("only", "this"))));
        r = c.get(Get.ids("1"));
        assertThat(r.documents()).containsExactly((String) null);
        assertThat(r.metadatas().get(0)).isEqualTo(Map.of("only", "this"));
        QueryResult q = c.query(Query.embeddings(v(3, 3, 3)).nResults(1).include(Include.EMBEDDINGS, Include.METADATAS));
        assertThat(q.ids()).containsExactly(List.of("1"));
        assertThat(q.embeddings().get(0).get(0)).containsExactly(3, 3, 3);
        assertThat(c.ids()).as("a re-inserted id goes to the end").containsExactly("2", "3", "4", "1");
    }

    @Test
    void deleteByIdsWhereWhereDocumentAndLimit() {
        Collection c = client.createCollection("deletes");
        assertThatThrownBy(() -> c.delete(new Delete(null, null, null, null))).isInstanceOf(InvalidArgumentException.class);
        assertThat(c.delete(Delete.ids("foo"))).isZero();
        assertThat(c.delete(Delete.where(Where.eq("a", 1)))).isZero();
        c.add(Records.ids("1", "2", "3", "4").embeddings(v(1), v(2), v(3), v(4))
                .documents("doc1", "doc2", "doc3", null)
                .metadatas(List.of(Map.of("category", "a"), Map.of("category", "a"), Map.of("category", "a"), Map.of("category", "b"))));
        assertThatThrownBy(() -> c.delete(Delete.ids("1").limit(5)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("limit can only be specified");
        assertThat(c.delete(Delete.where(Where.eq("category", "a")).limit(0))).isZero();
        assertThat(c.delete(Delete.where(Where.eq("category", "a")).limit(2))).isEqualTo(2);
        assertThat(c.count()).isEqualTo(2);
        assertThat(c.ids()).containsExactly("3", "4");
        assertThat(c.delete(Delete.where(Where.eq("category", "a")).limit(10))).isEqualTo(1);
        assertThat(c.delete(Delete.whereDocument(WhereDocument.contains("doc")))).isZero();
        assertThat(c.delete(Delete.whereDocument(WhereDocument.notContains("doc")))).isEqualTo(1);
        assertThat(c.count()).isZero();
        c.add(Records.ids("1", "2").embeddings(v(1), v(2)));
        assertThat(c.ids()).containsExactly("1", "2");
        assertThat(c.delete(Delete.ids("1", "1", "nope"))).isEqualTo(1);
        assertThat(c.query(Query.embeddings(v(0))).ids()).containsExactly(List.of("2"));
    }

    @Test
    void deleteAllButOneThenQueryFindsTheSurvivor() {
        Collection c = client.createCollection("n-minus-1");
        c.add(Records.ids("a", "b", "c", "d", "e", "f").embeddings(v(1), v(2), v(3), v(4), v(5), v(6)));
        c.delete(Delete.ids("a", "b", "c", "d", "e"));
        assertThat(c.count()).isEqualTo(1);
        assertThat(c.query(Query.embeddings(v(1)).nResults(3)).ids()).containsExactly(List.of("f"));
    }

    // ---------------------------------------------------------------- A.4 query

    @Test
    void queryOnACollectionWithoutDataReturnsEmptyRows() {
        Collection c = client.createCollection("never-filled");
        QueryResult q = c.query(Query.embeddings(v(1, 2), v(3, 4)).include(Include.EMBEDDINGS, Include.DISTANCES));
        assertThat(q.ids()).containsExactly(List.of(), List.of());
        assertThat(q.embeddings()).containsExactly(List.of(), List.of());
        assertThat(q.distances()).containsExactly(List.of(), List.of());
        assertThat(q.documents()).isNull();
    }

    @Test
    void queryDefaultsOrderingSeveralRowsAndNResultsAboveCount() {
        Collection c = client.createCollection("query");
        c.add(threeRecords());
        QueryResult q = c.query(Query.embeddings(v(1, 0, 0), v(0, 0, 1)).nResults(100));
        assertThat(q.rows()).isEqualTo(2);
        assertThat(q.ids().get(0)).hasSize(3).first().isEqualTo("1");
        assertThat(q.ids().get(1)).first().isEqualTo("3");
        assertThat(q.embeddings()).isNull();
        assertThat(q.documents().get(0)).hasSize(3);
        assertThat(q.metadatas().get(0)).hasSize(3);
        assertThat(q.include()).containsExactly(Include.DOCUMENTS, Include.METADATAS, Include.DISTANCES);
        for (List<Float> row : q.distances()) {
            assertThat(row).isSorted();
        }
        QueryResult onlyIds = c.query(Query.embeddings(v(1, 0, 0)).include(List.of()));
        assertThat(onlyIds.ids().get(0)).hasSize(3);
        assertThat(onlyIds.distances()).isNull();
        assertThat(onlyIds.documents()).isNull();
        assertThat(onlyIds.metadatas()).isNull();
        assertThatThrownBy(() -> c.query(Query.embeddings(v(1, 0, 0)).nResults(0))).isInstanceOf(InvalidArgumentException.class);
        QueryResult none = c.query(Query.embeddings(v(1, 0, 0), v(0, 1, 0)).where(Where.eq("cat", "none")));
        assertThat(none.ids()).containsExactly(List.of(), List.of());
        assertThat(none.distances()).containsExactly(List.of(), List.of());
        assertThat(none.metadatas()).containsExactly(List.of(), List.of());
    }

    @Test
    void defaultNResultsIsTenAndFilteredQueryReturnsAllMatches() {
        Collection c = client.createCollection("filtered");
        int n = 200;
        List<String> ids = IntStream.range(0, n).mapToObj(i -> "r" + i).toList();
        List<float[]> embs = IntStream.range(0, n).mapToObj(i -> v((float) Math.sin(i), (float) Math.cos(i), i % 7)).toList();
        List<Map<String, ?>> metas = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> metas.add(Map.of("mod", i % 10)));
        c.add(Records.ids(ids).embeddings(embs).metadatas(metas));
        assertThat(c.query(Query.embeddings(v(0, 0, 0))).ids().get(0)).hasSize(10);
        QueryResult q = c.query(Query.embeddings(v(0, 1, 0)).nResults(20).where(Where.eq("mod", 3)));
        List<String> expected = IntStream.range(0, n).filter(i -> i % 10 == 3).mapToObj(i -> "r" + i).toList();
        assertThat(q.ids().get(0)).containsExactlyInAnyOrderElementsOf(expected);
        QueryResult withIds = c.query(Query.embeddings(v(0, 1, 0)).nResults(5).ids("r1", "r2", "gone"));
        assertThat(withIds.ids().get(0)).containsExactlyInAnyOrder("r1", "r2");
        assertThat(c.query(Query.embeddings(v(0, 1, 0)).ids(List.of())).ids()).containsExactly(List.of());
        // brute force check of the unfiltered top 15
        float[] query = v(0.3f, -0.2f, 2);
        List<Integer> order = IntStream.range(0, n).boxed()
                .sorted((a, b) -> Float.compare(Space.L2.distance(query, embs.get(a)), Space.L2.distance(query, embs.get(b))))
                .toList();
        QueryResult top = c.query(Query.embeddings(query).nResults(15));
        for (int i = 0; i < 15; i++) {
            assertThat(top.distances().get(0).get(i))
                    .isCloseTo(Space.L2.distance(query, embs.get(order.get(i))), within(1e-5f));
        }
    }

    @Test
    void distancesAreChromasInEachSpaceAndEmbeddingsComeBackAsStored() {
        float[] zero = v(0, 0, 0), p = v(1.2f, 2.24f, 3.2f), q = v(0.6f, 1.12f, 1.6f);
        for (Space space : Space.values()) {
            Collection c = client.createCollection("space-" + space.wireName(), Map.of("hnsw:space", space.wireName()));
            assertThat(c.configuration().hnsw().resolved().space()).isEqualTo(space);
            c.add(Records.ids("zero", "p").embeddings(zero, p));
            QueryResult r = c.query(Query.embeddings(q).include(Include.DISTANCES, Include.EMBEDDINGS));
            Map<String, Float> d = new HashMap<>();
            for (int i = 0; i < r.ids().get(0).size(); i++) {
                d.put(r.ids().get(0).get(i), r.distances().get(0).get(i));
                String id = r.ids().get(0).get(i);
                assertThat(r.embeddings().get(0).get(i)).containsExactly(id.equals("zero") ? zero : p);
            }
            switch (space) {
                case L2 -> assertThat(d.get("zero")).isGreaterThan(4).isCloseTo(space.distance(q, zero), within(1e-6f));
                case COSINE -> {
                    assertThat(d.get("p")).isBetween(0f, 1f);
                    assertThat(d.get("zero")).isEqualTo(1.0f);
                }
                case IP -> assertThat(d.get("p")).isLessThan(-5);
            }
            assertThat(r.distances().get(0)).isSorted();
        }
    }

    // ---------------------------------------------------------------- A.5 filters

    @Test
    void whereSemantics() {
        Collection c = client.createCollection("filters");
        c.add(Records.ids("1", "2", "3", "4", "5").embeddings(v(1), v(2), v(3), v(4), v(5))
                .documents("zero cat", "Cat one", "CAT two", null, "dog")
                .metadatas(Arrays.asList(Map.of("int_value", 1, "flag", false), Map.of("int_value", 2, "float_value", 2.002),
                        Map.of("flag", true, "test", 10), null, Map.of("test", 9))));
        assertThat(ids(c, Where.ne("int_value", 1))).containsExactly("2", "3", "4", "5");
        assertThat(ids(c, Where.nin("int_value", 1, 2))).containsExactly("3", "4", "5");
        assertThat(ids(c, Where.lte("int_value", 2.0))).containsExactly("1", "2");
        // -0.0 is stored as 0.0 (as Chroma does): range filters see one zero (they once missed it)
        Collection zeros = client.createCollection("zeros");
        zeros.add(Records.ids("neg", "pos").embeddings(v(1), v(2)).metadatas(List.of(Map.of("z", -0.0), Map.of("z", 0.0))));
        assertThat(zeros.get(Get.where(Where.gte("z", 0L))).ids()).containsExactly("neg", "pos");
        assertThat(zeros.get(Get.where(Where.lte("z", -0.0))).ids()).containsExactly("neg", "pos");
        assertThat(zeros.get(Get.ids("neg")).metadatas().get(0).get("z")).isEqualTo(0.0);
        assertThat(ids(c, Where.eq("float_value", 2.002))).containsExactly("2");
        assertThat(ids(c, Where.eq("flag", 0))).isEmpty();
        assertThat(ids(c, Where.eq("flag", true))).containsExactly("3");
        assertThat(ids(c, Where.in("int_value", 1.0, 2.0))).containsExactly("1", "2");
        // as Chroma 1.x: one list may not mix ints and floats
        assertThatThrownBy(() -> ids(c, Where.in("int_value", 1, 2.0))).isInstanceOf(InvalidArgumentException.class);
        assertThat(ids(c, Where.or(Where.eq("int_value", 1), Where.and(Where.gt("test", 9), Where.lt("test", 11)))))
                .containsExactly("1", "3");
        assertThat(ids(c, Where.eq("never_seen", 1))).isEmpty();
        assertThat(c.get(Get.all().whereDocument(WhereDocument.contains("ca"))).ids()).containsExactly("1");
        assertThat(c.get(Get.all().whereDocument(WhereDocument.notContains("cat"))).ids()).containsExactly("2", "3", "4", "5");
        assertThat(c.get(Get.all().whereDocument(WhereDocument.regex("(?i)cat"))).ids()).containsExactly("1", "2", "3");
        assertThat(c.get(Get.where(Where.ne("test", 10)).whereDocument(WhereDocument.regex("(?i)c(?-i)at"))).ids())
                .containsExactly("1", "2");
        assertThat(c.get(Get.all().whereDocument(WhereDocument.notRegex("cat"))).ids()).containsExactly("2", "3", "4", "5");
        QueryResult q = c.query(Query.embeddings(v(0)).where(Where.gte("int_value", 1))
                .whereDocument(WhereDocument.contains("one")));
        assertThat(q.ids()).containsExactly(List.of("2"));
    }

    private static List<String> ids(Collection c, Where w) {
        return c.get(Get.where(w)).ids();
    }

    // ---------------------------------------------------------------- A.6 collections

    @Test
    void collectionCreateGetOrCreateAndErrors() {
        Collection c = client.createCollection("coll", Map.of("a", 1));
        assertThatThrownBy(() -> client.createCollection("coll"))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> client.createCollection("empty-meta", Map.of()))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(client.createCollection("no-meta").metadata()).isNull();
        Collection again = client.getOrCreateCollection("coll", Map.of("a", 2));
        assertThat(again.id()).isEqualTo(c.id());
        assertThat(again.metadata()).isEqualTo(Map.of("a", 1L));
        assertThat(client.getOrCreateCollection("fresh", Map.of("b", 2)).metadata()).isEqualTo(Map.of("b", 2L));
        assertThatThrownBy(() -> client.getCollection("unknown")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> client.getCollectionById(UUID.randomUUID())).isInstanceOf(NotFoundException.class);
        assertThat(client.getCollectionById(c.id()).name()).isEqualTo("coll");
        assertThat(client.findCollectionById(c.id())).isPresent();
        assertThat(client.findCollectionById(UUID.randomUUID())).isEmpty();
        assertThatThrownBy(() -> client.deleteCollection("unknown")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> client.createCollection("bad", Map.of("hnsw:space", "foobar")))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void collectionNameRules() {
        for (String ok : List.of("abc", "my_collection", "my-collection", "my.collection", "MyCollection123", "a".repeat(63))) {
            assertThat(client.createCollection(ok).name()).isEqualTo(ok);
        }
        for (String bad : List.of("ab", "a", "", "_abc", "-abc", ".abc", "abc_", "abc-", "abc.", "abc..def",
                "192.168.0.1", "127.0.0.1", "a".repeat(64), "a b c")) {
            assertThatThrownBy(() -> client.createCollection(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
        try (EmbeddedClient wide = open2(ClientSettings.defaults().withMaxCollectionNameLength(512))) {
            assertThat(wide.createCollection("b".repeat(512)).name()).hasSize(512);
            assertThatThrownBy(() -> wide.createCollection("b".repeat(513))).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void modifyRenamesReplacesMetadataAndRefusesSpaceChanges() {
        Collection c = client.createCollection("orig", Map.of("a", 1, "b", 2));
        client.createCollection("taken");
        c.modify(null, Map.of("a", 2, "c", 3));
        assertThat(c.metadata()).isEqualTo(Map.of("a", 2L, "c", 3L));
        assertThat(client.getCollection("orig").metadata()).isEqualTo(Map.of("a", 2L, "c", 3L));
        c.modify(ModifyCollection.name("renamed"));
        assertThat(c.name()).isEqualTo("renamed");
        assertThatThrownBy(() -> client.getCollection("orig")).isInstanceOf(NotFoundException.class);
        assertThat(client.getCollection("renamed").id()).isEqualTo(c.id());
        assertThatThrownBy(() -> c.modify(ModifyCollection.name("taken"))).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> c.modify(ModifyCollection.name("x"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> c.modify(ModifyCollection.metadata(Map.of("hnsw:space", "cosine"))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> c.modify(ModifyCollection.hnsw(HnswConfiguration.DEFAULT.withSpace(Space.IP))))
                .hasMessageContaining("not supported");
        c.modify(ModifyCollection.hnsw(HnswConfiguration.DEFAULT.withEfSearch(20)));
        assertThat(c.configuration().hnsw().resolved().efSearch()).isEqualTo(20);
        assertThat(c.configuration().hnsw().resolved().efConstruction()).isEqualTo(100);
        assertThat(c.name()).isEqualTo("renamed");
        // as Chroma 1.x: keys set to null are left out of the new metadata; all of them clears it
        Map<String, Object> dropA = new HashMap<>();
        dropA.put("a", null);
        dropA.put("d", 4);
        c.modify(ModifyCollection.metadata(dropA));
        assertThat(client.getCollection("renamed").metadata()).isEqualTo(Map.of("d", 4L));
        c.modify(ModifyCollection.metadata(java.util.Collections.singletonMap("d", null)));
        assertThat(client.getCollection("renamed").metadata()).isNull();
        assertThatThrownBy(() -> c.modify(ModifyCollection.metadata(Map.of()))).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void staleHandlesOnADeletedCollectionThrowNotFound() {
        Collection c = client.createCollection("doomed");
        c.add(threeRecords());
        client.deleteCollection("doomed");
        assertThatThrownBy(() -> client.getCollection("doomed")).isInstanceOf(NotFoundException.class);
        assertThat(client.listCollections()).extracting(Collection::name).doesNotContain("doomed");
        List<Executable> ops = List.of(
                () -> c.add(Records.ids("9").embeddings(v(1, 1, 1))), c::get, c::count,
                () -> c.delete(Delete.ids("1")), () -> c.modify(ModifyCollection.name("other")), c::peek,
                () -> c.query(Query.embeddings(v(1, 1, 1))), () -> c.update(Records.ids("1").documents("x")),
                () -> c.upsert(Records.ids("1").embeddings(v(1, 1, 1))));
        for (Executable op : ops) {
            assertThatThrownBy(op::execute).isInstanceOf(NotFoundException.class)
                    .hasMessageMatching("Collection .* does not exist");
        }
        Collection reborn = client.createCollection("doomed");
        assertThat(reborn.count()).isZero();
        assertThatThrownBy(c::count).isInstanceOf(NotFoundException.class);
    }

    @Test
    void listCountAndPaging() {
        List<String> names = IntStream.range(0, 7).mapToObj(i -> "coll-" + i).toList();
        names.forEach(client::createCollection);
        assertThat(client.listCollections()).extracting(Collection::name).containsExactlyElementsOf(names);
        assertThat(client.countCollections()).isEqualTo(7);
        for (int limit = 1; limit <= 3; limit++) {
            for (int offset = 0; offset <= 8; offset++) {
                assertThat(client.listCollections(limit, offset)).extracting(Collection::name)
                        .containsExactlyElementsOf(names.subList(Math.min(offset, 7), Math.min(offset + limit, 7)));
            }
        }
    }

    @Test
    void tenantsAndDatabasesIsolateSameNamedCollections() {
        assertThat(client.getTenant(ChromaClient.DEFAULT_TENANT).name()).isEqualTo("default_tenant");
        assertThat(client.getDatabase(ChromaClient.DEFAULT_TENANT, ChromaClient.DEFAULT_DATABASE).name()).isEqualTo("default_database");
        client.createTenant("tenant-a");
        assertThatThrownBy(() -> client.createTenant("tenant-a")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> client.createTenant("t")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> client.getTenant("nobody")).isInstanceOf(NotFoundException.class);
        client.createDatabase("tenant-a", "db1");
        client.createDatabase("tenant-a", "db2");
        client.createDatabase("tenant-a", "db3");
        assertThatThrownBy(() -> client.createDatabase("tenant-a", "db1")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> client.createDatabase("tenant-a", "d")).isInstanceOf(InvalidArgumentException.class);
        // as Chroma 1.x, a database may be created in a tenant nobody created, whatever its name; the
        // tenant still does not exist, and may be created afterwards
        assertThat(client.createDatabase("nobody", "db1").tenant()).isEqualTo("nobody");
        assertThatThrownBy(() -> client.getTenant("nobody")).isInstanceOf(NotFoundException.class);
        assertThat(client.listDatabases("nobody", null, null)).extracting(d -> d.name()).containsExactly("db1");
        assertThat(client.getDatabase("nobody", "db1").name()).isEqualTo("db1");
        assertThat(client.createTenant("nobody").name()).isEqualTo("nobody");
        assertThat(client.listDatabases("nobody", null, null)).extracting(d -> d.name()).containsExactly("db1");
        assertThat(client.createDatabase("no", "db1").tenant()).isEqualTo("no");
        client.deleteDatabase("no", "db1");
        assertThatThrownBy(() -> client.getDatabase("no", "db1")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.createDatabase(null, "db1")).isInstanceOf(NotFoundException.class);
        assertThat(client.listDatabases("tenant-a", 2, 1)).extracting(d -> d.name()).containsExactly("db2", "db3");
        assertThat(client.listDatabases("tenant-a", null, null)).hasSize(3);

        EmbeddedClient a1 = client.withDatabase("tenant-a", "db1");
        EmbeddedClient a2 = client.withDatabase("tenant-a", "db2");
        Collection c0 = client.createCollection("same", Map.of("where", "default"));
        Collection c1 = a1.createCollection("same", Map.of("where", "db1"));
        Collection c2 = a2.createCollection("same", Map.of("where", "db2"));
        c1.add(Records.ids("x").embeddings(v(1)).documents("in db1"));
        c2.add(Records.ids("x", "y").embeddings(v(2), v(3)));
        assertThat(c0.count()).isZero();
        assertThat(a1.getCollection("same").count()).isEqualTo(1);
        assertThat(a2.getCollection("same").metadata()).isEqualTo(Map.of("where", "db2"));
        assertThat(a1.getCollection("same").get().documents()).containsExactly("in db1");
        assertThat(a1.listCollections()).hasSize(1);
        assertThatThrownBy(() -> a1.getCollectionById(c2.id())).isInstanceOf(NotFoundException.class);
        assertThat(client.findCollectionById(c2.id())).get().extracting(Collection::database).isEqualTo("db2");

        a2.close(); // closing a derived client does not close the store
        client.deleteDatabase("tenant-a", "db2");
        assertThatThrownBy(() -> client.getDatabase("tenant-a", "db2")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> c2.upsert(Records.ids("z").embeddings(v(1)))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> a2.getCollection("same")).isInstanceOf(NotFoundException.class);
        assertThat(a1.getCollection("same").count()).isEqualTo(1);
        assertThatThrownBy(() -> client.deleteDatabase("tenant-a", "db2")).isInstanceOf(NotFoundException.class);
        EmbeddedClient missing = client.withDatabase("tenant-a", "no-such-db");
        // as Chroma 1.x: creating in a missing database is an invalid argument; listing it is just empty
        assertThatThrownBy(() -> missing.createCollection("abc")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Database [no-such-db] does not exist");
        assertThat(missing.listCollections()).isEmpty();
        assertThat(missing.countCollections()).isZero();
        assertThat(client.listDatabases("no-such-tenant", null, null)).isEmpty();
    }

    @Test
    void resetIsRefusedUnlessAllowed() {
        client.createCollection("keep");
        assertThatThrownBy(client::reset).isInstanceOf(ResetNotAllowedException.class);
        assertThat(client.countCollections()).isEqualTo(1);
        try (EmbeddedClient resettable = open2(ClientSettings.defaults().withAllowReset(true))) {
            Collection c = resettable.createCollection("gone");
            c.add(Records.ids("a").embeddings(v(1)));
            resettable.createTenant("other-tenant");
            resettable.reset();
            assertThat(resettable.countCollections()).isZero();
            assertThatThrownBy(c::count).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> resettable.getTenant("other-tenant")).isInstanceOf(NotFoundException.class);
            assertThat(resettable.getTenant(ChromaClient.DEFAULT_TENANT)).isNotNull();
            resettable.createCollection("gone").add(Records.ids("b").embeddings(v(1, 2)));
            assertThat(resettable.getCollection("gone").dimension()).isEqualTo(2);
        }
    }

    @Test
    void heartbeatVersionAndIdempotentClose() {
        long now = System.currentTimeMillis() * 1_000_000L;
        assertThat(client.heartbeat()).isBetween(now - 10_000_000_000L, now + 10_000_000_000L);
        assertThat(client.version()).matches("\\d+\\.\\d+\\.\\d+");
        EmbeddedClient other = open2(ClientSettings.defaults());
        other.close();
        other.close();
        other.close();
        assertThatThrownBy(other::countCollections).hasMessageContaining("closed");
    }

    @Test
    void collectionConfigurationFromLegacyMetadataAndConfiguration() {
        Collection c = client.createCollection("cfg", Map.of("hnsw:space", "cosine", "hnsw:M", 32, "hnsw:search_ef", 50));
        HnswConfiguration h = c.configuration().hnsw().resolved();
        assertThat(h.space()).isEqualTo(Space.COSINE);
        assertThat(h.maxNeighbors()).isEqualTo(32);
        assertThat(h.efSearch()).isEqualTo(50);
        assertThat(c.metadata()).containsEntry("hnsw:space", "cosine");
        Collection d = client.createCollection(CreateCollection.named("cfg2")
                .configuration(CollectionConfiguration.of(HnswConfiguration.DEFAULT.withSpace(Space.IP).withEfConstruction(200))));
        assertThat(d.configuration().hnsw().resolved().space()).isEqualTo(Space.IP);
        assertThat(d.configuration().hnsw().resolved().efConstruction()).isEqualTo(200);
        assertThat(client.createCollection("cfg3").configuration().hnsw().resolved().space()).isEqualTo(Space.L2);
    }

    @Test
    void racingGetOrCreateAndDeleteOnlyFailWithDoesNotExist() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try {
                            Collection c = client.getOrCreateCollection("contested");
                            c.upsert(Records.ids("t" + thread).embeddings(v(thread, i)));
                            c.get();
                            if ((i + thread) % 3 == 0) {
                                client.deleteCollection("contested");
                            }
                        } catch (NotFoundException e) {
                            if (!e.getMessage().contains("does not exist")) {
                                unexpected.add(e);
                            }
                        } catch (Throwable e) {
                            unexpected.add(e);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).isEmpty();
        Collection c = client.getOrCreateCollection("contested");
        assertThat(c.ids()).doesNotHaveDuplicates().hasSize(c.count());
    }

    @Test
    void concurrentWritersAndReadersSeeExactCounts() throws Exception {
        Collection shared = client.createCollection("shared");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Collection own = client.createCollection("own-" + thread);
                    for (int b = 0; b < 10; b++) {
                        List<String> ids = new ArrayList<>();
                        List<float[]> embs = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            ids.add(thread + "-" + b + "-" + i);
                            embs.add(v(thread, b, i));
                        }
                        shared.add(Records.ids(ids).embeddings(embs));
                        own.upsert(Records.ids(ids).embeddings(embs));
                        // a read after our write returned sees it
                        assertThat(shared.get(Get.ids(ids.get(0))).ids()).containsExactly(ids.get(0));
                        assertThat(shared.query(Query.embeddings(v(thread, b, 0)).nResults(1)).ids().get(0))
                                .containsExactly(ids.get(0));
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 2; r++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        shared.query(Query.embeddings(v(1, 1, 1)).nResults(5));
                        shared.get(Get.all().limit(10));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(shared.count()).isEqualTo(800);
        assertThat(shared.ids()).doesNotHaveDuplicates().hasSize(800);
        for (int t = 0; t < 4; t++) {
            assertThat(client.getCollection("own-" + t).count()).isEqualTo(200);
        }
    }
}
