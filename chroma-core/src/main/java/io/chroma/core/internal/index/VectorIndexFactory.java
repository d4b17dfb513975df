package io.chroma.core.internal.index;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens (or creates) the index of one collection. {@code dirOrNull} is the collection's index
 * directory in a persistent store, or {@code null} for an in-memory index (ephemeral clients).
 * An implementation that finds the directory unreadable throws; the engine then wipes the
 * directory, opens a fresh index and rebuilds it from the record store.
 */
@FunctionalInterface
public interface VectorIndexFactory {

    VectorIndex open(Path dirOrNull, IndexSettings settings) throws IOException;

    /** Brute force in memory; never durable. */
    VectorIndexFactory EXACT = (dir, settings) -> new ExactIndex(settings);

    /** The system property that selects the default factory: {@code exact}, {@code lucene}, or a class name. */
    String PROPERTY = "chroma.index";

    /** The factory used when {@link #PROPERTY} is not set. Switch to "lucene" once that index is merged. */
    String DEFAULT_NAME = "exact";

    String LUCENE_CLASS = "io.chroma.core.internal.index.LuceneIndexFactory";

    /** The factory named by {@code -Dchroma.index=...}, else {@link #DEFAULT_NAME}. */
    static VectorIndexFactory fromSystemProperty() {
        return named(System.getProperty(PROPERTY, DEFAULT_NAME));
    }

    /**
     * {@code exact}, {@code lucene} ({@value #LUCENE_CLASS}), or the class name of a
     * {@code VectorIndexFactory} with a public no-argument constructor. Loaded reflectively so
     * that this module compiles whichever implementations are present.
     */
    static VectorIndexFactory named(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("exact")) {
            return EXACT;
        }
        String cls = name.equalsIgnoreCase("lucene") ? LUCENE_CLASS : name;
        try {
            Object f = Class.forName(cls).getDeclaredConstructor().newInstance();
            if (f instanceof VectorIndexFactory vf) {
                return vf;
            }
            // tolerate a factory that has the method but not (yet) the interface
            java.lang.reflect.Method open = f.getClass().getMethod("open", Path.class, IndexSettings.class);
            return (dir, settings) -> {
                try {
                    return (VectorIndex) open.invoke(f, dir, settings);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("Cannot load vector index factory " + cls + " (" + PROPERTY + "=" + name + ")", e);
        }
    }
}
