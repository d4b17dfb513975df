package io.chroma.it;

import io.chroma.api.ChromaClient;
import io.chroma.client.ClientContractTest;
import io.chroma.core.ClientSettings;
import io.chroma.core.EphemeralClient;

import java.util.Map;

/**
 * The shared contract ({@link ClientContractTest}) against the in-process engine: a fresh
 * {@link EphemeralClient} per test. Reset is allowed here, so the suite also checks what reset does
 * (safe: every test has a store of its own).
 */
class EmbeddedContractTest extends ClientContractTest {

    @Override
    protected ChromaClient createClient() {
        // no default embedding function: the suite holds the HTTP client's semantics (it never embeds by
        // itself); the default function has its own test (DefaultEmbeddingFunctionEmbeddedTest)
        return new EphemeralClient(ClientSettings.defaults().withAllowReset(true).withDefaultEmbeddingFunction(false));
    }

    @Override
    protected boolean resetAllowed() {
        return true;
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
