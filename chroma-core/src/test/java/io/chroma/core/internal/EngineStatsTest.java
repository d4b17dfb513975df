package io.chroma.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.Collection;
import io.chroma.api.Delete;
import io.chroma.api.Records;
import io.chroma.core.ClientSettings;
import io.chroma.core.PersistentClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitoring counters the server's /metrics reads: records per collection and write-log ops not yet indexed durably. */
class EngineStatsTest {

    @TempDir
    Path dir;

    private static Engine.CollectionStats only(PersistentClient client, String name) {
        List<Engine.CollectionStats> all = client.engine().collectionStats().stream()
                .filter(s -> s.name().equals(name)).toList();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void countsFollowWritesAndTheLogLagEndsAtACommit() {
        try (PersistentClient client = new PersistentClient(dir, ClientSettings.defaults())) {
            Collection c = client.createCollection("stats");
            Engine.CollectionStats fresh = only(client, "stats");
            assertThat(fresh.records()).isZero();
            assertThat(fresh.unindexedOps()).isZero();
            assertThat(fresh.tenant()).isEqualTo("default_tenant");
            assertThat(fresh.database()).isEqualTo("default_database");
            assertThat(fresh.id()).isEqualTo(c.id());

            // the first write creates the index, which builds and commits it: that op is already durable
            c.add(Records.ids("a", "b", "c").embeddings(new float[]{1, 0}, new float[]{0, 1}, new float[]{1, 1}));
            assertThat(only(client, "stats").records()).isEqualTo(3);
            assertThat(only(client, "stats").unindexedOps()).isZero();
            c.add(Records.ids("d").embeddings(new float[]{2, 2}));
            assertThat(only(client, "stats").records()).isEqualTo(4);
            assertThat(only(client, "stats").unindexedOps()).isEqualTo(1);

            c.delete(Delete.ids("a", "b"));
            assertThat(only(client, "stats").records()).isEqualTo(2);
            assertThat(only(client, "stats").unindexedOps()).isEqualTo(2);

            client.deleteCollection("stats");
            assertThat(client.engine().collectionStats()).noneMatch(s -> s.name().equals("stats"));
        }
    }

    @Test
    void aReopenedStoreHasReplayedAndCommittedItsLog() {
        try (PersistentClient client = new PersistentClient(dir, ClientSettings.defaults())) {
            Collection c = client.createCollection("kept");
            c.add(Records.ids("a").embeddings(new float[]{1, 0}));
            c.add(Records.ids("b").embeddings(new float[]{0, 1}));
            assertThat(only(client, "kept").unindexedOps()).isEqualTo(1);
        }
        try (PersistentClient client = new PersistentClient(dir, ClientSettings.defaults())) {
            Engine.CollectionStats s = only(client, "kept");
            assertThat(s.records()).isEqualTo(2);
            // close() committed the index, so nothing is left to replay
            assertThat(s.unindexedOps()).isZero();
        }
        PersistentClient closed = new PersistentClient(dir, ClientSettings.defaults());
        closed.close();
        assertThat(closed.engine().collectionStats()).isEmpty();
    }
}
