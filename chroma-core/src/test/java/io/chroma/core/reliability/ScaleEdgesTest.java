package io.chroma.core.reliability;

import io.chroma.api.Collection;
import io.chroma.api.Delete;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import io.chroma.core.ClientSettings;
import io.chroma.core.PersistentClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale edges of one store: reads and deletes that match more than 100k records (Chroma had a
 * SQLite 32,766-variable limit there, B.8), and thousands of collections opened, used, closed and
 * reopened without running out of file handles.
 *
 * <p>CI: 120k records, 2,000 collections. {@code -Dchroma.long=true}: 400k records, 10,000 collections
 * ({@code -Dchroma.collections=N} for another count).
 */
class ScaleEdgesTest {

    @TempDir
    Path dir;

    static final boolean LONG = Boolean.getBoolean("chroma.long");

    @Test
    void getQueryAndDeleteMatchingMoreThan100kRecords() {
        int total = LONG ? 400_000 : 120_000;
        int matching = total - 15_000; // the rest stay behind after the big delete
        try (PersistentClient client = new PersistentClient(dir.resolve("big"))) {
            Collection c = client.createCollection("big");
            long t0 = System.nanoTime();
            int batch = client.maxBatchSize();
            for (int from = 0; from < total; from += batch) {
                int to = Math.min(total, from + batch);
                List<String> ids = new ArrayList<>(to - from);
                List<float[]> vecs = new ArrayList<>(to - from);
                List<Map<String, ?>> metas = new ArrayList<>(to - from);
                List<String> docs = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    ids.add("id" + i);
                    vecs.add(new float[] {(float) Math.cos(i), (float) Math.sin(i)});
                    metas.add(Map.of("g", i < matching ? "big" : "small", "i", (long) i));
                    docs.add(i % 2 == 0 ? "even " + i : "odd " + i);
                }
                c.add(Records.ids(ids).embeddings(vecs).metadatas(metas).documents(docs));
            }
            long added = System.nanoTime();
            assertThat(c.count()).isEqualTo(total);

            GetResult g = c.get(Get.where(Where.eq("g", "big")).include(List.of()));
            assertThat(g.ids()).hasSize(matching);
            long got = System.nanoTime();

            // a page deep inside the match, and a where_document matching half of everything
            assertThat(c.get(Get.where(Where.eq("g", "big")).offset(matching - 10).limit(100).include(List.of())).ids())
                    .hasSize(10);
            assertThat(c.get(Get.all().whereDocument(WhereDocument.contains("even")).include(List.of())).ids())
                    .hasSize(total / 2);

            QueryResult q = c.query(Query.embeddings(new float[] {1, 0}).nResults(10).where(Where.eq("g", "big"))
                    .include(List.of(Include.METADATAS, Include.DISTANCES)));
            assertThat(q.ids().getFirst()).hasSize(10);
            assertThat(q.metadatas().getFirst()).allSatisfy(m -> assertThat(m.get("g")).isEqualTo("big"));
            List<Float> d = q.distances().getFirst();
            for (int i = 1; i < d.size(); i++) {
                assertThat(d.get(i)).isGreaterThanOrEqualTo(d.get(i - 1));
            }
            // query restricted to 100k+ ids
            List<String> someIds = new ArrayList<>(g.ids().subList(0, 100_001));
            QueryResult byIds = c.query(Query.embeddings(new float[] {0, 1}).nResults(5).ids(someIds));
            assertThat(byIds.ids().getFirst()).hasSize(5).allSatisfy(id -> assertThat(Integer.parseInt(id.substring(2))).isLessThan(matching));
            // get of 100k+ ids, some missing
            someIds.add("missing");
            assertThat(c.get(Get.ids(someIds).include(List.of())).ids()).hasSize(100_001);
            long queried = System.nanoTime();

            int deleted = c.delete(Delete.where(Where.eq("g", "big")));
            long deletedAt = System.nanoTime();
            assertThat(deleted).isEqualTo(matching);
            assertThat(c.count()).isEqualTo(total - matching);
            assertThat(c.get(Get.where(Where.eq("g", "big")).include(List.of())).ids()).isEmpty();
            QueryResult after = c.query(Query.embeddings(new float[] {1, 0}).nResults(20));
            assertThat(after.ids().getFirst()).hasSize(20)
                    .allSatisfy(id -> assertThat(Integer.parseInt(id.substring(2))).isGreaterThanOrEqualTo(matching));
            System.out.printf("ScaleEdgesTest: %d records: add %d ms, get %d matching %d ms, queries %d ms, delete %d ms%n",
                    total, ms(t0, added), matching, ms(added, got), ms(got, queried), ms(queried, deletedAt));
        }
    }

    @Test
    void thousandsOfCollectionsDoNotExhaustFileHandles() throws IOException {
        // 2,000 is eight times the open-index budget (256), so closing idle indexes is exercised
        // throughout; 5,000 took 10 min on a loaded 2-core box, so it is the long version's floor
        int n = Integer.getInteger("chroma.collections", LONG ? 10_000 : 2_000);
        Path store = dir.resolve("many");
        long fdStart = openFiles();
        long fdPeak;
        long t0 = System.nanoTime();
        try (PersistentClient client = new PersistentClient(store)) {
            for (int i = 0; i < n; i++) {
                Collection c = client.createCollection("coll" + i);
                c.add(Records.ids("a" + i, "b" + i).embeddings(new float[] {i, 1, 0}, new float[] {0, i, 1})
                        .metadatas(Map.of("k", (long) i), Map.of("k", -1L)));
                // a filtered query opens the collection's index for reading too
                assertThat(c.query(Query.embeddings(new float[] {i, 1, 0}).nResults(1).where(Where.eq("k", (long) i)))
                        .ids().getFirst()).containsExactly("a" + i);
            }
            fdPeak = openFiles();
        }
        long created = System.nanoTime();
        long fdClosed = openFiles();
        long fdPeak2;
        try (PersistentClient client = new PersistentClient(store)) {
            assertThat(client.countCollections()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                Collection c = client.getCollection("coll" + i);
                assertThat(c.count()).isEqualTo(2);
                assertThat(c.query(Query.embeddings(new float[] {0, i, 1}).nResults(1)).ids().getFirst())
                        .containsExactly("b" + i);
            }
            fdPeak2 = openFiles();
        }
        long reopened = System.nanoTime();
        long fdEnd = openFiles();
        System.out.printf("ScaleEdgesTest: %d collections: create+query %d ms, reopen+query %d ms; open files: "
                        + "start %d, peak %d, after close %d, peak after reopen %d, end %d%n",
                n, ms(t0, created), ms(created, reopened), fdStart, fdPeak, fdClosed, fdPeak2, fdEnd);
        // bounded: not one (or several) per collection ever used
        assertThat(fdPeak - fdStart).as("files held while %d collections were used", n).isLessThan(1_000);
        assertThat(fdPeak2 - fdStart).as("files held after reopening").isLessThan(1_000);
        assertThat(fdEnd - fdStart).as("files left open after close").isLessThan(50);
    }

    static long openFiles() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
