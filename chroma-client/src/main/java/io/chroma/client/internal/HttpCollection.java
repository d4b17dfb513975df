package io.chroma.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chroma.api.BatchSizeExceededException;
import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.Delete;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.HnswConfiguration;
import io.chroma.api.Include;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.ModifyCollection;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.internal.RecordBatches;
import io.chroma.api.internal.Values;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A collection served over HTTP. Records are checked and embedded client-side with the shared
 * {@link RecordBatches} rules before they leave, so a bad batch fails with the same message as in
 * the embedded client and without a round trip; the server re-checks what it must.
 */
public final class HttpCollection implements Collection {
    private final Transport transport;
    private final EmbeddingFunction embeddingFunction;
    private volatile CollectionInfo info;

    public HttpCollection(Transport transport, CollectionInfo info, EmbeddingFunction embeddingFunction) {
        this.transport = transport;
        this.info = info;
        this.embeddingFunction = embeddingFunction;
    }

    @Override public UUID id() { return info.id(); }

    @Override public String name() { return info.name(); }

    @Override public String tenant() { return info.tenant(); }

    @Override public String database() { return info.database(); }

    @Override public Map<String, Object> metadata() { return info.metadata(); }

    @Override public CollectionConfiguration configuration() { return info.configuration(); }

    @Override public Integer dimension() { return info.dimension(); }

    @Override public EmbeddingFunction embeddingFunction() { return embeddingFunction; }

    /** {@code .../tenants/{t}/databases/{d}/collections/{id}/<op>} */
    private okhttp3.HttpUrl url(String op) {
        CollectionInfo i = info;
        var b = transport.url("tenants", i.tenant(), "databases", i.database(), "collections", i.id().toString());
        if (op != null) {
            b.addPathSegment(op);
        }
        return b.build();
    }

    @Override
    public int count() {
        return transport.send("GET", url("count"), null, true, Json::readInt);
    }

    @Override
    public void add(Records records) {
        write("add", records, RecordBatches.Kind.ADD);
    }

    @Override
    public void update(Records records) {
        write("update", records, RecordBatches.Kind.UPDATE);
    }

    @Override
    public void upsert(Records records) {
        write("upsert", records, RecordBatches.Kind.UPSERT);
    }

    private void write(String op, Records records, RecordBatches.Kind kind) {
        Transport.PreFlight pf = transport.preFlight();
        // refuse before embedding: no point computing thousands of vectors for a batch the server won't take
        if (records != null && records.size() > pf.maxBatchSize()) {
            throw new BatchSizeExceededException(records.size(), pf.maxBatchSize());
        }
        Records r = RecordBatches.prepare(records, kind, embeddingFunction);
        boolean base64 = pf.supportsBase64() && transport.config().base64();
        byte[] body = Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("ids");
            for (String id : r.ids()) {
                g.writeString(id);
            }
            g.writeEndArray();
            if (r.embeddings() != null) {
                Json.writeEmbeddings(g, "embeddings", r.embeddings(), base64);
            }
            if (r.documents() != null) {
                Json.field(g, "documents", r.documents());
            }
            if (r.metadatas() != null) {
                Json.field(g, "metadatas", r.metadatas());
            }
            if (r.uris() != null) {
                Json.field(g, "uris", r.uris());
            }
            g.writeEndObject();
        });
        transport.send("POST", url(op), body, false, in -> null);
        if (info.dimension() == null && r.embeddings() != null) {
            for (float[] e : r.embeddings()) {
                if (e != null) {
                    info = info.withDimension(e.length);
                    break;
                }
            }
        }
    }

    @Override
    public GetResult get(Get request) {
        Get q = request == null ? Get.all() : request;
        List<Include> include = q.effectiveInclude();
        byte[] body = Json.write(g -> {
            g.writeStartObject();
            if (q.ids() != null) {
                Json.field(g, "ids", q.ids());
            }
            writeFilters(g, q.where(), q.whereDocument());
            if (q.limit() != null) {
                g.writeNumberField("limit", q.limit());
            }
            if (q.offset() != null) {
                g.writeNumberField("offset", q.offset());
            }
            writeInclude(g, include);
            g.writeEndObject();
        });
        return transport.send("POST", url("get"), body, true, in -> Json.readGetResult(in, include));
    }

    @Override
    public QueryResult query(Query request) {
        if (request == null) {
            throw new InvalidArgumentException("A query needs query embeddings or query texts");
        }
        List<float[]> embeddings = queryEmbeddings(request);
        List<Include> include = request.effectiveInclude();
        byte[] body = Json.write(g -> {
            g.writeStartObject();
            Json.writeEmbeddings(g, "query_embeddings", embeddings, false);
            g.writeNumberField("n_results", request.effectiveNResults());
            if (request.ids() != null) {
                Json.field(g, "ids", request.ids());
            }
            writeFilters(g, request.where(), request.whereDocument());
            writeInclude(g, include);
            g.writeEndObject();
        });
        return transport.send("POST", url("query"), body, true, in -> Json.readQueryResult(in, include));
    }

    @Override
    public io.chroma.api.search.SearchResult search(List<io.chroma.api.search.Search> searches) {
        if (searches == null) {
            throw new InvalidArgumentException("Expected a list of searches");
        }
        byte[] body = Json.writeValue(io.chroma.api.internal.SearchJson.requestJson(searches));
        return transport.send("POST", url("search"), body, true,
                in -> io.chroma.api.internal.SearchJson.readResult(Json.read(in)));
    }

    /** Query texts are embedded here, with the collection's function: the server has no embedding functions. */
    private List<float[]> queryEmbeddings(Query request) {
        List<float[]> embeddings = request.queryEmbeddings();
        if (embeddings != null && request.queryTexts() != null) {
            throw new InvalidArgumentException("You can only provide query_embeddings or query_texts, not both");
        }
        if (embeddings == null) {
            if (request.queryTexts() == null) {
                throw new InvalidArgumentException("You must provide either query_embeddings or query_texts");
            }
            if (embeddingFunction == null) {
                throw new InvalidArgumentException("Query texts were given but the collection has no embedding "
                        + "function: pass Query.embeddings(...), or give the collection an embedding function "
                        + "(CreateCollection.named(name).embeddingFunction(ef) or getCollection(name, ef))");
            }
            embeddings = embeddingFunction.embedQuery(request.queryTexts());
            if (embeddings == null || embeddings.size() != request.queryTexts().size()) {
                throw new InvalidArgumentException("The embedding function returned "
                        + (embeddings == null ? "nothing" : embeddings.size() + " embeddings") + " for "
                        + request.queryTexts().size() + " query texts");
            }
        }
        if (embeddings.isEmpty()) {
            throw new InvalidArgumentException("Expected query embeddings to be a non-empty list");
        }
        for (float[] e : embeddings) {
            if (e == null) {
                throw new InvalidArgumentException("Expected every query embedding to be given, got null");
            }
            RecordBatches.checkEmbedding(e);
        }
        return embeddings;
    }

    @Override
    public int delete(Delete request) {
        Delete d = request == null ? new Delete(null, null, null, null) : request;
        byte[] body = Json.write(g -> {
            g.writeStartObject();
            if (d.ids() != null) {
                Json.field(g, "ids", d.ids());
            }
            writeFilters(g, d.where(), d.whereDocument());
            if (d.limit() != null) {
                g.writeNumberField("limit", d.limit());
            }
            g.writeEndObject();
        });
        // Chroma ≤ 1.5.1 answers {} without a count: report -1 ("unknown") rather than a made-up number
        return transport.send("POST", url("delete"), body, false, in -> {
            Map<String, Object> answer = Json.object(Json.read(in));
            Integer n = answer == null ? null : Json.integer(answer.get("deleted"));
            return n == null ? -1 : n;
        });
    }

    @Override
    public void modify(ModifyCollection change) {
        if (change == null) {
            return;
        }
        Map<String, Object> newMetadata = Values.newCollectionMetadata(change.newMetadata());
        HnswConfiguration h = change.newHnsw();
        byte[] body = Json.write(g -> {
            g.writeStartObject();
            if (change.newName() != null) {
                g.writeStringField("new_name", change.newName());
            }
            if (newMetadata != null) {
                // as given: keys set to null tell the server to leave them out (all of them: clear it)
                Json.field(g, "new_metadata", change.newMetadata());
            }
            if (h != null) {
                g.writeObjectFieldStart("new_configuration");
                Json.field(g, "hnsw", hnswFields(h));
                g.writeEndObject();
            }
            g.writeEndObject();
        });
        transport.send("PUT", url(null), body, false, in -> null);
        CollectionInfo i = info;
        if (change.newName() != null) {
            i = i.withName(change.newName());
        }
        if (newMetadata != null) {
            i = i.withMetadata(newMetadata.isEmpty() ? null : newMetadata);
        }
        if (h != null) {
            i = i.withConfiguration(i.configuration().withHnsw(i.configuration().hnsw().merge(h)));
        }
        info = i;
    }

    /** The non-null HNSW settings, in Chroma 1.x's field names (unset ones stay the server's choice). */
    public static Map<String, Object> hnswFields(HnswConfiguration h) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (h.space() != null) out.put("space", h.space().wireName());
        if (h.efConstruction() != null) out.put("ef_construction", h.efConstruction());
        if (h.efSearch() != null) out.put("ef_search", h.efSearch());
        if (h.maxNeighbors() != null) out.put("max_neighbors", h.maxNeighbors());
        if (h.numThreads() != null) out.put("num_threads", h.numThreads());
        if (h.resizeFactor() != null) out.put("resize_factor", h.resizeFactor());
        if (h.syncThreshold() != null) out.put("sync_threshold", h.syncThreshold());
        if (h.batchSize() != null) out.put("batch_size", h.batchSize());
        return out;
    }

    private static void writeFilters(JsonGenerator g, io.chroma.api.Where where, io.chroma.api.WhereDocument wd)
            throws IOException {
        if (where != null) {
            Json.field(g, "where", where.toJson());
        }
        if (wd != null) {
            Json.field(g, "where_document", wd.toJson());
        }
    }

    private static void writeInclude(JsonGenerator g, List<Include> include) throws IOException {
        List<String> names = new ArrayList<>(include.size());
        for (Include i : include) {
            names.add(i.wireName());
        }
        Json.field(g, "include", names);
    }

    @Override
    public String toString() {
        CollectionInfo i = info;
        return "Collection(name=" + i.name() + ", id=" + i.id() + ", tenant=" + i.tenant() + ", database="
                + i.database() + ")";
    }
}
