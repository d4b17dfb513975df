package io.chroma.cli;

import static io.chroma.cli.CliResult.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.Collection;
import io.chroma.api.Records;
import io.chroma.cli.internal.ExitCodes;
import io.chroma.core.ClientSettings;
import io.chroma.core.PersistentClient;
import io.chroma.core.internal.store.KvStore;
import io.chroma.core.internal.store.RocksKvStore;
import io.chroma.server.ChromaServer;
import io.chroma.server.ServerConfig;
import io.chroma.server.auth.AuthProvider;
import io.chroma.server.auth.AuthSettings;
import io.chroma.server.auth.TokenHeader;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vacuum, backup, restore and check in-process: parsing, output and exit codes. */
class MaintenanceCommandsTest {

    private static void store(Path dir, int n) {
        try (PersistentClient c = new PersistentClient(dir, ClientSettings.defaults().withDefaultEmbeddingFunction(false))) {
            Collection col = c.createCollection("cli");
            List<String> ids = new ArrayList<>();
            List<float[]> embs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add("id-" + i);
                embs.add(new float[]{i, 1, 2});
            }
            col.add(Records.ids(ids).embeddings(embs));
        }
    }

    @Test
    void everyCommandHasHelpWithItsExitCodes() {
        for (String cmd : List.of("vacuum", "backup", "restore", "check")) {
            CliResult help = run(cmd, "--help");
            assertThat(help.code()).as(cmd).isZero();
            assertThat(help.out()).as(cmd).contains("Usage: chroma " + cmd, "--path", "Exit codes:", "2   bad usage",
                    "3   not found", "7   data directory in use");
        }
        assertThat(run("--help").out()).contains("vacuum", "backup", "restore", "check", "Exit codes",
                "3   not found", "4   server unreachable", "5   authentication or authorization refused",
                "6   target collection exists", "7   data directory in use", "8   store inconsistent");
        assertThat(run("check", "--help").out()).contains("8   store inconsistent", "5   authentication");
        assertThat(run("restore", "--help").out()).contains("8   store inconsistent").doesNotContain("4   server");
        assertThat(run("backup", "--help").out()).contains("--url", "--to", "--token", "4   server unreachable");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("vacuum").code()).isEqualTo(2);
        CliResult both = run("check", "--path", "/x", "--url", "http://localhost:1");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("not both", "chroma check --help");
        assertThat(run("backup", "--path", "/x").code()).as("--to is required").isEqualTo(2);
        assertThat(run("restore", "--from", "/x").code()).as("--path is required").isEqualTo(2);
        assertThat(run("check", "--url", "not a url").code()).isEqualTo(2);
    }

    @Test
    void wrongPathsAreNotFoundWithOneLine(@TempDir Path tmp) throws Exception {
        CliResult missing = run("vacuum", "--path", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.errorLines()).singleElement().asString().contains("No such directory");
        assertThat(tmp.resolve("nope")).doesNotExist();
        Files.writeString(tmp.resolve("file.txt"), "x");
        CliResult notAStore = run("check", "--path", tmp.toString());
        assertThat(notAStore.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(notAStore.errorLines()).singleElement().asString().contains("not a Chroma data directory");
        CliResult noBackup = run("restore", "--from", tmp.resolve("nope").toString(), "--path", tmp.resolve("t").toString());
        assertThat(noBackup.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noBackup.errorLines()).singleElement().asString().contains("No such backup directory");
        CliResult notABackup = run("restore", "--from", tmp.toString(), "--path", tmp.resolve("t").toString());
        assertThat(notABackup.code()).as("an incomplete backup is a failure, not a wrong path").isEqualTo(ExitCodes.FAILURE);
        assertThat(notABackup.errorLines()).singleElement().asString().contains("not a Chroma backup");
        assertThat(notABackup.err()).doesNotContain("\tat ");
    }

    @Test
    void aStoreInUseExitsSevenAndAnUnreachableServerFour(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        store(data, 10);
        try (PersistentClient held = new PersistentClient(data)) {
            for (String cmd : List.of("vacuum", "check")) {
                CliResult r = run(cmd, "--path", data.toString());
                assertThat(r.code()).as(cmd).isEqualTo(ExitCodes.IN_USE);
                assertThat(r.errorLines()).singleElement().asString().contains("in use", "--url");
            }
            assertThat(run("backup", "--path", data.toString(), "--to", tmp.resolve("b").toString()).code()).isEqualTo(7);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        CliResult r = run("vacuum", "--url", "http://127.0.0.1:" + port);
        assertThat(r.code()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.errorLines()).singleElement().asString().contains("cannot reach", "127.0.0.1:" + port);
    }

    @Test
    void backupRestoreCheckAndVacuumOfAStoppedStore(@TempDir Path tmp) {
        Path data = tmp.resolve("data");
        store(data, 500);
        CliResult check = run("check", "--path", data.toString());
        assertThat(check.code()).isZero();
        assertThat(check.out()).contains("Consistent: 1 collections, 500 records");

        Path backup = tmp.resolve("backup");
        CliResult b = run("backup", "--path", data.toString(), "--to", backup.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("records:        500");
        CliResult again = run("backup", "--path", data.toString(), "--to", backup.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.errorLines()).singleElement().asString().contains("not empty");

        CliResult restore = run("restore", "--from", backup.toString(), "--path", data.toString());
        assertThat(restore.code()).as("refuses a non-empty target").isEqualTo(1);
        assertThat(restore.errorLines()).singleElement().asString().contains("--force");
        CliResult forced = run("restore", "--from", backup.toString(), "--path", data.toString(), "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("records:        500", "Consistent");

        CliResult vacuum = run("vacuum", "--path", data.toString());
        assertThat(vacuum.code()).isZero();
        assertThat(vacuum.out()).contains("bytes before:", "bytes after:", "reclaimed:");
    }

    @Test
    void anInconsistentStoreExitsEight(@TempDir Path tmp) {
        Path data = tmp.resolve("data");
        store(data, 20);
        // remove one id mapping behind the engine's back (collection number 1, the first one)
        byte[] id = "id-3".getBytes(StandardCharsets.UTF_8);
        try (KvStore kv = RocksKvStore.open(data.resolve("rocksdb")); KvStore.Batch b = kv.batch()) {
            b.delete(KvStore.Cf.IDS, ByteBuffer.allocate(8 + id.length).putLong(1).put(id).array()).commit();
        }
        CliResult r = run("check", "--path", data.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INCONSISTENT).isEqualTo(8);
        assertThat(r.out()).contains("Inconsistent", "'id-3'");
    }

    @Test
    void throughARunningServer(@TempDir Path tmp) {
        try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPath(tmp.resolve("data")).withPort(0))) {
            Path backup = tmp.resolve("backup");
            CliResult b = run("backup", "--url", server.url(), "--to", backup.toString());
            assertThat(b.code()).as(b.err()).isZero();
            assertThat(backup.resolve("manifest.properties")).exists();
            assertThat(run("vacuum", "--url", server.url()).code()).isZero();
            CliResult check = run("check", "--url", server.url());
            assertThat(check.code()).isZero();
            assertThat(check.out()).contains("Consistent");
            CliResult again = run("backup", "--url", server.url(), "--to", backup.toString());
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.errorLines()).singleElement().asString().contains("409", "not empty");
        }
    }

    @Test
    void refusedCredentialsExitFive(@TempDir Path tmp) {
        AuthSettings auth = AuthSettings.none().withProvider(AuthProvider.TOKEN).withCredentials("s3cret")
                .withTokenHeader(TokenHeader.X_CHROMA_TOKEN);
        try (ChromaServer server = ChromaServer.start(ServerConfig.defaults().withPath(tmp.resolve("data"))
                .withHost("127.0.0.1").withPort(0).withAuth(auth))) {
            for (String cmd : List.of("vacuum", "check")) {
                CliResult none = run(cmd, "--url", server.url());
                assertThat(none.code()).as(cmd + ": " + none.err()).isEqualTo(ExitCodes.AUTH);
                assertThat(none.errorLines()).singleElement().asString().contains("401", "--token");
            }
            CliResult wrong = run("backup", "--url", server.url(), "--to", tmp.resolve("b").toString(), "--token", "nope",
                    "--token-header", "X-Chroma-Token");
            assertThat(wrong.code()).as(wrong.err()).isEqualTo(ExitCodes.AUTH);
            CliResult ok = run("check", "--url", server.url(), "--token", "s3cret", "--token-header", "X-Chroma-Token");
            assertThat(ok.code()).as(ok.err()).isZero();
        }
    }
}
