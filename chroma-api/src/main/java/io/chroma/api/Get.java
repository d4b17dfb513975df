package io.chroma.api;

import java.util.Arrays;
import java.util.List;

/**
 * A get request: optional ids, where and where_document filters, limit/offset over the records in
 * insertion order, and what to include (default: documents and metadatas).
 */
public record Get(List<String> ids, Where where, WhereDocument whereDocument, Integer limit, Integer offset,
                  List<Include> include) {

    public static Get all() {
        return new Get(null, null, null, null, null, null);
    }

    public static Get ids(String... ids) {
        return all().withIds(List.of(ids));
    }

    public static Get ids(List<String> ids) {
        return all().withIds(ids);
    }

    public static Get where(Where where) {
        return all().withWhere(where);
    }

    public Get withIds(List<String> v) { return new Get(v, where, whereDocument, limit, offset, include); }

    public Get withWhere(Where v) { return new Get(ids, v, whereDocument, limit, offset, include); }

    public Get whereDocument(WhereDocument v) { return new Get(ids, where, v, limit, offset, include); }

    public Get limit(Integer v) { return new Get(ids, where, whereDocument, v, offset, include); }

    public Get offset(Integer v) { return new Get(ids, where, whereDocument, limit, v, include); }

    public Get include(Include... v) { return new Get(ids, where, whereDocument, limit, offset, Arrays.asList(v)); }

    public Get include(List<Include> v) { return new Get(ids, where, whereDocument, limit, offset, v); }

    /** The include list in effect: the given one, or Chroma's get default. */
    public List<Include> effectiveInclude() {
        return include == null ? Include.GET_DEFAULT : include;
    }
}
