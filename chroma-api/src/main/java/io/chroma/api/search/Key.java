package io.chroma.api.search;

/**
 * Key names of the Search API. The {@code #}-names are special (record metadata keys may not start
 * with {@code #}); any other string names a metadata field.
 */
public final class Key {
    private Key() {
    }

    public static final String ID = "#id";
    public static final String DOCUMENT = "#document";
    public static final String EMBEDDING = "#embedding";
    public static final String METADATA = "#metadata";
    public static final String SCORE = "#score";
}
