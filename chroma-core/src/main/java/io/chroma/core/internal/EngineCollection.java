package io.chroma.core.internal;

import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.Delete;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.ModifyCollection;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.internal.RecordBatches;

import java.util.Map;
import java.util.UUID;

/** A handle on one collection of an {@link Engine}; accessors read the live catalog state. */
final class EngineCollection implements Collection {
    private final Engine engine;
    private final CollectionState s;
    /** the function given for this handle; null = the collection's recorded one, resolved on first use */
    private final EmbeddingFunction explicitEf;

    EngineCollection(Engine engine, Engine.Opened opened) {
        this.engine = engine;
        this.s = opened.state();
        this.explicitEf = opened.embeddingFunction();
    }

    @Override public UUID id() { return s.id; }

    @Override public String name() { return s.name; }

    @Override public String tenant() { return s.tenant; }

    @Override public String database() { return s.database; }

    @Override public Map<String, Object> metadata() { return s.metadata; }

    @Override public CollectionConfiguration configuration() { return s.configuration; }

    @Override public Integer dimension() { return s.dimension; }

    @Override
    public EmbeddingFunction embeddingFunction() {
        return explicitEf != null ? explicitEf : engine.embeddingFunctionOf(s);
    }

    /** Only documents without embeddings need the function; avoid loading a model otherwise. */
    private EmbeddingFunction efFor(Records r) {
        return r != null && r.embeddings() == null && r.documents() != null ? embeddingFunction() : explicitEf;
    }

    @Override
    public int count() {
        return engine.read(() -> {
            Engine.checkLive(s);
            return s.count;
        });
    }

    @Override
    public void add(Records records) {
        engine.ops.write(s, records, RecordBatches.Kind.ADD, efFor(records));
    }

    @Override
    public void update(Records records) {
        engine.ops.write(s, records, RecordBatches.Kind.UPDATE, efFor(records));
    }

    @Override
    public void upsert(Records records) {
        engine.ops.write(s, records, RecordBatches.Kind.UPSERT, efFor(records));
    }

    @Override
    public GetResult get(Get request) {
        return engine.ops.get(s, request);
    }

    @Override
    public QueryResult query(Query request) {
        return engine.ops.query(s, request,
                request != null && request.queryEmbeddings() == null && request.queryTexts() != null
                        ? embeddingFunction() : explicitEf);
    }

    @Override
    public io.chroma.api.search.SearchResult search(java.util.List<io.chroma.api.search.Search> searches) {
        return engine.search.search(s, searches);
    }

    @Override
    public int delete(Delete request) {
        return engine.ops.delete(s, request);
    }

    @Override
    public void modify(ModifyCollection change) {
        engine.modifyCollection(s, change);
    }

    @Override
    public String toString() {
        return "Collection(name=" + s.name + ", id=" + s.id + ", tenant=" + s.tenant + ", database=" + s.database + ")";
    }
}
