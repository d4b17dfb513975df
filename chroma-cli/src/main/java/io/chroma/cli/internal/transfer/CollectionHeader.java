package io.chroma.cli.internal.transfer;

import io.chroma.api.Collection;
import io.chroma.api.CollectionConfiguration;
import io.chroma.api.HnswConfiguration;
import java.util.Map;

/**
 * What a collection is apart from its records: the header line of its section in an export, and
 * what import and copy create the target collection from.
 *
 * @param configuration the 1.x {@code configuration_json} shape: {@code hnsw} and {@code embedding_function}
 * @param count         records in the source when the export started (for progress; the end line has the exact count)
 */
record CollectionHeader(String name, Map<String, Object> metadata, Map<String, Object> configuration, long count) {

    static CollectionHeader of(Collection c) {
        return new CollectionHeader(c.name(), c.metadata(), c.configuration().toJson(), c.count());
    }

    @SuppressWarnings("unchecked")
    CollectionConfiguration collectionConfiguration() {
        if (configuration == null) {
            return CollectionConfiguration.DEFAULT;
        }
        Object hnsw = configuration.get("hnsw");
        Object ef = configuration.get("embedding_function");
        return new CollectionConfiguration(
                hnsw instanceof Map<?, ?> m ? HnswConfiguration.fromJson((Map<String, ?>) m) : HnswConfiguration.DEFAULT,
                ef instanceof Map<?, ?> e ? (Map<String, Object>) e : null);
    }
}
