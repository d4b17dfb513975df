package io.chroma.cli.internal.transfer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the format {@link JsonlWriter} writes, line by line, so an error names its line and a
 * file cut off in the middle of a line is reported as such instead of as a JSON syntax puzzle.
 */
final class JsonlReader implements Closeable {

    /** One line of an export. */
    sealed interface Line permits FileStart, Start, Row, End {
    }

    record FileStart(int version, String source, String tenant, String database) implements Line {
    }

    record Start(CollectionHeader header) implements Line {
    }

    record Row(String id, float[] embedding, String document, Map<String, Object> metadata, String uri) implements Line {
    }

    record End(String name, long count) implements Line {
    }

    private final BufferedReader in;
    private final JsonFactory factory;
    private long lineNumber;

    JsonlReader(BufferedReader in, JsonFactory factory) {
        this.in = in;
        this.factory = factory;
    }

    long lineNumber() {
        return lineNumber;
    }

    /** The next line, or null at the end of the input. Blank lines are skipped. */
    Line next() throws IOException {
        String text;
        do {
            text = in.readLine();
            if (text == null) {
                return null;
            }
            lineNumber++;
        } while (text.isBlank());
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad("expected a JSON object");
            }
            Line line = parseObject(p);
            if (p.nextToken() != null) {
                throw bad("unexpected text after the JSON object");
            }
            return line;
        } catch (JsonProcessingException e) {
            throw bad("not valid JSON (" + e.getOriginalMessage() + ")"
                    + (text.endsWith("}") ? "" : "; the input may have been cut off here"));
        }
    }

    private Line parseObject(JsonParser p) throws IOException {
        String type = null, id = null, document = null, uri = null, name = null, source = null, tenant = null,
                database = null;
        float[] embedding = null;
        Map<String, Object> metadata = null, configuration = null;
        Long count = null, version = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "type" -> type = text(p, field);
                case "id" -> id = text(p, field);
                case "embedding" -> embedding = t == JsonToken.VALUE_NULL ? null : floats(p);
                case "document" -> document = text(p, field);
                case "uri" -> uri = text(p, field);
                case "metadata" -> metadata = object(p, field);
                case "configuration" -> configuration = object(p, field);
                case "name" -> name = text(p, field);
                case "count" -> count = t == JsonToken.VALUE_NULL ? null : p.getLongValue();
                case "version" -> version = p.getLongValue();
                case "source" -> source = text(p, field);
                case "tenant" -> tenant = text(p, field);
                case "database" -> database = text(p, field);
                default -> p.skipChildren(); // written by a later version: ignored, as JSON Lines readers do
            }
        }
        if (type == null) {
            if (id == null) {
                throw bad("a record line needs an \"id\"");
            }
            return new Row(id, embedding, document, metadata, uri);
        }
        return switch (type) {
            case JsonlWriter.FORMAT -> {
                if (version == null || version > JsonlWriter.VERSION) {
                    throw bad("export format version " + version + " is newer than this chroma understands ("
                            + JsonlWriter.VERSION + ")");
                }
                yield new FileStart(version.intValue(), source, tenant, database);
            }
            case "collection" -> {
                if (name == null) {
                    throw bad("a collection line needs a \"name\"");
                }
                yield new Start(new CollectionHeader(name, metadata, configuration, count == null ? -1 : count));
            }
            case "end" -> {
                if (name == null || count == null) {
                    throw bad("an end line needs \"name\" and \"count\"");
                }
                yield new End(name, count);
            }
            default -> throw bad("unknown line type \"" + type + "\"");
        };
    }

    private String text(JsonParser p, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            default -> throw bad("\"" + field + "\" must be a string");
        };
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad("\"" + field + "\" must be an object");
        }
        return (Map<String, Object>) value(p);
    }

    /**
     * A JSON value as the API's types: an int is a {@link Long}, a number with a fraction or
     * exponent a {@link Double}, so int-vs-float metadata survives the trip.
     */
    private Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw bad("integer " + p.getText() + " does not fit in 64 bits");
                }
                yield p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, value(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                yield l;
            }
            default -> throw bad("unexpected " + p.currentToken());
        };
    }

    /** Parsed straight to float32 from the text: no detour through double, so no double rounding. */
    private float[] floats(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad("\"embedding\" must be an array of numbers");
        }
        float[] buf = new float[64];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_STRING) {
                throw bad("\"embedding\" must be an array of numbers");
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            try {
                buf[n++] = Float.parseFloat(p.getText()); // a string: "NaN" / "Infinity" as Jackson quotes them
            } catch (NumberFormatException e) {
                throw bad("\"embedding\" holds a non-number: " + p.getText());
            }
        }
        return Arrays.copyOf(buf, n);
    }

    private IOException bad(String why) {
        return new MalformedInputException("line " + lineNumber + ": " + why);
    }

    /** The input is not (or no longer) in the export format. */
    static final class MalformedInputException extends IOException {
        MalformedInputException(String message) {
            super(message);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
