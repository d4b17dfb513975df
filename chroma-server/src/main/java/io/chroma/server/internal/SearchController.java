package io.chroma.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.chroma.api.internal.SearchJson;
import io.chroma.api.search.Search;
import io.chroma.api.search.SearchResult;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v2/.../collections/{id}/search}: Chroma's Search API, which Chroma's own
 * single-node server answers with 501. Checks run in Chroma's order: body (415 / 400 / 422) before
 * the collection id (400) and the collection (404), then payload validation (400, in the engine).
 */
@Controller("/api/v2")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
public class SearchController {

    static final List<String> READ_LEVELS = List.of("index_and_wal", "index_only", "index_and_bounded_wal");

    private final ChromaService service;

    public SearchController(ChromaService service) {
        this.service = service;
    }

    @Post("/tenants/{tenant}/databases/{database}/collections/{id}/search")
    public MutableHttpResponse<byte[]> search(HttpRequest<?> request, @PathVariable String tenant,
                                              @PathVariable String database, @PathVariable String id,
                                              @Nullable @Body byte[] body) {
        return Http.handle(ApiError::v2, () -> {
            String type = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
            if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                return Http.json(415, ResponseWriter.error("ChromaError",
                        "Expected request with `Content-Type: application/json`"));
            }
            List<Search> searches = null;
            io.chroma.api.InvalidArgumentException invalid = null;
            try {
                searches = parse(body);
            } catch (io.chroma.api.InvalidArgumentException e) {
                invalid = e; // payload validation (e.g. an unsorted sparse query): after the collection checks
            }
            var collection = service.collection(tenant, database, ChromaService.collectionId(id));
            if (invalid != null) {
                throw invalid;
            }
            // read_level is accepted and ignored: every acknowledged write is already searchable here
            SearchResult result = collection.search(searches);
            return Http.ok(ResponseWriter.json(g -> write(g, result)));
        });
    }

    /** The body's payloads; shape errors become 422 with Chroma's serde-style path. */
    static List<Search> parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw MalformedBodyException.syntax("EOF while parsing a value at line 1 column 0");
        }
        Object json;
        try (JsonParser p = RequestReader.factory().createParser(body)) {
            if (p.nextToken() == null) {
                throw MalformedBodyException.syntax("EOF while parsing a value at line 1 column 0");
            }
            json = RequestReader.any(p);
            if (p.nextToken() != null) {
                throw MalformedBodyException.syntax("trailing characters");
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw MalformedBodyException.syntax(e.getOriginalMessage()
                    + (loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr()));
        } catch (IOException e) {
            throw MalformedBodyException.syntax(e.getMessage());
        }
        if (!(json instanceof Map<?, ?> m)) {
            throw MalformedBodyException.type(null, "invalid type: expected struct SearchRequestPayload");
        }
        try {
            Object rl = m.get("read_level");
            if (rl != null && !READ_LEVELS.contains(rl)) {
                throw new SearchJson.ShapeError("read_level", "unknown variant `" + rl
                        + "`, expected one of `index_and_wal`, `index_only`, `index_and_bounded_wal`");
            }
            if (!(m.get("searches") instanceof List<?> list)) {
                if (m.get("searches") == null) {
                    throw MalformedBodyException.type(null, "missing field `searches`");
                }
                throw new SearchJson.ShapeError("searches", "invalid type: expected a sequence");
            }
            List<Search> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(SearchJson.parseSearch(list.get(i), "searches[" + i + "]"));
            }
            return out;
        } catch (SearchJson.ShapeError e) {
            throw MalformedBodyException.type(e.path(), e.detail());
        }
    }

    static void write(JsonGenerator g, SearchResult r) throws IOException {
        g.writeStartObject();
        g.writeFieldName("ids");
        ResponseWriter.writeValue(g, r.ids());
        g.writeFieldName("documents");
        ResponseWriter.writeValue(g, r.documents());
        g.writeArrayFieldStart("embeddings");
        for (List<float[]> rows : r.embeddings()) {
            if (rows == null) {
                g.writeNull();
                continue;
            }
            g.writeStartArray();
            for (float[] e : rows) {
                ResponseWriter.writeFloats(g, e);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeFieldName("metadatas");
        ResponseWriter.writeValue(g, r.metadatas());
        g.writeArrayFieldStart("scores");
        for (List<Float> rows : r.scores()) {
            if (rows == null) {
                g.writeNull();
                continue;
            }
            g.writeStartArray();
            for (Float f : rows) {
                if (f == null || !Float.isFinite(f)) {
                    g.writeNull(); // Chroma serialises NaN and infinities as null
                } else {
                    g.writeNumber(f); // f32 shortest form: -0.03306011, not the double expansion
                }
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeFieldName("select");
        ResponseWriter.writeValue(g, r.select());
        g.writeEndObject();
    }
}
