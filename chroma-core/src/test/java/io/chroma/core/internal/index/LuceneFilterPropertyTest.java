package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key property: for random records (str/int/float/bool/list values, missing keys, null and
 * odd documents, updates and deletes) and random filters, {@link LuceneIndex#filter} returns
 * exactly the records {@link Where#matches} / {@link WhereDocument#matches} accept.
 */
class LuceneFilterPropertyTest {

    /** One write: an upsert of (metadata, document) at seq, or a delete when {@code delete}. */
    record Op(long seq, boolean delete, Map<String, Object> metadata, String document) {
    }

    @Property(tries = 200)
    void filterAgreesWithTheReferenceSemantics(@ForAll("writes") List<Op> writes,
                                               @ForAll("wheres") List<Where> wheres,
                                               @ForAll("whereDocuments") List<WhereDocument> whereDocuments)
            throws IOException {
        TreeMap<Long, Op> model = new TreeMap<>();
        try (LuceneIndex idx = LuceneIndex.open(null, LuceneTestData.settings(Space.L2, 1))) {
            int i = 0;
            for (Op w : writes) {
                if (w.delete()) {
                    idx.delete(w.seq());
                    model.remove(w.seq());
                } else {
                    idx.upsert(w.seq(), new float[] {w.seq()}, w.metadata(), w.document());
                    model.put(w.seq(), w);
                }
                if (++i % 10 == 0) {
                    idx.size(); // a read mid-stream: several segments, deletes across them
                }
            }
            assertThat(idx.size()).isEqualTo(model.size());
            for (Where where : wheres) {
                check(idx, model, where, null);
            }
            for (WhereDocument wd : whereDocuments) {
                check(idx, model, null, wd);
                check(idx, model, Where.document(wd), null);
            }
            for (int j = 0; j < Math.min(wheres.size(), whereDocuments.size()); j++) {
                check(idx, model, wheres.get(j), whereDocuments.get(j));
            }
        }
    }

    private static void check(LuceneIndex idx, TreeMap<Long, Op> model, Where where, WhereDocument wd)
            throws IOException {
        long[] expected = model.values().stream()
                .filter(r -> (where == null || where.matches(r.metadata(), r.document()))
                        && (wd == null || wd.matches(r.document())))
                .mapToLong(Op::seq).toArray();
        Statistics.label("selectivity").collect(expected.length == 0 ? "none" : expected.length == model.size() ? "all" : "some");
        assertThat(idx.filter(where, wd))
                .as("where %s, where_document %s", where == null ? null : where.toJson(), wd == null ? null : wd.toJson())
                .containsExactly(expected);
        // the same set through the search path (k above the count: exact, all of them)
        if (expected.length > 0) {
            assertThat(idx.search(new float[] {0}, expected.length + 1, 10, where, wd, null))
                    .containsExactlyInAnyOrder(expected);
        }
    }

    // ---- values ----

    private static final String[] KEYS = {"a", "b", "tags"};

    private static Arbitrary<Object> strings() {
        return Arbitraries.of("", "x", "y", "xy", "X", "é", "a\uD800");
    }

    private static Arbitrary<Object> ints() {
        // small values collide often; 2^53 + 1 and the extremes probe exact long comparison
        return Arbitraries.of(-1L, 0L, 0L, 1L, 2L, 1L << 53, (1L << 53) + 1, Long.MAX_VALUE, Long.MIN_VALUE);
    }

    private static Arbitrary<Object> floats() {
        // -0.0 == 0.0 but Double.compare orders them; 2^53, 2^53 + 2 and ±2^63 meet the long extremes
        return Arbitraries.of(-1.5, -0.0, 0.0, 1.0, 2.0, 2.5, 9.007199254740992E15, 9.007199254740994E15,
                9.223372036854776E18, -9.223372036854776E18, Double.MIN_VALUE);
    }

    private static Arbitrary<Object> bools() {
        return Arbitraries.of(true, false);
    }

    private static Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(strings(), ints(), floats(), bools());
    }

    private static Arbitrary<Object> numbers() {
        return Arbitraries.oneOf(ints(), floats());
    }

    /** A homogeneous non-empty list, as Values.metadata allows. */
    private static Arbitrary<Object> lists() {
        return Arbitraries.of(0, 1, 2, 3)
                .flatMap(kind -> elementsOf(kind).list().ofMinSize(1).ofMaxSize(3).map(l -> (Object) List.copyOf(l)));
    }

    private static Arbitrary<Object> elementsOf(int kind) {
        return switch (kind) {
            case 0 -> strings();
            case 1 -> ints();
            case 2 -> floats();
            default -> bools();
        };
    }

    private static Arbitrary<Map<String, Object>> metadata() {
        Arbitrary<Object> value = Arbitraries.frequencyOf(
                Tuple.of(4, scalars()), Tuple.of(1, lists()));
        Arbitrary<Map<String, Object>> maps = Arbitraries.maps(Arbitraries.of(KEYS), value).ofMaxSize(4)
                .map(m -> (Map<String, Object>) new LinkedHashMap<>(m));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(null)), Tuple.of(6, maps));
    }

    private static Arbitrary<String> documents() {
        Arbitrary<String> text = Arbitraries.strings().withChars("abAB c").ofMinLength(0).ofMaxLength(12);
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(null)),
                Tuple.of(8, text),
                Tuple.of(1, Arbitraries.of("ab\uD800cab", "é😀ab", "😀")));
    }

    @Provide
    Arbitrary<List<Op>> writes() {
        Arbitrary<Op> upsert = Combinators.combine(Arbitraries.longs().between(0, 30), metadata(), documents())
                .as((seq, m, d) -> new Op(seq, false, m, d));
        Arbitrary<Op> delete = Arbitraries.longs().between(0, 30).map(seq -> new Op(seq, true, null, null));
        return Arbitraries.frequencyOf(Tuple.of(8, upsert), Tuple.of(1, delete))
                .list().ofMinSize(0).ofMaxSize(45);
    }

    // ---- filters ----

    private static Arbitrary<Where> compare() {
        Arbitrary<String> key = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(KEYS)), Tuple.of(1, Arbitraries.just("missing")));
        Arbitrary<Where> eqLike = Combinators.combine(key,
                        Arbitraries.of(Where.Op.EQ, Where.Op.NE, Where.Op.CONTAINS, Where.Op.NOT_CONTAINS), scalars())
                .as(Where.Compare::new);
        Arbitrary<Where> range = Combinators.combine(key,
                        Arbitraries.of(Where.Op.GT, Where.Op.GTE, Where.Op.LT, Where.Op.LTE), numbers())
                .as(Where.Compare::new);
        Arbitrary<Object> inList = Arbitraries.oneOf(
                strings().list().ofMinSize(1).ofMaxSize(3).map(l -> (Object) l),
                bools().list().ofMinSize(1).ofMaxSize(2).map(l -> (Object) l),
                numbers().list().ofMinSize(1).ofMaxSize(4) // Chroma refuses lists mixing ints and floats
                        .filter(l -> l.stream().map(Object::getClass).distinct().count() == 1).map(l -> (Object) l));
        Arbitrary<Where> in = Combinators.combine(key, Arbitraries.of(Where.Op.IN, Where.Op.NIN), inList)
                .as(Where.Compare::new);
        return Arbitraries.oneOf(eqLike, range, in);
    }

    private static Arbitrary<Where> where(int depth) {
        if (depth == 0) {
            return compare();
        }
        Arbitrary<List<Where>> children = where(depth - 1).list().ofMinSize(0).ofMaxSize(3);
        return Arbitraries.frequencyOf(
                Tuple.of(4, compare()),
                Tuple.of(1, whereDocument(1).map(Where::document)),
                Tuple.of(2, children.map(l -> (Where) new Where.And(l))),
                Tuple.of(2, children.map(l -> (Where) new Where.Or(l))));
    }

    private static Arbitrary<WhereDocument> documentLeaf() {
        Arbitrary<String> text = Arbitraries.strings().withChars("abAB c").ofMinLength(1).ofMaxLength(4);
        Arbitrary<String> unusual = Arbitraries.of("\uD800", "😀", "é😀", "\uD800c");
        Arbitrary<String> needle = Arbitraries.frequencyOf(Tuple.of(6, text), Tuple.of(1, unusual));
        Arbitrary<String> regex = Arbitraries.of("a", "(?i)ab", "^a", "b$", "a.b", "[AB]{2}", "^$", "c|A",
                "(?i)c(?-i)A", "a b", "\\s");
        return Arbitraries.oneOf(
                needle.map(WhereDocument.Contains::new),
                needle.map(WhereDocument.NotContains::new),
                regex.map(WhereDocument.Regex::new),
                regex.map(WhereDocument.NotRegex::new));
    }

    private static Arbitrary<WhereDocument> whereDocument(int depth) {
        if (depth == 0) {
            return documentLeaf();
        }
        Arbitrary<List<WhereDocument>> children = whereDocument(depth - 1).list().ofMinSize(0).ofMaxSize(3);
        return Arbitraries.frequencyOf(
                Tuple.of(4, documentLeaf()),
                Tuple.of(1, children.map(l -> (WhereDocument) new WhereDocument.And(l))),
                Tuple.of(1, children.map(l -> (WhereDocument) new WhereDocument.Or(l))));
    }

    @Provide
    Arbitrary<List<Where>> wheres() {
        return where(3).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<WhereDocument>> whereDocuments() {
        return whereDocument(2).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Checks the generators themselves cover what they must (so the property is not vacuous). */
    @Property(tries = 1)
    void generatorsProduceListsAndMissingKeys(@ForAll("writes") List<Op> writes) {
        List<Object> sample = new ArrayList<>(lists().sampleStream().limit(50).toList());
        assertThat(sample).allMatch(o -> o instanceof List<?> l && !l.isEmpty());
    }
}
