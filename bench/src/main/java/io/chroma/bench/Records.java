package io.chroma.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Ids, metadata and documents of the benchmark records, all pure functions of the record index so
 * the tool can compute the exact answer of every filter it sends (and check the server's answer).
 *
 * <p>Metadata per record: {@code sel10} = i mod 10 and {@code sel1} = i mod 100 (so an {@code $eq}
 * on one of them selects exactly 10 % / 1 % of the records when n is a multiple of 100),
 * {@code score}, a float in [0, 1), and {@code category}, a short string. Documents are a few words
 * from a fixed vocabulary in which no word contains another, so {@code $contains} on a word has a
 * well-defined answer.
 */
public final class Records {

    private Records() {
    }

    /** No word is a substring of another word or of "doc" / a number. */
    static final List<String> WORDS = List.of(
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
            "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa");

    private static final String[] CATEGORIES = {"news", "sport", "science", "travel", "music", "food", "art"};

    private static final long DOC_SALT = 0xD1B54A32D192ED03L;

    public static String id(int i) {
        return "id-" + i;
    }

    /** The index encoded in {@link #id}, or -1 if {@code id} is not one of ours. */
    public static int indexOf(String id) {
        if (id == null || !id.startsWith("id-")) {
            return -1;
        }
        try {
            return Integer.parseInt(id, 3, id.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static int sel10(int i) {
        return i % 10;
    }

    public static int sel1(int i) {
        return i % 100;
    }

    /** A float in [0, 1) with an exact binary representation (24 random bits), so it round-trips. */
    public static double score(int i) {
        return (Dataset.mix(DOC_SALT, i) >>> 40) / (double) (1 << 24);
    }

    public static String category(int i) {
        return CATEGORIES[(int) Long.remainderUnsigned(Dataset.mix(DOC_SALT + 1, i), CATEGORIES.length)];
    }

    /** "doc 17: delta kilo mike" — three words drawn (with repetition) from {@link #WORDS}. */
    public static String document(int i) {
        long h = Dataset.mix(DOC_SALT + 2, i);
        StringBuilder sb = new StringBuilder(32).append("doc ").append(i).append(':');
        for (int w = 0; w < 3; w++) {
            sb.append(' ').append(WORDS.get((int) (h & 15)));
            h >>>= 4;
        }
        return sb.toString();
    }

    public static Map<String, Object> metadata(int i) {
        return Map.of("sel10", sel10(i), "sel1", sel1(i), "score", score(i), "category", category(i));
    }

    /** The indexes in [0, n) that match {@code p}, ascending. */
    public static int[] matching(int n, IntPredicate p) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (p.test(i)) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
