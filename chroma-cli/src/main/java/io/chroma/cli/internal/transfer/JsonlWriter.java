package io.chroma.cli.internal.transfer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.chroma.api.Records;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes the export format (JSON Lines, UTF-8): a file line, then per collection a header line,
 * one line per record and an end line with the record count. The end line is what lets import
 * tell a complete export from one cut short.
 *
 * <p>Embeddings are written as JSON numbers with {@link Float#toString}, the shortest decimal that
 * reads back as the same float32, so they round-trip bit for bit and stay readable by any tool.
 * Metadata keeps its JSON types: an int stays an int, a float always has a fraction or exponent.
 */
final class JsonlWriter implements Closeable {
    static final String FORMAT = "chroma-export";
    static final int VERSION = 1;

    private final OutputStream out;
    private final JsonGenerator g;

    JsonlWriter(OutputStream out, JsonFactory factory) {
        this.out = out;
        try {
            this.g = factory.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        g.setRootValueSeparator(null);
    }

    void fileHeader(String source, String tenant, String database) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", FORMAT);
        g.writeNumberField("version", VERSION);
        g.writeStringField("source", source);
        g.writeStringField("tenant", tenant);
        g.writeStringField("database", database);
        g.writeStringField("created", Instant.now().toString());
        g.writeEndObject();
        newline();
    }

    void collection(CollectionHeader h) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "collection");
        g.writeStringField("name", h.name());
        g.writeFieldName("metadata");
        writeValue(h.metadata());
        g.writeFieldName("configuration");
        writeValue(h.configuration());
        g.writeNumberField("count", h.count());
        g.writeEndObject();
        newline();
    }

    /** One line per record; a field the record does not have is left out. */
    void records(Records r) throws IOException {
        for (int i = 0; i < r.size(); i++) {
            g.writeStartObject();
            g.writeStringField("id", r.ids().get(i));
            float[] e = r.embeddings() == null ? null : r.embeddings().get(i);
            if (e != null) {
                g.writeFieldName("embedding");
                g.writeStartArray();
                for (float f : e) {
                    g.writeNumber(f);
                }
                g.writeEndArray();
            }
            String doc = r.documents() == null ? null : r.documents().get(i);
            if (doc != null) {
                g.writeStringField("document", doc);
            }
            Map<String, Object> md = r.metadatas() == null ? null : r.metadatas().get(i);
            if (md != null) {
                g.writeFieldName("metadata");
                writeValue(md);
            }
            String uri = r.uris() == null ? null : r.uris().get(i);
            if (uri != null) {
                g.writeStringField("uri", uri);
            }
            g.writeEndObject();
            newline();
        }
    }

    void end(String name, long count) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "end");
        g.writeStringField("name", name);
        g.writeNumberField("count", count);
        g.writeEndObject();
        newline();
    }

    private void newline() throws IOException {
        g.writeRaw('\n');
    }

    private void writeValue(Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Short s -> g.writeNumber(s);
            case Double d -> g.writeNumber(d);   // Double.toString: "1.0" stays a float
            case Float f -> g.writeNumber(f);
            case Number n -> g.writeNumber(n.toString());
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    writeValue(e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    writeValue(o);
                }
                g.writeEndArray();
            }
            case float[] a -> {
                g.writeStartArray();
                for (float f : a) {
                    g.writeNumber(f);
                }
                g.writeEndArray();
            }
            default -> g.writeString(v.toString());
        }
    }

    void flush() throws IOException {
        g.flush();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        g.close();
        out.close();
    }
}
