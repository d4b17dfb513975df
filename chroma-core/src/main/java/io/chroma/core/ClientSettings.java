package io.chroma.core;

import io.chroma.api.ChromaClient;
import io.chroma.api.internal.Names;

/**
 * Settings of an embedded client.
 *
 * @param allowReset              whether {@code reset()} may delete everything
 * @param tenant                  the tenant the client is bound to
 * @param database                the database the client is bound to
 * @param maxCollectionNameLength 63 as in the usage guide; the server passes 512 (Chroma 1.x)
 * @param maxBatchSize            the largest add/update/upsert batch (5461 as Chroma's local store)
 * @param defaultEmbeddingFunction whether a collection created without an embedding function gets Chroma's
 *                                default (all-MiniLM-L6-v2, when chroma-embeddings is on the class path), as
 *                                the usage guide says; the server turns it off because it never embeds
 */
public record ClientSettings(boolean allowReset, String tenant, String database, int maxCollectionNameLength,
                             int maxBatchSize, boolean defaultEmbeddingFunction) {

    public static final int DEFAULT_MAX_BATCH_SIZE = 5461;

    public ClientSettings {
        if (tenant == null || database == null) {
            throw new IllegalArgumentException("tenant and database are required");
        }
        if (maxCollectionNameLength < 3) {
            throw new IllegalArgumentException("maxCollectionNameLength must be at least 3, got " + maxCollectionNameLength);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be positive, got " + maxBatchSize);
        }
    }

    public static ClientSettings defaults() {
        return new ClientSettings(false, ChromaClient.DEFAULT_TENANT, ChromaClient.DEFAULT_DATABASE,
                Names.USAGE_GUIDE_MAX_LENGTH, DEFAULT_MAX_BATCH_SIZE, true);
    }

    public ClientSettings withAllowReset(boolean v) {
        return new ClientSettings(v, tenant, database, maxCollectionNameLength, maxBatchSize, defaultEmbeddingFunction);
    }

    public ClientSettings withTenant(String v) {
        return new ClientSettings(allowReset, v, database, maxCollectionNameLength, maxBatchSize, defaultEmbeddingFunction);
    }

    public ClientSettings withDatabase(String v) {
        return new ClientSettings(allowReset, tenant, v, maxCollectionNameLength, maxBatchSize, defaultEmbeddingFunction);
    }

    public ClientSettings withMaxCollectionNameLength(int v) {
        return new ClientSettings(allowReset, tenant, database, v, maxBatchSize, defaultEmbeddingFunction);
    }

    public ClientSettings withMaxBatchSize(int v) {
        return new ClientSettings(allowReset, tenant, database, maxCollectionNameLength, v, defaultEmbeddingFunction);
    }

    public ClientSettings withDefaultEmbeddingFunction(boolean v) {
        return new ClientSettings(allowReset, tenant, database, maxCollectionNameLength, maxBatchSize, v);
    }
}
