package io.chroma.cli.internal.transfer;

import static io.chroma.cli.CliResult.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.Include;
import io.chroma.api.Records;
import io.chroma.api.Space;
import io.chroma.cli.ChromaCli;
import io.chroma.cli.CliResult;
import io.chroma.cli.internal.ExitCodes;
import io.chroma.core.ClientSettings;
import io.chroma.core.PersistentClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export → import through the real command line (in-process), between data directories: a few
 * thousand records in three collections with different spaces come back identical, bit for bit.
 */
class ExportImportTest {
    static final ClientSettings SETTINGS = ClientSettings.defaults().withMaxCollectionNameLength(512)
            .withDefaultEmbeddingFunction(false);

    @TempDir
    static Path shared;
    static Path source;
    static Path export;

    /** Three collections: l2 / cosine / ip, non-default HNSW settings, one with an embedding function descriptor. */
    @BeforeAll
    static void seed() {
        source = shared.resolve("source");
        export = shared.resolve("all.jsonl");
        Random rnd = new Random(42);
        try (ChromaClient c = new PersistentClient(source, SETTINGS)) {
            Collection a = c.createCollection(CreateCollection.named("alpha").metadata(Map.of("owner", "ops", "rev", 3L,
                    "ratio", 0.5, "live", true)).configuration(CollectionConfiguration.of(
                    HnswConfiguration.DEFAULT.withSpace(Space.L2).withEfSearch(55).withMaxNeighbors(24))));
            Collection b = c.createCollection(CreateCollection.named("beta-cosine").configuration(new CollectionConfiguration(
                    HnswConfiguration.DEFAULT.withSpace(Space.COSINE).withEfConstruction(150),
                    Map.of("type", "known", "name", "openai",
                            "config", Map.of("model_name", "text-embedding-3-small", "api_key_env_var", "OPENAI_API_KEY")))));
            Collection g = c.createCollection(CreateCollection.named("gamma.ip")
                    .configuration(CollectionConfiguration.of(HnswConfiguration.DEFAULT.withSpace(Space.IP))));
            fill(a, 1500, 16, rnd);
            fill(b, 1000, 8, rnd);
            fill(g, 700, 32, rnd);
        }
        CliResult r = run("export", "--path", source.toString(), "-o", export.toString(), "--batch-size", "300");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("Exported 3200 records in 3 collection(s)");
    }

    static void fill(Collection c, int n, int dim, Random rnd) {
        for (int start = 0; start < n; start += 500) {
            int size = Math.min(500, n - start);
            List<String> ids = new ArrayList<>();
            List<float[]> emb = new ArrayList<>();
            List<String> docs = new ArrayList<>();
            List<Map<String, Object>> mds = new ArrayList<>();
            List<String> uris = new ArrayList<>();
            for (int i = start; i < start + size; i++) {
                ids.add(c.name() + "-" + i + (i % 7 == 0 ? "-ü\"\\" : ""));
                emb.add(vector(dim, rnd));
                docs.add(i % 5 == 0 ? null : "doc " + i + (i % 3 == 0 ? "\nline two \u00e9\u4e2d\ud83d\ude00" : ""));
                uris.add(i % 4 == 0 ? "s3://bucket/" + i : null);
                if (i % 6 == 0) {
                    mds.add(null);
                } else {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("i", (long) i);
                    m.put("big", Long.MAX_VALUE - i);
                    m.put("f", i + 0.0);             // a float that looks like an int: must stay a float
                    m.put("tiny", Double.MIN_VALUE * i);
                    m.put("b", i % 2 == 0);
                    m.put("s", "v" + (i % 10));
                    if (i % 3 == 0) {
                        m.put("li", List.of((long) i, -1L));
                        m.put("lf", List.of(1.0, 2.5));
                        m.put("ls", List.of("x", "y"));
                        m.put("lb", List.of(true, false));
                    }
                    mds.add(m);
                }
            }
            c.add(new Records(ids, emb, docs, mds, uris));
        }
    }

    /**
     * Random bit patterns (every mantissa, exponents up to about 1e15), subnormals and -0.0. Larger
     * magnitudes are left out: their squared distances overflow float32 and Lucene's HNSW builder
     * asserts on that (with -ea), which is a matter for the index, not for export.
     */
    static float[] vector(int dim, Random rnd) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            float f;
            do {
                f = switch (rnd.nextInt(8)) {
                    case 0 -> Float.intBitsToFloat(rnd.nextInt());
                    case 1 -> Float.MIN_VALUE * rnd.nextInt(1000);       // subnormals
                    case 2 -> rnd.nextBoolean() ? -0.0f : Float.MIN_NORMAL;
                    default -> (float) rnd.nextGaussian();
                };
            } while (!Float.isFinite(f) || Math.abs(f) > 1e15f);
            v[i] = f;
        }
        return v;
    }

    static final List<Include> ALL = List.of(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS);

    /** Everything of every collection, compared field by field (embeddings by their bits). */
    static void assertSameStores(Path expected, Path actual) {
        try (ChromaClient e = new PersistentClient(expected, SETTINGS); ChromaClient a = new PersistentClient(actual, SETTINGS)) {
            List<Collection> ec = e.listCollections();
            List<Collection> ac = a.listCollections();
            assertThat(ac.stream().map(Collection::name).toList()).isEqualTo(ec.stream().map(Collection::name).toList());
            for (int k = 0; k < ec.size(); k++) {
                Collection x = ec.get(k);
                Collection y = ac.get(k);
                assertThat(y.metadata()).as(x.name()).isEqualTo(x.metadata());
                assertThat(y.configuration().hnsw().resolved()).as(x.name()).isEqualTo(x.configuration().hnsw().resolved());
                assertThat(y.configuration().embeddingFunction()).as(x.name()).isEqualTo(x.configuration().embeddingFunction());
                assertThat(y.count()).as(x.name()).isEqualTo(x.count());
                GetResult gx = x.get(Get.all().include(ALL));
                GetResult gy = y.get(Get.all().include(ALL));
                assertThat(gy.ids()).isEqualTo(gx.ids());
                assertThat(gy.documents()).isEqualTo(gx.documents());
                assertThat(gy.uris()).isEqualTo(gx.uris());
                // Map.equals tells Long 1 from Double 1.0, so int-vs-float survives only if this passes
                assertThat(gy.metadatas()).isEqualTo(gx.metadatas());
                for (int i = 0; i < gx.size(); i++) {
                    assertThat(bits(gy.embeddings().get(i))).as(gx.ids().get(i)).isEqualTo(bits(gx.embeddings().get(i)));
                }
            }
        }
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    static List<String> lines(Path p) throws Exception {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    @Test
    void roundTripIsIdentical(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("restored");
        CliResult r = run("import", export.toString(), "--path", target.toString(), "--batch-size", "250", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("Imported 3200 records in 3 collection(s)");
        assertSameStores(source, target);

        // and the restored store exports to the same lines (but the first, which names the source and time)
        Path again = dir.resolve("again.jsonl");
        assertThat(run("export", "--path", target.toString(), "-o", again.toString()).code()).isZero();
        List<String> first = lines(export);
        List<String> second = lines(again);
        assertThat(second.subList(1, second.size())).isEqualTo(first.subList(1, first.size()));
    }

    @Test
    void floatsLookLikeFloatsAndIntsLikeInts() throws Exception {
        String line = lines(export).stream().filter(l -> l.contains("\"id\":\"alpha-1\"")).findFirst().orElseThrow();
        assertThat(line).contains("\"i\":1,", "\"f\":1.0,", "\"big\":" + (Long.MAX_VALUE - 1), "\"b\":false");
        String header = lines(export).get(1);
        assertThat(header).contains("\"type\":\"collection\"", "\"name\":\"alpha\"", "\"space\":\"l2\"",
                "\"ef_search\":55", "\"max_neighbors\":24", "\"count\":1500", "\"rev\":3", "\"ratio\":0.5");
    }

    @Test
    void exportOfNamedCollectionsOnly(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("one.jsonl");
        CliResult r = run("export", "--path", source.toString(), "--collection", "gamma.ip", "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> l = lines(out);
        assertThat(l).hasSize(1 + 1 + 700 + 1);
        assertThat(l.get(l.size() - 1)).isEqualTo("{\"type\":\"end\",\"name\":\"gamma.ip\",\"count\":700}");
        assertThat(Files.exists(dir.resolve("one.jsonl.partial"))).isFalse();
    }

    /**
     * An import cut short (the file ends mid-collection, even mid-line) keeps what it read; a re-run
     * without --resume refuses; with --resume it finishes, and nothing is lost or duplicated.
     */
    @Test
    void interruptedImportResumesWithoutLossOrDuplicates(@TempDir Path dir) throws Exception {
        List<String> all = lines(export);
        // cut inside beta-cosine (lines: file, alpha header, 1500 rows, end, beta header, ...): 400 records in, mid-line
        int betaHeader = 1 + 1 + 1500 + 1;
        int cutAt = betaHeader + 1 + 400;
        String partialLine = all.get(cutAt).substring(0, all.get(cutAt).length() / 2);
        Path cut = dir.resolve("cut.jsonl");
        Files.writeString(cut, String.join("\n", all.subList(0, cutAt)) + "\n" + partialLine, StandardCharsets.UTF_8);
        Path target = dir.resolve("target");

        CliResult first = run("import", cut.toString(), "--path", target.toString(), "--batch-size", "128", "-q");
        assertThat(first.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(first.err()).contains("imported alpha: 1500 records added").doesNotContain("\tat ");
        String error = first.err().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(error).startsWith("error: line " + (cutAt + 1) + ": not valid JSON").contains("cut off");

        // a cut at a line boundary is noticed too (no end line), and what was read is kept
        Path cleanCut = dir.resolve("clean-cut.jsonl");
        Files.writeString(cleanCut, String.join("\n", all.subList(0, cutAt + 100)) + "\n", StandardCharsets.UTF_8);
        CliResult second = run("import", cleanCut.toString(), "--path", target.toString(), "--resume", "-q");
        assertThat(second.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(second.err()).contains("ends inside collection beta-cosine after 500 of 1000 records", "--resume");
        try (ChromaClient c = new PersistentClient(target, SETTINGS)) {
            assertThat(c.getCollection("alpha").count()).isEqualTo(1500);
            assertThat(c.getCollection("beta-cosine").count()).isEqualTo(500);
        }

        CliResult noResume = run("import", export.toString(), "--path", target.toString());
        assertThat(noResume.code()).isEqualTo(ExitCodes.EXISTS);
        assertThat(noResume.err().strip()).isEqualTo("error: collection alpha already exists at "
                + target.toAbsolutePath() + " (use --resume to continue an interrupted import or copy into it;"
                + " records already there are skipped)");

        CliResult resumed = run("import", export.toString(), "--path", target.toString(), "--resume", "--batch-size", "300");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("imported alpha: 0 records added, 1500 already there",
                "imported beta-cosine: 500 records added, 500 already there; the collection now holds 1000",
                "imported gamma.ip: 700 records added, 0 already there");
        assertSameStores(source, target);
    }

    @Test
    void progressLinesWhenStderrIsNotATerminal(@TempDir Path dir) {
        CliResult r = run("import", export.toString(), "--path", dir.resolve("t").toString(), "--progress-interval", "0",
                "--collection", "alpha", "--batch-size", "500");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("import alpha: 500/1500 records (33%)", "import alpha: 1000/1500 records (67%)")
                .doesNotContain("\r").doesNotContain("beta");
    }

    @Test
    void batchSizeIsCappedAtTheTargetsMaximum(@TempDir Path dir) {
        CliResult r = run("import", export.toString(), "--path", dir.resolve("t").toString(), "--batch-size", "100000",
                "--collection", "gamma.ip");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("--batch-size 100000 is above the target's maximum; using "
                + ClientSettings.DEFAULT_MAX_BATCH_SIZE);
    }

    @Test
    void errorsAreOneLineWithDocumentedExitCodes(@TempDir Path dir) throws Exception {
        CliResult noFile = run("import", dir.resolve("nope.jsonl").toString(), "--path", dir.resolve("t").toString());
        assertThat(noFile.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noFile.err().strip()).startsWith("error: no such file:").contains("nope.jsonl").doesNotContain("\n");

        CliResult noDir = run("export", "--path", dir.resolve("missing").toString());
        assertThat(noDir.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noDir.err().strip()).isEqualTo("error: no Chroma data directory at " + dir.resolve("missing"));
        assertThat(Files.exists(dir.resolve("missing"))).as("export creates nothing").isFalse();

        CliResult noCollection = run("export", "--path", source.toString(), "--collection", "nope");
        assertThat(noCollection.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noCollection.err().strip()).isEqualTo("error: collection nope does not exist at " + source);

        CliResult notInFile = run("import", export.toString(), "--path", dir.resolve("t2").toString(), "-c", "nope");
        assertThat(notInFile.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(notInFile.err()).contains("collection(s) [nope]");

        Path notExport = dir.resolve("x.jsonl");
        Files.writeString(notExport, "{\"hello\":1}\n");
        CliResult wrong = run("import", notExport.toString(), "--path", dir.resolve("t3").toString());
        assertThat(wrong.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(wrong.err()).contains("line 1: a record line needs an \"id\"");

        try (ChromaClient held = new PersistentClient(source, SETTINGS)) {
            CliResult inUse = run("export", "--path", source.toString());
            assertThat(inUse.code()).isEqualTo(ExitCodes.IN_USE);
            assertThat(inUse.err().strip()).startsWith("error: the data directory is in use by another process")
                    .doesNotContain("\n");
        }

        CliResult unreachable = run("export", "--url", "http://127.0.0.1:1");
        assertThat(unreachable.code()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unreachable.err().strip()).startsWith("error: server unreachable:").doesNotContain("\n");
    }

    @Test
    void usageErrorsExitTwo() {
        for (String[] args : List.of(new String[] {"export"}, new String[] {"export", "--path", "a", "--url", "http://x"},
                new String[] {"export", "--url", "not a url"}, new String[] {"import", "f", "--path", "p", "--batch-size", "0"},
                new String[] {"copy", "--from", "http://a:1"}, new String[] {"import", "--url", "http://a:1",
                        "--token-header", "X-Api-Key", "--token", "t"}, new String[] {"export", "--bogus"})) {
            CliResult r = run(args);
            assertThat(r.code()).as(Arrays.toString(args)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(Arrays.toString(args)).contains("--help").doesNotContain("\tat ");
        }
    }

    @Test
    void helpListsOptionsAndExitCodes() {
        for (String cmd : List.of("export", "import", "copy")) {
            CliResult r = run(cmd, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: chroma " + cmd, "Exit codes:", "4   server unreachable".substring(0, 1),
                    "--batch-size");
        }
        assertThat(run("export", "--help").out()).contains("--path=DIR", "--url=URL", "--token=TOKEN", "--output=FILE");
        assertThat(run("import", "--help").out()).contains("--resume", "6   target collection exists");
        assertThat(run("copy", "--help").out()).contains("--from=URL", "--to=URL", "--to-token");
    }
}
