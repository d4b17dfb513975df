package io.chroma.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Exact k nearest neighbours by brute force, the oracle for recall@k. Distance is squared L2 (what
 * Chroma's {@code l2} space returns) over the float32 vectors, accumulated in double so the oracle
 * is at least as exact as any server.
 */
public final class GroundTruth {

    private GroundTruth() {
    }

    /**
     * For every query q, the indexes of the k nearest records among {@code candidates.apply(q)}
     * (null = all records), nearest first; ties broken by the lower index.
     */
    public static int[][] topK(Dataset ds, int k, IntFunction<int[]> candidates) {
        return IntStream.range(0, ds.queryCount()).parallel()
                .mapToObj(q -> topKOne(ds, q, k, candidates == null ? null : candidates.apply(q)))
                .toArray(int[][]::new);
    }

    static int[] topKOne(Dataset ds, int q, int k, int[] candidates) {
        int dim = ds.dim();
        float[] v = ds.vectors();
        float[] qs = ds.queries();
        int qBase = q * dim;
        int total = candidates == null ? ds.n() : candidates.length;
        int keep = Math.min(k, total);
        // a small sorted insertion buffer: k is 10, far cheaper than a heap of boxed entries
        double[] bestD = new double[keep];
        int[] bestI = new int[keep];
        int size = 0;
        for (int c = 0; c < total; c++) {
            int i = candidates == null ? c : candidates[c];
            int base = i * dim;
            double sum = 0;
            for (int d = 0; d < dim; d++) {
                double diff = (double) v[base + d] - qs[qBase + d];
                sum += diff * diff;
            }
            if (size < keep || sum < bestD[size - 1]) {
                int pos = size < keep ? size++ : size - 1;
                while (pos > 0 && bestD[pos - 1] > sum) {
                    bestD[pos] = bestD[pos - 1];
                    bestI[pos] = bestI[pos - 1];
                    pos--;
                }
                bestD[pos] = sum;
                bestI[pos] = i;
            }
        }
        return bestI;
    }

    /** |returned ∩ truth| / |truth|, or 1 when the truth is empty (nothing to find). */
    public static double recall(Collection<Integer> returned, int[] truth) {
        if (truth.length == 0) {
            return 1.0;
        }
        Set<Integer> got = new HashSet<>(returned);
        int hit = 0;
        for (int t : truth) {
            if (got.contains(t)) {
                hit++;
            }
        }
        return hit / (double) truth.length;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Reads a cached answer; null if the file is missing or unreadable. */
    static int[][] load(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file);
             DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
            int rows = data.readInt();
            int[][] out = new int[rows][];
            for (int r = 0; r < rows; r++) {
                out[r] = new int[data.readInt()];
                for (int j = 0; j < out[r].length; j++) {
                    out[r][j] = data.readInt();
                }
            }
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes atomically (temp file + move) so a killed run never leaves a truncated cache. */
    static void store(Path file, int[][] rows) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp);
             DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
            data.writeInt(rows.length);
            for (int[] row : rows) {
                data.writeInt(row.length);
                for (int x : row) {
                    data.writeInt(x);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Cached {@link #topK}: the key must identify the data, k and the filter. */
    static int[][] cached(Path cacheDir, String key, Dataset ds, int k, IntFunction<int[]> candidates) throws IOException {
        if (cacheDir == null) {
            return topK(ds, k, candidates);
        }
        Path file = cacheDir.resolve("gt-" + sha256(key).substring(0, 20) + ".bin");
        int[][] hit = load(file);
        if (hit != null && hit.length == ds.queryCount()) {
            return hit;
        }
        int[][] computed = topK(ds, k, candidates);
        store(file, computed);
        return computed;
    }
}
