package io.chroma.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.chroma.api.Get;
import io.chroma.api.Where;
import io.chroma.api.WhereDocument;
import io.chroma.server.internal.RequestReader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input over HTTP against an in-process server: generated structurally wrong {@code where},
 * {@code where_document}, {@code include}, ids, metadata and embeddings, plus hand-written hostile
 * bodies (deep nesting, 10 MB strings, invalid UTF-8, catastrophic regexes, 100k-value {@code $in},
 * duplicate keys, numbers beyond every range).
 *
 * <p>What must hold for every input: the answer is a 2xx or a 4xx with a {@code {"error","message"}}
 * body, never a 5xx; it comes within {@link #ANSWER_WITHIN}; the server stays up; and the seeded
 * records are byte-for-byte what they were (bad writes and deletes change nothing). A {@code where}
 * or {@code where_document} the server accepts on get must select exactly what the reference
 * evaluator ({@link Where#matches}) selects on the seed.
 *
 * <p>CI runs a few hundred generated inputs per property; {@code -Dchroma.long=true} adds
 * {@link #longFuzz} (20,000 more, or {@code -Dchroma.fuzz.inputs=N}).
 */
class BadInputFuzzTest {

    /** "Answered within a few seconds": generous for a 2-core CI box, far below any hang. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    static final int DIM = 3;
    static final RequestReader READER = new RequestReader(false);

    static Path dir;
    static ChromaServer server;
    static RawHttp http;
    static String coll;
    static String records;
    static JsonNode snapshot;
    /** The seed as the reference evaluator sees it: id → (metadata, document). */
    static final Map<String, Object[]> SEED = new TreeMap<>();
    static final List<String> FAILURES = new ArrayList<>();
    static long requests;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("chroma-fuzz-");
        server = ChromaServer.start(ServerConfig.defaults().withPath(dir.resolve("data")).withPort(0));
        http = new RawHttp(server.url(), Duration.ofSeconds(60));
        coll = http.createCollection("fuzz");
        records = RawHttp.V2 + "/collections/" + coll;
        seed();
        snapshot = snapshot();
        assertThat(snapshot.path("ids").size()).isEqualTo(SEED.size());
    }

    @AfterContainer
    static void stop() {
        try {
            // after every property and example, whatever order jqwik ran them in
            assertThat(http.get("/api/v2/heartbeat").status()).isEqualTo(200);
            assertThat(snapshot()).isEqualTo(snapshot);
            System.out.println("BadInputFuzzTest: " + requests + " requests, " + FAILURES.size() + " broken rules");
        } finally {
            server.close();
            deleteTree(dir);
        }
    }

    /** 60 records with every metadata kind, plus a document built to make naive regexes backtrack. */
    static void seed() {
        Random r = new Random(7);
        List<String> ids = new ArrayList<>();
        List<float[]> embs = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        List<Map<String, Object>> metas = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = "r" + i;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("i", (long) (i % 7) - 3);
            m.put("f", i / 4.0);
            m.put("s", "v" + (i % 5));
            m.put("b", i % 2 == 0);
            if (i % 3 == 0) {
                m.put("tags", List.of("t" + (i % 4), "all"));
            }
            if (i % 10 == 9) {
                m = null;
            }
            String doc = switch (i % 4) {
                case 0 -> null;
                case 1 -> "the quick brown fox " + i;
                case 2 -> "a".repeat(40) + "!";
                default -> "Cat and dog " + i;
            };
            ids.add(id);
            embs.add(new float[] {r.nextFloat(), r.nextFloat(), r.nextFloat()});
            docs.add(doc);
            metas.add(m);
            SEED.put(id, new Object[] {m, doc});
        }
        StringBuilder b = new StringBuilder("{\"ids\":").append(Json.of(ids)).append(",\"embeddings\":[");
        for (int i = 0; i < embs.size(); i++) {
            float[] e = embs.get(i);
            b.append(i == 0 ? "" : ",").append('[').append(e[0]).append(',').append(e[1]).append(',').append(e[2]).append(']');
        }
        b.append("],\"documents\":").append(Json.of(docs)).append(",\"metadatas\":").append(Json.of(metas)).append('}');
        RawHttp.Answer a = http.post(records + "/add", b.toString());
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
    }

    static JsonNode snapshot() {
        RawHttp.Answer a = http.post(records + "/get",
                "{\"include\":[\"embeddings\",\"documents\",\"metadatas\",\"uris\"]}");
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        return a.json();
    }

    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("cannot delete " + root + ": " + e);
        }
    }

    // ---------------------------------------------------------------- the checks

    /** Sends one input; records (not throws) every broken rule so one run reports them all. */
    static RawHttp.Answer answered(String route, byte[] body, String what) {
        RawHttp.Answer a = http.post(records + "/" + route, body);
        requests++;
        String input = what + " " + preview(body);
        if (a.status() < 0 || a.status() >= 500) {
            fail(route + " " + input + " -> " + a);
        } else if (a.status() >= 400 && !a.isClientErrorWithBody()) {
            fail(route + " " + input + " -> 4xx without an error body: " + a);
        } else if (a.status() >= 300 && a.status() < 400) {
            fail(route + " " + input + " -> " + a);
        }
        if (a.millis() > ANSWER_WITHIN.toMillis()) {
            fail(route + " " + input + " -> took " + a.millis() + " ms");
        }
        return a;
    }

    static RawHttp.Answer answered(String route, String body, String what) {
        return answered(route, body.getBytes(StandardCharsets.UTF_8), what);
    }

    static void rejected(String route, byte[] body, String what) {
        RawHttp.Answer a = answered(route, body, what);
        if (a.status() < 400) {
            fail(route + " " + what + " " + preview(body) + " was accepted: " + a);
        }
    }

    static void rejected(String route, String body, String what) {
        rejected(route, body.getBytes(StandardCharsets.UTF_8), what);
    }

    /**
     * A read body with the given fields. A query also needs a query embedding (the seeded records
     * have three dimensions), and asks for more results than the 60 seeded records so that
     * whatever a filter selects comes back, as it does for get.
     */
    static String readBody(String route, String fields) {
        return route.equals("query") ? "{\"query_embeddings\":[[0.5,0.5,0.5]],\"n_results\":100," + fields + "}"
                : "{" + fields + "}";
    }

    static void unchanged(String after) {
        JsonNode now = snapshot();
        if (!now.equals(snapshot)) {
            snapshot = now; // report each change once, not again in every later check
            fail("records changed after " + after);
        }
    }

    static synchronized void fail(String message) {
        FAILURES.add(message);
        throw new AssertionError(message);
    }

    static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return body.length > 200 ? s + "… (" + body.length + " bytes)" : s;
    }

    // ---------------------------------------------------------------- generated where / where_document

    @Property(tries = 300)
    void whereFuzz(@ForAll("whereJson") Object where, @ForAll("readOrDelete") String route) {
        checkFilter("where", Json.of(where), route);
    }

    @Property(tries = 300)
    void whereDocumentFuzz(@ForAll("whereDocumentJson") Object whereDocument, @ForAll("readOrDelete") String route) {
        checkFilter("where_document", Json.of(whereDocument), route);
    }

    /**
     * A filter the reader accepts must select what the reference evaluator selects; one it rejects
     * must be a 4xx on every route (delete included, and deleting nothing).
     */
    static void checkFilter(String field, String filter, String route) {
        String fields = "\"" + field + "\":" + filter;
        String getBody = readBody("get", fields);
        Get local;
        try {
            local = READER.get(getBody.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            local = null;
        }
        String body = readBody(route, fields);
        if (local != null && route.equals("delete")) {
            route = "get"; // a valid filter would really delete: read it instead
            body = getBody;
        }
        RawHttp.Answer a = answered(route, body, field);
        if (local == null && a.status() < 400) {
            fail(route + " accepted a " + field + " the reader rejects: " + filter + " -> " + a);
        }
        if (local != null && route.equals("get") && a.status() == 200) {
            TreeSet<String> expected = new TreeSet<>();
            for (Map.Entry<String, Object[]> e : SEED.entrySet()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> meta = (Map<String, Object>) e.getValue()[0];
                String doc = (String) e.getValue()[1];
                if ((local.where() == null || local.where().matches(meta, doc))
                        && (local.whereDocument() == null || local.whereDocument().matches(doc))) {
                    expected.add(e.getKey());
                }
            }
            TreeSet<String> got = new TreeSet<>();
            a.json().path("ids").forEach(n -> got.add(n.asText()));
            if (!got.equals(expected)) {
                fail("get " + field + " " + filter + " selected " + got + ", the reference " + expected);
            }
        }
        if (route.equals("delete")) {
            unchanged("delete " + filter);
        }
    }

    @Provide
    Arbitrary<String> readOrDelete() {
        return Arbitraries.of("get", "query", "delete");
    }

    /** Scalars as they appear on the wire, including values beyond every numeric range. */
    static Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.of("s", "v1", "", "all", "t1", "#document", "$eq", "\u00e9\u6f22", "\ud83d\ude00"),
                Arbitraries.longs().between(-4, 4).map(Object.class::cast),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 0.25, -0.0, 1.5, true, false),
                Arbitraries.of(new Raw("null"), new Raw("1e400"), new Raw("-1e400"), new Raw("18446744073709551616"),
                        new Raw("-18446744073709551617"), new Raw("1e-400"), new Raw("4.9e-324"), new Raw("1.7976931348623157e308"),
                        new Raw("123456789012345678901234567890.5"), new Raw("9007199254740993")));
    }

    @Provide
    Arbitrary<Object> whereJson() {
        Arbitrary<String> keys = Arbitraries.of("$and", "$or", "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in",
                "$nin", "$contains", "$not_contains", "$regex", "$not_regex", "#document", "i", "f", "s", "b", "tags",
                "$bogus", "", "missing");
        return tree(keys, scalars());
    }

    @Provide
    Arbitrary<Object> whereDocumentJson() {
        Arbitrary<String> keys = Arbitraries.of("$and", "$or", "$contains", "$not_contains", "$regex", "$not_regex",
                "$eq", "$bogus", "fox");
        Arbitrary<Object> leaves = Arbitraries.oneOf(scalars(), Arbitraries.of(REGEXES).map(Object.class::cast));
        return tree(keys, leaves);
    }

    static final String[] REGEXES = {"(a+)+$", "(a|aa)+$", "(a|a?)+$", "([a-z]+)*!$", "(.*a){25}", "^(a+)+b", "fox",
            "(?i)CAT", "[", "(", "\\", "a{2147483648}", "\\p{Bogus}", "(?<n>a)\\k<n>", "(?=a)a", "x**", ".*.*.*=.*",
            "((a{1000}){1000}){1000}", "((a{100}){100}){30}"};

    /** Random JSON trees over a vocabulary of operator and key names: mostly wrong, sometimes valid. */
    static Arbitrary<Object> tree(Arbitrary<String> keys, Arbitrary<Object> leaves) {
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
                Combinators.combine(keys, inner).as((k, v) -> (Object) single(k, v)),
                Arbitraries.maps(keys, inner).ofMaxSize(3).map(Object.class::cast),
                inner.list().ofMaxSize(4).map(Object.class::cast),
                leaves), 0, 4);
    }

    static Map<String, Object> single(String k, Object v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k, v);
        return m;
    }

    // ---------------------------------------------------------------- generated include

    @Property(tries = 100)
    void includeFuzz(@ForAll("includes") Object include, @ForAll("readOrDelete") String route) {
        String includeField = "\"include\":" + Json.of(include);
        String body = readBody(route, route.equals("query") ? includeField : "\"ids\":[\"r1\"]," + includeField);
        // include is not a delete field: delete reads only ids here, so read instead
        answered(route.equals("delete") ? "get" : route, body, "include");
    }

    @Provide
    Arbitrary<Object> includes() {
        Arbitrary<Object> names = Arbitraries.oneOf(Arbitraries.of("documents", "embeddings", "metadatas", "distances",
                "uris", "data", "ids", "", "DOCUMENTS", "documents "), scalars());
        return Arbitraries.oneOf(names.list().ofMaxSize(6).map(Object.class::cast), names,
                Arbitraries.maps(Arbitraries.of("documents"), names).ofMaxSize(1).map(Object.class::cast));
    }

    // ---------------------------------------------------------------- generated broken writes

    /** A write body that is valid except for the listed defects (at least one). */
    record BrokenWrite(String body, List<String> defects) {
    }

    @Property(tries = 300)
    void brokenWritesAreRejectedAndChangeNothing(@ForAll("brokenWrites") BrokenWrite w,
                                                 @ForAll("writeRoute") String route) {
        // update may carry null embeddings (keep the stored vector): with nothing else wrong, that
        // body is valid there, as in Chroma (UpdateEmbeddingsPayload items are optional)
        Assume.that(!(route.equals("update") && w.defects().equals(List.of("embeddings=[null,null,null]"))));
        rejected(route, w.body(), "defects " + w.defects());
        unchanged(route + " " + w.defects());
    }

    @Provide
    Arbitrary<String> writeRoute() {
        return Arbitraries.of("add", "upsert", "update");
    }

    /**
     * Three new records (so an accepted write would show in the snapshot) with one to three fields
     * replaced by a wrong value.
     */
    @Provide
    Arbitrary<BrokenWrite> brokenWrites() {
        Map<String, List<String>> wrong = new LinkedHashMap<>();
        wrong.put("ids", List.of("null", "\"n1\"", "[1,2,3]", "[\"n1\",null,\"n3\"]", "[\"n1\",\"n1\",\"n3\"]",
                "[\"n1\",\"n2\"]", "[]", "{\"a\":1}", "[[\"n1\"],\"n2\",\"n3\"]", "[\"n1\",\"n2\",\"n3\",\"n4\"]",
                "[\"\\ud800\",\"n2\",\"n3\"]", "[\"n1\",\"n2\",true]"));
        wrong.put("embeddings", List.of("[[1,2],[1,2],[1,2]]", "[[1,2,3,4],[1,2,3],[1,2,3]]", "[[NaN,1,2],[1,2,3],[1,2,3]]",
                "[[Infinity,1,2],[1,2,3],[1,2,3]]", "[[1e400,1,2],[1,2,3],[1,2,3]]", "[[-1e39,1,2],[1,2,3],[1,2,3]]",
                "[[\"1\",2,3],[1,2,3],[1,2,3]]", "[[],[],[]]", "[[[1,2,3]],[1,2,3],[1,2,3]]", "[[1,2,3]]", "{\"x\":[1,2,3]}",
                "[\"NaN\",\"AAAA\",\"AAAA\"]", "[\"AAAAAAAAAAA=\",\"AAAAAAAAAAA=\",\"AAAAAAAAAAA=\"]",
                "[\"AAD//w==\",\"AAD//w==\",\"AAD//w==\"]", "[[1,null,3],[1,2,3],[1,2,3]]", "[[18446744073709551616,1,1],[1,2,3],[1,2,3]]", "[[1e39,1,1],[1,2,3],[1,2,3]]",
                "[null,null,null]", "\"base64\"", "[[1,2,3],[1,2,3],[1,2,3],[1,2,3]]"));
        wrong.put("metadatas", List.of("[{\"k\":{\"x\":1}},{},{}]", "[{\"k\":[1,null]},{},{}]", "[{\"k\":[[1]]},{},{}]",
                "[1,2,3]", "[{\"k\":1}]", "{\"k\":1}", "[{\"k\":[1,\"a\"]},{},{}]",
                "[{\"k\":1e400},{},{}]", "[{\"k\":NaN},{},{}]", "[{\"\":1},{},{}]",
                "[{\"#document\":1},{},{}]", "[{\"chroma:document\":1},{},{}]", "[{\"k\":[{\"a\":1}]},{},{}]"));
        wrong.put("documents", List.of("[1,2,3]", "[\"d\"]", "\"d\"", "[{\"d\":1},\"e\",\"f\"]", "[[\"d\"],\"e\",\"f\"]"));
        wrong.put("uris", List.of("[1,2,3]", "[\"u\"]", "\"u\""));
        wrong.put("$dup", List.of("ids"));
        List<String> fields = List.copyOf(wrong.keySet());
        return Arbitraries.of(fields).set().ofMinSize(1).ofMaxSize(3).flatMap(chosen -> {
            List<Arbitrary<String[]>> picks = new ArrayList<>();
            for (String f : chosen) {
                picks.add(Arbitraries.of(wrong.get(f)).map(v -> new String[] {f, v}));
            }
            return Combinators.combine(picks).as(list -> {
                Map<String, String> body = new LinkedHashMap<>();
                body.put("ids", "[\"n1\",\"n2\",\"n3\"]");
                body.put("embeddings", "[[1,2,3],[4,5,6],[7,8,9]]");
                body.put("documents", "[\"d1\",\"d2\",null]");
                body.put("metadatas", "[{\"k\":1},null,{\"s\":\"x\"}]");
                List<String> defects = new ArrayList<>();
                String dupOf = null;
                for (String[] fv : list) {
                    if (fv[0].equals("$dup")) {
                        dupOf = fv[1];
                        defects.add("duplicate key " + fv[1]);
                    } else {
                        body.put(fv[0], fv[1]);
                        defects.add(fv[0] + "=" + fv[1]);
                    }
                }
                StringBuilder s = new StringBuilder("{");
                body.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
                if (dupOf != null) {
                    // a second, valid-looking value: a lenient parser silently takes one of the two
                    s.append(",\"").append(dupOf).append("\":[\"m1\",\"m2\",\"m3\"]");
                }
                return new BrokenWrite(s.append('}').toString(), defects);
            });
        });
    }

    // ---------------------------------------------------------------- generated garbage bytes

    @Property(tries = 200)
    void truncatedOrGarbledBodies(@ForAll("writeOrRead") String route, @ForAll("cut") double cut,
                                  @ForAll("garbage") byte[] garbage) {
        String valid = switch (route) {
            case "query" -> "{\"query_embeddings\":[[0.1,0.2,0.3]],\"where\":{\"s\":\"v1\"},\"n_results\":5}";
            case "get", "delete" -> "{\"ids\":[\"nope\"],\"where\":{\"$and\":[{\"i\":{\"$gt\":0}},{\"s\":{\"$in\":[\"v1\"]}}]}}";
            default -> "{\"ids\":[\"g1\",\"g2\"],\"embeddings\":[[1,2,3],[3,2,1]],\"metadatas\":[{\"a\":\"b\"},{\"c\":1}]}";
        };
        byte[] full = valid.getBytes(StandardCharsets.UTF_8);
        int at = Math.max(1, (int) (cut * (full.length - 1)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(full, 0, at);
        out.writeBytes(garbage);
        // never closed as the original was: a complete valid write cannot come out of this
        rejected(route, out.toByteArray(), "cut at " + at + " + garbage");
        unchanged(route + " garbage");
    }

    @Provide
    Arbitrary<String> writeOrRead() {
        return Arbitraries.of("add", "upsert", "update", "get", "query", "delete");
    }

    @Provide
    Arbitrary<Double> cut() {
        return Arbitraries.doubles().between(0, 0.97);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> utf8Traps = Arbitraries.of(new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xc0, (byte) 0xaf},
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {'"', (byte) 0x80, '"'},
                new byte[] {0}, "\\ud800\"".getBytes(StandardCharsets.UTF_8), new byte[0]);
        return Arbitraries.oneOf(random, utf8Traps);
    }

    // ---------------------------------------------------------------- hand-written hostile bodies

    @Example
    void deepNesting() {
        for (int depth : new int[] {1_000, 10_000, 100_000}) {
            rejected("get", "{\"where\":" + "{\"$and\":[".repeat(depth) + "{\"s\":\"v1\"}" + "]}".repeat(depth) + "}", "$and depth " + depth);
            rejected("get", "{\"where_document\":" + "{\"$or\":[".repeat(depth) + "{\"$contains\":\"a\"}" + "]}".repeat(depth) + "}", "$or depth " + depth);
            rejected("add", "{\"ids\":" + "[".repeat(depth) + "]".repeat(depth) + "}", "ids depth " + depth);
            rejected("query", "{\"query_embeddings\":" + "[".repeat(depth) + "]".repeat(depth) + "}", "embeddings depth " + depth);
            rejected("add", "{\"ids\":[\"x\"],\"embeddings\":[[1,2,3]],\"metadatas\":[" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "]}", "metadata depth " + depth);
            rejected("delete", "{\"where\":{\"s\":" + "[".repeat(depth) + "]".repeat(depth) + "}}", "value depth " + depth);
        }
        // 300 levels is within what the parser allows: the filter code must not overflow its stack
        int depth = 300;
        answered("get", "{\"where\":" + "{\"$and\":[{\"i\":{\"$gt\":-100}},".repeat(depth) + "{\"s\":\"v1\"}" + "]}".repeat(depth) + "}", "$and depth 300");
        answered("get", "{\"where_document\":" + "{\"$or\":[{\"$contains\":\"zzz\"},".repeat(depth) + "{\"$contains\":\"fox\"}" + "]}".repeat(depth) + "}", "$or depth 300");
        unchanged("deep nesting");
    }

    @Example
    void tenMegabyteStrings() {
        String big = "x".repeat(10 * 1024 * 1024);
        // rejected for another reason (dimension): the size alone must not cost a 5xx or time
        rejected("add", "{\"ids\":[\"" + big + "\"],\"embeddings\":[[1,2]]}", "10 MB id");
        rejected("add", "{\"ids\":[\"big\"],\"embeddings\":[[1,2]],\"documents\":[\"" + big + "\"]}", "10 MB document");
        rejected("upsert", "{\"ids\":[\"big\"],\"embeddings\":[[1,2]],\"metadatas\":[{\"k\":\"" + big + "\"}]}", "10 MB metadata value");
        rejected("add", "{\"ids\":[\"big\"],\"embeddings\":[[1,2]],\"metadatas\":[{\"" + big + "\":1}]}", "10 MB metadata key");
        answered("get", "{\"ids\":[\"" + big + "\"]}", "get 10 MB id");
        answered("get", "{\"where\":{\"s\":\"" + big + "\"}}", "10 MB where operand");
        answered("query", "{\"query_embeddings\":[[1,2,3]],\"where_document\":{\"$contains\":\"" + big + "\"}}", "10 MB $contains");
        answered("get", "{\"where_document\":{\"$regex\":\"" + big + "\"}}", "10 MB $regex");
        answered("delete", "{\"ids\":[\"" + big + "\"]}", "delete 10 MB id");
        rejected("get", "{\"include\":[\"" + big + "\"]}", "10 MB include");
        rejected("add", "{\"" + big + "\":1}", "10 MB field name");
        // over the 40 MiB body limit
        RawHttp.Answer a = http.post(records + "/add", ("{\"ids\":[\"" + "y".repeat(41 * 1024 * 1024) + "\"]}").getBytes(StandardCharsets.UTF_8));
        requests++;
        assertThat(a.status()).as(a.toString()).isEqualTo(413);
        unchanged("10 MB strings");
    }

    @Example
    void invalidUtf8AndLoneSurrogates() {
        byte[][] bad = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};
        for (byte[] b : bad) {
            for (String field : new String[] {"ids", "documents", "uris"}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(("{\"ids\":[\"u1\"],\"embeddings\":[[1,2,3]],\"" + field + "\":[\"ok").getBytes(StandardCharsets.UTF_8));
                out.writeBytes(b);
                out.writeBytes("\"]}".getBytes(StandardCharsets.UTF_8));
                if (field.equals("ids")) {
                    out.reset();
                    out.writeBytes("{\"ids\":[\"ok".getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(b);
                    out.writeBytes("\"],\"embeddings\":[[1,2,3]]}".getBytes(StandardCharsets.UTF_8));
                }
                rejected("add", out.toByteArray(), "invalid UTF-8 in " + field);
            }
        }
        // JSON escapes that decode to half a surrogate pair: not a Unicode string, so not a valid id
        // or document (serde_json, which Chroma 1.x uses, refuses them the same way)
        for (String s : new String[] {"\\ud800", "x\\udfff", "\\udc00\\ud800"}) {
            rejected("add", "{\"ids\":[\"" + s + "\"],\"embeddings\":[[1,2,3]]}", "lone surrogate id");
            rejected("upsert", "{\"ids\":[\"s1\"],\"embeddings\":[[1,2,3]],\"documents\":[\"" + s + "\"]}", "lone surrogate document");
            rejected("add", "{\"ids\":[\"s1\"],\"embeddings\":[[1,2,3]],\"metadatas\":[{\"k\":\"" + s + "\"}]}", "lone surrogate metadata");
            rejected("add", "{\"ids\":[\"s1\"],\"embeddings\":[[1,2,3]],\"metadatas\":[{\"" + s + "\":1}]}", "lone surrogate key");
        }
        unchanged("invalid UTF-8");
    }

    @Example
    void catastrophicRegexesAreBounded() {
        for (String re : REGEXES) {
            for (String route : new String[] {"get", "query"}) {
                answered(route, readBody(route, "\"where_document\":{\"$regex\":" + Json.of(re) + "}"), "regex " + re);
                answered(route, readBody(route, "\"where_document\":{\"$not_regex\":" + Json.of(re) + "}"), "not_regex " + re);
                answered(route, readBody(route, "\"where\":{\"#document\":{\"$regex\":" + Json.of(re) + "}}"), "#document regex " + re);
            }
            // a delete with a filter that cannot finish must not delete part of the collection
            answered("delete", "{\"where_document\":{\"$regex\":" + Json.of(re) + "},\"where\":{\"s\":\"nothing\"}}", "delete regex " + re);
        }
        unchanged("catastrophic regexes");
    }

    @Example
    void hugeInLists() {
        // 300k only in the long version: a 4 MB body of ids is legal but its cost is mostly this box
        for (int n : Boolean.getBoolean("chroma.long") ? new int[] {100_000, 300_000} : new int[] {100_000}) {
            List<String> strings = new ArrayList<>(n);
            List<Long> longs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                strings.add("none-" + i);
                longs.add(1000L + i);
            }
            answered("get", "{\"where\":{\"s\":{\"$in\":" + Json.of(strings) + "}}}", "$in " + n + " strings");
            answered("get", "{\"where\":{\"i\":{\"$nin\":" + Json.of(longs) + "}}}", "$nin " + n + " ints");
            answered("query", "{\"query_embeddings\":[[1,2,3]],\"where\":{\"i\":{\"$in\":" + Json.of(longs) + "}}}", "query $in " + n);
            answered("delete", "{\"where\":{\"s\":{\"$in\":" + Json.of(strings) + "}}}", "delete $in " + n);
            answered("get", "{\"ids\":" + Json.of(strings) + "}", n + " ids");
            answered("delete", "{\"ids\":" + Json.of(strings) + "}", "delete " + n + " ids");
        }
        unchanged("huge $in");
    }

    @Example
    void emptyAndOddIds() {
        answered("get", "{\"ids\":[\"\"]}", "empty id");
        answered("delete", "{\"ids\":[\"\"]}", "delete empty id");
        rejected("add", "{\"ids\":[],\"embeddings\":[[1,2,3]]}", "no ids, one embedding");
        rejected("add", "{\"ids\":[\"\",\"\"],\"embeddings\":[[1,2,3],[1,2,3]]}", "duplicate empty ids");
        rejected("upsert", "{\"ids\":[\"d\",\"d\"],\"embeddings\":[[1,2,3],[1,2,3]]}", "duplicate ids on upsert");
        rejected("update", "{\"ids\":[\"r1\",\"r1\"],\"embeddings\":[[1,2,3],[1,2,3]]}", "duplicate ids on update");
        unchanged("odd ids");
    }

    @Example
    void duplicateKeys() {
        // a lenient parser takes the last value; which one a client meant is unknowable, so refuse
        rejected("add", "{\"ids\":[\"k1\"],\"embeddings\":[[1,2,3]],\"ids\":[\"k2\"]}", "duplicate ids key");
        rejected("upsert", "{\"ids\":[\"r1\"],\"embeddings\":[[1,2,3]],\"embeddings\":[[9,9,9]]}", "duplicate embeddings key");
        rejected("update", "{\"ids\":[\"r1\"],\"metadatas\":[{\"k\":1,\"k\":2}]}", "duplicate metadata key");
        rejected("delete", "{\"ids\":[\"r1\"],\"ids\":[\"r2\"]}", "duplicate ids key on delete");
        rejected("delete", "{\"where\":{\"s\":\"v1\",\"s\":\"v2\"}}", "duplicate key inside where");
        unchanged("duplicate keys");
    }

    @Example
    void numbersOutOfRange() {
        for (String n : new String[] {"1e400", "-1e400", "18446744073709551616", "4294967296", "2147483648", "-1", "1.5",
                "NaN", "Infinity", "-Infinity", "1e10", "0x10", "01", "+1", ".5", "1e", "-"}) {
            String lim = "{\"where\":{\"s\":\"v1\"},\"limit\":" + n + "}";
            // none of these is a u32 this server takes (2^31 is a u32, which Chroma would accept)
            RawHttp.Answer a = answered("get", lim, "limit " + n);
            if (a.status() == 200 && !n.equals("2147483648")) {
                fail("limit " + n + " accepted: " + a);
            }
            a = answered("query", "{\"query_embeddings\":[[1,2,3]],\"n_results\":" + n + "}", "n_results " + n);
            if (a.status() == 200 && !n.equals("2147483648")) {
                fail("n_results " + n + " accepted: " + a);
            }
            answered("get", "{\"where\":{\"i\":{\"$gt\":" + n + "}}}", "$gt " + n);
            answered("get", "{\"offset\":" + n + "}", "offset " + n);
            rejected("add", "{\"ids\":[\"num\"],\"embeddings\":[[" + n + ",1,1]],\"metadatas\":[{\"k\":" + n + "}],\"documents\":[1]}", "number " + n);
            answered("delete", "{\"where\":{\"i\":{\"$lt\":" + n + "}},\"ids\":[\"nope\"]}", "delete $lt " + n);
        }
        unchanged("numbers");
    }

    @Example
    void queryEdges() {
        answered("query", "{\"query_embeddings\":[[1,2,3]],\"n_results\":2147483647}", "n_results max u31");
        answered("query", "{\"query_embeddings\":[],\"n_results\":1}", "no query vectors");
        rejected("query", "{\"query_embeddings\":[[1,2]]}", "wrong query dimension");
        rejected("query", "{\"query_embeddings\":[[1,2,3],[1,2]]}", "ragged query vectors");
        answered("query", "{\"query_embeddings\":[[1,2,3]],\"ids\":[\"r1\",\"missing\"]}", "query by ids");
        StringBuilder many = new StringBuilder("{\"query_embeddings\":[");
        for (int i = 0; i < 300; i++) {
            many.append(i == 0 ? "" : ",").append("[1,2,3]");
        }
        answered("query", many.append("],\"n_results\":60}").toString(), "300 query vectors x 60");
        unchanged("query edges");
    }

    @Example
    void serverStaysUp() {
        RawHttp.Answer a = http.get("/api/v2/heartbeat");
        assertThat(a.status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- long version

    /**
     * {@code -Dchroma.long=true}: the generators above, many more times, in one loop that collects
     * every broken rule (each printed with its input) instead of stopping at the first.
     */
    @Example
    void longFuzz() {
        if (!Boolean.getBoolean("chroma.long")) {
            return;
        }
        int n = Integer.getInteger("chroma.fuzz.inputs", 20_000);
        List<String> found = new ArrayList<>();
        long t0 = System.nanoTime();
        Consumer<Runnable> each = r -> {
            try {
                r.run();
            } catch (AssertionError e) {
                found.add(e.getMessage());
            }
        };
        var wheres = whereJson().sampleStream().iterator();
        var docs = whereDocumentJson().sampleStream().iterator();
        var writes = brokenWrites().sampleStream().iterator();
        var routes = readOrDelete().sampleStream().iterator();
        var writeRoutes = writeRoute().sampleStream().iterator();
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> each.accept(() -> checkFilter("where", Json.of(wheres.next()), routes.next()));
                case 1 -> each.accept(() -> checkFilter("where_document", Json.of(docs.next()), routes.next()));
                default -> each.accept(() -> {
                    BrokenWrite w = writes.next();
                    String route = writeRoutes.next();
                    rejected(route, w.body(), "defects " + w.defects());
                    unchanged(route + " " + w.defects());
                });
            }
        }
        System.out.printf("longFuzz: %d inputs in %d s, %d broken rules%n", n, (System.nanoTime() - t0) / 1_000_000_000, found.size());
        found.stream().limit(50).forEach(System.out::println);
        assertThat(found).isEmpty();
    }

    // ---------------------------------------------------------------- JSON text

    /** A token written verbatim: numbers no Java type holds, {@code NaN}, {@code null}. */
    record Raw(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** JSON text of maps, lists, strings, numbers, booleans and {@link Raw} tokens. */
    static final class Json {
        static String of(Object o) {
            StringBuilder b = new StringBuilder();
            write(b, o);
            return b.toString();
        }

        private static void write(StringBuilder b, Object o) {
            switch (o) {
                case null -> b.append("null");
                case Raw r -> b.append(r.text());
                case String s -> {
                    b.append('"');
                    for (int i = 0; i < s.length(); i++) {
                        char c = s.charAt(i);
                        if (c == '"' || c == '\\') {
                            b.append('\\').append(c);
                        } else if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                    b.append('"');
                }
                case Map<?, ?> m -> {
                    b.append('{');
                    boolean first = true;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        b.append(first ? "" : ",");
                        first = false;
                        write(b, String.valueOf(e.getKey()));
                        b.append(':');
                        write(b, e.getValue());
                    }
                    b.append('}');
                }
                case List<?> l -> {
                    b.append('[');
                    for (int i = 0; i < l.size(); i++) {
                        b.append(i == 0 ? "" : ",");
                        write(b, l.get(i));
                    }
                    b.append(']');
                }
                case BigInteger i -> b.append(i);
                default -> b.append(o);
            }
        }
    }
}
