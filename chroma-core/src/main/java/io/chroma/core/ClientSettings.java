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
 */
public record ClientSettings(boolean allowReset, String tenant, String database, int maxCollectionNameLength,
                             int maxBatchSize) {

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
                Names.USAGE_GUIDE_MAX_LENGTH, DEFAULT_MAX_BATCH_SIZE);
    }

    public ClientSettings withAllowReset(boolean v) {
        return new ClientSettings(v, tenant, database, maxCollectionNameLength, maxBatchSize);
    }

    public ClientSettings withTenant(String v) {
        return new ClientSettings(allowReset, v, database, maxCollectionNameLength, maxBatchSize);
    }

    public ClientSettings withDatabase(String v) {
        return new ClientSettings(allowReset, tenant, v, maxCollectionNameLength, maxBatchSize);
    }

    public ClientSettings withMaxCollectionNameLength(int v) {
        return new ClientSettings(allowReset, tenant, database, v, maxBatchSize);
    }

    public ClientSettings withMaxBatchSize(int v) {
        return new ClientSettings(allowReset, tenant, database, maxCollectionNameLength, v);
    }
}
