package io.chroma.core;

import io.chroma.api.Collection;
import io.chroma.api.Delete;
import io.chroma.api.Get;
import io.chroma.api.GetResult;
import io.chroma.api.Include;
import io.chroma.api.Query;
import io.chroma.api.QueryResult;
import io.chroma.api.Records;
import io.chroma.api.Space;
import io.chroma.api.Where;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Random add / update / upsert / delete / get / query / restart sequences against a persistent
 * client, checked after every step against a brute-force in-memory model (a LinkedHashMap in
 * insertion order): count, every field of every record, no duplicates, filtered gets, and query
 * ids and distances.
 */
class EngineModelTest {

    record Item(String id, float[] embedding, String document, Map<String, Object> metadata) {
    }

    sealed interface Op permits Add, Update, Upsert, DeleteIds, DeleteWhere, GetWhere, QueryOp, Restart {
    }

    record Add(List<Item> items) implements Op {
    }

    record Update(List<Item> items) implements Op {
    }

    record Upsert(List<Item> items) implements Op {
    }

    record DeleteIds(List<String> ids) implements Op {
    }

    record DeleteWhere(Where where, Integer limit) implements Op {
    }

    record GetWhere(Where where, int offset, int limit) implements Op {
    }

    record QueryOp(float[] vector, int n, Where where) implements Op {
    }

    record Restart() implements Op {
        @Override
        public String toString() {
            return "Restart";
        }
    }

    /** A model record; its position in the LinkedHashMap is its insertion order. */
    record Rec(float[] embedding, String document, Map<String, Object> metadata) {
    }

    @Property(tries = 30)
    void engineAgreesWithTheModel(@ForAll("ops") List<Op> ops, @ForAll Space space) throws IOException {
        Path dir = Files.createTempDirectory("chroma-model-");
        LinkedHashMap<String, Rec> model = new LinkedHashMap<>();
        PersistentClient client = new PersistentClient(dir);
        try {
            Collection c = client.createCollection("model", Map.of("hnsw:space", space.wireName()));
            for (Op op : ops) {
                switch (op) {
                    case Add a -> {
                        c.add(records(a.items(), true));
                        for (Item it : a.items()) {
                            model.putIfAbsent(it.id(), new Rec(it.embedding(), it.document(), strip(it.metadata())));
                        }
                    }
                    case Update u -> {
                        c.update(records(u.items(), false));
                        for (Item it : u.items()) {
                            Rec old = model.get(it.id());
                            if (old != null) {
                                model.put(it.id(), merged(old, it));
                            }
                        }
                    }
                    case Upsert u -> {
                        c.upsert(records(u.items(), true));
                        for (Item it : u.items()) {
                            Rec old = model.get(it.id());
                            model.put(it.id(), old == null ? new Rec(it.embedding(), it.document(), strip(it.metadata()))
                                    : merged(old, it));
                        }
                    }
                    case DeleteIds d -> {
                        int expected = (int) d.ids().stream().distinct().filter(model::containsKey).count();
                        assertThat(c.delete(Delete.ids(d.ids()))).isEqualTo(expected);
                        d.ids().forEach(model::remove);
                    }
                    case DeleteWhere d -> {
                        List<String> matching = matching(model, d.where());
                        if (d.limit() != null && matching.size() > d.limit()) {
                            matching = matching.subList(0, d.limit());
                        }
                        assertThat(c.delete(Delete.where(d.where()).limit(d.limit()))).isEqualTo(matching.size());
                        matching.forEach(model::remove);
                    }
                    case GetWhere g -> {
                        List<String> matching = matching(model, g.where());
                        List<String> expected = matching.subList(Math.min(g.offset(), matching.size()),
                                Math.min(g.offset() + g.limit(), matching.size()));
                        assertThat(c.get(Get.where(g.where()).offset(g.offset()).limit(g.limit())).ids()).isEqualTo(expected);
                    }
                    case QueryOp q -> checkQuery(c, model, q, space);
                    case Restart r -> {
                        client.close();
                        client = new PersistentClient(dir);
                        c = client.getCollection("model");
                    }
                }
                checkAll(c, model);
            }
        } finally {
            client.close();
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Records records(List<Item> items, boolean withEmbeddings) {
        List<float[]> embs = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        List<Map<String, Object>> metas = new ArrayList<>();
        for (Item it : items) {
            embs.add(it.embedding());
            docs.add(it.document());
            metas.add(it.metadata());
        }
        boolean anyEmbedding = embs.stream().anyMatch(e -> e != null);
        return Records.ids(items.stream().map(Item::id).toList())
                .embeddings(withEmbeddings || anyEmbedding ? embs : null)
                .documents(docs)
                .metadatas(metas);
    }

    private static Map<String, Object> strip(Map<String, Object> m) {
        if (m == null) {
            return null;
        }
        Map<String, Object> out = new HashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out.isEmpty() ? null : out;
    }

    private static Rec merged(Rec old, Item it) {
        Map<String, Object> meta = old.metadata();
        if (it.metadata() != null) {
            Map<String, Object> m = old.metadata() == null ? new HashMap<>() : new HashMap<>(old.metadata());
            it.metadata().forEach((k, v) -> {
                if (v == null) {
                    m.remove(k);
                } else {
                    m.put(k, v);
                }
            });
            meta = m.isEmpty() ? null : m;
        }
        return new Rec(it.embedding() != null ? it.embedding() : old.embedding(),
                it.document() != null ? it.document() : old.document(), meta);
    }

    private static List<String> matching(LinkedHashMap<String, Rec> model, Where where) {
        List<String> out = new ArrayList<>();
        model.forEach((id, r) -> {
            if (where == null || where.matches(r.metadata(), r.document())) {
                out.add(id);
            }
        });
        return out;
    }

    private static void checkAll(Collection c, LinkedHashMap<String, Rec> model) {
        assertThat(c.count()).isEqualTo(model.size());
        GetResult all = c.get(Get.all().include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS));
        assertThat(all.ids()).doesNotHaveDuplicates().containsExactlyElementsOf(model.keySet());
        int i = 0;
        for (Rec r : model.values()) {
            assertThat(all.embeddings().get(i)).containsExactly(r.embedding());
            assertThat(all.documents().get(i)).isEqualTo(r.document());
            assertThat(all.metadatas().get(i)).isEqualTo(r.metadata());
            i++;
        }
    }

    private static void checkQuery(Collection c, LinkedHashMap<String, Rec> model, QueryOp q, Space space) {
        QueryResult r = c.query(new Query(List.of(q.vector()), null, q.n(), null, q.where(), null,
                List.of(Include.DISTANCES)));
        if (model.isEmpty() && c.dimension() == null) {
            assertThat(r.ids()).containsExactly(List.of());
            return;
        }
        List<String> order = new ArrayList<>(model.keySet());
        List<String> expected = matching(model, q.where()).stream()
                .sorted(Comparator.<String>comparingDouble(id -> space.distance(q.vector(), model.get(id).embedding()))
                        .thenComparingInt(order::indexOf))
                .limit(q.n()).toList();
        // Records at the same distance may come in any order (Chroma's HNSW promises none; a
        // replaced record moves to the end of Lucene's doc order): so the check is that every
        // returned id qualifies, carries its true distance, and the distances are the model's top n.
        List<String> got = r.ids().get(0);
        assertThat(got).doesNotHaveDuplicates().hasSize(expected.size());
        Set<String> qualifying = new HashSet<>(matching(model, q.where()));
        for (int i = 0; i < expected.size(); i++) {
            assertThat(qualifying).contains(got.get(i));
            float trueDistance = space.distance(q.vector(), model.get(got.get(i)).embedding());
            assertThat(r.distances().get(0).get(i)).as("distance of %s", got.get(i)).isCloseTo(trueDistance, within(1e-4f));
            assertThat(trueDistance).as("rank %d of %s, model order %s", i, got, expected)
                    .isCloseTo(space.distance(q.vector(), model.get(expected.get(i)).embedding()), within(1e-4f));
        }
    }

    // ---- generators ----

    private static Arbitrary<String> ids() {
        return Arbitraries.of("a", "b", "c", "d", "e", "f", "g", "h");
    }

    private static Arbitrary<float[]> vectors() {
        return Arbitraries.integers().between(-3, 3).list().ofSize(3).map(l -> {
            float[] f = new float[3];
            for (int i = 0; i < 3; i++) {
                f[i] = l.get(i) / 2f;
            }
            return f;
        });
    }

    private static Arbitrary<Map<String, Object>> metadata(boolean allowDeletes) {
        Arbitrary<Object> k = Arbitraries.oneOf(Arbitraries.longs().between(0, 3).map(x -> (Object) x),
                Arbitraries.just((Object) 1.5));
        Arbitrary<Object> s = Arbitraries.of("x", "y").map(x -> (Object) x);
        Arbitrary<Integer> presence = allowDeletes ? Arbitraries.of(0, 1, 2) : Arbitraries.of(0, 1);
        return Combinators.combine(k, s, presence, presence).as((kv, sv, pk, ps) -> {
            Map<String, Object> m = new HashMap<>();
            if (pk == 1) m.put("k", kv);
            if (pk == 2) m.put("k", null);
            if (ps == 1) m.put("s", sv);
            if (ps == 2) m.put("s", null);
            return m.isEmpty() ? null : m;
        }).injectNull(0.2);
    }

    private static Arbitrary<List<Item>> items(boolean embeddingRequired, boolean allowDeletes) {
        Arbitrary<float[]> emb = embeddingRequired ? vectors() : vectors().injectNull(0.5);
        return Combinators.combine(ids(), emb, Arbitraries.of("alpha", "beta gamma", "gamma").injectNull(0.3),
                        metadata(allowDeletes))
                .as(Item::new).list().ofMinSize(1).ofMaxSize(5).uniqueElements(Item::id);
    }

    private static Arbitrary<Where> wheres() {
        Arbitrary<Long> v = Arbitraries.longs().between(0, 3);
        return Arbitraries.oneOf(
                v.map(x -> Where.eq("k", x)),
                v.map(x -> Where.ne("k", x)),
                v.map(x -> Where.gt("k", x)),
                Arbitraries.of("x", "y").map(x -> Where.eq("s", x)),
                Arbitraries.of("x", "y").map(x -> Where.nin("s", x)),
                Arbitraries.just(Where.or(Where.eq("s", "x"), Where.lte("k", 1))));
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> add = items(true, false).map(Add::new);
        Arbitrary<Op> update = items(false, true).map(Update::new);
        Arbitrary<Op> upsert = items(true, true).map(Upsert::new);
        Arbitrary<Op> deleteIds = ids().list().ofMinSize(1).ofMaxSize(3).map(DeleteIds::new);
        Arbitrary<Op> deleteWhere = Combinators.combine(wheres(), Arbitraries.integers().between(0, 3).injectNull(0.5))
                .as(DeleteWhere::new);
        Arbitrary<Op> get = Combinators.combine(wheres(), Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 5))
                .as(GetWhere::new);
        Arbitrary<Op> query = Combinators.combine(vectors(), Arbitraries.integers().between(1, 10), wheres().injectNull(0.5))
                .as(QueryOp::new);
        Arbitrary<Op> restart = Arbitraries.just(new Restart());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, add), net.jqwik.api.Tuple.of(3, update), net.jqwik.api.Tuple.of(3, upsert),
                net.jqwik.api.Tuple.of(2, deleteIds), net.jqwik.api.Tuple.of(1, deleteWhere), net.jqwik.api.Tuple.of(2, get),
                net.jqwik.api.Tuple.of(3, query), net.jqwik.api.Tuple.of(1, restart)).list().ofMinSize(1).ofMaxSize(20);
    }
}
