package io.chroma.server.auth;

import java.util.Optional;
import java.util.UUID;

/**
 * Finds the tenant and database of a collection, for the v1 record routes that name a collection by id only
 * ({@code /api/v1/collections/{id}/add} etc.). The server can implement it with
 * {@code EmbeddedClient.findCollectionById(id).map(c -> new Scope(c.tenant(), c.database()))}.
 *
 * <p>Without a resolver those routes are allowed for any authenticated user (Chroma 0.5 did not scope them either);
 * with one, a user restricted to other tenants/databases gets 403. An unknown id is allowed through so that the
 * handler answers with its usual "does not exist" error.
 */
@FunctionalInterface
public interface CollectionScopeResolver {
    Optional<Scope> scopeOf(UUID collectionId);
}
