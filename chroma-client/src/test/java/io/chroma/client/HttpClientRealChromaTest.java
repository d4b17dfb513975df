package io.chroma.client;

import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.Get;
import io.chroma.api.Include;
import io.chroma.api.Query;
import io.chroma.api.Records;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract scenarios over HTTP against a real server ({@link RealChroma}), plus what only
 * an HTTP client has: base64 vs float-array embeddings on the wire.
 */
class HttpClientRealChromaTest extends ClientContractTest {

    @Override
    protected ChromaClient createClient() {
        return HttpClient.builder().url(RealChroma.url()).build();
    }

    // Where the real server differs from ours on purpose; see the hooks' documentation in ClientContractTest.

    @Override
    protected boolean queryOnMissingIdsFails() {
        return true; // 500 "Error finding id"
    }

    @Override
    protected boolean spaceChangeInMetadataRejected() {
        return false; // accepted silently; the space stays
    }

    @Override
    protected boolean renameConflictIsAlreadyExists() {
        return false; // 500 "UNIQUE constraint failed: collections.name, collections.database_id"
    }

    @Test
    void base64AndJsonFloatArraysStoreTheSameVectors() {
        Random rnd = new Random(7);
        List<float[]> vs = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            float[] v = new float[16];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) rnd.nextGaussian();
            }
            vs.add(v);
        }
        List<String> ids = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "r" + i).toList();
        Collection viaBase64 = newCollection();
        viaBase64.add(Records.ids(ids).embeddings(vs));
        try (HttpClient plain = HttpClient.builder().url(RealChroma.url()).base64Embeddings(false).build()) {
            Collection viaJson = plain.getCollection(newCollection().name());
            viaJson.add(Records.ids(ids).embeddings(vs));
            List<float[]> a = viaBase64.get(Get.all().include(Include.EMBEDDINGS)).embeddings();
            List<float[]> b = viaJson.get(Get.all().include(Include.EMBEDDINGS)).embeddings();
            for (int i = 0; i < vs.size(); i++) {
                assertThat(a.get(i)).containsExactly(vs.get(i));
                assertThat(b.get(i)).containsExactly(vs.get(i));
            }
            assertThat(viaJson.query(Query.embeddings(vs.get(3)).nResults(1)).ids().get(0)).containsExactly("r3");
        }
        assertThat(viaBase64.query(Query.embeddings(vs.get(5)).nResults(1)).ids().get(0)).containsExactly("r5");
    }
}
