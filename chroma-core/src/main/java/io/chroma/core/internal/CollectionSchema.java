package io.chroma.core.internal;

/**
 * What the collection schema says about sparse keys. Collections do not store Chroma's
 * {@code schema} yet, so no key is in BM25 mode: sparse {@code $knn} scores by the plain dot
 * product of the stored (client-computed) values.
 */
final class CollectionSchema {
    private CollectionSchema() {
    }

    static boolean bm25(CollectionState s, String key) {
        return false;
    }
}
