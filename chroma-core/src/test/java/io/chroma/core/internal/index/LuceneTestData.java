package io.chroma.core.internal.index;

import io.chroma.api.Space;

import java.util.Arrays;
import java.util.Random;

/** Synthetic vectors for index tests: clustered (so nearest neighbours are meaningful), and an exact oracle. */
public final class LuceneTestData {

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

    /**
     * Clustered vectors with a low intrinsic dimension, like text embeddings: cluster centres and
     * offsets live in a {@code latent}-dimensional space mapped into {@code dim} dimensions by a
     * fixed random projection, plus a little isotropic noise. Isotropic clusters in 384-d make all
     * cluster members almost equidistant, which no real embedding model does and which makes
     * recall figures meaningless.
     */
    public static float[][] embeddingLike(int n, int dim, int latent, int clusters, long seed) {
        Random r = new Random(seed);
        float[][] projection = new float[latent][dim];
        for (float[] row : projection) {
            for (int i = 0; i < dim; i++) {
                row[i] = (float) (r.nextGaussian() / Math.sqrt(latent));
            }
        }
        float[][] centres = new float[clusters][latent];
        for (float[] c : centres) {
            for (int i = 0; i < latent; i++) {
                c[i] = (float) r.nextGaussian();
            }
        }
        float[][] out = new float[n][dim];
        float[] z = new float[latent];
        for (int j = 0; j < n; j++) {
            float[] c = centres[r.nextInt(clusters)];
            for (int i = 0; i < latent; i++) {
                z[i] = c[i] + 0.5f * (float) r.nextGaussian();
            }
            for (int d = 0; d < dim; d++) {
                double x = 0.02 * r.nextGaussian();
                for (int i = 0; i < latent; i++) {
                    x += z[i] * projection[i][d];
                }
                out[j][d] = (float) x;
            }
        }
        return out;
    }

    /** Indexes of the {@code k} nearest vectors by Chroma's distance (ties by index). */
    public static int[] exactNearest(Space space, float[][] data, float[] q, int k) {
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

    /**
     * What the engine does with an index's answer: rank the candidates by {@code space}'s distance
     * from {@code q} to the vector written for each seq ({@code data[seq]}), ties by seq, keep {@code k}.
     * An index over quantized vectors returns more candidates than {@code k}, ranked approximately.
     */
    static long[] nearest(VectorIndex idx, Space space, float[][] data, float[] q, int k, int ef,
                          io.chroma.api.Where where, io.chroma.api.WhereDocument whereDocument, long[] candidates)
            throws java.io.IOException {
        long[] found = idx.search(q, k, ef, where, whereDocument, candidates);
        return java.util.Arrays.stream(found).boxed()
                .sorted(java.util.Comparator.<Long>comparingDouble(s -> space.distance(q, data[(int) (long) s]))
                        .thenComparingLong(s -> s))
                .limit(k).mapToLong(Long::longValue).toArray();
    }

    static IndexSettings settings(Space space, int dim) {
        return new IndexSettings(space, dim, 16, 100);
    }
}
