package io.chroma.core.internal.index;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens {@link LuceneIndex}es; the engine loads this class by name ({@code -Dchroma.index=lucene}),
 * so it keeps a public no-argument constructor.
 *
 * <p>Merge note: on the engine's branch this class should declare
 * {@code implements VectorIndexFactory} (that interface is not on the index branch yet); the
 * method below already has its signature.
 */
public final class LuceneIndexFactory {

    public LuceneIndexFactory() {
    }

    public VectorIndex open(Path dirOrNull, IndexSettings settings) throws IOException {
        return LuceneIndex.open(dirOrNull, settings);
    }
}
