package io.chroma.api;

import java.util.Locale;

/**
 * The distance function of a collection ({@code hnsw:space}), with Chroma's exact definitions.
 * Distances are computed in float32 arithmetic order-independent enough to match Chroma within
 * 1e-6 relative; index similarity only ranks, the distance we return is always this one.
 */
public enum Space {
    /** Squared Euclidean distance (no square root). */
    L2("l2"),
    /** 1 - dot product; may be negative. */
    IP("ip"),
    /** 1 - cosine similarity; a zero vector is at distance 1.0 from everything. */
    COSINE("cosine");

    private final String wireName;

    Space(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Space fromWireName(String name) {
        if (name != null) {
            for (Space s : values()) {
                if (s.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
        }
        throw new InvalidArgumentException("Invalid value for hnsw:space: " + name
                + ". Expected one of l2, ip, cosine");
    }

    public float distance(float[] a, float[] b) {
        switch (this) {
            case L2: {
                double sum = 0;
                for (int i = 0; i < a.length; i++) {
                    double d = (double) a[i] - b[i];
                    sum += d * d;
                }
                return (float) sum;
            }
            case IP: {
                double dot = 0;
                for (int i = 0; i < a.length; i++) {
                    dot += (double) a[i] * b[i];
                }
                return (float) (1.0 - dot);
            }
            default: {
                double dot = 0, na = 0, nb = 0;
                for (int i = 0; i < a.length; i++) {
                    dot += (double) a[i] * b[i];
                    na += (double) a[i] * a[i];
                    nb += (double) b[i] * b[i];
                }
                double denom = Math.sqrt(na) * Math.sqrt(nb);
                if (denom == 0) {
                    return 1.0f;
                }
                return (float) (1.0 - dot / (denom + 1e-30));
            }
        }
    }
}
