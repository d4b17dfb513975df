package io.chroma.api;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A sparse vector: strictly ascending {@code indices} with one value each, and optionally one
 * token per index (informational, never used in scoring). Usable as a metadata value (Chroma
 * stores BM25 / SPLADE embeddings this way) and as a sparse {@code $knn} query.
 */
public record SparseVector(int[] indices, float[] values, List<String> tokens) {

    public SparseVector {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (indices.length != values.length || (tokens != null && tokens.size() != indices.length)) {
            throw new InvalidArgumentException(
                    "Sparse vector indices, values, and tokens (when present) must have the same length");
        }
        for (int i = 1; i < indices.length; i++) {
            // indices are u32 on the wire: compare unsigned
            if (Integer.compareUnsigned(indices[i - 1], indices[i]) >= 0) {
                throw new InvalidArgumentException(
                        "Sparse vector indices must be sorted in strictly ascending order (no duplicates)");
            }
        }
        tokens = tokens == null ? null : List.copyOf(tokens);
    }

    public SparseVector(int[] indices, float[] values) {
        this(indices, values, null);
    }

    /** Dot product over the indices both vectors have (merge of two sorted lists). */
    public float dot(SparseVector other) {
        float sum = 0f;
        int i = 0, j = 0;
        while (i < indices.length && j < other.indices.length) {
            int c = Integer.compareUnsigned(indices[i], other.indices[j]);
            if (c == 0) {
                sum += values[i++] * other.values[j++];
            } else if (c < 0) {
                i++;
            } else {
                j++;
            }
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseVector s && Arrays.equals(indices, s.indices) && Arrays.equals(values, s.values)
                && Objects.equals(tokens, s.tokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(indices) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SparseVector" + Arrays.toString(indices) + "=" + Arrays.toString(values);
    }
}
