package io.chroma.core;

import io.chroma.core.internal.Engine;
import io.chroma.core.internal.EngineClient;
import io.chroma.core.internal.index.VectorIndexFactory;

import java.nio.file.Path;

/**
 * A client on a data directory: everything written is saved there and loaded on the next start.
 * Only one process (and one client in a process) may hold a directory: a second open fails with
 * {@link io.chroma.api.StoreInUseException}. Close it to release the directory.
 */
public final class PersistentClient extends EngineClient {

    public PersistentClient(Path path) {
        this(path, ClientSettings.defaults());
    }

    public PersistentClient(Path path, ClientSettings settings) {
        this(path, settings, VectorIndexFactory.fromSystemProperty());
    }

    /** With an explicit index implementation (tests, benchmarks). */
    public PersistentClient(Path path, ClientSettings settings, VectorIndexFactory indexFactory) {
        super(Engine.openPersistent(path, settings, indexFactory), settings.tenant(), settings.database(), true);
    }
}
