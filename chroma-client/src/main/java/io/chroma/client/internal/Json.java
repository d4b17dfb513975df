package io.chroma.client.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.QueryResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out with Jackson's streaming API only (jackson-core): a batch of embeddings goes
 * straight between {@code float[]} and bytes, without a {@code List<Double>} per vector, and the
 * client avoids jackson-databind's 1.7 MB (which would take its runtime over 5 MB). Everything
 * else is a plain tree of {@link Map}, {@link List}, {@link String}, {@link Long} (JSON ints),
 * {@link Double} (JSON floats), {@link Boolean} and {@code null} — the same kinds
 * {@code io.chroma.api.internal.Values} normalises metadata to.
 */
public final class Json {
    private Json() {
    }

    // Query and get answers are mostly float text: FastDoubleParser reads it several times faster
    // than Float.parseFloat and rounds the same way, so embeddings stay bit-exact.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /**
     * A 2xx answer that is not what the API promises. An {@link IOException} so readers can throw
     * it, but never mistaken for a dropped connection (which a read would retry).
     */
    public static final class BadAnswer extends IOException {
        public BadAnswer(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    @FunctionalInterface
    private interface ElementReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** Writes one JSON document to bytes. */
    public static byte[] write(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] writeValue(Object value) {
        return write(g -> writeAny(g, value));
    }

    /** {@code "name": value} for a tree value. */
    public static void field(JsonGenerator g, String name, Object value) throws IOException {
        g.writeFieldName(name);
        writeAny(g, value);
    }

    /** Writes a tree value: maps, lists, strings, numbers, booleans, null. */
    public static void writeAny(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Short i -> g.writeNumber(i);
            case Byte i -> g.writeNumber(i);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case java.math.BigInteger b -> g.writeNumber(b);
            case java.math.BigDecimal b -> g.writeNumber(b);
            case float[] e -> writeFloats(g, e);
            case io.chroma.api.SparseVector sv -> {
                g.writeStartObject();
                g.writeStringField("#type", "sparse_vector");
                g.writeArrayFieldStart("indices");
                for (int i : sv.indices()) {
                    g.writeNumber(Integer.toUnsignedLong(i));
                }
                g.writeEndArray();
                g.writeFieldName("values");
                writeFloats(g, sv.values());
                if (sv.tokens() != null) {
                    field(g, "tokens", sv.tokens());
                }
                g.writeEndObject();
            }
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    writeAny(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Iterable<?> it -> {
                g.writeStartArray();
                for (Object o : it) {
                    writeAny(g, o);
                }
                g.writeEndArray();
            }
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    /** Parses text as JSON, or returns {@code null} if it is not JSON. */
    public static Object tryParse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            p.nextToken();
            return readAny(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads one JSON document as a tree. */
    public static Object read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() == null) {
                throw new BadAnswer("empty answer where JSON was expected");
            }
            return readAny(p);
        }
    }

    /** Reads an answer that is a bare JSON integer (count, collections_count). */
    public static int readInt(InputStream in) throws IOException {
        Object v = read(in);
        Integer i = integer(v);
        if (i == null) {
            throw new BadAnswer("expected an integer, got " + v);
        }
        return i;
    }

    /** The value as a JSON object, or {@code null} when it is not one. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object v) {
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    public static String string(Object v) {
        return v == null ? null : v instanceof String s ? s : String.valueOf(v);
    }

    /** An integral JSON number as int, or {@code null}. */
    public static Integer integer(Object v) {
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        return null;
    }

    /** The tree value at the parser's current token; leaves the parser on its last token. */
    private static Object readAny(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, readAny(p));
                }
                return Collections.unmodifiableMap(m);
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(readAny(p));
                }
                return Collections.unmodifiableList(l);
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonParseException(p, "unexpected " + t);
        }
    }

    // ---------------------------------------------------------------- embeddings out

    /**
     * Writes {@code "embeddings": [...]}: each vector as a JSON array of float32 values or, when
     * {@code base64}, as base64 of its little-endian float32 bytes (what Chroma 1.1+ accepts when
     * pre-flight says {@code supports_base64_encoding}). A {@code null} vector (update) stays null.
     */
    public static void writeEmbeddings(JsonGenerator g, String field, List<float[]> embeddings, boolean base64)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (float[] e : embeddings) {
            if (e == null) {
                g.writeNull();
            } else if (base64) {
                g.writeString(toBase64(e));
            } else {
                writeFloats(g, e);
            }
        }
        g.writeEndArray();
    }

    public static void writeFloats(JsonGenerator g, float[] e) throws IOException {
        g.writeStartArray(e, e.length);
        for (float f : e) {
            g.writeNumber(f);
        }
        g.writeEndArray();
    }

    public static String toBase64(float[] e) {
        ByteBuffer bb = ByteBuffer.allocate(e.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(e);
        return Base64.getEncoder().encodeToString(bb.array());
    }

    public static float[] fromBase64(String s) {
        byte[] bytes = Base64.getDecoder().decode(s);
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("base64 embedding of " + bytes.length + " bytes is not float32 data");
        }
        float[] out = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    // ---------------------------------------------------------------- results in

    /** Reads a GetResponse; {@code requested} is used when the server does not echo {@code include}. */
    public static GetResult readGetResult(InputStream in, List<Include> requested) throws IOException {
        List<String> ids = null;
        List<float[]> embeddings = null;
        List<String> documents = null;
        List<Map<String, Object>> metadatas = null;
        List<String> uris = null;
        List<Include> include = null;
        try (JsonParser p = FACTORY.createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "ids" -> ids = readList(p, Json::readString);
                    case "embeddings" -> embeddings = readList(p, Json::readFloats);
                    case "documents" -> documents = readList(p, Json::readString);
                    case "metadatas" -> metadatas = readList(p, Json::readMap);
                    case "uris" -> uris = readList(p, Json::readString);
                    case "include", "included" -> include = readIncludes(p);
                    default -> p.skipChildren();
                }
            }
        }
        if (ids == null) {
            throw new BadAnswer("get answer has no ids");
        }
        List<Include> inc = include != null ? include : List.copyOf(requested);
        return new GetResult(ids,
                inc.contains(Include.EMBEDDINGS) ? embeddings : null,
                inc.contains(Include.DOCUMENTS) ? documents : null,
                inc.contains(Include.METADATAS) ? metadatas : null,
                inc.contains(Include.URIS) ? uris : null,
                inc);
    }

    public static QueryResult readQueryResult(InputStream in, List<Include> requested) throws IOException {
        List<List<String>> ids = null;
        List<List<float[]>> embeddings = null;
        List<List<String>> documents = null;
        List<List<Map<String, Object>>> metadatas = null;
        List<List<String>> uris = null;
        List<List<Float>> distances = null;
        List<Include> include = null;
        try (JsonParser p = FACTORY.createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "ids" -> ids = readList(p, q -> readList(q, Json::readString));
                    case "embeddings" -> embeddings = readList(p, q -> readList(q, Json::readFloats));
                    case "documents" -> documents = readList(p, q -> readList(q, Json::readString));
                    case "metadatas" -> metadatas = readList(p, q -> readList(q, Json::readMap));
                    case "uris" -> uris = readList(p, q -> readList(q, Json::readString));
                    case "distances" -> distances = readList(p, q -> readList(q, Json::readFloat));
                    case "include", "included" -> include = readIncludes(p);
                    default -> p.skipChildren();
                }
            }
        }
        if (ids == null) {
            throw new BadAnswer("query answer has no ids");
        }
        List<Include> inc = include != null ? include : List.copyOf(requested);
        return new QueryResult(ids,
                inc.contains(Include.EMBEDDINGS) ? embeddings : null,
                inc.contains(Include.DOCUMENTS) ? documents : null,
                inc.contains(Include.METADATAS) ? metadatas : null,
                inc.contains(Include.URIS) ? uris : null,
                inc.contains(Include.DISTANCES) ? distances : null,
                inc);
    }

    private static List<Include> readIncludes(JsonParser p) throws IOException {
        List<String> names = readList(p, Json::readString);
        if (names == null) {
            return null;
        }
        List<Include> out = new ArrayList<>(names.size());
        for (String n : names) {
            try {
                out.add(Include.fromWireName(n));
            } catch (io.chroma.api.InvalidArgumentException e) {
                throw new BadAnswer("unknown include " + n);
            }
        }
        return List.copyOf(out);
    }

    /** A JSON array (or null) read element by element; the parser sits on the array's first token. */
    private static <T> List<T> readList(JsonParser p, ElementReader<T> element) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_ARRAY);
        List<T> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(element.read(p));
        }
        return Collections.unmodifiableList(out);
    }

    private static String readString(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.VALUE_STRING);
        return p.getText();
    }

    private static Float readFloat(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getFloatValue();
    }

    private static Map<String, Object> readMap(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        // sparse vectors come tagged {"#type":"sparse_vector",...}: give them back as SparseVector
        return io.chroma.api.internal.SearchJson.metadataFromJson(object(readAny(p)));
    }

    private static float[] readFloats(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return fromBase64(p.getText());
            } catch (IllegalArgumentException e) {
                throw new BadAnswer("bad base64 embedding: " + e.getMessage());
            }
        }
        expect(p, t, JsonToken.START_ARRAY);
        float[] buf = new float[64];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = p.getFloatValue();
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new JsonParseException(p, "expected " + expected + " but found " + actual);
        }
    }
}
