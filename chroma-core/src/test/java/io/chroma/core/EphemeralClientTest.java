package io.chroma.core;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EphemeralClientTest extends EmbeddedClientContractTest {

    @Override
    protected EmbeddedClient open(ClientSettings settings) {
        return new EphemeralClient(settings);
    }

    @Override
    protected EmbeddedClient open2(ClientSettings settings) {
        return new EphemeralClient(settings);
    }

    @Test
    void hasNoPathAndTwoEphemeralClientsAreIndependent() {
        assertThat(client.path()).isNull();
        try (EphemeralClient other = new EphemeralClient()) {
            client.createCollection("only-here");
            assertThat(other.countCollections()).isZero();
        }
    }

    @Test
    void closeDeletesTheTemporaryStore() throws Exception {
        Path tmpRoot = Path.of(System.getProperty("java.io.tmpdir"));
        java.util.Set<Path> before = ephemeralDirs(tmpRoot);
        EphemeralClient c = new EphemeralClient();
        java.util.Set<Path> created = ephemeralDirs(tmpRoot);
        created.removeAll(before);
        assertThat(created).hasSize(1);
        c.createCollection("abc").add(io.chroma.api.Records.ids("a").embeddings(new float[]{1}));
        c.close();
        assertThat(created.iterator().next()).doesNotExist();
    }

    private static java.util.Set<Path> ephemeralDirs(Path root) throws Exception {
        try (var s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chroma-ephemeral-"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
        }
    }
}
