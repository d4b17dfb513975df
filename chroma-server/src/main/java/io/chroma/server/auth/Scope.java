package io.chroma.server.auth;

import java.util.Objects;

/** A tenant and one of its databases: what a collection belongs to. */
public record Scope(String tenant, String database) {
    public Scope {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(database, "database");
    }
}
