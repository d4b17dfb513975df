package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.Collection;
import io.chroma.api.Records;
import io.chroma.core.PersistentClient;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when the source of truth is damaged: {@code chroma run} exits 1 with one
 * "error:" line that names the damaged file and says to restore from a backup, and no stack trace
 * (the embedded side of the same rule, every file and every kind of damage, is StoreCorruptionTest
 * in chroma-core).
 */
class DamagedStoreCliTest {

    @Test
    void aDamagedSstFileIsRefusedWithOneLineNamingIt(@TempDir Path data) throws Exception {
        try (PersistentClient c = new PersistentClient(data)) {
            Collection col = c.createCollection("damaged");
            List<String> ids = new ArrayList<>();
            List<float[]> embs = new ArrayList<>();
            List<String> docs = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                ids.add("id" + i);
                embs.add(new float[]{i, i * 0.5f, -i});
                docs.add("a document long enough to fill a few blocks of the SST file, number " + i);
            }
            col.add(Records.ids(ids).embeddings(embs).documents(docs));
        } // a clean close leaves everything in SST files
        Path sst;
        try (var files = Files.list(data.resolve("rocksdb"))) {
            sst = files.filter(p -> p.toString().endsWith(".sst"))
                    .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(sst.toFile(), "rw")) {
            f.seek(f.length() / 3);
            f.write(new byte[512]); // bit rot in the middle of the records
        }

        var run = ServerProcess.Cli.launch(List.of("run", "--path", data.toString(), "--host", "127.0.0.1",
                "--port", "0"), Map.of(), "damaged-store");
        assertThat(run.exitCode(Duration.ofSeconds(60))).as(run.output()).isEqualTo(1);
        List<String> errorLines = run.output().lines().filter(l -> l.startsWith("error:")).toList();
        assertThat(errorLines).as(run.output()).hasSize(1);
        assertThat(errorLines.get(0)).contains("damaged").contains(sst.getFileName().toString())
                .containsIgnoringCase("backup");
        assertThat(run.output()).doesNotContain("\tat ").doesNotContain("Connect to Chroma at");
    }
}
