package io.chroma.api.internal;

import io.chroma.api.DuplicateIdException;
import io.chroma.api.EmbeddingFunction;
import io.chroma.api.InvalidArgumentException;
import io.chroma.api.Records;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks shared by every client before a batch goes anywhere: ids, parallel list lengths,
 * embeddings, metadata values; and embedding documents when no vectors were given.
 */
public final class RecordBatches {
    private RecordBatches() {
    }

    public enum Kind { ADD, UPDATE, UPSERT }

    /**
     * Validates {@code records} and returns them normalised (metadata values as Long/Double/...),
     * with embeddings computed by {@code ef} where documents were given without embeddings.
     */
    public static Records prepare(Records records, Kind kind, EmbeddingFunction ef) {
        if (records == null || records.ids() == null) {
            throw new InvalidArgumentException("Expected ids to be a list of strings");
        }
        List<String> ids = records.ids();
        int n = ids.size();
        if (n == 0 && kind != Kind.UPDATE) {
            throw new InvalidArgumentException("Expected IDs to be a non-empty list, got 0 IDs");
        }
        Set<String> seen = new HashSet<>();
        Set<String> dups = new LinkedHashSet<>();
        for (Object id : ids) {
            if (!(id instanceof String s)) {
                throw new InvalidArgumentException("Expected ID to be a str, got " + id);
            }
            if (s.isEmpty()) {
                throw new InvalidArgumentException("Empty ID, ID must have at least one character");
            }
            if (!seen.add(s)) {
                dups.add(s);
            }
        }
        if (!dups.isEmpty()) {
            throw new DuplicateIdException(new ArrayList<>(dups));
        }
        checkLength("embeddings", records.embeddings(), n);
        checkLength("documents", records.documents(), n);
        checkLength("metadatas", records.metadatas(), n);
        checkLength("uris", records.uris(), n);

        List<float[]> embeddings = records.embeddings();
        if (embeddings == null && records.documents() != null && kind != Kind.UPDATE) {
            embeddings = embed(ef, records.documents());
        } else if (embeddings == null && records.documents() != null && ef != null) {
            embeddings = embed(ef, records.documents());
        }
        if (embeddings == null && kind != Kind.UPDATE) {
            throw new InvalidArgumentException("You must provide embeddings, or documents with an embedding "
                    + "function, to " + kind.name().toLowerCase());
        }
        if (embeddings != null) {
            Integer dim = null;
            for (float[] e : embeddings) {
                if (e == null) {
                    if (kind != Kind.UPDATE) {
                        throw new InvalidArgumentException("Expected embeddings for every record; embeddings "
                                + "must be given for all records or for none");
                    }
                    continue;
                }
                checkEmbedding(e);
                if (dim != null && dim != e.length) {
                    throw new InvalidArgumentException("Inconsistent dimensions in provided embeddings");
                }
                dim = e.length;
            }
        }
        List<Map<String, Object>> metadatas = null;
        if (records.metadatas() != null) {
            metadatas = new ArrayList<>(n);
            for (Map<String, Object> m : records.metadatas()) {
                Map<String, Object> norm = Values.metadata(m, kind != Kind.ADD, "metadata");
                metadatas.add(norm == null || (norm.isEmpty() && kind == Kind.ADD) ? null : norm);
            }
        }
        return new Records(List.copyOf(ids), embeddings, records.documents(), metadatas, records.uris());
    }

    private static List<float[]> embed(EmbeddingFunction ef, List<String> documents) {
        if (ef == null) {
            throw new InvalidArgumentException("Documents were given without embeddings and the collection has "
                    + "no embedding function: pass embeddings, or give the collection an embedding function "
                    + "(CreateCollection.named(name).embeddingFunction(ef) or getCollection(name, ef))");
        }
        for (String d : documents) {
            if (d == null) {
                throw new InvalidArgumentException("Cannot embed a null document: give a document for every record, "
                        + "or pass embeddings");
            }
        }
        List<float[]> out = ef.embed(documents);
        if (out == null || out.size() != documents.size()) {
            throw new InvalidArgumentException("The embedding function returned "
                    + (out == null ? "nothing" : out.size() + " embeddings") + " for " + documents.size() + " documents");
        }
        return out;
    }

    public static void checkEmbedding(float[] e) {
        if (e.length == 0) {
            throw new InvalidArgumentException("Each embedding must have at least 1 dimension");
        }
        double squares = 0;
        for (float f : e) {
            if (!Float.isFinite(f)) {
                throw new InvalidArgumentException("Embeddings must not contain NaN or Infinity values");
            }
            squares += (double) f * f;
        }
        // Distances are float32: |a-b|^2 <= 4 max(|a|^2, |b|^2), so norms up to sqrt(MAX/4) keep every
        // distance finite. A vector like [1.8e19, 1, 1] made squared distances Infinity (Lucene asserts
        // they are finite; clients cannot read Infinity as a JSON number).
        if (squares > MAX_SQUARED_NORM) {
            throw new InvalidArgumentException("Embedding values are too large: the vector's norm "
                    + (float) Math.sqrt(squares) + " exceeds " + (float) Math.sqrt(MAX_SQUARED_NORM)
                    + ", beyond which float32 distances overflow");
        }
    }

    private static final double MAX_SQUARED_NORM = Float.MAX_VALUE / 4.0;

    private static void checkLength(String field, List<?> list, int n) {
        if (list != null && list.size() != n) {
            throw new InvalidArgumentException("Inconsistent number of IDs, embeddings, documents, URIs and metadatas: "
                    + n + " ids but " + list.size() + " " + field);
        }
    }
}
