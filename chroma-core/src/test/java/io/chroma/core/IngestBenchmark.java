package io.chroma.core;

import io.chroma.api.Collection;
import io.chroma.api.Get;
import io.chroma.api.Query;
import io.chroma.api.Records;
import io.chroma.api.Where;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Rough engine-side throughput (record store + the selected index): run with
 * {@code -Dtest=IngestBenchmark -Dchroma.bench=true [-Dchroma.bench.n=100000]}. Not part of the build.
 */
@EnabledIfSystemProperty(named = "chroma.bench", matches = "true")
class IngestBenchmark {

    @TempDir
    Path tmp;

    @Test
    void ingestAndQuery() {
        int n = Integer.getInteger("chroma.bench.n", 20_000);
        int dim = 384, batch = 1000;
        Random rnd = new Random(42);
        try (PersistentClient c = new PersistentClient(tmp.resolve("bench"))) {
            Collection col = c.createCollection("bench");
            long t0 = System.nanoTime();
            for (int b = 0; b < n; b += batch) {
                List<String> ids = new ArrayList<>(batch);
                List<float[]> embs = new ArrayList<>(batch);
                List<Map<String, ?>> metas = new ArrayList<>(batch);
                for (int i = b; i < b + batch; i++) {
                    ids.add("id-" + i);
                    float[] e = new float[dim];
                    for (int d = 0; d < dim; d++) {
                        e[d] = rnd.nextFloat();
                    }
                    embs.add(e);
                    metas.add(Map.of("i", i, "mod", i % 100));
                }
                col.add(Records.ids(ids).embeddings(embs).metadatas(metas));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ingest %d x %d: %.2f s, %.0f vectors/s%n", n, dim, s, n / s);
            long[] lat = new long[200];
            for (int i = 0; i < lat.length; i++) {
                float[] q = new float[dim];
                for (int d = 0; d < dim; d++) {
                    q[d] = rnd.nextFloat();
                }
                long q0 = System.nanoTime();
                col.query(Query.embeddings(q).nResults(10));
                lat[i] = System.nanoTime() - q0;
            }
            Arrays.sort(lat);
            System.out.printf("query p50 %.3f ms p99 %.3f ms%n", lat[lat.length / 2] / 1e6, lat[lat.length * 99 / 100] / 1e6);
            long g0 = System.nanoTime();
            int got = col.get(Get.where(Where.eq("mod", 7))).size();
            System.out.printf("filtered get (%d) %.3f ms%n", got, (System.nanoTime() - g0) / 1e6);
        }
        long r0 = System.nanoTime();
        try (PersistentClient c = new PersistentClient(tmp.resolve("bench"))) {
            c.getCollection("bench").query(Query.embeddings(new float[dim]).nResults(1));
        }
        System.out.printf("reopen + index rebuild %.2f s%n", (System.nanoTime() - r0) / 1e9);
    }
}
