// Chroma's JavaScript client chromadb@3.5.0 runs the Search API examples of
// ../../../../shared/reference/chroma-search-api.md §9 against a server (Chroma's own single-node
// server answers 501 to every search; these run against ours):
//   node search.mjs http://localhost:8000 java [name-filter]
// Each scenario asserts the documented expected result; the BM25 sparse vectors are computed by the
// client (@chroma-core/chroma-bm25 0.1.10) on add and for string queries, IDF is applied by the server.
import assert from "node:assert/strict";
import { ChromaClient, Search, Knn, Rrf, K, GroupBy, MinK, Schema, SparseVectorIndexConfig } from "chromadb";
import { ChromaBm25EmbeddingFunction } from "@chroma-core/chroma-bm25";
import { scenario, rejects, runAll } from "../lib/harness.mjs";

function clientFor(url) {
  const u = new URL(url);
  return new ChromaClient({ host: u.hostname, port: Number(u.port || 80), ssl: u.protocol === "https:" });
}

/** The reference's data set: a, b, c on the axes (l2), BM25 sparse index on "sparse_embedding" from #document. */
async function abc(ctx) {
  const client = clientFor(ctx.url);
  const schema = new Schema();
  schema.createIndex(
    new SparseVectorIndexConfig({ sourceKey: K.DOCUMENT, embeddingFunction: new ChromaBm25EmbeddingFunction(), bm25: true }),
    "sparse_embedding",
  );
  const collection = await client.createCollection({ name: ctx.unique("search"), embeddingFunction: null, schema });
  await collection.add({
    ids: ["a", "b", "c"],
    embeddings: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    documents: ["The quick brown fox jumps", "A lazy dog sleeps", "Foxes are quick animals"],
    metadatas: [{ cat: "x", n: 1 }, { cat: "y", n: 2 }, null],
  });
  return collection;
}

const close = (actual, expected, what) =>
  assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected}`);

scenario("search (1) plain dense knn", async (ctx) => {
  const c = await abc(ctx);
  const r = await c.search(new Search().rank(Knn({ query: [1, 0, 0] })));
  assert.deepEqual(r.ids, [["a", "b", "c"]]);
  assert.deepEqual(r.scores, [null]);
});

scenario("search (2) knn + where + select + limit", async (ctx) => {
  const c = await abc(ctx);
  const r = await c.search(
    new Search().where(K("cat").eq("x")).rank(Knn({ query: [1, 0, 0], limit: 10 })).limit(5).select(K.DOCUMENT, K.SCORE, "cat"),
  );
  assert.deepEqual(r.ids, [["a"]]);
  assert.deepEqual(r.documents, [["The quick brown fox jumps"]]);
  assert.deepEqual(r.metadatas, [[{ cat: "x" }]]);
  assert.deepEqual(r.scores, [[0]]);
  const both = await c.search(new Search().where(K("cat").eq("x").and(K("n").gte(1))).rank(Knn({ query: [0, 1, 0] })));
  assert.deepEqual(both.ids, [["a"]]);
  const byId = await c.search(new Search().where(K.ID.isIn(["a", "b"])).rank(Knn({ query: [0, 0, 1] })));
  assert.deepEqual(byId.ids, [["a", "b"]]);
  const byDoc = await c.search(new Search().where(K.DOCUMENT.contains("fox")).select(K.DOCUMENT));
  assert.deepEqual(byDoc.ids, [["a"]]);
});

scenario("search (3) rrf of dense knn and client-embedded BM25 sparse knn", async (ctx) => {
  const c = await abc(ctx);
  const r = await c.search(
    new Search()
      .rank(Rrf({ ranks: [Knn({ query: [1, 0, 0], returnRank: true, limit: 100 }), Knn({ query: "quick fox", key: "sparse_embedding", returnRank: true, limit: 100 })] }))
      .limit(10)
      .select(K.DOCUMENT, K.SCORE),
  );
  assert.deepEqual(r.ids, [["a", "c"]]);
  assert.deepEqual(r.documents, [["The quick brown fox jumps", "Foxes are quick animals"]]);
  close(r.scores[0][0], -0.03306011, "score of a");
  close(r.scores[0][1], -0.032795697, "score of c");
  // the sparse rank alone: 1 - idf-weighted dot, idf = ln 1.6 (N = 3, both terms in a and c)
  const sparse = await c.search(new Search().rank(Knn({ query: "quick fox", key: "sparse_embedding" })).select(K.SCORE));
  assert.deepEqual(sparse.ids, [["c", "a"]]);
  close(sparse.scores[0][0], -1.6560612, "sparse score of c");
  close(sparse.scores[0][1], -1.6489551, "sparse score of a");
});

scenario("search (4) select + limit/offset without rank", async (ctx) => {
  const c = await abc(ctx);
  const r = await c.search(new Search().limit(2, 1).select(K.DOCUMENT, K.METADATA));
  assert.deepEqual(r.ids, [["b", "c"]]);
  assert.deepEqual(r.documents, [["A lazy dog sleeps", "Foxes are quick animals"]]);
  const [b, cc] = r.rows()[0];
  assert.equal(b.metadata.cat, "y");
  assert.equal(b.metadata.n, 2);
  assert.deepEqual(b.metadata.sparse_embedding.indices, [134749957, 226376294, 1312749093]);
  assert.deepEqual(cc.metadata.sparse_embedding.indices, [771291085, 1177748882, 1621867415]);
});

scenario("search (5) group_by with read level", async (ctx) => {
  const c = await abc(ctx);
  const r = await c.search(
    new Search().rank(Knn({ query: [1, 0, 0], default: 10 })).groupBy(new GroupBy([K("cat")], new MinK([K.SCORE], 1))).limit(10).select(K.SCORE, "cat"),
    { readLevel: "index_and_wal" },
  );
  assert.deepEqual(r.ids, [["a", "b", "c"]]);
  assert.deepEqual(r.metadatas, [[{ cat: "x" }, { cat: "y" }, null]]);
  assert.deepEqual(r.scores, [[0, 2, 2]]);
});

scenario("search: a batch of payloads in one request", async (ctx) => {
  const c = await abc(ctx);
  const r = await c.search([new Search().rank(Knn({ query: [0, 1, 0], limit: 1 })), new Search().rank(Knn({ query: [0, 0, 1], limit: 1 }))]);
  assert.deepEqual(r.ids, [["b"], ["c"]]);
});

scenario("search: server-side BM25 full-text rank ($bm25) fused with dense knn", async (ctx) => {
  const c = await abc(ctx);
  // a plain-object rank is passed through by the client; $bm25 ranks #document with Lucene BM25
  const text = await c.search(new Search().rank({ $bm25: { query: "quick fox", limit: 10 } }).select(K.SCORE));
  assert.deepEqual(text.ids, [["a", "c"]]); // a has both words, c only "quick" (no stemming: Foxes != fox)
  const r = await c.search(
    new Search().rank(Rrf({ ranks: [Knn({ query: [0, 0, 1], returnRank: true, limit: 10 }), { $bm25: { query: "fox", return_rank: true, limit: 10, default: 100 } }] })).limit(3),
  );
  // dense ranks c, a, b; text ranks only a: c = -(1/60 + 1/160), a = -(1/61 + 1/60), b = -(1/62 + 1/160)
  assert.deepEqual(r.ids, [["a", "c", "b"]]);
});

scenario("search: errors keep Chroma's statuses and texts", async (ctx) => {
  const c = await abc(ctx);
  await rejects(c.search(new Search().rank({ $foo: 1 })), /unknown variant `\$foo`/, "unknown rank operator");
  await rejects(
    c.search(new Search().groupBy(new GroupBy([K("cat")], new MinK([K.SCORE], 1)))),
    /group_by requires rank expression to be specified/,
    "group_by without rank",
  );
  await rejects(c.search(new Search().rank(Knn({ query: [1, 0] }))), /dimension/, "wrong dimension");
});

await runAll();
