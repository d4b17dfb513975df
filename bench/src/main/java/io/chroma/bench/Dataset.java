package io.chroma.bench;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The vectors a run ingests and the query vectors it asks with, flat in row-major float arrays
 * (100k × 384 floats is 150 MB; boxed lists would be several times that).
 *
 * <p>Synthetic data is a mixture of Gaussian clusters: uniformly random high-dimensional vectors
 * have no neighbourhood structure (every point is about equally far from every other), which makes
 * recall numbers meaningless. Every vector is derived from (seed, index) alone, so the data is
 * the same on every run, machine and thread count.
 *
 * @param vectors  {@code n * dim} floats, record i at {@code [i*dim, (i+1)*dim)}
 * @param queries  {@code queryCount * dim} floats; never identical to an ingested vector
 * @param source   what the data is, for the report
 */
public record Dataset(int n, int dim, float[] vectors, int queryCount, float[] queries, String source) {

    public Dataset {
        if (n <= 0 || dim <= 0 || queryCount <= 0) {
            throw new IllegalArgumentException("n, dim and queryCount must be positive");
        }
        if (vectors.length != (long) n * dim || queries.length != (long) queryCount * dim) {
            throw new IllegalArgumentException("array sizes do not match n, dim and queryCount");
        }
    }

    /** A copy of ingested vector {@code i}. */
    public float[] vector(int i) {
        float[] v = new float[dim];
        System.arraycopy(vectors, i * dim, v, 0, dim);
        return v;
    }

    /** A copy of query vector {@code q}. */
    public float[] query(int q) {
        float[] v = new float[dim];
        System.arraycopy(queries, q * dim, v, 0, dim);
        return v;
    }

    // Distinguishes the random streams of centres, records and queries drawn from one seed.
    private static final long CENTRE_SALT = 0x5DEECE66DL;
    private static final long QUERY_SALT = 0x9E3779B97F4A7C15L;

    /**
     * {@code clusters} Gaussian clusters: centres ~ N(0, 1) per coordinate, each cluster with its own
     * spread in [0.4, 1.0) so that neighbourhoods are not all alike; every record picks a cluster at
     * random (so ids and clusters are uncorrelated) and adds N(0, spread²) noise. Queries are fresh
     * draws from the same mixture. Everything is scaled by 1/√dim so norms are about 1–1.4, like
     * real embeddings (only cosmetic for l2, but it keeps the JSON numbers short and familiar).
     */
    public static Dataset clustered(int n, int dim, int clusters, int queryCount, long seed) {
        if (clusters <= 0) {
            throw new IllegalArgumentException("clusters must be positive");
        }
        float scale = (float) (1.0 / Math.sqrt(dim));
        float[] centres = new float[clusters * dim];
        float[] spread = new float[clusters];
        SplittableRandom centreRng = new SplittableRandom(seed ^ CENTRE_SALT);
        for (int c = 0; c < clusters; c++) {
            spread[c] = (float) (0.4 + 0.6 * centreRng.nextDouble());
            for (int d = 0; d < dim; d++) {
                centres[c * dim + d] = (float) centreRng.nextGaussian();
            }
        }
        float[] vectors = new float[n * dim];
        float[] queries = new float[queryCount * dim];
        // one generator per row, seeded from (seed, row): the result does not depend on the
        // thread that computes the row, so the parallel fill is still deterministic
        IntStream.range(0, n).parallel().forEach(i ->
                drawPoint(new SplittableRandom(mix(seed, i)), centres, spread, clusters, dim, scale, vectors, i));
        IntStream.range(0, queryCount).parallel().forEach(q ->
                drawPoint(new SplittableRandom(mix(seed ^ QUERY_SALT, q)), centres, spread, clusters, dim, scale, queries, q));
        return new Dataset(n, dim, vectors, queryCount, queries,
                "synthetic: " + clusters + " Gaussian clusters, seed " + seed);
    }

    private static void drawPoint(SplittableRandom rng, float[] centres, float[] spread, int clusters, int dim,
                                  float scale, float[] out, int row) {
        int c = rng.nextInt(clusters);
        int base = row * dim;
        for (int d = 0; d < dim; d++) {
            out[base + d] = (centres[c * dim + d] + spread[c] * (float) rng.nextGaussian()) * scale;
        }
    }

    /** SplitMix64 finaliser over (seed, index): decorrelates the per-row seeds. */
    static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Real vectors from a file of raw little-endian float32 values (no header), {@code dim} per row.
     * The first {@code n} rows are ingested. Queries are the rows after them when the file has
     * enough; otherwise they are ingested rows moved by a little noise (so a query is never an exact
     * copy of a stored vector, which would make recall trivially high).
     */
    public static Dataset fromFile(Path file, int n, int dim, int queryCount, long seed) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long bytes = ch.size();
            long rowBytes = 4L * dim;
            if (bytes % rowBytes != 0) {
                throw new IllegalArgumentException(file + " has " + bytes + " bytes, not a multiple of "
                        + rowBytes + " (dim " + dim + " float32 values per row)");
            }
            long rows = bytes / rowBytes;
            if (rows < n) {
                throw new IllegalArgumentException(file + " holds " + rows + " vectors of dimension " + dim
                        + ", fewer than --n " + n);
            }
            if ((long) n * dim > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("n × dim too large for one array");
            }
            float[] vectors = new float[n * dim];
            float[] queries = new float[queryCount * dim];
            long needed = Math.min(bytes, (long) (n + queryCount) * rowBytes);
            FloatBuffer fb = ch.map(FileChannel.MapMode.READ_ONLY, 0, needed)
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            fb.get(vectors);
            String how;
            if (rows >= (long) n + queryCount) {
                fb.get(queries);
                how = "queries are rows " + n + ".." + (n + queryCount - 1);
            } else {
                // noise of 5 % of the mean absolute coordinate: close to the source, never equal
                double meanAbs = 0;
                for (float v : vectors) {
                    meanAbs += Math.abs(v);
                }
                float sigma = (float) (0.05 * meanAbs / vectors.length);
                for (int q = 0; q < queryCount; q++) {
                    SplittableRandom rng = new SplittableRandom(mix(seed ^ QUERY_SALT, q));
                    int src = rng.nextInt(n);
                    for (int d = 0; d < dim; d++) {
                        queries[q * dim + d] = vectors[src * dim + d] + sigma * (float) rng.nextGaussian();
                    }
                }
                how = "queries are perturbed ingested rows (file too short for held-out queries)";
            }
            return new Dataset(n, dim, vectors, queryCount, queries, "file " + file + " (" + rows + " rows; " + how + ")");
        }
    }
}
