package io.chroma.api;

import java.util.List;

/**
 * A delete request: by ids, by where / where_document, or both (ANDed). {@code limit} caps how many
 * matching records are deleted and is only allowed together with a where clause, as in Chroma.
 */
public record Delete(List<String> ids, Where where, WhereDocument whereDocument, Integer limit) {

    public static Delete ids(String... ids) {
        return new Delete(List.of(ids), null, null, null);
    }

    public static Delete ids(List<String> ids) {
        return new Delete(ids, null, null, null);
    }

    public static Delete where(Where where) {
        return new Delete(null, where, null, null);
    }

    public static Delete whereDocument(WhereDocument whereDocument) {
        return new Delete(null, null, whereDocument, null);
    }

    public Delete withIds(List<String> v) { return new Delete(v, where, whereDocument, limit); }

    public Delete withWhere(Where v) { return new Delete(ids, v, whereDocument, limit); }

    public Delete withWhereDocument(WhereDocument v) { return new Delete(ids, where, v, limit); }

    public Delete limit(Integer v) { return new Delete(ids, where, whereDocument, v); }
}
