package io.chroma.api;

import java.util.List;

/** What a get or query returns besides ids. */
public enum Include {
    EMBEDDINGS("embeddings"),
    DOCUMENTS("documents"),
    METADATAS("metadatas"),
    DISTANCES("distances"),
    URIS("uris");

    /** Chroma's default for get: documents and metadatas. */
    public static final List<Include> GET_DEFAULT = List.of(DOCUMENTS, METADATAS);
    /** Chroma's default for query: documents, metadatas and distances. */
    public static final List<Include> QUERY_DEFAULT = List.of(DOCUMENTS, METADATAS, DISTANCES);

    private final String wireName;

    Include(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a wire value; Chroma 0.5's {@code data} is read as metadatas (the v2 server refuses it, as Chroma 1.x does). */
    public static Include fromWireName(String name) {
        for (Include i : values()) {
            if (i.wireName.equals(name)) {
                return i;
            }
        }
        if ("data".equals(name)) {
            return METADATAS;
        }
        throw new InvalidArgumentException("Expected include item to be one of distances, documents, "
                + "embeddings, metadatas, uris, got " + name);
    }
}
