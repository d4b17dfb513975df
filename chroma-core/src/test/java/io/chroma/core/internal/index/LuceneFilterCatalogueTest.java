package io.chroma.core.internal.index;

import io.chroma.api.Space;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The where / where_document cases of the behaviour catalogue (A.5) and the numeric corner cases,
 * each checked against the index and against the reference {@code matches}.
 */
class LuceneFilterCatalogueTest {

    private LuceneIndex idx;
    private final List<Map<String, Object>> metas = new ArrayList<>();
    private final List<String> docs = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        idx = LuceneIndex.open(null, LuceneTestData.settings(Space.L2, 1));
    }

    @AfterEach
    void close() throws IOException {
        idx.close();
    }

    private void add(Map<String, Object> metadata, String document) throws IOException {
        idx.upsert(metas.size(), new float[] {metas.size()}, metadata, document);
        metas.add(metadata);
        docs.add(document);
    }

    private static Map<String, Object> meta(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The index result, after checking it equals the reference semantics. */
    private long[] where(Where w) throws IOException {
        return both(w, null);
    }

    private long[] both(Where w, WhereDocument d) throws IOException {
        long[] got = idx.filter(w, d);
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < metas.size(); i++) {
            if ((w == null || w.matches(metas.get(i), docs.get(i))) && (d == null || d.matches(docs.get(i)))) {
                expected.add((long) i);
            }
        }
        assertThat(got).as("reference for %s / %s", w, d)
                .containsExactly(expected.stream().mapToLong(Long::longValue).toArray());
        return got;
    }

    @Test
    void intsAndFloatsCompareNumericallyButBoolsNever() throws IOException {
        add(meta("v", 1L), null);          // 0
        add(meta("v", 2L), null);          // 1
        add(meta("v", 2.0), null);         // 2
        add(meta("v", 2.5), null);         // 3
        add(meta("v", false), null);       // 4
        add(meta("v", true), null);        // 5
        add(meta("v", "2"), null);         // 6
        add(meta("other", 1L), null);      // 7
        add(null, null);                   // 8
        assertThat(where(Where.lte("v", 2.0))).containsExactly(0, 1, 2);
        assertThat(where(Where.lte("v", 2L))).containsExactly(0, 1, 2);
        assertThat(where(Where.lt("v", 2L))).containsExactly(0);
        assertThat(where(Where.gt("v", 2L))).containsExactly(3);
        assertThat(where(Where.eq("v", 2L))).containsExactly(1, 2);
        assertThat(where(Where.eq("v", 2.5))).containsExactly(3);
        assertThat(where(Where.eq("v", 0L))).isEmpty(); // not False
        assertThat(where(Where.eq("v", 1L))).containsExactly(0); // not True
        assertThat(where(Where.eq("v", true))).containsExactly(5);
        assertThat(where(Where.eq("v", "2"))).containsExactly(6);
        assertThat(where(Where.ne("v", 2L))).containsExactly(0, 3, 4, 5, 6, 7, 8);
        assertThat(where(Where.in("v", 1.0, 2.5))).containsExactly(0, 3); // one list may not mix ints and floats
        assertThat(where(Where.nin("v", 1.0, 2.5))).containsExactly(1, 2, 4, 5, 6, 7, 8);
        assertThat(where(Where.in("v", false))).containsExactly(4);
    }

    @Test
    void minusZeroIsZero() throws IOException {
        // Chroma stores -0.0 as 0.0; Values normalises metadata and operands alike before they get here
        add(meta("z", 0.0), null);   // 0
        add(meta("z", 0L), null);    // 1
        assertThat(where(Where.eq("z", -0.0))).containsExactly(0, 1);
        assertThat(where(Where.in("z", -0.0))).containsExactly(0, 1);
        assertThat(where(Where.ne("z", -0.0))).isEmpty();
        assertThat(where(Where.lt("z", 0.0))).isEmpty();
        assertThat(where(Where.gte("z", 0L))).containsExactly(0, 1);
        assertThat(where(Where.gt("z", -0.0))).isEmpty();
        assertThat(where(Where.lte("z", -0.0))).containsExactly(0, 1);
    }

    @Test
    void longsBeyondTwoToTheFiftyThreeCompareExactly() throws IOException {
        long big = (1L << 53) + 1; // not representable as a double
        add(meta("n", big), null);               // 0
        add(meta("n", big - 1), null);           // 1
        add(meta("n", Long.MAX_VALUE), null);    // 2
        add(meta("n", (double) (1L << 53)), null); // 3
        assertThat(where(Where.eq("n", big))).containsExactly(0, 3); // the float 2^53 equals (double) big
        assertThat(where(Where.eq("n", big - 1))).containsExactly(1, 3);
        assertThat(where(Where.gt("n", big - 1))).containsExactly(0, 2);
        assertThat(where(Where.lt("n", big))).containsExactly(1); // 2^53 as a float is not below (double) big
        assertThat(where(Where.eq("n", (double) (1L << 53)))).containsExactly(0, 1, 3); // as doubles
        assertThat(where(Where.gt("n", Long.MAX_VALUE))).isEmpty();
        assertThat(where(Where.gte("n", Long.MAX_VALUE))).containsExactly(2);
        assertThat(where(Where.lt("n", Long.MIN_VALUE))).isEmpty();
    }

    @Test
    void listsMatchContainsButNotEquality() throws IOException {
        add(meta("tags", List.of("action", "drama")), "a");   // 0
        add(meta("tags", List.of("comedy")), "b");             // 1
        add(meta("tags", "action"), "c");                      // 2
        add(meta("nums", List.of(1L, 2L)), null);              // 3
        add(meta("nums", List.of(2.0, 3.5)), null);            // 4
        add(meta("flags", List.of(true)), null);               // 5
        add(null, null);                                       // 6
        assertThat(where(Where.contains("tags", "action"))).containsExactly(0);
        assertThat(where(Where.notContains("tags", "action"))).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(where(Where.eq("tags", "action"))).containsExactly(2);
        assertThat(where(Where.ne("tags", "action"))).containsExactly(0, 1, 3, 4, 5, 6);
        assertThat(where(Where.in("tags", "action", "comedy"))).containsExactly(2);
        // list elements keep ints and floats apart, as in Chroma 1.x (scalars compare across them)
        assertThat(where(Where.contains("nums", 2L))).containsExactly(3);
        assertThat(where(Where.contains("nums", 2.0))).containsExactly(4);
        assertThat(where(Where.contains("nums", 3.5))).containsExactly(4);
        assertThat(where(Where.contains("nums", 1.0))).isEmpty();
        assertThat(where(Where.notContains("nums", 2L))).containsExactly(0, 1, 2, 4, 5, 6);
        assertThat(where(Where.gt("nums", 0L))).isEmpty(); // ranges apply to scalars only
        assertThat(where(Where.contains("flags", true))).containsExactly(5);
        assertThat(where(Where.contains("flags", 1L))).isEmpty();
    }

    @Test
    void listUpdatesLeaveNoStaleElements() throws IOException {
        idx.upsert(0, new float[] {0}, meta("k", List.of("a", "b")), null);
        idx.upsert(0, new float[] {0}, meta("k", "a"), null);
        assertThat(idx.filter(Where.contains("k", "a"), null)).isEmpty();
        assertThat(idx.filter(Where.eq("k", "a"), null)).containsExactly(0);
        idx.upsert(0, new float[] {0}, meta("k", List.of("c")), null);
        assertThat(idx.filter(Where.eq("k", "a"), null)).isEmpty();
        assertThat(idx.filter(Where.contains("k", "c"), null)).containsExactly(0);
        idx.upsert(0, new float[] {0}, meta(), null);
        assertThat(idx.filter(Where.contains("k", "c"), null)).isEmpty();
        assertThat(idx.filter(Where.notContains("k", "c"), null)).containsExactly(0);
    }

    @Test
    void documentsSubstringRegexAndMissingDocuments() throws IOException {
        add(meta("test", 10L), "zero");     // 0
        add(meta("test", 10L), "cat");      // 1
        add(meta("test", 12L), "Cat");      // 2
        add(meta("test", 10L), "CAT");      // 3
        add(meta("test", 13L), null);       // 4
        add(meta("test", 14L), "");         // 5
        add(meta("test", 15L), "a zero b"); // 6
        assertThat(both(null, WhereDocument.contains("zer"))).containsExactly(0, 6);
        assertThat(both(null, WhereDocument.contains("ze"))).containsExactly(0, 6); // shorter than a trigram
        assertThat(both(null, WhereDocument.contains("Zer"))).isEmpty();             // case-sensitive
        assertThat(both(null, WhereDocument.notContains("zer"))).containsExactly(1, 2, 3, 4, 5);
        assertThat(both(null, WhereDocument.regex("cat"))).containsExactly(1);
        assertThat(both(null, WhereDocument.regex("(?i)cat"))).containsExactly(1, 2, 3);
        assertThat(both(Where.ne("test", 10L), WhereDocument.regex("(?i)c(?-i)at"))).containsExactly(2);
        assertThat(both(null, WhereDocument.regex("^$"))).containsExactly(5);
        assertThat(both(null, WhereDocument.notRegex("^$"))).containsExactly(0, 1, 2, 3, 4, 6);
        assertThat(both(null, WhereDocument.or(WhereDocument.contains("zero"), WhereDocument.regex("^C"))))
                .containsExactly(0, 2, 3, 6);
        assertThat(both(null, WhereDocument.and(WhereDocument.contains("zero"), WhereDocument.notContains("a "))))
                .containsExactly(0);
        assertThat(where(Where.document(WhereDocument.contains("at")))).containsExactly(1, 2);
        assertThat(where(Where.or(Where.eq("test", 13L), Where.document(WhereDocument.contains("CA")))))
                .containsExactly(3, 4);
    }

    @Test
    void emptyConjunctionsAndDisjunctions() throws IOException {
        add(meta("a", 1L), "x");
        add(null, null);
        assertThat(where(new Where.And(List.of()))).containsExactly(0, 1);
        assertThat(where(new Where.Or(List.of()))).isEmpty();
        assertThat(both(null, new WhereDocument.And(List.of()))).containsExactly(0, 1);
        assertThat(both(null, new WhereDocument.Or(List.of()))).isEmpty();
    }

    @Test
    void manyInValuesNeedNoBooleanClauses() throws IOException {
        for (int i = 0; i < 50; i++) {
            add(meta("k", (long) i, "s", "v" + i), null);
        }
        List<Object> ints = new ArrayList<>();
        List<Object> strs = new ArrayList<>();
        for (int i = 0; i < 5000; i += 2) {
            ints.add((long) i);
            strs.add("v" + i);
        }
        assertThat(where(Where.in("k", ints))).hasSize(25);
        assertThat(where(Where.nin("s", strs))).hasSize(25);
    }
}
