package io.chroma.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.Records;
import io.chroma.client.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Seeding and comparing collections for the export / import / copy tests. */
final class TransferFixtures {
    static final List<Include> ALL = List.of(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS);
    private static final Pattern RATE = Pattern.compile("\\((\\d+) records/s\\)");

    private TransferFixtures() {
    }

    static HttpClient client(String url) {
        return HttpClient.builder().url(url).build();
    }

    /**
     * Adds {@code n} records: random float32 vectors, a document, and metadata of every kind (int,
     * float, bool, string, lists) on every record — the real Chroma does not tell an empty metadata
     * from none, so every record has some.
     */
    static void fill(Collection c, int n, int dim, long seed, boolean uris) {
        Random rnd = new Random(seed);
        for (int start = 0; start < n; start += 500) {
            int size = Math.min(500, n - start);
            List<String> ids = new ArrayList<>();
            List<float[]> emb = new ArrayList<>();
            List<String> docs = new ArrayList<>();
            List<Map<String, Object>> mds = new ArrayList<>();
            List<String> us = new ArrayList<>();
            for (int i = start; i < start + size; i++) {
                ids.add("id-" + i);
                float[] v = new float[dim];
                for (int d = 0; d < dim; d++) {
                    v[d] = (float) rnd.nextGaussian() * (d % 3 == 0 ? 1e-3f : 10f);
                }
                emb.add(v);
                docs.add("document " + i + (i % 3 == 0 ? " — \u00fcnic\u00f6de \ud83d\ude00\nsecond line" : ""));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("i", (long) i);
                m.put("f", i % 2 == 0 ? (double) i : rnd.nextDouble());
                m.put("b", i % 2 == 0);
                m.put("s", "group-" + (i % 10));
                if (i % 4 == 0) {
                    m.put("tags", List.of("t" + (i % 3), "all"));
                    m.put("nums", List.of((long) i, 7L));
                    m.put("reals", List.of(0.5, i + 0.25));
                }
                mds.add(m);
                us.add(uris && i % 5 == 0 ? "https://example.com/" + i : null);
            }
            c.add(new Records(ids, emb, docs, mds, uris ? us : null));
        }
    }

    /**
     * Both collections hold the same records in the same order: ids, documents, metadata (with
     * types), uris, and embeddings to within {@code ulps} units in the last place (0: bit for bit).
     */
    static void assertSameRecords(Collection expected, Collection actual, int ulps) {
        assertThat(actual.count()).as(actual.name() + " count").isEqualTo(expected.count());
        int page = 500;
        for (int offset = 0; ; offset += page) {
            GetResult e = expected.get(Get.all().limit(page).offset(offset).include(ALL));
            GetResult a = actual.get(Get.all().limit(page).offset(offset).include(ALL));
            assertThat(a.ids()).as(actual.name() + " ids at " + offset).isEqualTo(e.ids());
            assertThat(a.documents()).isEqualTo(e.documents());
            assertThat(a.uris()).isEqualTo(e.uris());
            assertThat(a.metadatas()).isEqualTo(e.metadatas());
            for (int i = 0; i < e.size(); i++) {
                if (ulps == 0) {
                    assertThat(bits(a.embeddings().get(i))).as(e.ids().get(i)).isEqualTo(bits(e.embeddings().get(i)));
                } else {
                    assertThat(maxUlps(a.embeddings().get(i), e.embeddings().get(i))).as(e.ids().get(i))
                            .isLessThanOrEqualTo(ulps);
                }
            }
            if (e.size() < page) {
                return;
            }
        }
    }

    /**
     * The real Chroma does not give back cosine-space embeddings bit for bit: they come back within
     * 2 ulps of what was written (it normalizes them for its index), and not always the same bits on
     * every read. So with the real Chroma on either side cosine collections are compared within
     * {@code cosineUlps}; l2 and ip ones always bit for bit.
     */
    static void assertSameCollections(ChromaClient expected, ChromaClient actual, List<String> names, int cosineUlps) {
        for (String n : names) {
            Collection e = expected.getCollection(n);
            Collection a = actual.getCollection(n);
            assertThat(a.metadata()).as(n + " metadata").isEqualTo(e.metadata());
            assertThat(a.configuration().hnsw().resolved().space()).as(n + " space")
                    .isEqualTo(e.configuration().hnsw().resolved().space());
            assertThat(a.configuration().embeddingFunction()).as(n + " embedding function")
                    .isEqualTo(e.configuration().embeddingFunction());
            boolean cosine = e.configuration().hnsw().resolved().space() == io.chroma.api.Space.COSINE;
            assertSameRecords(e, a, cosine ? cosineUlps : 0);
        }
    }

    static int maxUlps(float[] a, float[] b) {
        assertThat(a.length).isEqualTo(b.length);
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(Float.floatToRawIntBits(a[i]) - Float.floatToRawIntBits(b[i])));
        }
        return max;
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    /** The records/s of the CLI's final summary line. */
    static long rate(String output) {
        Matcher m = RATE.matcher(output);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }
}
