package io.chroma.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chroma.api.Collection;
import io.chroma.api.CreateCollection;
import io.chroma.api.Delete;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.StoreInUseException;
import io.chroma.core.MaintenanceException.Reason;
import io.chroma.core.internal.index.VectorIndexFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vacuum, backup/restore and the consistency check on real stores (RocksDB + Lucene). */
class StoreMaintenanceTest {
    static final int N = 50_000;
    static final int DIM = 16;
    static final int BATCH = 5000;

    static ClientSettings settings() {
        return ClientSettings.defaults().withDefaultEmbeddingFunction(false);
    }

    static PersistentClient open(Path dir) {
        return new PersistentClient(dir, settings(), VectorIndexFactory.LUCENE);
    }

    static float[] vector(int i) {
        Random r = new Random(i * 31L + 7);
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    static String id(int i) {
        return "id-" + i;
    }

    static String document(int i) {
        return "doc " + i + " " + (i % 13 == 0 ? "thirteen" : "plain");
    }

    static Map<String, Object> metadata(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", (long) i);
        m.put("tag", "t" + (i % 7));
        m.put("even", i % 2 == 0);
        return m;
    }

    /** Adds records [from, to) in batches. */
    static void load(Collection c, int from, int to) {
        for (int start = from; start < to; start += BATCH) {
            int end = Math.min(to, start + BATCH);
            List<String> ids = new ArrayList<>();
            List<float[]> embs = new ArrayList<>();
            List<String> docs = new ArrayList<>();
            List<Map<String, Object>> metas = new ArrayList<>();
            for (int i = start; i < end; i++) {
                ids.add(id(i));
                embs.add(vector(i));
                docs.add(document(i));
                metas.add(metadata(i));
            }
            c.add(Records.ids(ids).embeddings(embs).documents(docs).metadatas(metas));
        }
    }

    /** Every record i in {@code expected} is present with exactly its embedding, document and metadata. */
    static void assertIntact(Collection c, List<Integer> expected) {
        assertThat(c.count()).isEqualTo(expected.size());
        assertRecords(c, expected);
    }

    static void assertRecords(Collection c, List<Integer> expected) {
        for (int start = 0; start < expected.size(); start += BATCH) {
            List<Integer> part = expected.subList(start, Math.min(expected.size(), start + BATCH));
            GetResult r = c.get(Get.ids(part.stream().map(StoreMaintenanceTest::id).toList())
                    .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS));
            assertThat(r.ids()).hasSize(part.size());
            for (int k = 0; k < r.size(); k++) {
                int i = Integer.parseInt(r.ids().get(k).substring(3));
                assertThat(r.embeddings().get(k)).as("embedding of %s", r.ids().get(k)).containsExactly(vector(i));
                assertThat(r.documents().get(k)).isEqualTo(document(i));
                assertThat(r.metadatas().get(k)).isEqualTo(metadata(i));
            }
        }
    }

    /** The vector index serves too: a record's own vector finds it first. */
    static void assertSearchable(Collection c, List<Integer> sample) {
        for (int i : sample) {
            QueryResult q = c.query(Query.embeddings(vector(i)).nResults(1));
            assertThat(q.ids().get(0)).containsExactly(id(i));
        }
    }

    /** {@code du -sk}: what the disk really holds (falls back to file sizes without du). */
    static long duKb(Path dir) throws Exception {
        try {
            Process p = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out.split("\\s+")[0]);
            }
        } catch (IOException noDu) {
            // fall through
        }
        return io.chroma.core.internal.Backups.bytesOf(dir) / 1024;
    }

    static String listing(Path dir) {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    sb.append(String.format("%10d %s%n", Files.size(f), dir.relativize(f)));
                } catch (IOException e) {
                    sb.append(f).append(" gone\n");
                }
            });
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    @Test
    void vacuumAfterDeletingNinetyPercentAtLeastHalvesTheStore(@TempDir Path dir) throws Exception {
        List<Integer> survivors = new ArrayList<>();
        try (PersistentClient client = open(dir)) {
            load(client.createCollection(CreateCollection.named("vacuum")), 0, N);
        }
        // A clean close already flushes and compacts RocksDB, which may reclaim much of the deleted
        // space before vacuum runs; the promise is about the store's size: the full 50k store
        // against the vacuumed one, and vacuum itself never grows it.
        long duFull = duKb(dir);
        try (PersistentClient client = open(dir)) {
            Collection c = client.getCollection("vacuum");
            List<String> doomed = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                if (i % 10 == 3) {
                    survivors.add(i);
                } else {
                    doomed.add(id(i));
                }
            }
            for (int start = 0; start < doomed.size(); start += BATCH) {
                c.delete(Delete.ids(doomed.subList(start, Math.min(doomed.size(), start + BATCH))));
            }
            assertThat(c.count()).isEqualTo(N / 10);
        }
        long duBefore = duKb(dir);
        String filesBefore = listing(dir);

        StoreMaintenance.VacuumResult v = StoreMaintenance.vacuum(dir);
        long duAfter = duKb(dir);
        System.out.printf("vacuum of %d records with 90%% deleted: du full store %d KiB, after deletes %d KiB, "
                        + "after vacuum %d KiB; files %d -> %d bytes; %d ms%n",
                N, duFull, duBefore, duAfter, v.bytesBefore(), v.bytesAfter(), v.took().toMillis());

        assertThat(v.indexes()).isEqualTo(1);
        assertThat(duAfter).as("du after vacuum vs the full store").isLessThanOrEqualTo(duFull / 2);
        assertThat(v.bytesAfter()).as(() -> "before:\n" + filesBefore + "after:\n" + listing(dir))
                .isLessThanOrEqualTo(v.bytesBefore());

        assertThat(StoreMaintenance.check(dir).problems()).isEmpty();
        try (PersistentClient client = open(dir)) {
            Collection c = client.getCollection("vacuum");
            assertIntact(c, survivors);
            assertSearchable(c, survivors.subList(0, 50));
            assertThat(c.get(Get.ids(id(0), id(1))).ids()).as("deleted records stay deleted").isEmpty();
        }
    }

    @Test
    void backupUnderConcurrentWritesRestoresEveryAcknowledgedBatchAndNoHalfBatch(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("data");
        Path backup = tmp.resolve("backup");
        Path restored = tmp.resolve("restored");
        int perBatch = 100;
        AtomicInteger acked = new AtomicInteger(-1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        int ackedBeforeBackup;
        StoreMaintenance.BackupResult b;
        try (PersistentClient client = open(dir)) {
            Collection main = client.createCollection(CreateCollection.named("main"));
            Collection other = client.createCollection(CreateCollection.named("other"));
            load(main, 0, N);
            Thread writer = new Thread(() -> {
                try {
                    for (int batch = 0; !stop.get(); batch++) {
                        List<String> ids = new ArrayList<>();
                        List<float[]> embs = new ArrayList<>();
                        for (int k = 0; k < perBatch; k++) {
                            ids.add("w" + batch + "-" + k);
                            embs.add(vector(1_000_000 + batch * perBatch + k));
                        }
                        // alternate collections: a backup must be one point in time across them
                        (batch % 2 == 0 ? main : other).add(Records.ids(ids).embeddings(embs));
                        acked.set(batch);
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            }, "writer");
            writer.start();
            while (acked.get() < 20 && writer.isAlive()) {
                Thread.sleep(5);
            }
            ackedBeforeBackup = acked.get();
            b = StoreMaintenance.backup(client, backup);
            int ackedAfterBackup = acked.get();
            Thread.sleep(200); // writes go on after the backup too
            stop.set(true);
            writer.join(60_000);
            assertThat(writerFailure.get()).isNull();
            System.out.printf("backup of %d+ records under concurrent writes: %d ms, %d bytes, %d records in the "
                            + "manifest, %d index(es) copied; batches acknowledged before %d, after %d%n",
                    N, b.took().toMillis(), b.bytes(), b.manifest().records(), b.manifest().indexesCopied(),
                    ackedBeforeBackup, ackedAfterBackup);
        }
        assertThat(b.manifest().source()).isEqualTo(dir.toAbsolutePath().normalize().toString());
        assertThat(b.manifest().collections()).isEqualTo(2);
        assertThat(StoreMaintenance.readManifest(backup)).isEqualTo(b.manifest());

        StoreMaintenance.RestoreResult r = StoreMaintenance.restore(backup, restored, false);
        System.out.printf("restore: %d ms, check: %d collections, %d records%n", r.took().toMillis(),
                r.check().collections(), r.check().records());
        assertThat(r.check().problems()).isEmpty();
        assertThat(r.check().records()).isEqualTo(b.manifest().records());
        try (PersistentClient client = open(restored)) {
            Collection main = client.getCollection("main");
            Collection other = client.getCollection("other");
            Set<String> present = new HashSet<>(main.get(Get.all().include(List.of())).ids());
            present.addAll(other.get(Get.all().include(List.of())).ids());
            int maxBatch = -1;
            for (String id : present) {
                if (id.startsWith("w")) {
                    maxBatch = Math.max(maxBatch, Integer.parseInt(id.substring(1, id.indexOf('-'))));
                }
            }
            assertThat(maxBatch).as("every batch acknowledged before the backup began").isGreaterThanOrEqualTo(ackedBeforeBackup);
            for (int batch = 0; batch <= maxBatch; batch++) {
                for (int k = 0; k < perBatch; k++) {
                    assertThat(present).as("batch %d is whole", batch).contains("w" + batch + "-" + k);
                }
            }
            assertThat(main.count() + other.count()).isEqualTo(N + (maxBatch + 1) * perBatch);
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                all.add(i);
            }
            assertRecords(main, all);
            assertSearchable(main, List.of(0, 1, 4999, 25_000, N - 1));
            QueryResult q = other.query(Query.embeddings(vector(1_000_000 + perBatch + 5)).nResults(1));
            assertThat(q.ids().get(0)).containsExactly("w1-5");
        }
    }

    @Test
    void backupAndRestoreOfAClosedStoreAndTheirRefusals(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("data");
        try (PersistentClient client = open(dir)) {
            load(client.createCollection(CreateCollection.named("small")), 0, 1000);
            client.createCollection(CreateCollection.named("empty"));
        }
        Path backup = tmp.resolve("b1");
        StoreMaintenance.BackupResult b = StoreMaintenance.backup(dir, backup);
        assertThat(b.manifest().records()).isEqualTo(1000);
        assertThat(b.manifest().collections()).isEqualTo(2);

        // backup target not empty; inside the store
        assertThatThrownBy(() -> StoreMaintenance.backup(dir, backup))
                .isInstanceOfSatisfying(MaintenanceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TARGET_NOT_EMPTY));
        assertThatThrownBy(() -> StoreMaintenance.backup(dir, dir.resolve("inside")))
                .isInstanceOfSatisfying(MaintenanceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_TARGET));

        // restore: into a non-empty directory only with force; the replaced data is gone
        Path target = tmp.resolve("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("stray.txt"), "x");
        assertThatThrownBy(() -> StoreMaintenance.restore(backup, target, false))
                .isInstanceOfSatisfying(MaintenanceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TARGET_NOT_EMPTY));
        assertThat(target.resolve("stray.txt")).exists();
        StoreMaintenance.RestoreResult r = StoreMaintenance.restore(backup, target, true);
        assertThat(r.check().consistent()).isTrue();
        assertThat(target.resolve("stray.txt")).doesNotExist();
        try (PersistentClient client = open(target)) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                all.add(i);
            }
            assertIntact(client.getCollection("small"), all);
            assertThat(client.getCollection("empty").count()).isZero();
            // a store in use is not replaced
            assertThatThrownBy(() -> StoreMaintenance.restore(backup, target, true)).isInstanceOf(StoreInUseException.class);
            assertThatThrownBy(() -> StoreMaintenance.vacuum(target)).isInstanceOf(StoreInUseException.class);
            assertThatThrownBy(() -> StoreMaintenance.check(target)).isInstanceOf(StoreInUseException.class);
        }

        // --force replaces a damaged store (often the reason to restore)
        Path damaged = tmp.resolve("damaged");
        Files.createDirectories(damaged.resolve("rocksdb"));
        Files.writeString(damaged.resolve("rocksdb").resolve("CURRENT"), "MANIFEST-999999\n");
        assertThat(StoreMaintenance.restore(backup, damaged, true).check().records()).isEqualTo(1000);

        // a backup without a valid manifest is refused
        Path noManifest = tmp.resolve("b2");
        Files.createDirectories(noManifest.resolve("rocksdb"));
        assertThatThrownBy(() -> StoreMaintenance.restore(noManifest, tmp.resolve("t2"), false))
                .isInstanceOfSatisfying(MaintenanceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_BACKUP))
                .hasMessageContaining("manifest");
        String manifest = Files.readString(backup.resolve("manifest.properties"));
        Files.writeString(backup.resolve("manifest.properties"), manifest.replace("format.version=1", "format.version=9"));
        assertThatThrownBy(() -> StoreMaintenance.readManifest(backup))
                .isInstanceOfSatisfying(MaintenanceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_BACKUP))
                .hasMessageContaining("version 9");
        assertThat(tmp.resolve("t2")).doesNotExist();

        // wrong paths: missing, and not a store (a maintenance command never creates a store)
        assertThatThrownBy(() -> StoreMaintenance.vacuum(tmp.resolve("missing")))
                .isInstanceOfSatisfying(MaintenanceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
        assertThatThrownBy(() -> StoreMaintenance.check(backup.getParent()))
                .isInstanceOfSatisfying(MaintenanceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_STORE));
        assertThat(tmp.resolve("missing")).doesNotExist();
    }

    @Test
    void vacuumOnAnOpenStoreWhileWritesGoOn(@TempDir Path dir) throws Exception {
        try (PersistentClient client = open(dir)) {
            Collection c = client.createCollection(CreateCollection.named("busy"));
            load(c, 0, 5000);
            c.delete(Delete.ids(java.util.stream.IntStream.range(0, 4000).mapToObj(StoreMaintenanceTest::id).toList()));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int start = 5000; start < 8000; start += 100) {
                        load(c, start, start + 100);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            StoreMaintenance.VacuumResult v = StoreMaintenance.vacuum(client);
            writer.join();
            assertThat(failure.get()).isNull();
            assertThat(v.bytesAfter()).isLessThan(v.bytesBefore());
            List<Integer> expected = new ArrayList<>();
            for (int i = 4000; i < 8000; i++) {
                expected.add(i);
            }
            assertIntact(c, expected);
            assertThat(StoreMaintenance.check(client).problems()).isEmpty();
        }
        assertThat(StoreMaintenance.check(dir).consistent()).isTrue();
    }

}
