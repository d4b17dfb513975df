package io.chroma.it;

import io.chroma.api.ChromaClient;
import io.chroma.client.ClientContractTest;
import io.chroma.core.ClientSettings;
import io.chroma.core.PersistentClient;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/**
 * The shared contract ({@link ClientContractTest}) against {@link PersistentClient}. All tests of
 * the class share one data directory and each opens it afresh, so every scenario also runs on a
 * store that was closed and reopened with the earlier scenarios' data (and leftovers) in it.
 */
class PersistentContractTest extends ClientContractTest {

    @TempDir
    static Path data;

    @Override
    protected ChromaClient createClient() {
        // no default embedding function, as in EmbeddedContractTest
        return new PersistentClient(data, ClientSettings.defaults().withDefaultEmbeddingFunction(false));
    }

    @Override
    protected Map<String, String> knownBugs() {
        return KnownBugs.EMBEDDED;
    }

    @Override
    protected int maxCollectionNameLength() {
        return ClientSettings.defaults().maxCollectionNameLength(); // the usage guide's 63; a server passes 512
    }
}
