package io.chroma.core.internal.index;

import io.chroma.api.Space;

/** What an index needs to know about its collection. {@code dimension} is fixed by the first vector. */
public record IndexSettings(Space space, int dimension, int maxNeighbors, int efConstruction) {
}
