package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.Space;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export / import as separate processes against our running server: an import killed with
 * SIGKILL part-way and re-run with --resume ends with every record exactly once; a data
 * directory held by a server, a server that is not there, and a missing collection each end with
 * their documented exit code and one error line.
 */
class TransferProcessTest {
    private static final Duration EXIT = Duration.ofMinutes(5);
    private static final Pattern PROGRESS = Pattern.compile("import big: (\\d+)/");

    @Test
    void killedImportResumesWithoutLossOrDuplicates(@TempDir Path tmp) throws Exception {
        Path export = tmp.resolve("big.jsonl");
        try (ServerProcess source = ServerProcess.start(tmp.resolve("source"));
             ChromaClient client = TransferFixtures.client(source.url())) {
            Collection big = client.createCollection(CreateCollection.named("big")
                    .configuration(CollectionConfiguration.of(HnswConfiguration.DEFAULT.withSpace(Space.IP))));
            TransferFixtures.fill(big, 12_000, 64, 11, true);
            Collection small = client.createCollection(CreateCollection.named("small"));
            TransferFixtures.fill(small, 500, 4, 12, false);

            var exp = ServerProcess.Cli.launch(List.of("export", "--url", source.url(), "-o", export.toString()),
                    Map.of(), "export-big");
            assertThat(exp.exitCode(EXIT)).as(exp.output()).isZero();
            assertThat(exp.output()).contains("Exported 12500 records in 2 collection(s)");
            System.out.printf("export (server, 64-d): %d records/s%n", TransferFixtures.rate(exp.output()));

            try (ServerProcess target = ServerProcess.start(tmp.resolve("target"));
                 ChromaClient targetClient = TransferFixtures.client(target.url())) {
                var first = ServerProcess.Cli.launch(List.of("import", export.toString(), "--url", target.url(),
                        "--batch-size", "100", "--progress-interval", "0"), Map.of(), "import-killed");
                // kill -9 once a few batches are in, while it is still writing
                long deadline = System.nanoTime() + EXIT.toNanos();
                int seen = 0;
                while (System.nanoTime() < deadline && first.process().isAlive()) {
                    Matcher m = PROGRESS.matcher(first.output());
                    while (m.find()) {
                        seen = Integer.parseInt(m.group(1));
                    }
                    if (seen >= 1500) {
                        break;
                    }
                    Thread.sleep(5);
                }
                assertThat(first.process().isAlive()).as("the import was still running when killed:\n" + first.output())
                        .isTrue();
                first.process().destroyForcibly();
                first.process().waitFor();
                int before = targetClient.getCollection("big").count();
                assertThat(before).as("some, not all, records made it").isBetween(seen, 11_999);

                var again = ServerProcess.Cli.launch(List.of("import", export.toString(), "--url", target.url()),
                        Map.of(), "import-no-resume");
                assertThat(again.exitCode(EXIT)).isEqualTo(6);
                assertThat(again.output()).contains("error: collection big already exists", "--resume");

                var resumed = ServerProcess.Cli.launch(List.of("import", export.toString(), "--url", target.url(),
                        "--resume"), Map.of(), "import-resumed");
                assertThat(resumed.exitCode(EXIT)).as(resumed.output()).isZero();
                assertThat(resumed.output()).contains("imported big: " + (12_000 - before) + " records added, " + before
                        + " already there; the collection now holds 12000", "imported small: 500 records added, 0 already there");
                TransferFixtures.assertSameCollections(client, targetClient, List.of("big", "small"), 0);

                // a clean import for the record: throughput over HTTP
                var clean = ServerProcess.Cli.launch(List.of("import", export.toString(), "--url", target.url(),
                        "--database", "clean", "-q"), Map.of(), "import-clean");
                assertThat(clean.exitCode(EXIT)).as(clean.output()).isZero();
                System.out.printf("import (server, 64-d): %d records/s%n", TransferFixtures.rate(clean.output()));
            }
        }
        // and from a file into a data directory, in-process (the store is not served)
        var toPath = ServerProcess.Cli.launch(List.of("import", export.toString(), "--path", tmp.resolve("dir").toString(),
                "-q"), Map.of(), "import-path");
        assertThat(toPath.exitCode(EXIT)).as(toPath.output()).isZero();
        System.out.printf("import (--path, 64-d): %d records/s%n", TransferFixtures.rate(toPath.output()));
        var fromPath = ServerProcess.Cli.launch(List.of("export", "--path", tmp.resolve("dir").toString(),
                "-o", tmp.resolve("again.jsonl").toString()), Map.of(), "export-path");
        assertThat(fromPath.exitCode(EXIT)).as(fromPath.output()).isZero();
        System.out.printf("export (--path, 64-d): %d records/s%n", TransferFixtures.rate(fromPath.output()));
        List<String> a = Files.readAllLines(export);
        List<String> b = Files.readAllLines(tmp.resolve("again.jsonl"));
        assertThat(b.subList(1, b.size())).isEqualTo(a.subList(1, a.size()));
    }

    @Test
    void errorsExitWithTheirCodeAndOneLine(@TempDir Path tmp) {
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"))) {
            var inUse = ServerProcess.Cli.launch(List.of("export", "--path", tmp.resolve("data").toString()),
                    Map.of(), "export-in-use");
            assertThat(inUse.exitCode(EXIT)).isEqualTo(7);
            assertThat(errorLines(inUse.output())).singleElement().asString()
                    .startsWith("error: the data directory is in use by another process");

            var missing = ServerProcess.Cli.launch(List.of("export", "--url", server.url(), "-c", "nope"),
                    Map.of(), "export-missing");
            assertThat(missing.exitCode(EXIT)).isEqualTo(3);
            assertThat(errorLines(missing.output())).containsExactly("error: collection nope does not exist at " + server.url());

            var copyMissing = ServerProcess.Cli.launch(List.of("copy", "--from", server.url(), "--to", server.url(),
                    "--to-database", "other", "-c", "nope"), Map.of(), "copy-missing");
            assertThat(copyMissing.exitCode(EXIT)).isEqualTo(3);
        }
        var unreachable = ServerProcess.Cli.launch(List.of("copy", "--from", "http://127.0.0.1:9", "--to",
                "http://127.0.0.1:9"), Map.of(), "copy-unreachable");
        assertThat(unreachable.exitCode(EXIT)).isEqualTo(4);
        assertThat(errorLines(unreachable.output())).singleElement().asString().startsWith("error: server unreachable:");
        assertThat(unreachable.output()).doesNotContain("\tat ");

        var wrongPath = ServerProcess.Cli.launch(List.of("export", "--path", tmp.resolve("nowhere").toString()),
                Map.of(), "export-wrong-path");
        assertThat(wrongPath.exitCode(EXIT)).isEqualTo(3);
        assertThat(errorLines(wrongPath.output())).containsExactly("error: no Chroma data directory at " + tmp.resolve("nowhere"));

        var usage = ServerProcess.Cli.launch(List.of("import", "--path", "x", "--url", "http://a:1"), Map.of(), "import-usage");
        assertThat(usage.exitCode(EXIT)).isEqualTo(2);
        assertThat(usage.output()).contains("mutually exclusive", "--help");
    }

    private static List<String> errorLines(String output) {
        return output.lines().filter(l -> l.startsWith("error:")).toList();
    }
}
