package io.chroma.core.internal.index;

import io.chroma.api.Space;

import java.util.Arrays;
import java.util.Random;

/** Synthetic vectors for index tests: clustered (so nearest neighbours are meaningful), and an exact oracle. */
final class LuceneTestData {

    private LuceneTestData() {
    }

    /**
     * {@code n} vectors around {@code clusters} random centres, with per-cluster spread: uniform
     * random vectors have no neighbourhood structure and make recall meaningless.
     */
    static float[][] clustered(int n, int dim, int clusters, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int i = 0; i < dim; i++) {
                c[i] = (float) r.nextGaussian();
            }
        }
        float[][] out = new float[n][dim];
        for (int j = 0; j < n; j++) {
            float[] c = centres[r.nextInt(clusters)];
            for (int i = 0; i < dim; i++) {
                out[j][i] = c[i] + 0.35f * (float) r.nextGaussian();
            }
        }
        return out;
    }

    /** Indexes of the {@code k} nearest vectors by Chroma's distance (ties by index). */
    static int[] exactNearest(Space space, float[][] data, float[] q, int k) {
        Integer[] idx = new Integer[data.length];
        float[] d = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            idx[i] = i;
            d[i] = space.distance(q, data[i]);
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Float.compare(d[a], d[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[Math.min(k, data.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    static IndexSettings settings(Space space, int dim) {
        return new IndexSettings(space, dim, 16, 100);
    }
}
