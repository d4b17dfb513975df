package io.chroma.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.Collection;
import io.chroma.api.CreateCollection;
import io.chroma.api.Records;
import io.chroma.core.ClientSettings;
import io.chroma.core.PersistentClient;
import io.chroma.core.StoreMaintenance;
import io.chroma.core.internal.index.VectorIndexFactory;
import io.chroma.core.internal.store.KvStore;
import io.chroma.core.internal.store.KvStore.Cf;
import io.chroma.core.internal.store.RocksKvStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consistency check finds damage done behind the engine's back, one kind at a time. */
class MaintenanceCheckTest {

    private static long storeWith100Records(Path dir) {
        try (PersistentClient client = new PersistentClient(dir, ClientSettings.defaults().withDefaultEmbeddingFunction(false),
                VectorIndexFactory.LUCENE)) {
            Collection c = client.createCollection(CreateCollection.named("checked"));
            List<String> ids = new ArrayList<>();
            List<float[]> embs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ids.add("id-" + i);
                embs.add(new float[]{i, 1, 2});
            }
            c.add(Records.ids(ids).embeddings(embs));
        }
        try (RecordStore store = new RecordStore(RocksKvStore.open(dir.resolve("rocksdb")))) {
            return store.collections().get(0).seq;
        }
    }

    private static void damage(Path dir, java.util.function.Consumer<KvStore.Batch> change) {
        try (KvStore kv = RocksKvStore.open(dir.resolve("rocksdb")); KvStore.Batch b = kv.batch()) {
            change.accept(b);
            b.commit();
        }
    }

    @Test
    void aCleanStoreIsConsistent(@TempDir Path dir) {
        storeWith100Records(dir);
        StoreMaintenance.CheckResult r = StoreMaintenance.check(dir);
        assertThat(r.problems()).isEmpty();
        assertThat(r.records()).isEqualTo(100);
        assertThat(r.collections()).isEqualTo(1);
    }

    @Test
    void anIdWithoutItsMappingIsReported(@TempDir Path dir) {
        long coll = storeWith100Records(dir);
        damage(dir, b -> b.delete(Cf.IDS, Bytes.key(coll, "id-7")));
        List<String> problems = StoreMaintenance.check(dir).problems();
        assertThat(problems).anyMatch(p -> p.contains("'id-7'") && p.contains("maps to nothing"));
        assertThat(problems).anyMatch(p -> p.contains("counts 100 records") && p.contains("99 ids"));
    }

    @Test
    void aMappingWithoutItsRecordIsReported(@TempDir Path dir) {
        long coll = storeWith100Records(dir);
        damage(dir, b -> b.delete(Cf.RECORDS, Bytes.key(coll, 5L)));
        List<String> problems = StoreMaintenance.check(dir).problems();
        assertThat(problems).anyMatch(p -> p.contains("'id-5'") && p.contains("does not exist"));
        assertThat(problems).anyMatch(p -> p.contains("counts 100 records") && p.contains("99 records"));
    }

    @Test
    void keysOfAMissingCollectionAreReported(@TempDir Path dir) {
        long coll = storeWith100Records(dir);
        damage(dir, b -> b.put(Cf.RECORDS, Bytes.key(coll + 40, 1L), new byte[]{1}).put(Cf.IDS, Bytes.key(0L, "x"),
                Bytes.key(1L)));
        List<String> problems = StoreMaintenance.check(dir).problems();
        assertThat(problems).anyMatch(p -> p.startsWith("records: 1 keys of collection number " + (coll + 40)));
        assertThat(problems).anyMatch(p -> p.startsWith("ids: 1 keys of collection number 0"));
    }

    @Test
    void aCollectionInAMissingDatabaseIsReported(@TempDir Path dir) {
        storeWith100Records(dir);
        damage(dir, b -> b.delete(Cf.CATALOG, Bytes.prefixed('D', "default_tenant\0default_database")));
        assertThat(StoreMaintenance.check(dir).problems())
                .anyMatch(p -> p.contains("database default_tenant/default_database does not exist"));
    }
}
