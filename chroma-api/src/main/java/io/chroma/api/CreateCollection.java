package io.chroma.api;

import java.util.Map;

/**
 * Everything {@code create_collection} takes: the name, optional metadata (legacy {@code hnsw:*}
 * keys configure the index), an optional configuration, an embedding function, and whether to
 * return an existing collection of that name instead of failing.
 */
public record CreateCollection(String name, Map<String, Object> metadata, CollectionConfiguration configuration,
                               EmbeddingFunction embeddingFunction, boolean getOrCreate) {

    public static CreateCollection named(String name) {
        return new CreateCollection(name, null, null, null, false);
    }

    @SuppressWarnings("unchecked")
    public CreateCollection metadata(Map<String, ?> v) {
        return new CreateCollection(name, (Map<String, Object>) v, configuration, embeddingFunction, getOrCreate);
    }

    public CreateCollection configuration(CollectionConfiguration v) {
        return new CreateCollection(name, metadata, v, embeddingFunction, getOrCreate);
    }

    public CreateCollection embeddingFunction(EmbeddingFunction v) {
        return new CreateCollection(name, metadata, configuration, v, getOrCreate);
    }

    public CreateCollection getOrCreate(boolean v) {
        return new CreateCollection(name, metadata, configuration, embeddingFunction, v);
    }
}
