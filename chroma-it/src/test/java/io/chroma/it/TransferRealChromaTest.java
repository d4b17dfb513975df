package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.CreateCollection;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.Space;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chroma copy} between the REAL Chroma (1.x) and our server, both ways, as separate
 * processes: every record (ids, embeddings, documents, typed metadata, uris) and the collections'
 * metadata, space and embedding function descriptor survive. Embeddings bit for bit, except where
 * the real Chroma itself does not keep them (cosine space: see {@link TransferFixtures#assertSameCollections}).
 */
class TransferRealChromaTest {
    private static final Duration EXIT = Duration.ofMinutes(5);
    /** The real Chroma's own drift on cosine embeddings, twice (it may apply on both ends of a round trip). */
    private static final int REAL_COSINE_ULPS = 4;

    @Test
    void copyFromRealChromaIntoOursAndBack(@TempDir Path data) {
        String[] reason = new String[1];
        try (RealChroma real = RealChroma.startOrNull(reason)) {
            Assumptions.assumeTrue(real != null, () -> "real Chroma not available: " + reason[0]);
            try (ServerProcess ours = ServerProcess.start(data);
                 ChromaClient realClient = TransferFixtures.client(real.url());
                 ChromaClient ourClient = TransferFixtures.client(ours.url())) {
                Collection big = realClient.createCollection(CreateCollection.named("real-docs")
                        .metadata(Map.of("owner", "ops", "version", 2L, "ratio", 0.75, "public", false))
                        .configuration(CollectionConfiguration.of(HnswConfiguration.DEFAULT.withSpace(Space.COSINE)
                                .withEfSearch(64))));
                TransferFixtures.fill(big, 2000, 32, 7, false);
                Collection small = realClient.createCollection(CreateCollection.named("real.images")
                        .configuration(new CollectionConfiguration(HnswConfiguration.DEFAULT.withSpace(Space.IP),
                                Map.of("type", "known", "name", "default", "config", Map.of()))));
                TransferFixtures.fill(small, 300, 8, 8, true);
                List<String> names = List.of("real-docs", "real.images");

                var in = ServerProcess.Cli.launch(List.of("copy", "--from", real.url(), "--to", ours.url(),
                        "--batch-size", "500"), Map.of(), "copy-real-to-ours");
                assertThat(in.exitCode(EXIT)).as(in.output()).isZero();
                assertThat(in.output()).contains("Copied 2300 records in 2 collection(s)");
                TransferFixtures.assertSameCollections(realClient, ourClient, names, REAL_COSINE_ULPS);

                // and back into another database of the real Chroma (created by the copy)
                var back = ServerProcess.Cli.launch(List.of("copy", "--from", ours.url(), "--to", real.url(),
                        "--to-database", "copied_back"), Map.of(), "copy-ours-to-real");
                assertThat(back.exitCode(EXIT)).as(back.output()).isZero();
                try (ChromaClient realBack = realClient.withDatabase(ChromaClient.DEFAULT_TENANT, "copied_back")) {
                    TransferFixtures.assertSameCollections(realClient, realBack, names, REAL_COSINE_ULPS);
                }

                // copying again without --resume is refused before anything is written; with it, nothing is added
                var again = ServerProcess.Cli.launch(List.of("copy", "--from", real.url(), "--to", ours.url()),
                        Map.of(), "copy-again");
                assertThat(again.exitCode(EXIT)).isEqualTo(6);
                assertThat(again.output()).containsPattern("error: collection real(-docs|.images) already exists");
                var resumed = ServerProcess.Cli.launch(List.of("copy", "--from", real.url(), "--to", ours.url(),
                        "--resume"), Map.of(), "copy-resume");
                assertThat(resumed.exitCode(EXIT)).as(resumed.output()).isZero();
                assertThat(resumed.output()).contains("Copied 0 records in 2 collection(s)", "(2300 already there, skipped)");
                TransferFixtures.assertSameCollections(realClient, ourClient, names, REAL_COSINE_ULPS);

                System.out.printf("copy real->ours: %d records/s; ours->real: %d records/s%n",
                        TransferFixtures.rate(in.output()), TransferFixtures.rate(back.output()));
            }
        }
    }
}
