package io.chroma.core;

import io.chroma.api.ChromaClient;
import io.chroma.api.Collection;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/** An in-process client: {@link PersistentClient} or {@link EphemeralClient}. */
public interface EmbeddedClient extends ChromaClient {

    /** A collection by id in any tenant and database (the v1 wire API addresses collections by id only). */
    Optional<Collection> findCollectionById(UUID id);

    /** The data directory, or {@code null} for an ephemeral client. */
    Path path();

    @Override
    EmbeddedClient withDatabase(String tenant, String database);
}
