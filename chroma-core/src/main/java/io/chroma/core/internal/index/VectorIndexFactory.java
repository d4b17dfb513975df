package io.chroma.core.internal.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens (or creates) the index of one collection. {@code dirOrNull} is the collection's index
 * directory in a persistent store, or {@code null} for an in-memory index (ephemeral clients).
 * An implementation that finds the directory unreadable throws; the engine then wipes the
 * directory, opens a fresh index and rebuilds it from the record store.
 */
@FunctionalInterface
public interface VectorIndexFactory {

    VectorIndex open(Path dirOrNull, IndexSettings settings) throws IOException;

    /** Lucene HNSW vectors plus metadata/document fields: the production index. */
    VectorIndexFactory LUCENE = LuceneIndex::open;

    /** Brute force in memory, never durable: the oracle tests compare against. */
    VectorIndexFactory EXACT = (dir, settings) -> new ExactIndex(settings);

    /** The system property that selects the factory: {@code lucene} (default) or {@code exact}. */
    String PROPERTY = "chroma.index";

    /** The factory named by {@code -Dchroma.index=...}, else Lucene. */
    static VectorIndexFactory fromSystemProperty() {
        return named(System.getProperty(PROPERTY, "lucene"));
    }

    static VectorIndexFactory named(String name) {
        return switch (name == null ? "lucene" : name.trim().toLowerCase(Locale.ROOT)) {
            case "", "lucene" -> LUCENE;
            case "exact" -> EXACT;
            default -> throw new IllegalArgumentException(
                    "Unknown vector index '" + name + "' (" + PROPERTY + "): expected lucene or exact");
        };
    }
}
