package io.chroma.api.internal;

import io.chroma.api.InvalidArgumentException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Normalises metadata and filter values to the four kinds Chroma stores: {@link String},
 * {@link Long} (int), {@link Double} (float), {@link Boolean}, plus homogeneous lists of them.
 * Java callers pass Integer, Float, etc.; JSON parsers produce Integer, BigInteger, BigDecimal.
 * Normalising once at the edge lets the engine compare with plain equals().
 */
public final class Values {
    private Values() {
    }

    /** The scalar kinds, for homogeneity checks and type-strict equality. */
    public enum Kind { STRING, INT, FLOAT, BOOL }

    public static Kind kindOf(Object v) {
        if (v instanceof String) return Kind.STRING;
        if (v instanceof Long) return Kind.INT;
        if (v instanceof Double) return Kind.FLOAT;
        if (v instanceof Boolean) return Kind.BOOL;
        throw new IllegalArgumentException("not a normalised scalar: " + v);
    }

    /** Returns the normalised scalar, or {@code null} when {@code v} is not a scalar Chroma accepts. */
    public static Object scalarOrNull(Object v) {
        if (v instanceof String || v instanceof Boolean || v instanceof Long) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            double d = ((Number) v).doubleValue();
            // -0.0 becomes 0.0, as Chroma 1.x stores it: one zero, so equality and its index term agree
            return Double.isFinite(d) ? d + 0.0 : null;
        }
        return null;
    }

    /**
     * Normalises a record metadata map. {@code null} values are kept only when {@code allowNull}
     * (update/upsert: "delete this key"). Returns {@code null} for a null map; an empty map stays empty
     * (callers decide whether that is allowed).
     */
    public static Map<String, Object> metadata(Map<String, ?> in, boolean allowNull, String what) {
        if (in == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : in.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isEmpty()) {
                throw new InvalidArgumentException(what + " keys must be non-empty strings");
            }
            if (key.startsWith("#") || key.startsWith("$")) {
                throw new InvalidArgumentException(what + " key cannot start with '#' or '$': " + key);
            }
            if (key.equals("chroma:document")) {
                throw new InvalidArgumentException(what + " cannot contain key chroma:document");
            }
            Object v = e.getValue();
            if (v instanceof List<?> l && l.isEmpty()) {
                // Chroma 1.x accepts an empty list and keeps no value: the key is absent on add and
                // removed on update or upsert
                if (allowNull) {
                    out.put(key, null);
                }
                continue;
            }
            if (v == null) {
                if (!allowNull) {
                    throw new InvalidArgumentException("Expected " + what
                            + " value to be a str, int, float, bool or list, got None for key " + key);
                }
                out.put(key, null);
                continue;
            }
            out.put(key, metadataValue(key, v, what));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * A metadata scalar: as {@link #scalarOrNull}, except that an integer beyond the 64-bit range
     * becomes a float, as Chroma 1.x stores it (its JSON reader keeps such numbers as f64). A where
     * operand that large stays an error, as there.
     */
    private static Object metadataScalar(Object v) {
        if (v instanceof BigInteger b && b.bitLength() >= 64) {
            double d = b.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        return scalarOrNull(v);
    }

    private static Object metadataValue(String key, Object v, String what) {
        Object s = metadataScalar(v);
        if (s != null) {
            return s;
        }
        if (v instanceof io.chroma.api.SparseVector) {
            return v; // validated on construction
        }
        if (v instanceof Map<?, ?> m && (m.containsKey("indices") || "sparse_vector".equals(m.get("#type")))) {
            // a sparse vector in its JSON form ({"#type"?, "indices", "values", "tokens"?})
            return SearchJson.sparse(m, key, false);
        }
        if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                throw new InvalidArgumentException("Expected " + what + " list value for key " + key
                        + " to be non-empty");
            }
            List<Object> out = new ArrayList<>(list.size());
            Kind kind = null;
            for (Object item : list) {
                Object n = metadataScalar(item);
                if (n == null) {
                    throw new InvalidArgumentException("Expected " + what + " list value for key " + key
                            + " to contain only str, int, float or bool, got " + describe(item));
                }
                Kind k = kindOf(n);
                if (kind != null && k != kind) {
                    throw new InvalidArgumentException("Expected " + what + " list value for key " + key
                            + " to contain values of the same type");
                }
                kind = k;
                out.add(n);
            }
            return List.copyOf(out);
        }
        if (v instanceof Double || v instanceof Float) {
            throw new InvalidArgumentException(what + " value for key " + key + " must be a finite number, got " + v);
        }
        throw new InvalidArgumentException("Expected " + what
                + " value to be a str, int, float, bool or list, got " + describe(v) + " for key " + key);
    }

    public static String describe(Object v) {
        if (v == null) {
            return "None";
        }
        String type = v instanceof Map ? "dict" : v instanceof List ? "list" : v.getClass().getSimpleName();
        return v + " which is a " + type;
    }

    /**
     * A collection's new metadata (modify replaces it whole), as Chroma 1.x reads it: non-empty, and
     * keys set to {@code null} are left out, so {@code {"a": null}} alone clears the metadata, which
     * an empty map returned here means.
     */
    public static Map<String, Object> newCollectionMetadata(Map<String, ?> in) {
        if (in == null || in.values().stream().noneMatch(Objects::isNull)) {
            return collectionMetadata(in); // nothing to leave out: a create's rules ({} refused)
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            if (v != null) {
                kept.put(k, v);
            }
        });
        return kept.isEmpty() ? Map.of() : collectionMetadata(kept);
    }

    /** Collection metadata: scalars (and lists), non-empty. */
    public static Map<String, Object> collectionMetadata(Map<String, ?> in) {
        if (in == null) {
            return null;
        }
        if (in.isEmpty()) {
            throw new InvalidArgumentException("Metadata cannot be empty");
        }
        return metadata(in, false, "collection metadata");
    }
}
