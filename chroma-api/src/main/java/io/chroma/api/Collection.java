package io.chroma.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A handle on one collection. The same contract is served in-process (chroma-core) and over HTTP
 * (chroma-client). Accessors describe the collection as of the handle's last fetch or change; data
 * operations always act on the live collection and fail with {@link NotFoundException} once it
 * has been deleted.
 */
public interface Collection {

    UUID id();

    String name();

    String tenant();

    String database();

    /** Collection metadata, or {@code null} when it has none. */
    Map<String, Object> metadata();

    CollectionConfiguration configuration();

    /** Vector dimension, fixed by the first write; {@code null} while the collection is empty of vectors. */
    Integer dimension();

    /** The function used to embed documents and query texts, or {@code null}. */
    EmbeddingFunction embeddingFunction();

    int count();

    /** Adds records; ids that already exist are left unchanged, duplicate ids in the batch are an error. */
    void add(Records records);

    /** Updates existing records; ids that do not exist are skipped with a warning. Metadata merges key-wise. */
    void update(Records records);

    /** Inserts new ids and updates existing ones. */
    void upsert(Records records);

    GetResult get(Get request);

    default GetResult get() {
        return get(Get.all());
    }

    /** The first {@code limit} records with embeddings, documents and metadatas. */
    default GetResult peek(int limit) {
        return get(Get.all().limit(limit).include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS));
    }

    default GetResult peek() {
        return peek(10);
    }

    QueryResult query(Query request);

    /**
     * Runs a batch of searches (Chroma's Search API: rank expressions over dense, sparse and
     * full-text nearest neighbours, filters, grouping, selection), one result column entry per
     * search, in order.
     */
    io.chroma.api.search.SearchResult search(List<io.chroma.api.search.Search> searches);

    default io.chroma.api.search.SearchResult search(io.chroma.api.search.Search... searches) {
        return search(List.of(searches));
    }

    /** Deletes matching records and returns how many were deleted. */
    int delete(Delete request);

    /** Renames and/or replaces metadata and/or query-time settings; this handle reflects the change. */
    void modify(ModifyCollection change);

    default void modify(String newName, Map<String, ?> newMetadata) {
        modify(new ModifyCollection(newName, newMetadata == null ? null : Map.copyOf(newMetadata), null));
    }

    /** Ids of records in insertion order — a convenience over {@link #get(Get)}. */
    default List<String> ids() {
        return get(Get.all().include(List.of())).ids();
    }
}
