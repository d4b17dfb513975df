package io.chroma.core.internal;

import java.util.Map;

/**
 * One record as stored: user id, float32 embedding (exact), document, normalised metadata, uri.
 * When decoded for a read, fields the read did not ask for are {@code null}.
 */
record StoredRecord(String id, float[] embedding, String document, Map<String, Object> metadata, String uri) {

    private static final int VERSION = 1;
    private static final int F_EMB = 1, F_DOC = 2, F_META = 4, F_URI = 8;

    byte[] encode() {
        int dim = embedding == null ? 0 : embedding.length;
        Bytes.Writer w = new Bytes.Writer(32 + id.length() + dim * 4 + (document == null ? 0 : document.length() * 2));
        int flags = (embedding != null ? F_EMB : 0) | (document != null ? F_DOC : 0)
                | (metadata != null ? F_META : 0) | (uri != null ? F_URI : 0);
        w.u8(VERSION).u8(flags).string(id);
        if (embedding != null) {
            w.floats(embedding);
        }
        if (document != null) {
            w.string(document);
        }
        if (uri != null) {
            w.string(uri);
        }
        if (metadata != null) {
            w.map(metadata);
        }
        return w.toBytes();
    }

    static StoredRecord decode(byte[] b) {
        return decode(b, true, true, true, true);
    }

    /** Decodes only the wanted fields (the id always); skipping the vector saves most of the work. */
    static StoredRecord decode(byte[] b, boolean emb, boolean doc, boolean meta, boolean uri) {
        Bytes.Reader r = new Bytes.Reader(b);
        int version = r.u8();
        if (version != VERSION) {
            throw new IllegalStateException("unknown record format " + version);
        }
        int flags = r.u8();
        String id = r.string();
        float[] e = null;
        String d = null, u = null;
        Map<String, Object> m = null;
        if ((flags & F_EMB) != 0) {
            if (emb) {
                e = r.floats();
            } else {
                r.skipFloats();
            }
        }
        if ((flags & F_DOC) != 0) {
            if (doc) {
                d = r.string();
            } else {
                r.skipString();
            }
        }
        if ((flags & F_URI) != 0) {
            if (uri) {
                u = r.string();
            } else {
                r.skipString();
            }
        }
        if ((flags & F_META) != 0 && meta) {
            m = r.map();
        }
        return new StoredRecord(id, e, d, m, u);
    }
}
