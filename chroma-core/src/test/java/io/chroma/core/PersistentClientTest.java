package io.chroma.core;

import io.chroma.api.Collection;
import io.chroma.api.CreateCollection;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.Include;
import io.chroma.api.ModifyCollection;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.StoreInUseException;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersistentClientTest extends EmbeddedClientContractTest {

    @TempDir
    Path tmp;
    private int stores;

    @Override
    protected EmbeddedClient open(ClientSettings settings) {
        return new PersistentClient(tmp.resolve("main"), settings);
    }

    @Override
    protected EmbeddedClient open2(ClientSettings settings) {
        return new PersistentClient(tmp.resolve("other-" + (stores++)), settings);
    }

    private static final List<Include> ALL = List.of(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS);

    @Test
    void everythingSurvivesARestart() {
        Path dir = tmp.resolve("restart");
        List<GetResult> before = new ArrayList<>();
        QueryResult queryBefore;
        try (PersistentClient c = new PersistentClient(dir)) {
            assertThat(c.path()).isEqualTo(dir.toAbsolutePath());
            c.createTenant("tenant-r");
            c.createDatabase("tenant-r", "db-r");
            Collection a = c.createCollection(CreateCollection.named("alpha").metadata(Map.of("hnsw:space", "cosine", "k", 1.5))
                    .embeddingFunction(new TestEmbeddingFunction()));
            a.add(Records.ids("1", "2", "3").embeddings(v(1, 0, 0), v(0, 2, 0), v(0, 0, 3))
                    .documents("one", null, "three").metadatas(java.util.Arrays.asList(Map.of("i", 1, "l", List.of(true, false)), null, Map.of("f", 0.25)))
                    .uris("u1", null, "u3"));
            a.update(Records.ids("2").documents(List.of("two")));
            a.delete(io.chroma.api.Delete.ids("1"));
            a.add(Records.ids("1").embeddings(v(1, 1, 1)));
            a.modify(ModifyCollection.hnsw(HnswConfiguration.DEFAULT.withEfSearch(20)));
            Collection b = c.withDatabase("tenant-r", "db-r").createCollection("alpha");
            b.add(Records.ids("x").embeddings(v(7, 7)));
            c.createCollection("empty-one");
            before.add(a.get(Get.all().include(ALL)));
            before.add(b.get(Get.all().include(ALL)));
            queryBefore = a.query(Query.embeddings(v(1, 1, 0)).include(Include.DISTANCES, Include.EMBEDDINGS, Include.METADATAS));
        }
        try (PersistentClient c = new PersistentClient(dir)) {
            assertThat(c.listCollections()).extracting(Collection::name).containsExactly("alpha", "empty-one");
            Collection a = c.getCollection("alpha");
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.dimension()).isEqualTo(3);
            assertThat(a.metadata()).isEqualTo(Map.of("hnsw:space", "cosine", "k", 1.5));
            assertThat(a.configuration().hnsw().resolved().efSearch()).isEqualTo(20);
            assertThat(a.configuration().hnsw().resolved().space()).isEqualTo(io.chroma.api.Space.COSINE);
            assertThat(a.configuration().embeddingFunction()).containsEntry("name", "test-length")
                    .containsEntry("config", Map.of("dims", 3L));
            assertSameResult(a.get(Get.all().include(ALL)), before.get(0));
            Collection b = c.withDatabase("tenant-r", "db-r").getCollection("alpha");
            assertSameResult(b.get(Get.all().include(ALL)), before.get(1));
            QueryResult q = a.query(Query.embeddings(v(1, 1, 0)).include(Include.DISTANCES, Include.EMBEDDINGS, Include.METADATAS));
            assertThat(q.ids()).isEqualTo(queryBefore.ids());
            assertThat(q.distances()).isEqualTo(queryBefore.distances());
            assertThat(c.getCollection("empty-one").dimension()).isNull();
            // writes continue with fresh seqs after a restart
            a.add(Records.ids("4").embeddings(v(4, 4, 4)));
            assertThat(a.ids()).containsExactly("2", "3", "1", "4");
        }
    }

    static void assertSameResult(GetResult actual, GetResult expected) {
        assertThat(actual.ids()).isEqualTo(expected.ids());
        assertThat(actual.documents()).isEqualTo(expected.documents());
        assertThat(actual.metadatas()).isEqualTo(expected.metadatas());
        assertThat(actual.uris()).isEqualTo(expected.uris());
        assertThat(actual.embeddings()).hasSameSizeAs(expected.embeddings());
        for (int i = 0; i < actual.embeddings().size(); i++) {
            assertThat(actual.embeddings().get(i)).containsExactly(expected.embeddings().get(i));
        }
    }

    @Test
    void aSecondOpenInTheSameProcessIsRefusedUntilClose() {
        Path dir = tmp.resolve("locked");
        PersistentClient first = new PersistentClient(dir);
        assertThatThrownBy(() -> new PersistentClient(dir)).isInstanceOf(StoreInUseException.class)
                .hasMessageContaining("already in use by another process");
        first.close();
        try (PersistentClient again = new PersistentClient(dir)) {
            assertThat(again.countCollections()).isZero();
        }
    }

    @Test
    void aSecondProcessGetsStoreInUse() throws Exception {
        Path dir = tmp.resolve("locked-2");
        try (PersistentClient holder = new PersistentClient(dir)) {
            holder.createCollection("held");
            Process p = ChildProcess.launch("probe", dir.toString());
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains("IN_USE").contains("already in use");
            assertThat(p.exitValue()).isEqualTo(3);
        }
        Process p = ChildProcess.launch("probe", dir.toString());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertThat(out).contains("OPENED 1");
    }

    /** The durable test index, and the index -Dchroma.index selects (Lucene by default). */
    static java.util.stream.Stream<String> indexes() {
        return java.util.stream.Stream.of("file", System.getProperty("chroma.index", "lucene")).distinct();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("indexes")
    void acknowledgedWritesSurviveAHaltAndTheIndexCatchesUpFromTheLog(String index) throws Exception {
        Path dir = tmp.resolve("crash");
        Process p = ChildProcess.launch("crash", dir.toString(), index);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("ACKED");
        try (PersistentClient c = new PersistentClient(dir, ClientSettings.defaults(), ChildProcess.factory(index))) {
            Collection col = c.getCollection("crashy");
            assertThat(col.count()).isEqualTo(99);
            assertThat(col.get(Get.ids("r4", "r60")).ids()).isEmpty();
            GetResult r3 = col.get(Get.ids("r3"));
            assertThat(r3.documents()).containsExactly("updated");
            assertThat(r3.metadatas().get(0)).isEqualTo(Map.of("g", 99L));
            // the index (committed after phase 1) must reflect phase 2: filters and queries are exact
            assertThat(col.get(Get.where(Where.eq("g", 99))).ids()).containsExactly("r3");
            assertThat(col.get(Get.where(Where.eq("g", 97))).ids()).containsExactly("r200");
            assertThat(col.get(Get.where(Where.eq("g", 98))).ids()).containsExactly("r5");
            assertThat(col.get(Get.where(Where.gte("g", 0))).ids()).hasSize(99);
            assertThat(col.query(Query.embeddings(v(60, -60)).nResults(1)).ids().get(0)).doesNotContain("r60");
            assertThat(col.query(Query.embeddings(v(200, 200)).nResults(1)).ids()).containsExactly(List.of("r200"));
            assertThat(col.query(Query.embeddings(v(99, -99)).nResults(1)).ids()).containsExactly(List.of("r99"));
        }
    }

    /** Populates a collection through the durable test index and returns what every check expects. */
    private static Map<String, Object> populate(Path dir, String index) {
        try (PersistentClient c = new PersistentClient(dir, ClientSettings.defaults(), ChildProcess.factory(index))) {
            Collection col = c.createCollection("indexed");
            col.add(ChildProcess.batch(0, 40));
            col.add(ChildProcess.batch(40, 80));
            col.delete(io.chroma.api.Delete.where(Where.eq("g", 0)));
            col.update(Records.ids("r1").documents(List.of("special text")));
            return snapshot(col);
        }
    }

    private static Map<String, Object> snapshot(Collection col) {
        return Map.of(
                "count", col.count(),
                "g1", col.get(Get.where(Where.eq("g", 1))).ids(),
                "doc", col.get(Get.all().whereDocument(WhereDocument.contains("special"))).ids(),
                "query", col.query(Query.embeddings(v(10, -10)).nResults(7)).ids(),
                "filtered", col.query(Query.embeddings(v(10, -10)).nResults(100).where(Where.ne("g", 2))).ids(),
                "all", col.ids());
    }

    private Map<String, Object> reopenSnapshot(Path dir, String index) {
        try (PersistentClient c = new PersistentClient(dir, ClientSettings.defaults(), ChildProcess.factory(index))) {
            return snapshot(c.getCollection("indexed"));
        }
    }

    private static Path indexDir(Path dir) throws IOException {
        try (var s = Files.list(dir.resolve("index"))) {
            return s.findFirst().orElseThrow();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("indexes")
    void aDeletedIndexDirectoryIsRebuiltFromTheRecords(String index) throws Exception {
        Path dir = tmp.resolve("lost-index");
        Map<String, Object> expected = populate(dir, index);
        assertThat((Integer) expected.get("count")).isEqualTo(64);
        if (!Files.isDirectory(dir.resolve("index"))) {
            return; // an index that keeps nothing on disk (exact): nothing to lose
        }
        Path idx = indexDir(dir);
        deleteTree(idx);
        assertThat(reopenSnapshot(dir, index)).isEqualTo(expected);
        assertThat(idx).exists();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("indexes")
    void aCorruptIndexIsRebuiltFromTheRecords(String index) throws Exception {
        Path dir = tmp.resolve("corrupt-index");
        Map<String, Object> expected = populate(dir, index);
        if (!Files.isDirectory(dir.resolve("index"))) {
            return;
        }
        try (var files = Files.walk(indexDir(dir))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.write(f, "garbage, not an index".getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(reopenSnapshot(dir, index)).isEqualTo(expected);
        // and the rebuilt index is itself good on the next open
        assertThat(reopenSnapshot(dir, index)).isEqualTo(expected);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("indexes")
    void aStaleIndexOlderThanTheTruncatedLogIsRebuilt(String index) throws Exception {
        Path dir = tmp.resolve("stale-index");
        try (PersistentClient c = new PersistentClient(dir, ClientSettings.defaults(), ChildProcess.factory(index))) {
            c.createCollection("indexed").add(ChildProcess.batch(0, 10));
        }
        if (!Files.isDirectory(dir.resolve("index"))) {
            return;
        }
        Path live = indexDir(dir);
        Path old = tmp.resolve("old-index");
        copyTree(live, old);
        Map<String, Object> expected;
        try (PersistentClient c = new PersistentClient(dir, ClientSettings.defaults(), ChildProcess.factory(index))) {
            Collection col = c.getCollection("indexed");
            col.add(ChildProcess.batch(10, 80));
            col.delete(io.chroma.api.Delete.ids("r2"));
            col.update(Records.ids("r1").documents(List.of("special text")));
            expected = snapshot(col);
        }
        deleteTree(live);
        copyTree(old, live);
        assertThat(reopenSnapshot(dir, index)).isEqualTo(expected);
    }

    @Test
    void theDefaultIndexIsRebuiltOnEveryOpen() {
        Path dir = tmp.resolve("exact");
        Map<String, Object> expected;
        try (PersistentClient c = new PersistentClient(dir)) {
            Collection col = c.createCollection("indexed");
            col.add(ChildProcess.batch(0, 80));
            col.update(Records.ids("r1").documents(List.of("special text")));
            expected = snapshot(col);
        }
        try (PersistentClient c = new PersistentClient(dir)) {
            assertThat(snapshot(c.getCollection("indexed"))).isEqualTo(expected);
        }
    }

    @Test
    void deletingACollectionRemovesItsIndexDirectory() throws Exception {
        Path dir = tmp.resolve("drop");
        populate(dir, "file");
        Path idx = indexDir(dir);
        try (PersistentClient c = new PersistentClient(dir, ClientSettings.defaults(), FileBackedIndex.FACTORY)) {
            assertThat(c.getCollection("indexed").count()).isEqualTo(64);
            c.deleteCollection("indexed");
            assertThat(idx).doesNotExist();
        }
        try (PersistentClient c = new PersistentClient(dir, ClientSettings.defaults(), FileBackedIndex.FACTORY)) {
            assertThat(c.countCollections()).isZero();
            Collection again = c.createCollection("indexed");
            assertThat(again.count()).isZero();
            assertThat(again.get().ids()).isEmpty();
        }
    }

    @Test
    void orphanIndexDirectoriesAreRemovedOnOpen() throws Exception {
        Path dir = tmp.resolve("orphans");
        populate(dir, "file");
        Path orphan = dir.resolve("index").resolve(java.util.UUID.randomUUID().toString());
        Files.createDirectories(orphan);
        Files.writeString(orphan.resolve("junk"), "x");
        Path foreign = dir.resolve("index").resolve("not-a-uuid");
        Files.createDirectories(foreign);
        assertThat(reopenSnapshot(dir, "file").get("count")).isEqualTo(64);
        assertThat(orphan).doesNotExist();
        assertThat(foreign).exists();
    }

    @Test
    void aFailingIndexUpdateIsRepairedFromTheStore() {
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
        io.chroma.core.internal.index.VectorIndexFactory flaky = (d, settings) -> new FlakyIndex(
                new io.chroma.core.internal.index.ExactIndex(settings), fail);
        try (PersistentClient c = new PersistentClient(tmp.resolve("flaky"), ClientSettings.defaults(), flaky)) {
            Collection col = c.createCollection("flaky");
            col.add(ChildProcess.batch(0, 10));
            fail.set(true);
            col.add(ChildProcess.batch(10, 20)); // the index throws; the store has the batch; the engine rebuilds
            assertThat(col.count()).isEqualTo(20);
            assertThat(col.get(Get.where(Where.eq("g", 1))).ids()).containsExactly("r1", "r6", "r11", "r16");
            assertThat(col.query(Query.embeddings(v(15, -15)).nResults(1)).ids()).containsExactly(List.of("r15"));
        }
    }

    /** Throws once on upsert when told to. */
    private record FlakyIndex(io.chroma.core.internal.index.VectorIndex delegate,
                              java.util.concurrent.atomic.AtomicBoolean fail) implements io.chroma.core.internal.index.VectorIndex {
        @Override
        public void upsert(long seq, float[] vector, Map<String, Object> metadata, String document) throws IOException {
            if (fail.compareAndSet(true, false)) {
                throw new IOException("simulated index failure");
            }
            delegate.upsert(seq, vector, metadata, document);
        }

        @Override public void delete(long seq) throws IOException { delegate.delete(seq); }

        @Override public long[] filter(Where w, WhereDocument wd) throws IOException { return delegate.filter(w, wd); }

        @Override
        public long[] search(float[] q, int k, int ef, Where w, WhereDocument wd, long[] cand) throws IOException {
            return delegate.search(q, k, ef, w, wd, cand);
        }

        @Override
        public long[] sparseCandidates(String key, int[] idx, Where w, long[] cand, long[] df) throws IOException {
            return delegate.sparseCandidates(key, idx, w, cand, df);
        }

        @Override
        public TextHits fullText(String text, int k, Where w, long[] cand) throws IOException {
            return delegate.fullText(text, k, w, cand);
        }

        @Override public int size() throws IOException { return delegate.size(); }

        @Override public void commit(long op) throws IOException { delegate.commit(op); }

        @Override public long committedOpSeq() { return delegate.committedOpSeq(); }

        @Override public void clear() throws IOException { delegate.clear(); }

        @Override public void close() throws IOException { delegate.close(); }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
