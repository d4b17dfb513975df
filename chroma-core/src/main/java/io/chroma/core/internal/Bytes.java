package io.chroma.core.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compact binary encoding used for everything the engine stores: varints, length-prefixed UTF-8,
 * little-endian float32 arrays (exact bytes), and a tagged generic value format for metadata and
 * configuration maps. Tags keep the kind, so an int read back is a Long and a float a Double.
 */
final class Bytes {
    private Bytes() {
    }

    static final int T_NULL = 0, T_STRING = 1, T_LONG = 2, T_DOUBLE = 3, T_FALSE = 4, T_TRUE = 5, T_LIST = 6, T_MAP = 7;
    /** A {@link io.chroma.api.SparseVector} metadata value: count, u32 indices, f32 values, tokens (list or null). */
    static final int T_SPARSE = 8;

    /** Growable output buffer. */
    static final class Writer {
        byte[] buf;
        int pos;

        Writer(int initial) {
            buf = new byte[Math.max(16, initial)];
        }

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        Writer u8(int b) {
            ensure(1);
            buf[pos++] = (byte) b;
            return this;
        }

        Writer varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
            return this;
        }

        /** zig-zag so small negatives (-1 sentinels) stay short */
        Writer zigzag(long v) {
            return varint((v << 1) ^ (v >> 63));
        }

        Writer i64(long v) {
            ensure(8);
            for (int i = 7; i >= 0; i--) {
                buf[pos++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        Writer string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            raw(b);
            return this;
        }

        Writer raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        Writer floats(float[] v) {
            varint(v.length);
            ensure(v.length * 4);
            ByteBuffer.wrap(buf, pos, v.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
            pos += v.length * 4;
            return this;
        }

        Writer value(Object v) {
            if (v == null) {
                return u8(T_NULL);
            } else if (v instanceof String s) {
                return u8(T_STRING).string(s);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return u8(T_LONG).zigzag(((Number) v).longValue());
            } else if (v instanceof Double || v instanceof Float) {
                return u8(T_DOUBLE).i64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            } else if (v instanceof Boolean b) {
                return u8(b ? T_TRUE : T_FALSE);
            } else if (v instanceof List<?> l) {
                u8(T_LIST).varint(l.size());
                for (Object o : l) {
                    value(o);
                }
                return this;
            } else if (v instanceof Map<?, ?> m) {
                u8(T_MAP);
                return map(m);
            } else if (v instanceof io.chroma.api.SparseVector sv) {
                u8(T_SPARSE).varint(sv.indices().length);
                for (int i : sv.indices()) {
                    varint(Integer.toUnsignedLong(i));
                }
                floats(sv.values());
                return value(sv.tokens());
            } else if (v instanceof Number n) {
                return u8(T_DOUBLE).i64(Double.doubleToRawLongBits(n.doubleValue()));
            }
            return u8(T_STRING).string(v.toString());
        }

        Writer map(Map<?, ?> m) {
            varint(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                string(String.valueOf(e.getKey()));
                value(e.getValue());
            }
            return this;
        }

        byte[] toBytes() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** Reader over a byte array. */
    static final class Reader {
        final byte[] buf;
        int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        int u8() {
            return buf[pos++] & 0xFF;
        }

        int remaining() {
            return buf.length - pos;
        }

        long varint() {
            long v = 0;
            int shift = 0;
            while (true) {
                int b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
                shift += 7;
            }
        }

        long zigzag() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        long i64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xFF);
            }
            return v;
        }

        String string() {
            int n = (int) varint();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        void skipString() {
            int n = (int) varint();
            pos += n;
        }

        float[] floats() {
            int n = (int) varint();
            float[] v = new float[n];
            ByteBuffer.wrap(buf, pos, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            pos += n * 4;
            return v;
        }

        void skipFloats() {
            int n = (int) varint();
            pos += n * 4;
        }

        Object value() {
            int tag = u8();
            return switch (tag) {
                case T_NULL -> null;
                case T_STRING -> string();
                case T_LONG -> zigzag();
                case T_DOUBLE -> Double.longBitsToDouble(i64());
                case T_FALSE -> Boolean.FALSE;
                case T_TRUE -> Boolean.TRUE;
                case T_LIST -> {
                    int n = (int) varint();
                    List<Object> l = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        l.add(value());
                    }
                    yield java.util.Collections.unmodifiableList(l);
                }
                case T_MAP -> map();
                case T_SPARSE -> {
                    int n = (int) varint();
                    int[] idx = new int[n];
                    for (int i = 0; i < n; i++) {
                        idx[i] = (int) varint();
                    }
                    float[] vals = floats();
                    @SuppressWarnings("unchecked")
                    List<String> tokens = (List<String>) value();
                    yield new io.chroma.api.SparseVector(idx, vals, tokens);
                }
                default -> throw new IllegalStateException("corrupt value tag " + tag);
            };
        }

        Map<String, Object> map() {
            int n = (int) varint();
            Map<String, Object> m = new LinkedHashMap<>(Math.max(4, n * 2));
            for (int i = 0; i < n; i++) {
                String k = string();
                m.put(k, value());
            }
            return m;
        }
    }

    // ---- keys: big-endian longs so byte order = numeric order for non-negative seqs ----

    static byte[] key(long a) {
        return ByteBuffer.allocate(8).putLong(a).array();
    }

    static byte[] key(long a, long b) {
        return ByteBuffer.allocate(16).putLong(a).putLong(b).array();
    }

    static byte[] key(long a, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + b.length).putLong(a).put(b).array();
    }

    static long longAt(byte[] key, int offset) {
        return ByteBuffer.wrap(key, offset, 8).getLong();
    }

    static byte[] prefixed(char tag, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) tag;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    /** [prefix, prefix+1): every key starting with the single tag byte */
    static byte[] tagEnd(char tag) {
        return new byte[]{(byte) (tag + 1)};
    }

    static byte[] longs(long[] values, int n) {
        ByteBuffer bb = ByteBuffer.allocate(8 * n);
        for (int i = 0; i < n; i++) {
            bb.putLong(values[i]);
        }
        return bb.array();
    }

    static long[] longs(byte[] b) {
        long[] out = new long[b.length / 8];
        ByteBuffer bb = ByteBuffer.wrap(b);
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getLong();
        }
        return out;
    }
}
