package io.chroma.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.Database;
import io.chroma.api.GetResult;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.Include;
import io.chroma.api.QueryResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes response bodies with Jackson's {@link JsonGenerator}: embeddings go from {@code float[]}
 * to text without boxing, and every key is written explicitly (nulls included), so the wire shape
 * is exactly what Chroma's clients read rather than whatever a mapper's defaults produce.
 */
public final class ResponseWriter {

    private ResponseWriter() {
    }

    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    public static byte[] json(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = RequestReader.factory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Any value made of maps, lists, strings, numbers, booleans and nulls. */
    public static byte[] value(Object v) {
        return json(g -> writeValue(g, v));
    }

    /** The heartbeat answer, the same on /api/v1 and /api/v2. */
    public static byte[] heartbeat(long nanos) {
        return json(g -> {
            g.writeStartObject();
            g.writeNumberField("nanosecond heartbeat", nanos);
            g.writeEndObject();
        });
    }

    public static byte[] error(String name, String message) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("error", name);
            g.writeStringField("message", message);
            g.writeEndObject();
        });
    }

    public static void writeValue(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Float f -> g.writeNumber(f);
            case Double d -> g.writeNumber(d);
            case java.math.BigInteger b -> g.writeNumber(b);
            case java.math.BigDecimal b -> g.writeNumber(b);
            case Number n -> g.writeNumber(n.doubleValue());
            case float[] f -> writeFloats(g, f);
            case io.chroma.api.SparseVector sv -> {
                // Chroma's tagged form for sparse metadata values
                g.writeStartObject();
                g.writeStringField("#type", "sparse_vector");
                g.writeArrayFieldStart("indices");
                for (int i : sv.indices()) {
                    g.writeNumber(Integer.toUnsignedLong(i));
                }
                g.writeEndArray();
                g.writeFieldName("values");
                writeFloats(g, sv.values());
                g.writeFieldName("tokens");
                writeValue(g, sv.tokens());
                g.writeEndObject();
            }
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Iterable<?> it -> {
                g.writeStartArray();
                for (Object o : it) {
                    writeValue(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeString(v.toString());
        }
    }

    static void writeFloats(JsonGenerator g, float[] f) throws IOException {
        if (f == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray(f, f.length);
        for (float x : f) {
            g.writeNumber(x);
        }
        g.writeEndArray();
    }

    // ---------------------------------------------------------------- domain objects

    public static void writeDatabase(JsonGenerator g, Database d) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", d.id() == null ? null : d.id().toString());
        g.writeStringField("name", d.name());
        g.writeStringField("tenant", d.tenant());
        g.writeEndObject();
    }

    /** The Chroma 1.x collection object ({@code configuration_json} in the new format). */
    public static void writeCollectionV2(JsonGenerator g, Collection c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id().toString());
        g.writeStringField("name", c.name());
        g.writeFieldName("configuration_json");
        CollectionConfiguration cfg = c.configuration() == null ? CollectionConfiguration.DEFAULT : c.configuration();
        writeValue(g, cfg.toJson());
        g.writeFieldName("schema");
        writeValue(g, cfg.schema()); // echoed as given: JS clients read sparse-index settings from it
        g.writeFieldName("metadata");
        writeValue(g, c.metadata());
        writeDimension(g, c.dimension());
        g.writeStringField("tenant", c.tenant());
        g.writeStringField("database", c.database());
        g.writeNumberField("log_position", 0);
        g.writeNumberField("version", 0);
        g.writeEndObject();
    }

    /**
     * The Chroma 0.5.9 – 0.6.3 collection object. Python 0.5.x clients pass every key to a
     * constructor (unknown keys fail) and parse {@code configuration_json} in the old
     * {@code _type} format, so this shape is exact, not a superset.
     */
    public static void writeCollectionV1(JsonGenerator g, Collection c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id().toString());
        g.writeStringField("name", c.name());
        g.writeFieldName("configuration_json");
        HnswConfiguration h = (c.configuration() == null ? HnswConfiguration.DEFAULT : c.configuration().hnsw()).resolved();
        g.writeStartObject();
        g.writeFieldName("hnsw_configuration");
        g.writeStartObject();
        g.writeStringField("space", h.space().wireName());
        g.writeNumberField("ef_construction", h.efConstruction());
        g.writeNumberField("ef_search", h.efSearch());
        g.writeNumberField("num_threads", h.numThreads() != null ? h.numThreads() : Runtime.getRuntime().availableProcessors());
        g.writeNumberField("M", h.maxNeighbors());
        // Python checks the type: resize_factor must be written as a float (1.0, never 1)
        g.writeNumberField("resize_factor", h.resizeFactor().doubleValue());
        g.writeNumberField("batch_size", h.batchSize());
        g.writeNumberField("sync_threshold", h.syncThreshold());
        g.writeStringField("_type", "HNSWConfigurationInternal");
        g.writeEndObject();
        g.writeStringField("_type", "CollectionConfigurationInternal");
        g.writeEndObject();
        g.writeFieldName("metadata");
        writeValue(g, c.metadata());
        writeDimension(g, c.dimension());
        g.writeStringField("tenant", c.tenant());
        g.writeStringField("database", c.database());
        g.writeNumberField("version", 0);
        g.writeNumberField("log_position", 0);
        g.writeEndObject();
    }

    private static void writeDimension(JsonGenerator g, Integer dimension) throws IOException {
        if (dimension == null) {
            g.writeNullField("dimension");
        } else {
            g.writeNumberField("dimension", dimension);
        }
    }

    /**
     * A get result with Chroma 1.x's keys; {@code chroma05} adds 0.5's {@code data} and
     * {@code included} (the /api/v1 shape, where clients read {@code included}).
     */
    public static void writeGetResult(JsonGenerator g, GetResult r, boolean chroma05) throws IOException {
        g.writeStartObject();
        g.writeFieldName("ids");
        writeValue(g, r.ids());
        g.writeFieldName("embeddings");
        if (r.embeddings() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (float[] e : r.embeddings()) {
                writeFloats(g, e);
            }
            g.writeEndArray();
        }
        g.writeFieldName("documents");
        writeValue(g, r.documents());
        g.writeFieldName("uris");
        writeValue(g, r.uris());
        if (chroma05) {
            g.writeNullField("data");
        }
        g.writeFieldName("metadatas");
        writeValue(g, r.metadatas());
        writeInclude(g, r.include(), chroma05);
        g.writeEndObject();
    }

    /** A query result; {@code chroma05} as for {@link #writeGetResult}. */
    public static void writeQueryResult(JsonGenerator g, QueryResult r, boolean chroma05) throws IOException {
        g.writeStartObject();
        g.writeFieldName("ids");
        writeValue(g, r.ids());
        g.writeFieldName("embeddings");
        if (r.embeddings() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (List<float[]> row : r.embeddings()) {
                g.writeStartArray();
                for (float[] e : row) {
                    writeFloats(g, e);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeFieldName("documents");
        writeValue(g, r.documents());
        g.writeFieldName("uris");
        writeValue(g, r.uris());
        if (chroma05) {
            g.writeNullField("data");
        }
        g.writeFieldName("metadatas");
        writeValue(g, r.metadatas());
        g.writeFieldName("distances");
        writeValue(g, r.distances());
        writeInclude(g, r.include(), chroma05);
        g.writeEndObject();
    }

    private static void writeInclude(JsonGenerator g, List<Include> include, boolean chroma05) throws IOException {
        for (String key : chroma05 ? new String[] {"include", "included"} : new String[] {"include"}) {
            g.writeFieldName(key);
            g.writeStartArray();
            if (include != null) {
                for (Include i : include) {
                    g.writeString(i.wireName());
                }
            }
            g.writeEndArray();
        }
    }
}
