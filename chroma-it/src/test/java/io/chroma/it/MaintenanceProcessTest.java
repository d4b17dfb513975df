package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.Collection;
import io.chroma.api.Get;
import io.chroma.core.ClientSettings;
import io.chroma.core.PersistentClient;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vacuum, backup, restore and check as scripts run them: separate processes, a real server, exit codes. */
class MaintenanceProcessTest {
    private static final Duration EXIT = Duration.ofSeconds(180);
    private static final String COLLECTIONS = "/api/v2/tenants/default_tenant/databases/default_database/collections";
    private static final int PER_BATCH = 50;

    private static ServerProcess.Cli.Run cli(String name, String... args) {
        return ServerProcess.Cli.launch(List.of(args), Map.of(), name);
    }

    private static List<String> errorLines(String output) {
        return output.lines().filter(l -> l.startsWith("error:")).toList();
    }

    private static String batch(int b) {
        StringBuilder ids = new StringBuilder(), embs = new StringBuilder();
        for (int k = 0; k < PER_BATCH; k++) {
            String sep = k == 0 ? "" : ",";
            ids.append(sep).append("\"b").append(b).append('-').append(k).append('"');
            embs.append(sep).append('[').append(b).append(',').append(k).append(",1,2,3,4,5,6]");
        }
        return "{\"ids\":[" + ids + "],\"embeddings\":[" + embs + "]}";
    }

    @Test
    void backupOfARunningServerUnderHttpWritesRestoresEveryAcknowledgedBatchWhole(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path backup = tmp.resolve("backup");
        Path restored = tmp.resolve("restored");
        int ackedBeforeBackup;
        try (ServerProcess server = ServerProcess.start(data)) {
            String id = String.valueOf(Json.object(Http.post(server.url() + COLLECTIONS, "{\"name\":\"live\"}").body()).get("id"));
            String add = server.url() + COLLECTIONS + "/" + id + "/add";
            AtomicInteger acked = new AtomicInteger(-1);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                for (int b = 0; !stop.get(); b++) {
                    Http.Response r = Http.post(add, batch(b));
                    if (r.status() != 200 && r.status() != 201) {
                        failure.set(r.status() + " " + r.body());
                        return;
                    }
                    acked.set(b); // acknowledged: the server answered
                }
            }, "http-writer");
            writer.start();
            while (acked.get() < 40 && writer.isAlive()) {
                Thread.sleep(10);
            }
            ackedBeforeBackup = acked.get();
            var run = cli("backup-url", "backup", "--url", server.url(), "--to", backup.toString());
            int code = run.exitCode(EXIT);
            int ackedAfterBackup = acked.get();
            Thread.sleep(300);
            stop.set(true);
            writer.join(30_000);
            assertThat(code).as(run.output()).isZero();
            assertThat(failure.get()).isNull();
            assertThat(ackedAfterBackup).as("the server kept taking writes during the backup").isGreaterThan(ackedBeforeBackup);
            assertThat(run.output()).contains("Backed up", "records:");

            // while the server runs, its store is in use: 7, as for export and import
            var inUse = cli("vacuum-in-use", "vacuum", "--path", data.toString());
            assertThat(inUse.exitCode(EXIT)).isEqualTo(7);
            assertThat(errorLines(inUse.output())).as(inUse.output()).singleElement().asString().contains("in use");
            assertThat(inUse.output()).doesNotContain("\tat ");

            var vacuum = cli("vacuum-url", "vacuum", "--url", server.url());
            assertThat(vacuum.exitCode(EXIT)).as(vacuum.output()).isZero();
            assertThat(vacuum.output()).contains("bytes before:", "bytes after:");
        }

        var restore = cli("restore", "restore", "--from", backup.toString(), "--path", restored.toString());
        assertThat(restore.exitCode(EXIT)).as(restore.output()).isZero();
        assertThat(restore.output()).contains("Consistent");
        var check = cli("check", "check", "--path", restored.toString());
        assertThat(check.exitCode(EXIT)).as(check.output()).isZero();

        try (PersistentClient client = new PersistentClient(restored, ClientSettings.defaults().withDefaultEmbeddingFunction(false))) {
            Collection c = client.getCollection("live");
            Set<String> present = new HashSet<>(c.get(Get.all().include(List.of())).ids());
            int maxBatch = present.stream().mapToInt(s -> Integer.parseInt(s.substring(1, s.indexOf('-')))).max().orElse(-1);
            assertThat(maxBatch).as("every batch acknowledged before the backup began").isGreaterThanOrEqualTo(ackedBeforeBackup);
            for (int b = 0; b <= maxBatch; b++) {
                for (int k = 0; k < PER_BATCH; k++) {
                    assertThat(present).as("batch %d is whole", b).contains("b" + b + "-" + k);
                }
            }
            assertThat(present).hasSize((maxBatch + 1) * PER_BATCH);
        }
    }

    @Test
    void exitCodesAndOneLineErrors(@TempDir Path tmp) throws Exception {
        var help = cli("vacuum-help", "vacuum", "--help");
        assertThat(help.exitCode(EXIT)).isZero();
        assertThat(help.output()).contains("Usage: chroma vacuum", "Exit codes:", "3   not found", "4   server unreachable",
                "7   data directory in use");

        var usage = cli("restore-usage", "restore", "--path", tmp.toString());
        assertThat(usage.exitCode(EXIT)).isEqualTo(2);
        assertThat(usage.output()).contains("--from", "--help");

        var missing = cli("check-missing", "check", "--path", tmp.resolve("nope").toString());
        assertThat(missing.exitCode(EXIT)).isEqualTo(3);
        assertThat(errorLines(missing.output())).singleElement().asString().contains("No such directory");
        assertThat(Files.exists(tmp.resolve("nope"))).as("a maintenance command never creates a store").isFalse();

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var unreachable = cli("backup-unreachable", "backup", "--url", "http://127.0.0.1:" + port, "--to",
                tmp.resolve("b").toString());
        assertThat(unreachable.exitCode(EXIT)).isEqualTo(4);
        assertThat(errorLines(unreachable.output())).singleElement().asString().contains("cannot reach");
        assertThat(unreachable.output()).doesNotContain("\tat ");
    }
}
