package io.chroma.core.internal.index;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Lucene document layout of one record, shared by the writer ({@link LuceneIndex}) and the
 * filter compiler ({@link LuceneFilterCompiler}).
 *
 * <p>Internal fields have names without a colon; metadata fields are {@code <kind>:<key>}, so no
 * metadata key can collide with an internal field or with another kind:
 * <ul>
 *   <li>{@code s:k} string (exact term), {@code b:k} bool ("1"/"0" term);</li>
 *   <li>for ranges, {@code i:k} an int as an exact {@link LongPoint}; {@code g:k} the same int as a
 *       double point (what Chroma compares with a float operand); {@code f:k} a float as a double point;</li>
 *   <li>for equality ({@code $eq $ne $in $nin}), the same three as terms {@code ei:k eg:k ef:k}:
 *       a term lookup beats a point query on the low-cardinality ints filters usually test;</li>
 *   <li>{@code ls:k lb:k lei:k leg:k lef:k} the equality terms of each element of a list value,
 *       kept apart so that {@code $eq} on a list-valued key never matches an element (as
 *       {@code Where.matches}); list elements need no points, ranges never apply to them.</li>
 * </ul>
 */
final class LuceneFields {

    private LuceneFields() {
    }

    /** The record's seq: point (candidate sets) and numeric doc value (doc → seq). */
    static final String SEQ = "seq";
    /** The record's seq as an 8-byte term: updateDocument/deleteDocuments need a term. */
    static final String ID = "id";
    static final String VECTOR = "vec";
    /** Marks a cosine-space record whose vector is all zeros (kept out of the HNSW graph). */
    static final String ZERO_VECTOR = "zv";
    /** The document text, encoded by {@link #encodeDocument}, as a binary doc value. */
    static final String DOCUMENT = "doc";
    /** Every distinct 3-char substring of the document, as a 6-byte term. */
    static final String TRIGRAM = "tri";
    /** The document's words ({@link #TEXT_ANALYZER}) with frequencies and norms, for BM25 full-text ranking. */
    static final String TEXT = "txt";

    /**
     * Unicode word tokens, lower-cased, no stop words and no stemming: exact terms such as product
     * codes and names must match as typed. Thread-safe (per-thread token stream reuse).
     */
    static final org.apache.lucene.analysis.Analyzer TEXT_ANALYZER =
            new org.apache.lucene.analysis.standard.StandardAnalyzer(org.apache.lucene.analysis.CharArraySet.EMPTY_SET);

    static final String STRING = "s:";
    static final String BOOL = "b:";
    static final String INT = "i:";
    static final String INT_AS_DOUBLE = "g:";
    static final String FLOAT = "f:";
    /** Equality terms of the same three: exact long bytes, and doubles with -0.0 folded into 0.0. */
    static final String INT_TERM = "ei:";
    static final String INT_AS_DOUBLE_TERM = "eg:";
    static final String FLOAT_TERM = "ef:";
    static final String LIST = "l";
    /** {@code sp:k} the dimensions of a sparse-vector value, one 4-byte term each (values stay in RocksDB). */
    static final String SPARSE = "sp:";

    static final BytesRef TRUE = new BytesRef("1");
    static final BytesRef FALSE = new BytesRef("0");

    private static final FieldType TRIGRAM_TYPE = new FieldType();

    static {
        TRIGRAM_TYPE.setIndexOptions(IndexOptions.DOCS);
        TRIGRAM_TYPE.setTokenized(true); // required for a TokenStream-valued field; nothing is analysed
        TRIGRAM_TYPE.setOmitNorms(true);
        TRIGRAM_TYPE.freeze();
    }

    static String field(String kind, String key, boolean listElement) {
        return listElement ? LIST + kind + key : kind + key;
    }

    static BytesRef seqBytes(long seq) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) seq;
            seq >>>= 8;
        }
        return new BytesRef(b);
    }

    static BytesRef longTerm(long v) {
        return seqBytes(v);
    }

    /**
     * Equality term of a number as a double. {@code ==} holds for -0.0 and 0.0, so both map to the
     * same term; no NaN reaches here (metadata and operands are finite).
     */
    static BytesRef doubleTerm(double v) {
        return seqBytes(v == 0 ? 0L : Double.doubleToLongBits(v));
    }

    static Term idTerm(long seq) {
        return new Term(ID, seqBytes(seq));
    }

    static BytesRef bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    /** Longest string kept verbatim in a term; longer ones are hashed (Lucene caps terms at 32 KB). */
    private static final int MAX_VERBATIM_BYTES = 1024;

    /**
     * The term for a metadata string: its UTF-8 bytes when short and well formed, else 0xFF followed
     * by the SHA-256 of its UTF-16 code units. 0xFF never occurs in UTF-8, so the two forms cannot
     * meet, and strings with lone surrogates (which UTF-8 cannot carry) stay distinct.
     */
    static BytesRef stringTerm(String s) {
        if (isWellFormed(s)) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length <= MAX_VERBATIM_BYTES) {
                return new BytesRef(utf8);
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(utf16(s));
            byte[] out = new byte[digest.length + 1];
            out[0] = (byte) 0xFF;
            System.arraycopy(digest, 0, out, 1, digest.length);
            return new BytesRef(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** True when every surrogate is paired, i.e. the string survives a UTF-8 round trip. */
    static boolean isWellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static final byte DOC_UTF8 = 0;
    private static final byte DOC_UTF16 = 1;

    /** A marker byte, then UTF-8, or UTF-16BE for a string with lone surrogates (exact round trip). */
    static BytesRef encodeDocument(String document) {
        boolean utf8 = isWellFormed(document);
        byte[] body = utf8 ? document.getBytes(StandardCharsets.UTF_8) : utf16(document);
        byte[] out = new byte[body.length + 1];
        out[0] = utf8 ? DOC_UTF8 : DOC_UTF16;
        System.arraycopy(body, 0, out, 1, body.length);
        return new BytesRef(out);
    }

    static String decodeDocument(BytesRef b) {
        if (b.bytes[b.offset] == DOC_UTF8) {
            return new String(b.bytes, b.offset + 1, b.length - 1, StandardCharsets.UTF_8);
        }
        char[] chars = new char[(b.length - 1) / 2];
        for (int i = 0, p = b.offset + 1; i < chars.length; i++, p += 2) {
            chars[i] = (char) (((b.bytes[p] & 0xFF) << 8) | (b.bytes[p + 1] & 0xFF));
        }
        return new String(chars);
    }

    /**
     * The raw UTF-16 code units, big-endian. Not {@code getBytes(UTF_16BE)}: the JDK encoder
     * replaces lone surrogates, and this must be lossless.
     */
    static byte[] utf16(String s) {
        byte[] out = new byte[s.length() * 2];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out[2 * i] = (byte) (c >>> 8);
            out[2 * i + 1] = (byte) c;
        }
        return out;
    }

    /** The distinct trigrams of {@code s} (three UTF-16 units packed in 48 bits), sorted. */
    static long[] trigrams(String s) {
        int n = s.length() - 2;
        if (n <= 0) {
            return new long[0];
        }
        long[] grams = new long[n];
        for (int i = 0; i < n; i++) {
            grams[i] = ((long) s.charAt(i) << 32) | ((long) s.charAt(i + 1) << 16) | s.charAt(i + 2);
        }
        Arrays.sort(grams);
        int distinct = 1;
        for (int i = 1; i < n; i++) {
            if (grams[i] != grams[distinct - 1]) {
                grams[distinct++] = grams[i];
            }
        }
        return Arrays.copyOf(grams, distinct);
    }

    static BytesRef trigramBytes(long gram, byte[] into) {
        for (int i = 5; i >= 0; i--) {
            into[i] = (byte) gram;
            gram >>>= 8;
        }
        return new BytesRef(into, 0, 6);
    }

    static BytesRef trigramBytes(long gram) {
        return trigramBytes(gram, new byte[6]);
    }

    /** The metadata and document fields of a record (everything but seq and vector). */
    static void addMetadata(Document doc, Map<String, Object> metadata) {
        if (metadata == null) {
            return;
        }
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue; // Where.matches treats a null value as an absent key
            }
            if (v instanceof io.chroma.api.SparseVector sv) {
                // only which dimensions it has: candidates for sparse $knn, scored exactly from the store
                if (sv.indices().length > 0) {
                    doc.add(new Field(SPARSE + e.getKey(), new DimensionStream(sv.indices()), TRIGRAM_TYPE));
                }
                continue;
            }
            if (v instanceof List<?> list) {
                for (Object element : list) {
                    if (element != null) {
                        addScalar(doc, e.getKey(), element, true);
                    }
                }
            } else {
                addScalar(doc, e.getKey(), v, false);
            }
        }
    }

    private static void addScalar(Document doc, String key, Object v, boolean list) {
        switch (v) {
            case String s -> doc.add(new StringField(field(STRING, key, list), stringTerm(s), Field.Store.NO));
            case Boolean b -> doc.add(new StringField(field(BOOL, key, list), bool(b), Field.Store.NO));
            case Long l -> {
                doc.add(new StringField(field(INT_TERM, key, list), longTerm(l), Field.Store.NO));
                doc.add(new StringField(field(INT_AS_DOUBLE_TERM, key, list), doubleTerm(l), Field.Store.NO));
                if (!list) { // ranges never apply to list elements (Where.compare), so no points for them
                    doc.add(new LongPoint(field(INT, key, false), l));
                    doc.add(new DoublePoint(field(INT_AS_DOUBLE, key, false), (double) l));
                }
            }
            case Double d -> {
                doc.add(new StringField(field(FLOAT_TERM, key, list), doubleTerm(d), Field.Store.NO));
                if (!list) {
                    doc.add(new DoublePoint(field(FLOAT, key, false), d));
                }
            }
            default -> throw new IllegalArgumentException("metadata value for key " + key
                    + " is not normalised (String/Long/Double/Boolean/List): " + v.getClass().getName());
        }
    }

    static void addDocument(Document doc, String document) {
        if (document == null) {
            return;
        }
        doc.add(new BinaryDocValuesField(DOCUMENT, encodeDocument(document)));
        // analysed by the writer's analyzer (TEXT_ANALYZER) when the document is added, so a
        // per-thread reused token stream is never held across documents
        doc.add(new org.apache.lucene.document.TextField(TEXT, document, Field.Store.NO));
        long[] grams = trigrams(document);
        if (grams.length > 0) {
            doc.add(new Field(TRIGRAM, new TrigramStream(grams), TRIGRAM_TYPE));
        }
    }

    /** The distinct terms of a full-text query, in first-seen order (the same analysis as documents). */
    static List<String> analyze(String text) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        try (TokenStream ts = TEXT_ANALYZER.tokenStream(TEXT, text)) {
            var term = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // reading a String cannot fail
        }
        return List.copyOf(out);
    }

    static void addSeq(Document doc, long seq) {
        doc.add(new StringField(ID, seqBytes(seq), Field.Store.NO));
        doc.add(new LongPoint(SEQ, seq));
        doc.add(new NumericDocValuesField(SEQ, seq));
    }

    static BytesRef dimensionTerm(int index) {
        return new BytesRef(new byte[] {(byte) (index >>> 24), (byte) (index >>> 16), (byte) (index >>> 8), (byte) index});
    }

    /** Emits sparse-vector dimensions as 4-byte terms. */
    private static final class DimensionStream extends TokenStream {
        private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
        private final int[] indices;
        private int upto;

        DimensionStream(int[] indices) {
            this.indices = indices;
        }

        @Override
        public boolean incrementToken() {
            if (upto >= indices.length) {
                return false;
            }
            clearAttributes();
            term.setBytesRef(dimensionTerm(indices[upto++]));
            return true;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            upto = 0;
        }
    }

    /** Emits precomputed trigrams as binary terms: one field instead of one StringField per trigram. */
    private static final class TrigramStream extends TokenStream {
        private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
        private final long[] grams;
        private final byte[] buffer = new byte[6];
        private int upto;

        TrigramStream(long[] grams) {
            this.grams = grams;
        }

        @Override
        public boolean incrementToken() {
            if (upto >= grams.length) {
                return false;
            }
            clearAttributes();
            term.setBytesRef(trigramBytes(grams[upto++], buffer));
            return true;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            upto = 0;
        }
    }
}
