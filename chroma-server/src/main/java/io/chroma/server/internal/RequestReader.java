package io.chroma.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.chroma.api.Delete;
import io.chroma.api.Get;
import io.chroma.api.Include;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Query;
import io.chroma.api.Records;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads request bodies with Jackson's streaming parser. Embeddings go straight from tokens (or
 * base64 little-endian float32 strings) into {@code float[]}, never through boxed lists, which is
 * what makes large add and query payloads cheap. Everything is checked while reading, so a request
 * that reaches the engine is well-formed; shape errors name the field, as Chroma 1.x does.
 *
 * <p>One reader per API version: v1 (Chroma 0.5) treats {@code where: {}} as "no filter" because
 * Python 0.5 clients always send it; v2 (Chroma 1.x) rejects it like the real server.
 */
public final class RequestReader {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            // bodies are capped at 40 MiB by the server; a single document may be most of that
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            // Embeddings are mostly float text: FastDoubleParser reads it several times faster than
            // Float.parseFloat (JsonFloatsJmh) and rounds the same way, so vectors stay bit-exact.
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // {"ids":["a"],"ids":["b"]}: a lenient parser silently keeps one; which the client meant is
            // unknowable, and Chroma 1.x (serde) refuses duplicate fields too
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Jackson's default pool keeps parse/write buffers per thread; every request runs on a new virtual
            // thread, so each one allocated fresh buffers (~9 % of the bytes a query allocated). A shared pool
            // hands them from request to request.
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();

    private static final String EMBEDDINGS_VARIANT = "data did not match any variant of untagged enum EmbeddingsPayload";
    private static final String METADATA_VARIANT = "data did not match any variant of untagged enum MetadataValue";

    /** v1 (Chroma 0.5) semantics: {@code where: {}} means no filter, and include may say "data". */
    private final boolean emptyFilterMeansNone;

    public RequestReader(boolean emptyFilterMeansNone) {
        this.emptyFilterMeansNone = emptyFilterMeansNone;
    }

    // ---------------------------------------------------------------- request shapes

    /** {@code {"name": ..., "metadata"?, "configuration"?, "get_or_create"?}}. */
    public record CreateCollectionBody(String name, Map<String, Object> metadata, Map<String, Object> configuration,
                                       boolean getOrCreate, Map<String, Object> schema) {
    }

    /** {@code {"new_name"?, "new_metadata"?, "new_configuration"?}}. */
    public record ModifyBody(String newName, Map<String, Object> newMetadata, Map<String, Object> newConfiguration) {
    }

    /** {@code {"name": str}} (create tenant / database). */
    public String name(byte[] body) {
        return requiredString(body, "name");
    }

    /** {@code {"path": str}} (admin backup: a directory on the server's machine). */
    public String path(byte[] body) {
        return requiredString(body, "path");
    }

    /** The one string field {@code wanted} of a body whose other fields are ignored. */
    private String requiredString(byte[] body, String wanted) {
        String[] value = new String[1];
        readObject(body, (field, p) -> {
            if (field.equals(wanted)) {
                value[0] = string(field, p, false);
            } else {
                p.skipChildren();
            }
        });
        if (value[0] == null) {
            throw MalformedBodyException.type(null, "missing field `" + wanted + "`");
        }
        return value[0];
    }

    /** A body whose content does not matter but, when present, must be a JSON object. */
    public void anyObject(byte[] body) {
        if (body != null && body.length > 0 && !isBlank(body)) {
            readObject(body, (field, p) -> p.skipChildren());
        }
    }

    public CreateCollectionBody createCollection(byte[] body) {
        var b = new Object() {
            String name;
            Map<String, Object> metadata;
            Map<String, Object> configuration;
            boolean getOrCreate;
            Map<String, Object> schema;
        };
        readObject(body, (field, p) -> {
            switch (field) {
                case "name" -> b.name = string(field, p, false);
                case "metadata" -> b.metadata = metadata(field, p, false);
                case "configuration" -> b.configuration = object(field, p);
                case "get_or_create" -> b.getOrCreate = bool(field, p);
                case "schema" -> b.schema = object(field, p);
                default -> p.skipChildren();
            }
        });
        if (b.name == null) {
            throw MalformedBodyException.type(null, "missing field `name`");
        }
        return new CreateCollectionBody(b.name, b.metadata, b.configuration, b.getOrCreate, b.schema);
    }

    public ModifyBody modifyCollection(byte[] body) {
        var b = new Object() {
            String name;
            Map<String, Object> metadata;
            Map<String, Object> configuration;
        };
        readObject(body, (field, p) -> {
            switch (field) {
                case "new_name" -> b.name = string(field, p, true);
                case "new_metadata" -> b.metadata = metadata(field, p, true); // null: leave the key out
                case "new_configuration" -> b.configuration = object(field, p);
                default -> p.skipChildren();
            }
        });
        return new ModifyBody(b.name, b.metadata, b.configuration);
    }

    /**
     * add / upsert / update: {@code ids} is required; the other lists are optional here (the
     * engine decides what it needs, e.g. embeddings or documents plus an embedding function).
     */
    public Records records(byte[] body) {
        var b = new Object() {
            List<String> ids;
            List<float[]> embeddings;
            List<String> documents;
            List<Map<String, Object>> metadatas;
            List<String> uris;
        };
        readObject(body, (field, p) -> {
            switch (field) {
                case "ids" -> b.ids = strings(field, p, false);
                case "embeddings" -> b.embeddings = embeddings(field, p, true);
                case "documents" -> b.documents = strings(field, p, true);
                case "metadatas" -> b.metadatas = metadatas(field, p);
                case "uris" -> b.uris = strings(field, p, true);
                default -> p.skipChildren();
            }
        });
        if (b.ids == null) {
            throw MalformedBodyException.type(null, "missing field `ids`");
        }
        return new Records(b.ids, b.embeddings, b.documents, b.metadatas, b.uris);
    }

    public Get get(byte[] body) {
        var b = new Object() {
            List<String> ids;
            Where where;
            WhereDocument whereDocument;
            Integer limit;
            Integer offset;
            List<Include> include;
        };
        readObject(body, (field, p) -> {
            switch (field) {
                case "ids" -> b.ids = strings(field, p, false);
                case "where" -> b.where = where(p);
                case "where_document" -> b.whereDocument = whereDocument(p);
                case "limit" -> b.limit = unsigned(field, p);
                case "offset" -> b.offset = unsigned(field, p);
                case "include" -> b.include = include(field, p);
                default -> p.skipChildren();
            }
        });
        return new Get(b.ids, b.where, b.whereDocument, b.limit, b.offset, b.include);
    }

    public Query query(byte[] body) {
        var b = new Object() {
            List<float[]> embeddings;
            List<String> texts;
            Integer nResults;
            List<String> ids;
            Where where;
            WhereDocument whereDocument;
            List<Include> include;
        };
        readObject(body, (field, p) -> {
            switch (field) {
                case "query_embeddings" -> b.embeddings = embeddings(field, p, false);
                case "query_texts" -> b.texts = strings(field, p, false);
                case "n_results" -> b.nResults = unsigned(field, p);
                case "ids" -> b.ids = strings(field, p, false);
                case "where" -> b.where = where(p);
                case "where_document" -> b.whereDocument = whereDocument(p);
                case "include" -> b.include = include(field, p);
                default -> p.skipChildren();
            }
        });
        if (b.embeddings == null && b.texts == null) {
            throw MalformedBodyException.type(null, "missing field `query_embeddings`");
        }
        return new Query(b.embeddings, b.texts, b.nResults, b.ids, b.where, b.whereDocument, b.include);
    }

    public Delete delete(byte[] body) {
        var b = new Object() {
            List<String> ids;
            Where where;
            WhereDocument whereDocument;
            Integer limit;
        };
        if (body == null || body.length == 0 || isBlank(body)) {
            return new Delete(null, null, null, null);
        }
        readObject(body, (field, p) -> {
            switch (field) {
                case "ids" -> b.ids = strings(field, p, false);
                case "where" -> b.where = where(p);
                case "where_document" -> b.whereDocument = whereDocument(p);
                case "limit" -> b.limit = unsigned(field, p);
                default -> p.skipChildren();
            }
        });
        return new Delete(b.ids, b.where, b.whereDocument, b.limit);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface FieldReader {
        /** Called with the parser on the field's value token; must consume the whole value. */
        void read(String field, JsonParser p) throws IOException;
    }

    private static void readObject(byte[] body, FieldReader reader) {
        if (body == null || body.length == 0) {
            throw MalformedBodyException.syntax("EOF while parsing a value at line 1 column 0");
        }
        requireUtf8(body);
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw MalformedBodyException.syntax("EOF while parsing a value at line 1 column 0");
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                throw MalformedBodyException.type(null, "invalid type: " + describe(t) + ", expected an object");
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                reader.read(field, p);
            }
            if (t != JsonToken.END_OBJECT) {
                throw MalformedBodyException.syntax("unexpected token " + t);
            }
            if (p.nextToken() != null) {
                throw MalformedBodyException.syntax("trailing characters after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw MalformedBodyException.syntax(e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw MalformedBodyException.syntax(e.getMessage());
        }
    }

    /**
     * Jackson decodes overlong forms ({@code C0 80}) and UTF-8-encoded surrogates ({@code ED A0 80})
     * without complaint, so ids and documents could be stored as strings the client never sent.
     * The strict JDK decoder refuses both; all-ASCII bodies (the usual case) skip it.
     */
    private static void requireUtf8(byte[] body) {
        int i = 0;
        while (i < body.length && body[i] >= 0) {
            i++;
        }
        if (i == body.length) {
            return;
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw MalformedBodyException.syntax("invalid UTF-8 in the request body");
        }
    }

    /**
     * A JSON string: Jackson turns escapes like {@code "\ud800"} into half a surrogate pair, which
     * is not Unicode text (serde_json refuses it as a "lone leading surrogate").
     */
    private static String text(JsonParser p) throws IOException {
        return unicode(p.getText(), p);
    }

    private static String unicode(String s, JsonParser p) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    var loc = p.currentLocation();
                    throw MalformedBodyException.syntax("lone surrogate in a string at line " + loc.getLineNr()
                            + " column " + loc.getColumnNr());
                }
            }
        }
        return s;
    }

    private static String location(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr();
    }

    private static boolean isBlank(byte[] body) {
        for (byte c : body) {
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "map";
            case START_ARRAY -> "sequence";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT -> "integer";
            case VALUE_NUMBER_FLOAT -> "floating point";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static MalformedBodyException wrongType(String field, JsonToken t, String expected) {
        return MalformedBodyException.type(field, "invalid type: " + describe(t) + ", expected " + expected);
    }

    /**
     * Whether the current value is null (an optional list or map left out); any other value that
     * does not start with {@code start} is skipped and refused as not {@code expected}.
     */
    private static boolean isNull(String field, JsonParser p, JsonToken start, String expected) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return true;
        }
        if (t != start) {
            p.skipChildren();
            throw wrongType(field, t, expected);
        }
        return false;
    }

    private static String string(String field, JsonParser p, boolean nullable) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return text(p);
        }
        if (t == JsonToken.VALUE_NULL && nullable) {
            return null;
        }
        p.skipChildren();
        throw wrongType(field, t, "a string");
    }

    private static boolean bool(String field, JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        p.skipChildren();
        throw wrongType(field, t, "a boolean");
    }

    /** A u32 as Rust reads it: null or a non-negative integer that fits. */
    private static Integer unsigned(String field, JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            BigInteger v = p.getBigIntegerValue();
            if (v.signum() < 0 || v.bitLength() > 31) {
                throw MalformedBodyException.type(field, "invalid value: integer `" + v + "`, expected u32");
            }
            return v.intValue();
        }
        p.skipChildren();
        throw wrongType(field, t, "u32");
    }

    private static List<String> strings(String field, JsonParser p, boolean nullItems) throws IOException {
        if (isNull(field, p, JsonToken.START_ARRAY, "a sequence")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                out.add(text(p));
            } else if (t == JsonToken.VALUE_NULL && nullItems) {
                out.add(null);
            } else {
                throw wrongType(field + "[" + out.size() + "]", t, "a string");
            }
        }
        return out;
    }

    private List<Include> include(String field, JsonParser p) throws IOException {
        List<String> names = strings(field, p, false);
        if (names == null) {
            return null;
        }
        List<Include> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            try {
                if ("data".equals(names.get(i)) && !emptyFilterMeansNone) {
                    // Chroma 0.5's include value, which v1 clients may send; Chroma 1.x refuses it
                    throw new InvalidArgumentException("unknown include value data");
                }
                Include inc = Include.fromWireName(names.get(i));
                if (!out.contains(inc)) {
                    out.add(inc);
                }
            } catch (InvalidArgumentException e) {
                throw MalformedBodyException.type(field + "[" + i + "]", "unknown variant `" + names.get(i)
                        + "`, expected one of `distances`, `documents`, `embeddings`, `metadatas`, `uris`");
            }
        }
        return out;
    }

    /** {@code [[f32]]} or {@code [base64 str]}, items null only where allowed (update). */
    private static List<float[]> embeddings(String field, JsonParser p, boolean nullItems) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw MalformedBodyException.type(field, EMBEDDINGS_VARIANT);
        }
        List<float[]> out = new ArrayList<>();
        float[] scratch = new float[64];
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_ARRAY) {
                int n = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw MalformedBodyException.type(field, EMBEDDINGS_VARIANT);
                    }
                    if (n == scratch.length) {
                        scratch = Arrays.copyOf(scratch, n * 2);
                    }
                    scratch[n++] = p.getFloatValue();
                }
                out.add(finite(Arrays.copyOf(scratch, n)));
            } else if (t == JsonToken.VALUE_STRING) {
                out.add(finite(base64(p.getText())));
            } else if (t == JsonToken.VALUE_NULL && nullItems) {
                out.add(null);
            } else {
                throw MalformedBodyException.type(field, EMBEDDINGS_VARIANT);
            }
        }
        return out;
    }

    /** Base64 of little-endian float32s, as Chroma 1.x clients send when pre-flight allows it. */
    static float[] base64(String s) {
        byte[] bytes;
        if (s.length() % 4 != 0) {
            // Java's decoder tolerates missing padding; Chroma 1.x does not
            throw new InvalidArgumentException("Invalid base64 string: Invalid padding");
        }
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("Invalid base64 string: " + e.getMessage());
        }
        if (bytes.length % 4 != 0) {
            throw new InvalidArgumentException("Invalid base64 embedding: " + bytes.length
                    + " bytes is not a whole number of float32 values");
        }
        FloatBuffer fb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }

    private static float[] finite(float[] v) {
        for (float f : v) {
            if (!Float.isFinite(f)) {
                // numbers beyond float32 range become infinite here; Chroma rejects them too
                throw new InvalidArgumentException("Embeddings must not contain NaN or Infinity values");
            }
        }
        return v;
    }

    private static List<Map<String, Object>> metadatas(String field, JsonParser p) throws IOException {
        if (isNull(field, p, JsonToken.START_ARRAY, "a sequence")) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(metadata(field + "[" + out.size() + "]", p, true)); // the engine decides about nulls
        }
        return out;
    }

    /**
     * A metadata object: scalar, null (update: delete the key) or list-of-scalar values. A null value
     * is a shape error (422, as Chroma 1.x answers a collection created with one) unless {@code nullsAllowed}.
     */
    private static Map<String, Object> metadata(String field, JsonParser p, boolean nullsAllowed) throws IOException {
        if (isNull(field, p, JsonToken.START_OBJECT, "a map")) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = unicode(p.currentName(), p);
            t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                // the only object-valued metadata: a sparse vector {"#type"?, "indices", "values", "tokens"?}
                Map<?, ?> obj = (Map<?, ?>) any(p);
                if (!obj.containsKey("indices") && !"sparse_vector".equals(obj.get("#type"))) {
                    throw MalformedBodyException.type(field + "." + key, METADATA_VARIANT);
                }
                try {
                    out.put(key, io.chroma.api.internal.SearchJson.sparse(obj, field + "." + key, false));
                } catch (io.chroma.api.internal.SearchJson.ShapeError e) {
                    throw MalformedBodyException.type(e.path(), e.detail());
                }
                continue;
            }
            if (t == JsonToken.START_ARRAY) {
                List<Object> list = new ArrayList<>();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY || t == JsonToken.VALUE_NULL) {
                        throw MalformedBodyException.type(field + "." + key, METADATA_VARIANT);
                    }
                    list.add(scalar(p));
                }
                out.put(key, list);
            } else if (t == JsonToken.VALUE_NULL && !nullsAllowed) {
                throw MalformedBodyException.type(field + "." + key, METADATA_VARIANT);
            } else {
                out.put(key, scalar(p));
            }
        }
        return out;
    }

    private static Map<String, Object> object(String field, JsonParser p) throws IOException {
        if (isNull(field, p, JsonToken.START_OBJECT, "a map")) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) any(p);
        return m;
    }

    private static Object scalar(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> text(p);
            case VALUE_NUMBER_INT -> {
                BigInteger v = p.getBigIntegerValue();
                yield v.bitLength() < 64 ? (Object) v.longValue() : v;
            }
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Any JSON value as maps (insertion-ordered), lists and scalars (Long, BigInteger, Double...). */
    static Object any(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Object> m = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = unicode(p.currentName(), p);
                p.nextToken();
                m.put(k, any(p));
            }
            return m;
        }
        if (t == JsonToken.START_ARRAY) {
            List<Object> l = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                l.add(any(p));
            }
            return l;
        }
        return scalar(p);
    }

    private Where where(JsonParser p) throws IOException {
        Object json = any(p);
        if (json instanceof Map<?, ?> m && m.isEmpty() && !emptyFilterMeansNone) {
            throw new InvalidArgumentException("Invalid where clause");
        }
        return Where.parse(json);
    }

    private WhereDocument whereDocument(JsonParser p) throws IOException {
        Object json = any(p);
        if (json instanceof Map<?, ?> m && m.isEmpty() && !emptyFilterMeansNone) {
            throw new InvalidArgumentException("Invalid where document clause");
        }
        return WhereDocument.parse(json);
    }

    static JsonFactory factory() {
        return FACTORY;
    }
}
