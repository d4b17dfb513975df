package io.chroma.core.reliability;

import io.chroma.api.Collection;
import io.chroma.api.Delete;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.NotFoundException;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.Where;
import io.chroma.core.PersistentClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads add, upsert, update, delete and query the same collections of one persistent store
 * while others race get-or-create against delete of one name.
 *
 * <p>Every write moves a whole <em>batch</em>: its records share a {@code batch} tag and carry the
 * batch size {@code n}; later writes replace a batch as a whole (re-tagged upsert or update, delete by
 * tag or by its ids). So at every instant a tag has either all its records or none, and a reader
 * that sees a tag with fewer than {@code n} records has seen a half-applied write. Readers check that
 * on filtered get, filtered query and full scans, and that every record returned matches the
 * filter that returned it.
 *
 * <p>Afterwards: count equals the size of get-all; every record equals its writer's last
 * acknowledged write (each writer owns its ids, so the model is exact); the index agrees with the
 * records (a query for each stored vector finds it, a filtered get per tag gives the tag's ids).
 *
 * <p>CI: about 10 s. {@code -Dchroma.long=true}: 3 minutes ({@code -Dchroma.concurrency.seconds=N}).
 * With {@code -Dchroma.index.maxOpen=1} every switch between collections closes an idle index
 * under the readers, exercising the engine's reopen-and-retry path.
 */
class ConcurrencyTest {

    static final int DIM = 4;
    static final int WRITERS = 4;
    static final int READERS = 3;
    static final int RACERS = 3;

    @TempDir
    Path dir;

    /** One writer's view of what it last wrote: id → (tag, vector). Exact, since ids are not shared. */
    record Rec(String tag, float[] vector) {
    }

    record Batch(String tag, List<String> ids) {
    }

    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    /** Every tag ever written with its batch size: readers check any tag they see against it. */
    final Map<String, Integer> tagSizes = new ConcurrentHashMap<>();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong writes = new AtomicLong();

    @Test
    void writersReadersAndRacersKeepEveryInvariant() throws Exception {
        long seconds = Boolean.getBoolean("chroma.long") ? Long.getLong("chroma.concurrency.seconds", 180) : 8;
        try (PersistentClient client = new PersistentClient(dir.resolve("store"))) {
            List<Collection> colls = List.of(client.createCollection("shared-a"), client.createCollection("shared-b"));
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS + RACERS);
            List<Map<String, Map<String, Rec>>> models = new ArrayList<>();
            List<Future<?>> futures = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int w = 0; w < WRITERS; w++) {
                Map<String, Map<String, Rec>> model = new HashMap<>();
                models.add(model);
                int writer = w;
                futures.add(pool.submit(() -> writer(writer, colls, model, stop, go)));
            }
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                futures.add(pool.submit(() -> reader(reader, colls, stop, go)));
            }
            Set<String> racerOutcomes = ConcurrentHashMap.newKeySet();
            for (int r = 0; r < RACERS; r++) {
                int racer = r;
                futures.add(pool.submit(() -> racer(racer, client, racerOutcomes, stop, go)));
            }
            go.countDown();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            stop.set(true);
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS); // a thread that died of an unexpected exception fails here
            }
            pool.shutdown();
            System.out.printf("ConcurrencyTest: %d s, %d writes, %d reads, %d violations, racers saw %s (chroma.index.maxOpen %s)%n",
                    seconds, writes.get(), reads.get(), violations.size(), racerOutcomes,
                    System.getProperty("chroma.index.maxOpen", "default"));
            assertThat(violations).as("violations seen by readers").isEmpty();

            checkFinalState(colls, models);

            // the raced name: exactly one live collection, usable, and no orphaned index directory
            Collection racy = client.getOrCreateCollection("racy");
            racy.upsert(Records.ids("after").embeddings(new float[] {1, 2, 3, 4}));
            assertThat(racy.get(Get.ids("after")).ids()).containsExactly("after");
            assertThat(client.listCollections().stream().filter(c -> c.name().equals("racy")).count()).isEqualTo(1);
        }
        // reopened from disk, the same invariants hold (the writes were acknowledged, so durable)
        try (PersistentClient reopened = new PersistentClient(dir.resolve("store"))) {
            List<Collection> colls = List.of(reopened.getCollection("shared-a"), reopened.getCollection("shared-b"));
            for (Collection c : colls) {
                assertThat(c.count()).isEqualTo(c.get(Get.all().include(List.of())).ids().size());
                checkIndexAgrees(c, c.get(Get.all().include(Include.EMBEDDINGS, Include.METADATAS)));
            }
            try (var dirs = Files.list(dir.resolve("store").resolve("index"))) {
                Set<String> live = new HashSet<>();
                reopened.listCollections().forEach(c -> live.add(c.id().toString()));
                assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> !live.contains(n)).toList())
                        .as("index directories of deleted collections").isEmpty();
            }
        }
    }

    // ---------------------------------------------------------------- writers

    void writer(int w, List<Collection> colls, Map<String, Map<String, Rec>> model, AtomicBoolean stop,
                CountDownLatch go) {
        await(go);
        Random rnd = new Random(1000 + w);
        List<List<Batch>> live = List.of(new ArrayList<>(), new ArrayList<>());
        model.put("shared-a", new HashMap<>());
        model.put("shared-b", new HashMap<>());
        int serial = 0;
        int nextId = 0;
        while (!stop.get()) {
            int ci = rnd.nextInt(colls.size());
            Collection c = colls.get(ci);
            Map<String, Rec> m = model.get(c.name());
            List<Batch> batches = live.get(ci);
            String tag = "w" + w + "-" + serial++;
            int op = batches.size() < 3 ? 0 : rnd.nextInt(5);
            switch (op) {
                case 0 -> { // add a new batch
                    int n = 1 + rnd.nextInt(40);
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        ids.add("w" + w + "-id" + nextId++);
                    }
                    write(c, ids, tag, rnd, m, false);
                    batches.add(new Batch(tag, ids));
                }
                case 1 -> { // upsert a whole batch under a new tag
                    Batch b = batches.remove(rnd.nextInt(batches.size()));
                    write(c, b.ids(), tag, rnd, m, true);
                    batches.add(new Batch(tag, b.ids()));
                }
                case 2 -> { // update a whole batch's tag (metadata only: vectors stay)
                    Batch b = batches.remove(rnd.nextInt(batches.size()));
                    tagSizes.put(tag, b.ids().size());
                    List<Map<String, ?>> metas = new ArrayList<>();
                    for (int i = 0; i < b.ids().size(); i++) {
                        metas.add(Map.of("batch", tag, "n", (long) b.ids().size()));
                    }
                    c.update(Records.ids(b.ids()).metadatas(metas));
                    for (String id : b.ids()) {
                        m.put(id, new Rec(tag, m.get(id).vector()));
                    }
                    batches.add(new Batch(tag, b.ids()));
                }
                case 3 -> { // delete a batch by its tag (index-evaluated filter)
                    Batch b = batches.remove(rnd.nextInt(batches.size()));
                    int deleted = c.delete(Delete.where(Where.eq("batch", b.tag())));
                    check(deleted == b.ids().size(), "delete by tag " + b.tag() + " removed " + deleted + " of " + b.ids().size());
                    b.ids().forEach(m::remove);
                }
                default -> { // delete a batch by ids
                    Batch b = batches.remove(rnd.nextInt(batches.size()));
                    c.delete(Delete.ids(b.ids()));
                    b.ids().forEach(m::remove);
                }
            }
            writes.incrementAndGet();
        }
    }

    void write(Collection c, List<String> ids, String tag, Random rnd, Map<String, Rec> m, boolean upsert) {
        tagSizes.put(tag, ids.size());
        List<float[]> vecs = new ArrayList<>();
        List<Map<String, ?>> metas = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            float[] v = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                v[d] = rnd.nextFloat() * 2 - 1;
            }
            vecs.add(v);
            metas.add(Map.of("batch", tag, "n", (long) ids.size()));
        }
        Records r = Records.ids(ids).embeddings(vecs).metadatas(metas).documents(ids);
        if (upsert) {
            c.upsert(r);
        } else {
            c.add(r);
        }
        // acknowledged: from here on this is what the store must hold for these ids
        for (int i = 0; i < ids.size(); i++) {
            m.put(ids.get(i), new Rec(tag, vecs.get(i)));
        }
    }

    // ---------------------------------------------------------------- readers

    void reader(int r, List<Collection> colls, AtomicBoolean stop, CountDownLatch go) {
        await(go);
        Random rnd = new Random(2000 + r);
        while (!stop.get()) {
            Collection c = colls.get(rnd.nextInt(colls.size()));
            switch (rnd.nextInt(3)) {
                case 0 -> { // a full scan: every tag in it complete
                    GetResult all = c.get(Get.all().include(Include.METADATAS));
                    checkComplete("get all", all.metadatas(), null);
                }
                case 1 -> { // filtered get on a tag just written (often still in flight)
                    String tag = anyTag(rnd);
                    if (tag != null) {
                        GetResult g = c.get(Get.where(Where.eq("batch", tag)).include(Include.METADATAS));
                        checkComplete("get batch=" + tag, g.metadatas(), tag);
                    }
                }
                default -> { // filtered query
                    String tag = anyTag(rnd);
                    if (tag != null) {
                        float[] q = new float[DIM];
                        for (int d = 0; d < DIM; d++) {
                            q[d] = rnd.nextFloat() * 2 - 1;
                        }
                        try {
                            QueryResult qr = c.query(Query.embeddings(q).nResults(60).where(Where.eq("batch", tag))
                                    .include(List.of(Include.METADATAS, Include.DISTANCES)));
                            checkComplete("query batch=" + tag, qr.metadatas().getFirst(), tag);
                        } catch (io.chroma.api.InvalidArgumentException e) {
                            // an empty collection has no dimension yet; nothing to check
                        }
                    }
                }
            }
            reads.incrementAndGet();
        }
    }

    String anyTag(Random rnd) {
        // tags are w<writer>-<serial>; pick a recent one of a random writer
        Object[] tags = tagSizes.keySet().toArray();
        return tags.length == 0 ? null : (String) tags[rnd.nextInt(tags.length)];
    }

    /** Every tag among the rows has all its records, and each row matches the filter (if any). */
    void checkComplete(String what, List<Map<String, Object>> metas, String filterTag) {
        Map<String, Integer> seen = new HashMap<>();
        for (Map<String, Object> m : metas) {
            String tag = (String) m.get("batch");
            if (filterTag != null && !filterTag.equals(tag)) {
                violations.add(what + " returned a record of batch " + tag);
                continue;
            }
            seen.merge(tag, 1, Integer::sum);
            Integer n = tagSizes.get(tag);
            if (n == null || ((Number) m.get("n")).intValue() != n) {
                violations.add(what + ": batch " + tag + " has n=" + m.get("n") + ", written with " + n);
            }
        }
        seen.forEach((tag, count) -> {
            if (count != tagSizes.get(tag).intValue()) {
                violations.add(what + " saw " + count + " of the " + tagSizes.get(tag) + " records of batch " + tag);
            }
        });
    }

    // ---------------------------------------------------------------- racers

    void racer(int r, PersistentClient client, Set<String> outcomes, AtomicBoolean stop, CountDownLatch go) {
        await(go);
        Random rnd = new Random(3000 + r);
        while (!stop.get()) {
            try {
                if (rnd.nextBoolean()) {
                    Collection c = client.getOrCreateCollection("racy");
                    outcomes.add("created");
                    c.upsert(Records.ids("x" + r).embeddings(new float[] {r, 1, 2, 3}));
                    outcomes.add("wrote");
                    c.query(Query.embeddings(new float[] {0, 1, 2, 3}).nResults(3));
                    outcomes.add("queried");
                } else {
                    client.deleteCollection("racy");
                    outcomes.add("deleted");
                }
            } catch (NotFoundException e) {
                // the other racer deleted it first (or between our create and write): the only allowed failure
                outcomes.add("not found");
            }
        }
    }

    // ---------------------------------------------------------------- afterwards

    void checkFinalState(List<Collection> colls, List<Map<String, Map<String, Rec>>> models) {
        for (Collection c : colls) {
            GetResult all = c.get(Get.all().include(Include.EMBEDDINGS, Include.METADATAS));
            assertThat(c.count()).as("count of %s", c.name()).isEqualTo(all.ids().size());
            assertThat(new HashSet<>(all.ids())).as("no duplicate ids").hasSize(all.ids().size());
            Map<String, Rec> expected = new HashMap<>();
            for (Map<String, Map<String, Rec>> m : models) {
                expected.putAll(m.get(c.name()));
            }
            assertThat(all.ids()).as("ids of %s are the acknowledged ones", c.name())
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (int i = 0; i < all.ids().size(); i++) {
                Rec want = expected.get(all.ids().get(i));
                assertThat(all.metadatas().get(i).get("batch")).as(all.ids().get(i)).isEqualTo(want.tag());
                assertThat(all.embeddings().get(i)).as(all.ids().get(i)).isEqualTo(want.vector());
            }
            checkIndexAgrees(c, all);
            System.out.printf("%s: %d records in %d batches%n", c.name(), all.ids().size(),
                    all.metadatas().stream().map(m -> m.get("batch")).distinct().count());
        }
    }

    /** Each stored vector is found by a query for it, and the index-backed filter per tag gives the tag's ids. */
    static void checkIndexAgrees(Collection c, GetResult all) {
        Map<String, Set<String>> byTag = new HashMap<>();
        int missed = 0;
        for (int i = 0; i < all.ids().size(); i++) {
            String id = all.ids().get(i);
            byTag.computeIfAbsent((String) all.metadatas().get(i).get("batch"), k -> new HashSet<>()).add(id);
            QueryResult qr = c.query(Query.embeddings(all.embeddings().get(i)).nResults(5).include(List.of(Include.DISTANCES)));
            if (!qr.ids().getFirst().contains(id)) {
                missed++;
                // HNSW is approximate: the record must at least be in the index (exact under a filter)
                QueryResult exact = c.query(Query.embeddings(all.embeddings().get(i)).nResults(1)
                        .where(Where.eq("batch", all.metadatas().get(i).get("batch"))));
                assertThat(exact.ids().getFirst()).as("index holds %s", id).containsExactly(id);
            }
        }
        assertThat(missed).as("stored vectors not in their own top 5").isLessThanOrEqualTo(all.ids().size() / 100);
        byTag.forEach((tag, ids) -> assertThat(c.get(Get.where(Where.eq("batch", tag)).include(List.of())).ids())
                .as("filter batch=%s", tag).containsExactlyInAnyOrderElementsOf(ids));
    }

    void check(boolean ok, String message) {
        if (!ok) {
            violations.add(message);
        }
    }

    static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static float[] copy(float[] v) {
        return Arrays.copyOf(v, v.length);
    }
}
