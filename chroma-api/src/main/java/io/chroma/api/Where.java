package io.chroma.api;

import io.chroma.api.internal.Values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A filter on record metadata with Chroma 1.x semantics:
 * <ul>
 *   <li>{@code $eq}, {@code $in}, {@code $gt}... need the key to be present;</li>
 *   <li>{@code $ne} and {@code $nin} also match records that lack the key;</li>
 *   <li>ints and floats compare numerically; a bool never equals a number;</li>
 *   <li>{@code $contains} / {@code $not_contains} on a key test membership of a list value;</li>
 *   <li>the pseudo-key {@code #document} filters documents as {@link WhereDocument} does.</li>
 * </ul>
 * Values are normalised (see {@link Values}): ints are {@link Long}, floats {@link Double}.
 */
public sealed interface Where {

    enum Op {
        EQ("$eq"), NE("$ne"), GT("$gt"), GTE("$gte"), LT("$lt"), LTE("$lte"),
        IN("$in"), NIN("$nin"), CONTAINS("$contains"), NOT_CONTAINS("$not_contains");

        private final String wireName;

        Op(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Op fromWireName(String s) {
            for (Op op : values()) {
                if (op.wireName.equals(s)) {
                    return op;
                }
            }
            return null;
        }

        public boolean isRange() {
            return this == GT || this == GTE || this == LT || this == LTE;
        }
    }

    /** {@code key op value}; for IN/NIN the value is a non-empty list of scalars. */
    record Compare(String key, Op op, Object value) implements Where {
        public Compare {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(op, "op");
            value = checkOperand(key, op, value);
        }
    }

    /** A {@link WhereDocument} filter written inside {@code where} under the key {@code #document}. */
    record Document(WhereDocument filter) implements Where {
    }

    record And(List<Where> clauses) implements Where {
        public And {
            clauses = List.copyOf(clauses);
        }
    }

    record Or(List<Where> clauses) implements Where {
        public Or {
            clauses = List.copyOf(clauses);
        }
    }

    static Where eq(String key, Object value) { return new Compare(key, Op.EQ, value); }

    static Where ne(String key, Object value) { return new Compare(key, Op.NE, value); }

    static Where gt(String key, Object value) { return new Compare(key, Op.GT, value); }

    static Where gte(String key, Object value) { return new Compare(key, Op.GTE, value); }

    static Where lt(String key, Object value) { return new Compare(key, Op.LT, value); }

    static Where lte(String key, Object value) { return new Compare(key, Op.LTE, value); }

    static Where in(String key, List<?> values) { return new Compare(key, Op.IN, values); }

    static Where in(String key, Object... values) { return new Compare(key, Op.IN, List.of(values)); }

    static Where nin(String key, List<?> values) { return new Compare(key, Op.NIN, values); }

    static Where nin(String key, Object... values) { return new Compare(key, Op.NIN, List.of(values)); }

    static Where contains(String key, Object value) { return new Compare(key, Op.CONTAINS, value); }

    static Where notContains(String key, Object value) { return new Compare(key, Op.NOT_CONTAINS, value); }

    static Where and(Where... clauses) { return new And(List.of(clauses)); }

    static Where or(Where... clauses) { return new Or(List.of(clauses)); }

    static Where document(WhereDocument filter) { return new Document(filter); }

    /**
     * Does a record with this metadata (possibly {@code null}) and document satisfy the filter?
     * This is the reference semantics the engine's index-backed evaluation must agree with.
     */
    default boolean matches(Map<String, ?> metadata, String document) {
        return switch (this) {
            case And a -> a.clauses().stream().allMatch(w -> w.matches(metadata, document));
            case Or o -> o.clauses().stream().anyMatch(w -> w.matches(metadata, document));
            case Document d -> d.filter().matches(document);
            case Compare c -> {
                Object stored = metadata == null ? null : metadata.get(c.key());
                yield compare(c.op(), stored, c.value());
            }
        };
    }

    private static boolean compare(Op op, Object stored, Object operand) {
        return switch (op) {
            case EQ -> stored != null && scalarEquals(stored, operand);
            case NE -> stored == null || !scalarEquals(stored, operand);
            case GT, GTE, LT, LTE -> {
                if (!(stored instanceof Long || stored instanceof Double)) {
                    yield false;
                }
                int cmp = Double.compare(((Number) stored).doubleValue(), ((Number) operand).doubleValue());
                // Longs beyond 2^53 lose precision in double; compare them exactly.
                if (stored instanceof Long s && operand instanceof Long o) {
                    cmp = Long.compare(s, o);
                }
                yield switch (op) {
                    case GT -> cmp > 0;
                    case GTE -> cmp >= 0;
                    case LT -> cmp < 0;
                    default -> cmp <= 0;
                };
            }
            case IN -> stored != null && ((List<?>) operand).stream().anyMatch(v -> scalarEquals(stored, v));
            case NIN -> stored == null || ((List<?>) operand).stream().noneMatch(v -> scalarEquals(stored, v));
            case CONTAINS -> stored instanceof List<?> l && l.stream().anyMatch(v -> elementEquals(v, operand));
            case NOT_CONTAINS -> !(stored instanceof List<?> l && l.stream().anyMatch(v -> elementEquals(v, operand)));
        };
    }

    /**
     * A list element against a {@code $contains} operand: unlike scalar comparisons, Chroma 1.x keeps
     * ints and floats apart here (2 is not found in [1.5, 2.0], nor 2.0 in [1, 2]).
     */
    static boolean elementEquals(Object element, Object operand) {
        return element.getClass() == operand.getClass() && scalarEquals(element, operand);
    }

    /** Equality as Chroma 1.x defines it: numbers across int/float, otherwise same kind and value. */
    static boolean scalarEquals(Object a, Object b) {
        if (a instanceof List<?> || b instanceof List<?>) {
            return false;
        }
        boolean an = a instanceof Long || a instanceof Double;
        boolean bn = b instanceof Long || b instanceof Double;
        if (an && bn) {
            if (a instanceof Long x && b instanceof Long y) {
                return x.longValue() == y.longValue();
            }
            return ((Number) a).doubleValue() == ((Number) b).doubleValue();
        }
        return a.equals(b);
    }

    /** The wire (JSON) form, as nested maps and lists. */
    default Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (this) {
            case And a -> out.put("$and", a.clauses().stream().map(Where::toJson).toList());
            case Or o -> out.put("$or", o.clauses().stream().map(Where::toJson).toList());
            case Document d -> out.put("#document", d.filter().toJson());
            case Compare c -> out.put(c.key(), Map.of(c.op().wireName(), c.value()));
        }
        return out;
    }

    /**
     * Parses the wire form. {@code null} and {@code {}} mean "no filter" and return {@code null}.
     * Malformed filters raise {@link InvalidArgumentException} with a message naming the problem.
     */
    static Where parse(Object json) {
        if (json == null) {
            return null;
        }
        if (json instanceof Map<?, ?> m && m.isEmpty()) {
            return null;
        }
        return parseClause(json);
    }

    private static Where parseClause(Object json) {
        if (!(json instanceof Map<?, ?> map)) {
            throw invalid("Expected where to be a dictionary, got " + json);
        }
        if (map.size() != 1) {
            throw invalid("Expected where to have exactly one operator, got " + json);
        }
        Map.Entry<?, ?> e = map.entrySet().iterator().next();
        String key = String.valueOf(e.getKey());
        Object value = e.getValue();
        if (key.equals("$and") || key.equals("$or")) {
            // an empty list is allowed, as in Chroma 1.x: $and [] matches everything, $or [] nothing
            if (!(value instanceof List<?> list)) {
                throw invalid("Expected where value for " + key + " to be a list of where expressions, got " + value);
            }
            List<Where> clauses = new ArrayList<>();
            for (Object item : list) {
                clauses.add(parseClause(item));
            }
            return key.equals("$and") ? new And(clauses) : new Or(clauses);
        }
        if (key.startsWith("$")) {
            throw invalid("Expected where key to be a metadata key or $and / $or, got operator " + key);
        }
        if (key.equals("#document")) {
            WhereDocument filter = WhereDocument.parse(value);
            if (filter == null) {
                throw invalid("Expected #document to hold a where document expression");
            }
            return new Document(filter);
        }
        if (value instanceof Map<?, ?> opMap) {
            if (opMap.size() != 1) {
                throw invalid("Expected operator expression to have exactly one operator, got " + opMap);
            }
            Map.Entry<?, ?> oe = opMap.entrySet().iterator().next();
            String opName = String.valueOf(oe.getKey());
            Op op = Op.fromWireName(opName);
            if (op == null) {
                throw invalid("Expected operator to be one of $gt, $gte, $lt, $lte, $ne, $eq, $in, $nin, "
                        + "$contains, $not_contains, but got " + opName);
            }
            return new Compare(key, op, oe.getValue());
        }
        return new Compare(key, Op.EQ, value);
    }

    private static Object checkOperand(String key, Op op, Object value) {
        if (op == Op.IN || op == Op.NIN) {
            if (!(value instanceof List<?> list) || list.isEmpty()) {
                throw invalid("Expected where operand value to be a non-empty list, and all values to be of the "
                        + "same type got " + value);
            }
            List<Object> out = new ArrayList<>(list.size());
            Values.Kind kind = null;
            for (Object item : list) {
                Object n = Values.scalarOrNull(item);
                if (n == null) {
                    throw invalid("Expected where operand value for " + op.wireName()
                            + " to be a list of str, int, float or bool, got " + item);
                }
                // Chroma 1.x refuses a list that mixes ints and floats, as it refuses other mixes
                Values.Kind k = Values.kindOf(n);
                if (kind != null && k != kind) {
                    throw invalid("Expected where operand value to be a non-empty list, and all values to be of "
                            + "the same type got " + value);
                }
                kind = k;
                out.add(n);
            }
            return List.copyOf(out);
        }
        Object n = Values.scalarOrNull(value);
        if (n == null) {
            throw invalid("Expected where value for key " + key + " to be a str, int, float or bool"
                    + (op == Op.EQ ? " or an operator expression" : "") + ", got " + value);
        }
        if (op.isRange() && !(n instanceof Long || n instanceof Double)) {
            throw invalid("Expected operand value to be an int or a float for operator " + op.wireName() + ", got " + value);
        }
        return n;
    }

    private static InvalidArgumentException invalid(String message) {
        return new InvalidArgumentException("Invalid where clause: " + message);
    }
}
