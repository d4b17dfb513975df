package io.chroma.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.Collection;
import io.chroma.api.Query;
import io.chroma.api.Records;
import io.chroma.core.ClientSettings;
import io.chroma.core.PersistentClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server opens the largest collections' indexes ahead of their first query after a restart. */
class OpenIndexesInBackgroundTest {

    @TempDir
    Path dir;

    private static CollectionState state(PersistentClient client, String name) {
        return client.engine().collectionStates().stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    private static void fill(Collection c, int n) {
        String[] ids = new String[n];
        float[][] vs = new float[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = "r" + i;
            vs[i] = new float[]{i, -i, 1};
        }
        c.add(Records.ids(ids).embeddings(vs));
    }

    private static void awaitOpen(CollectionState s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.index == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void opensTheLargestFirstUpToTheLimitAndAnswersStayTheSame() throws Exception {
        List<String> before;
        try (PersistentClient client = new PersistentClient(dir, ClientSettings.defaults())) {
            fill(client.createCollection("big"), 300);
            fill(client.createCollection("small"), 20);
            client.createCollection("empty");
            before = client.getCollection("big").query(Query.embeddings(new float[]{7, -7, 1}).nResults(3)).ids().get(0);
        }
        try (PersistentClient client = new PersistentClient(dir, ClientSettings.defaults())) {
            assertThat(state(client, "big").index).isNull(); // opening the store opens no index
            client.engine().openIndexesInBackground(1);
            awaitOpen(state(client, "big"));
            assertThat(state(client, "big").index).isNotNull();
            assertThat(state(client, "small").index).isNull();
            assertThat(state(client, "empty").index).isNull();
            assertThat(client.getCollection("big").query(Query.embeddings(new float[]{7, -7, 1}).nResults(3)).ids().get(0))
                    .isEqualTo(before);
        }
    }

    @Test
    void closingWhileIndexesOpenIsSafeAndZeroOpensNone() throws Exception {
        try (PersistentClient client = new PersistentClient(dir, ClientSettings.defaults())) {
            for (int i = 0; i < 5; i++) {
                fill(client.createCollection("col" + i), 50);
            }
        }
        try (PersistentClient client = new PersistentClient(dir, ClientSettings.defaults())) {
            client.engine().openIndexesInBackground(0);
            Thread.sleep(50);
            assertThat(client.engine().collectionStates()).allMatch(s -> s.index == null);
        }
        PersistentClient client = new PersistentClient(dir, ClientSettings.defaults());
        client.engine().openIndexesInBackground(5);
        client.close(); // possibly while the thread opens one: it finishes that one, sees the store closed and stops
        Thread.sleep(200);
        assertThat(client.engine().collectionStates()).allMatch(s -> s.index == null); // none left open behind the close
        try (PersistentClient again = new PersistentClient(dir, ClientSettings.defaults())) {
            assertThat(again.getCollection("col4").count()).isEqualTo(50);
        }
    }
}
