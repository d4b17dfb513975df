package io.chroma.core.internal.index;

import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles {@link Where} and {@link WhereDocument} into Lucene queries that select exactly the
 * records {@code matches} accepts (see {@link LuceneFields} for the field layout).
 *
 * <ul>
 *   <li>Negations ({@code $ne $nin $not_contains $not_regex}) are "all records minus the positive
 *       query", so records lacking the key or the document match them, as in Chroma.</li>
 *   <li>Numbers: an int operand matches ints exactly ({@code i:}) and floats at its double value
 *       ({@code f:}); a float operand matches floats and ints at their double value ({@code g:}).
 *       That is {@code Where.scalarEquals}/{@code compare} term by term, longs beyond 2^53 included.
 *       Equality uses terms in which -0.0 and 0.0 are one value ({@code ==}); ranges use points,
 *       which order -0.0 before 0.0 as {@link Double#compare} does.</li>
 *   <li>Bools and strings have their own fields, so a bool never equals a number.</li>
 * </ul>
 */
final class LuceneFilterCompiler {

    /** Trigram clauses per {@code $contains}: enough to be selective, bounded for long operands. */
    private static final int MAX_TRIGRAM_CLAUSES = 24;

    static {
        // A where with thousands of leaves ($or of 5,000 $eq) is legal in Chroma; Lucene's default
        // guard (1,024 clauses, for wildcard expansion, which we never do) turned it into a 500.
        // Every clause here comes from the request, whose size the server caps at 40 MiB.
        if (org.apache.lucene.search.IndexSearcher.getMaxClauseCount() < Integer.MAX_VALUE) {
            org.apache.lucene.search.IndexSearcher.setMaxClauseCount(Integer.MAX_VALUE);
        }
    }

    private LuceneFilterCompiler() {
    }

    /** The conjunction of the filters, or {@code null} when there is none. */
    static Query compile(Where where, WhereDocument whereDocument, long[] candidates) {
        List<Query> parts = new ArrayList<>(3);
        if (where != null) {
            parts.add(where(where));
        }
        if (whereDocument != null) {
            parts.add(document(whereDocument));
        }
        if (candidates != null) {
            parts.add(candidates.length == 0 ? new MatchNoDocsQuery("no candidates")
                    : LongPoint.newSetQuery(LuceneFields.SEQ, candidates));
        }
        if (parts.isEmpty()) {
            return null;
        }
        return parts.size() == 1 ? parts.getFirst() : and(parts);
    }

    static Query where(Where where) {
        return switch (where) {
            case Where.And a -> and(a.clauses().stream().map(LuceneFilterCompiler::where).toList());
            case Where.Or o -> or(o.clauses().stream().map(LuceneFilterCompiler::where).toList());
            case Where.Document d -> document(d.filter());
            case Where.Compare c -> compare(c);
        };
    }

    static Query document(WhereDocument filter) {
        return switch (filter) {
            case WhereDocument.Contains c -> contains(c);
            case WhereDocument.NotContains n -> not(contains(new WhereDocument.Contains(n.text())));
            case WhereDocument.Regex r -> new LuceneDocumentQuery(hasDocument(), r);
            case WhereDocument.NotRegex n -> not(new LuceneDocumentQuery(hasDocument(), n.positive()));
            case WhereDocument.And a -> and(a.clauses().stream().map(LuceneFilterCompiler::document).toList());
            case WhereDocument.Or o -> or(o.clauses().stream().map(LuceneFilterCompiler::document).toList());
        };
    }

    private static Query hasDocument() {
        return new FieldExistsQuery(LuceneFields.DOCUMENT);
    }

    /**
     * A document containing {@code text} contains each of its trigrams, so the conjunction of (some
     * of) them is a superset; the stored document confirms. Shorter operands only need a document.
     */
    private static Query contains(WhereDocument.Contains c) {
        long[] grams = LuceneFields.trigrams(c.text());
        if (grams.length == 0) {
            return new LuceneDocumentQuery(hasDocument(), c);
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        // Spread the chosen trigrams over the sorted set; any subset keeps the superset property.
        int n = Math.min(grams.length, MAX_TRIGRAM_CLAUSES);
        for (int i = 0; i < n; i++) {
            long g = grams[(int) ((long) i * grams.length / n)];
            b.add(new TermQuery(new Term(LuceneFields.TRIGRAM, LuceneFields.trigramBytes(g))), Occur.FILTER);
        }
        return new LuceneDocumentQuery(b.build(), c);
    }

    private static Query compare(Where.Compare c) {
        String key = c.key();
        Object v = c.value();
        return switch (c.op()) {
            case EQ -> equal(key, v, false);
            case NE -> not(equal(key, v, false));
            case IN -> in(key, (List<?>) v);
            case NIN -> not(in(key, (List<?>) v));
            case CONTAINS -> equal(key, v, true);
            case NOT_CONTAINS -> not(equal(key, v, true));
            case GT, GTE, LT, LTE -> range(key, c.op(), (Number) v);
        };
    }

    /** {@code scalarEquals(stored, v)} on the scalar value ({@code list=false}) or on any list element. */
    private static Query equal(String key, Object v, boolean list) {
        return switch (v) {
            case String s -> new TermQuery(new Term(LuceneFields.field(LuceneFields.STRING, key, list),
                    LuceneFields.stringTerm(s)));
            case Boolean b -> new TermQuery(new Term(LuceneFields.field(LuceneFields.BOOL, key, list),
                    LuceneFields.bool(b)));
            // list elements keep ints and floats apart, as Chroma 1.x's $contains does (Where.elementEquals)
            case Long l when list -> new TermQuery(new Term(LuceneFields.field(LuceneFields.INT_TERM, key, true),
                    LuceneFields.longTerm(l)));
            case Double d when list -> new TermQuery(new Term(LuceneFields.field(LuceneFields.FLOAT_TERM, key, true),
                    LuceneFields.doubleTerm(d)));
            case Long l -> or(List.of(
                    new TermQuery(new Term(LuceneFields.field(LuceneFields.INT_TERM, key, list), LuceneFields.longTerm(l))),
                    new TermQuery(new Term(LuceneFields.field(LuceneFields.FLOAT_TERM, key, list), LuceneFields.doubleTerm(l)))));
            case Double d -> or(List.of(
                    new TermQuery(new Term(LuceneFields.field(LuceneFields.FLOAT_TERM, key, list), LuceneFields.doubleTerm(d))),
                    new TermQuery(new Term(LuceneFields.field(LuceneFields.INT_AS_DOUBLE_TERM, key, list), LuceneFields.doubleTerm(d)))));
            default -> throw new IllegalArgumentException("not a normalised scalar: " + v);
        };
    }

    /** {@code $in}: set queries per kind, so long lists need no Boolean clause per value. */
    private static Query in(String key, List<?> values) {
        Set<BytesRef> strings = new LinkedHashSet<>();
        Set<BytesRef> bools = new LinkedHashSet<>();
        Set<BytesRef> longs = new LinkedHashSet<>();
        Set<BytesRef> longsAsDoubles = new LinkedHashSet<>();
        Set<BytesRef> doubles = new LinkedHashSet<>();
        for (Object v : values) {
            switch (v) {
                case String s -> strings.add(LuceneFields.stringTerm(s));
                case Boolean b -> bools.add(LuceneFields.bool(b));
                case Long l -> {
                    longs.add(LuceneFields.longTerm(l));
                    longsAsDoubles.add(LuceneFields.doubleTerm(l));
                }
                case Double d -> doubles.add(LuceneFields.doubleTerm(d));
                default -> throw new IllegalArgumentException("not a normalised scalar: " + v);
            }
        }
        List<Query> any = new ArrayList<>();
        addSet(any, LuceneFields.STRING, key, strings);
        addSet(any, LuceneFields.BOOL, key, bools);
        addSet(any, LuceneFields.INT_TERM, key, longs);             // int operand, int value: exact
        addSet(any, LuceneFields.FLOAT_TERM, key, longsAsDoubles);  // int operand, float value: as doubles
        addSet(any, LuceneFields.FLOAT_TERM, key, doubles);         // float operand, float value
        addSet(any, LuceneFields.INT_AS_DOUBLE_TERM, key, doubles); // float operand, int value: as doubles
        return or(any);
    }

    private static void addSet(List<Query> any, String kind, String key, Set<BytesRef> terms) {
        if (!terms.isEmpty()) {
            any.add(new TermInSetQuery(LuceneFields.field(kind, key, false), terms));
        }
    }

    /**
     * {@code $gt $gte $lt $lte} on scalar numbers. An int operand compares exactly with ints and as
     * a double with floats; a float operand compares as a double with both (Where.compare).
     */
    private static Query range(String key, Where.Op op, Number operand) {
        List<Query> any = new ArrayList<>(2);
        String floats = LuceneFields.field(LuceneFields.FLOAT, key, false);
        if (operand instanceof Long l) {
            Query ints = longRange(LuceneFields.field(LuceneFields.INT, key, false), op, l);
            if (ints != null) {
                any.add(ints);
            }
            any.add(doubleRange(floats, op, (double) l));
        } else {
            double d = operand.doubleValue();
            any.add(doubleRange(floats, op, d));
            any.add(doubleRange(LuceneFields.field(LuceneFields.INT_AS_DOUBLE, key, false), op, d));
        }
        return or(any);
    }

    /** Null when no long satisfies the comparison (e.g. {@code > Long.MAX_VALUE}). */
    private static Query longRange(String field, Where.Op op, long v) {
        return switch (op) {
            case GT -> v == Long.MAX_VALUE ? null : LongPoint.newRangeQuery(field, v + 1, Long.MAX_VALUE);
            case GTE -> LongPoint.newRangeQuery(field, v, Long.MAX_VALUE);
            case LT -> v == Long.MIN_VALUE ? null : LongPoint.newRangeQuery(field, Long.MIN_VALUE, v - 1);
            case LTE -> LongPoint.newRangeQuery(field, Long.MIN_VALUE, v);
            default -> throw new IllegalArgumentException("not a range operator: " + op);
        };
    }

    /** Bounds in the point order, which is {@link Double#compare}'s (-0.0 &lt; 0.0), as Where.compare uses. */
    private static Query doubleRange(String field, Where.Op op, double v) {
        return switch (op) {
            case GT -> DoublePoint.newRangeQuery(field, DoublePoint.nextUp(v), Double.POSITIVE_INFINITY);
            case GTE -> DoublePoint.newRangeQuery(field, v, Double.POSITIVE_INFINITY);
            case LT -> DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, DoublePoint.nextDown(v));
            case LTE -> DoublePoint.newRangeQuery(field, Double.NEGATIVE_INFINITY, v);
            default -> throw new IllegalArgumentException("not a range operator: " + op);
        };
    }

    /** All records minus {@code positive}: what Chroma's negated operators select. */
    static Query not(Query positive) {
        return new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), Occur.FILTER)
                .add(positive, Occur.MUST_NOT)
                .build();
    }

    /** Conjunction; an empty one matches everything (allMatch of nothing). */
    static Query and(List<Query> clauses) {
        if (clauses.isEmpty()) {
            return new MatchAllDocsQuery();
        }
        if (clauses.size() == 1) {
            return clauses.getFirst();
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Query q : clauses) {
            if (isOnly(q, Occur.FILTER)) {
                // inlined: Lucene's rewrite flattens one nesting level per pass, which made a
                // 300-deep $and take 40 s; built flat it takes milliseconds
                for (BooleanClause c : ((BooleanQuery) q).clauses()) {
                    b.add(c.query(), Occur.FILTER);
                }
            } else {
                b.add(q, Occur.FILTER);
            }
        }
        return b.build();
    }

    /** A Boolean query of {@code occur} clauses only (no minimum-should-match): safe to inline. */
    private static boolean isOnly(Query q, Occur occur) {
        if (!(q instanceof BooleanQuery bq) || bq.getMinimumNumberShouldMatch() != 0 || bq.clauses().isEmpty()) {
            return false;
        }
        for (BooleanClause c : bq.clauses()) {
            if (c.occur() != occur) {
                return false;
            }
        }
        return true;
    }

    /** Disjunction; an empty one matches nothing (anyMatch of nothing). */
    static Query or(List<Query> clauses) {
        if (clauses.isEmpty()) {
            return new MatchNoDocsQuery("empty $or");
        }
        if (clauses.size() == 1) {
            return clauses.getFirst();
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Query q : clauses) {
            if (isOnly(q, Occur.SHOULD)) {
                for (BooleanClause c : ((BooleanQuery) q).clauses()) {
                    b.add(c.query(), Occur.SHOULD);
                }
            } else {
                b.add(q, Occur.SHOULD);
            }
        }
        return b.build();
    }
}
