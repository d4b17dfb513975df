package io.chroma.core;

import io.chroma.core.internal.Engine;
import io.chroma.core.internal.EngineClient;
import io.chroma.core.internal.index.VectorIndexFactory;

/** A client whose data lives only until {@link #close()} (a temporary directory, deleted on close). */
public final class EphemeralClient extends EngineClient {

    public EphemeralClient() {
        this(ClientSettings.defaults());
    }

    public EphemeralClient(ClientSettings settings) {
        this(settings, VectorIndexFactory.fromSystemProperty());
    }

    public EphemeralClient(ClientSettings settings, VectorIndexFactory indexFactory) {
        super(Engine.openEphemeral(settings, indexFactory), settings.tenant(), settings.database(), true);
    }
}
