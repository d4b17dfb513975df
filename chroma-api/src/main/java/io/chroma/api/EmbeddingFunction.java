package io.chroma.api;

import java.util.List;
import java.util.Map;

/**
 * Turns texts into vectors. A collection with an embedding function embeds documents on add,
 * update and upsert when no embeddings are given, and query texts on query.
 *
 * <p>The name and config are recorded with the collection (Chroma's
 * {@code configuration_json.embedding_function}) so a known function can be rebuilt on get.
 */
public interface EmbeddingFunction {
    /** One vector per input text, in order. */
    List<float[]> embed(List<String> texts);

    /** Vectors for query texts; the same as {@link #embed} unless a model distinguishes them. */
    default List<float[]> embedQuery(List<String> texts) {
        return embed(texts);
    }

    /** The registry name Chroma's clients use, e.g. {@code default}, {@code openai}. */
    default String name() {
        return "custom";
    }

    /** Configuration that, with the name, rebuilds this function. Never holds secrets. */
    default Map<String, Object> config() {
        return Map.of();
    }

    default Space defaultSpace() {
        return Space.L2;
    }
}
