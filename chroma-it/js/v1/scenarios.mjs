// Chroma's JavaScript client chromadb@1.8.1, which speaks the legacy /api/v1 (Chroma 0.4/0.5 servers).
// No real server of that API runs here (Chroma 1.x answers 410 on /api/v1), so the expectations
// follow the 0.5.x column of the wire notes: add answers exactly 201, everything else 200, errors are
// {"error": name, ...}. Most methods of this client *return* {error} instead of throwing.
//   node scenarios.mjs http://localhost:8000 java [name-filter]
import assert from "node:assert/strict";
import { ChromaClient, AdminClient } from "chromadb";
import { scenario, rejects, sorted, runAll } from "../lib/harness.mjs";

/** Deterministic 3-d embeddings from text, so the default (downloading) model is never used. */
const tinyEf = {
  async generate(texts) {
    return texts.map((t) => {
      let h = 0;
      for (const ch of t) h = (h * 31 + ch.codePointAt(0)) % 1000;
      return [t.length / 10, h / 1000, (t.codePointAt(0) ?? 0) / 128];
    });
  },
};

const clientFor = (url, opts = {}) => new ChromaClient({ path: url, ...opts });

async function fresh(ctx, prefix = "v1c", metadata) {
  const client = clientFor(ctx.url);
  const name = ctx.unique(prefix);
  const collection = await client.createCollection({ name, metadata, embeddingFunction: tinyEf });
  return { client, collection, name };
}

/** 1.8.1 turns error responses into {error: ...} for data operations. */
function assertError(resp, pattern, what) {
  assert.ok(resp && resp.error, `${what}: expected an {error} result, got ${JSON.stringify(resp)}`);
  if (pattern) assert.match(String(resp.error), pattern, what);
}
function assertOk(resp, what) {
  assert.ok(!(resp && resp.error), `${what}: unexpected error ${JSON.stringify(resp)}`);
}

const qs = (t = "default_tenant", d = "default_database") => `?tenant=${t}&database=${d}`;

// ---------------------------------------------------------------- system

scenario("v1 heartbeat and version", async (ctx) => {
  const client = clientFor(ctx.url);
  const hb = await client.heartbeat();
  assert.ok(Math.abs(hb / 1e6 - Date.now()) < 10_000, `heartbeat ${hb}`);
  assert.match(await client.version(), /^\d+\.\d+\.\d+/);
  const root = await ctx.raw("GET", "/api/v1");
  assert.equal(root.status, 200, root.text);
  assert.equal(typeof root.json["nanosecond heartbeat"], "number");
  const pre = await ctx.raw("GET", "/api/v1/pre-flight-checks");
  assert.equal(pre.status, 200, pre.text);
  assert.ok(pre.json.max_batch_size > 0, pre.text);
});

scenario("v1 reset is refused unless ALLOW_RESET", async (ctx) => {
  const { client, name } = await fresh(ctx, "keep");
  const r = await ctx.raw("POST", "/api/v1/reset");
  assert.ok(r.status >= 400, `reset should be refused: ${r.status} ${r.text}`);
  assert.ok(r.json && r.json.error, r.text);
  assert.equal((await client.getCollection({ name, embeddingFunction: tinyEf })).name, name);
});

scenario("v1 tenants and databases", async (ctx) => {
  const admin = new AdminClient({ path: ctx.url });
  const tenant = ctx.unique("v1tenant");
  await admin.createTenant({ name: tenant });
  assert.equal((await admin.getTenant({ name: tenant })).name, tenant);
  await admin.createDatabase({ name: "v1db", tenantName: tenant });
  assert.equal((await admin.getDatabase({ name: "v1db", tenantName: tenant })).name, "v1db");
  const client = clientFor(ctx.url, { tenant, database: "v1db" });
  const c = await client.createCollection({ name: "in_v1db", embeddingFunction: tinyEf });
  assert.equal(await client.countCollections(), 1);
  assertOk(await c.add({ ids: ["a"], embeddings: [[1, 2]] }), "add");
  const other = await clientFor(ctx.url).getOrCreateCollection({ name: "in_v1db", embeddingFunction: tinyEf });
  assert.notEqual(other.id, c.id);
  assert.equal(await other.count(), 0);
});

// ---------------------------------------------------------------- collections

scenario("v1 usage: create, get, getOrCreate, list, count, delete", async (ctx) => {
  const client = clientFor(ctx.url);
  const name = ctx.unique("my_collection");
  const created = await client.createCollection({ name, metadata: { description: "first" }, embeddingFunction: tinyEf });
  const got = await client.getCollection({ name, embeddingFunction: tinyEf });
  assert.equal(got.id, created.id);
  assert.deepEqual(got.metadata, { description: "first" });
  const goc = await client.getOrCreateCollection({ name, metadata: { description: "other" }, embeddingFunction: tinyEf });
  assert.equal(goc.id, created.id);
  assert.deepEqual(goc.metadata, { description: "first" });
  const listed = await client.listCollections();
  assert.ok(listed.some((c) => c.name === name && c.id === created.id), JSON.stringify(listed).slice(0, 300));
  assert.equal(await client.countCollections(), listed.length);
  const page = await client.listCollections({ limit: 1, offset: 0 });
  assert.equal(page.length, 1);
  await client.deleteCollection({ name });
  await rejects(client.getCollection({ name, embeddingFunction: tinyEf }), /./, "get after delete");
});

scenario("v1 duplicate create and missing collection are errors", async (ctx) => {
  const { client, name } = await fresh(ctx, "dup");
  await rejects(client.createCollection({ name, embeddingFunction: tinyEf }), /UniqueConstraint|already exists/i, "duplicate create");
  const dup = await ctx.raw("POST", "/api/v1/collections" + qs(), { name });
  assert.ok(dup.status === 409 || dup.status === 500, dup.text);
  assert.match(dup.text, /already exists|UniqueConstraint/);
  const missing = ctx.unique("missing");
  await rejects(client.getCollection({ name: missing, embeddingFunction: tinyEf }), /./, "get missing");
  const g = await ctx.raw("GET", `/api/v1/collections/${missing}` + qs());
  assert.ok(g.status >= 400, g.text);
  assert.match(g.text, /does not exist/);
  const d = await ctx.raw("DELETE", `/api/v1/collections/${missing}` + qs());
  assert.ok(d.status >= 400, d.text);
  assert.ok(d.json && d.json.error, d.text);
});

scenario("v1 usage: modify renames and replaces metadata", async (ctx) => {
  const { client, collection, name } = await fresh(ctx, "old", { a: 1, b: 2 });
  await collection.modify({ metadata: { a: 2, c: 3 } });
  assert.deepEqual((await client.getCollection({ name, embeddingFunction: tinyEf })).metadata, { a: 2, c: 3 });
  const newName = ctx.unique("new_name");
  await collection.modify({ name: newName });
  assert.equal((await client.getCollection({ name: newName, embeddingFunction: tinyEf })).id, collection.id);
  await rejects(client.getCollection({ name, embeddingFunction: tinyEf }), /./, "old name");
});

scenario("v1 collection names follow the 3-63 character rule", async (ctx) => {
  for (const bad of ["ab", "_abc", "abc..def", "192.168.0.1", "x".repeat(64)]) {
    const r = await ctx.raw("POST", "/api/v1/collections" + qs(), { name: bad });
    assert.ok(r.status >= 400, `'${bad.slice(0, 10)}' should be rejected: ${r.status} ${r.text}`);
  }
  const ok = await ctx.raw("POST", "/api/v1/collections" + qs(), { name: "ok." + ctx.unique("n").slice(-8) });
  assert.equal(ok.status, 200, ok.text);
  assert.ok(ok.json.id && ok.json.name, ok.text);
});

scenario("v1 usage: hnsw:space metadata sets the distance", async (ctx) => {
  const { collection } = await fresh(ctx, "cos", { "hnsw:space": "cosine" });
  assertOk(await collection.add({ ids: ["a", "b"], embeddings: [[1, 0], [0, 1]] }), "add");
  const q = await collection.query({ queryEmbeddings: [[2, 0]], nResults: 2 });
  assert.deepEqual(q.ids, [["a", "b"]]);
  assert.ok(Math.abs(q.distances[0][0]) < 1e-5 && Math.abs(q.distances[0][1] - 1) < 1e-5, JSON.stringify(q.distances));
});

// ---------------------------------------------------------------- records

scenario("v1 usage: add with embeddings answers 201 and reads back in order", async (ctx) => {
  const { collection } = await fresh(ctx);
  const added = await collection.add({
    ids: ["id1", "id2", "id3"],
    embeddings: [[1.1, 2.3, 3.2], [4.5, 6.9, 4.4], [1.1, 2.3, 3.2]],
    metadatas: [{ chapter: "3", verse: "16" }, { chapter: "3", verse: "5" }, { chapter: "29", verse: "11" }],
    documents: ["doc1", "doc2", "doc3"],
  });
  assertOk(added, "add");
  assert.equal(await collection.count(), 3);
  const g = await collection.get();
  assert.deepEqual(g.ids, ["id1", "id2", "id3"]);
  assert.deepEqual(g.documents, ["doc1", "doc2", "doc3"]);
  assert.deepEqual(g.metadatas[1], { chapter: "3", verse: "5" });
  assert.equal(g.embeddings, null);
  const r = await ctx.raw("POST", `/api/v1/collections/${collection.id}/add`, { ids: ["id4"], embeddings: [[1, 1, 1]] });
  assert.equal(r.status, 201, r.text);
});

scenario("v1 usage: add documents only uses the embedding function; query by text", async (ctx) => {
  const { collection } = await fresh(ctx);
  assertOk(await collection.add({ ids: ["id1", "id2", "id3"], documents: ["lorem ipsum...", "doc2", "doc3"] }), "add");
  const q = await collection.query({ queryTexts: ["doc3"], nResults: 1 });
  assert.deepEqual(q.ids, [["id3"]]);
});

scenario("v1 add of an existing id is ignored; duplicates in a batch are refused by the client", async (ctx) => {
  const { collection } = await fresh(ctx);
  assertOk(await collection.add({ ids: ["a"], embeddings: [[1]], documents: ["first"] }), "add");
  assertOk(await collection.add({ ids: ["a", "b"], embeddings: [[2], [3]], documents: ["second", "b"] }), "add again");
  assert.equal(await collection.count(), 2);
  assert.deepEqual((await collection.get({ ids: ["a"] })).documents, ["first"]);
  await rejects(collection.add({ ids: ["x", "x"], embeddings: [[1], [2]] }), /unique|duplicate/i, "dup batch");
});

scenario("v1 dimension mismatch is an error", async (ctx) => {
  const { collection } = await fresh(ctx);
  assertOk(await collection.add({ ids: ["a"], embeddings: [[1, 2, 3]] }), "add");
  const add = await ctx.raw("POST", `/api/v1/collections/${collection.id}/add`, { ids: ["b"], embeddings: [[1, 2]] });
  assert.ok(add.status >= 400, add.text);
  assert.match(add.text, /dimension/i);
  assertError(await collection.add({ ids: ["b"], embeddings: [[1, 2]] }), null, "add via client");
  assertError(await collection.query({ queryEmbeddings: [[1, 2]] }), null, "query via client");
  assertError(await collection.update({ ids: ["a"], embeddings: [[1, 2]] }), null, "update via client");
  assert.equal(await collection.count(), 1);
});

scenario("v1 get: ids, where, include, limit/offset, and the included echo", async (ctx) => {
  const { collection } = await fresh(ctx);
  const ids = Array.from({ length: 11 }, (_, i) => `r${String(i).padStart(2, "0")}`);
  assertOk(await collection.add({ ids, embeddings: ids.map((_, i) => [i, 1]), metadatas: ids.map((_, i) => ({ i, even: i % 2 === 0 })), documents: ids.map((id) => `doc ${id}`) }), "add");
  assert.deepEqual((await collection.get({ ids: ["r03", "nope"] })).ids, ["r03"]);
  assert.deepEqual((await collection.get({ where: { i: { $gte: 9 } } })).ids, ["r09", "r10"]);
  assert.deepEqual((await collection.get({ limit: 10, offset: 10 })).ids, ["r10"]);
  assert.deepEqual((await collection.get({ limit: 3, offset: 2 })).ids, ["r02", "r03", "r04"]);
  const emb = await collection.get({ ids: ["r01"], include: ["embeddings"] });
  assert.deepEqual(emb.embeddings, [[1, 1]]);
  assert.equal(emb.documents, null);
  const raw = await ctx.raw("POST", `/api/v1/collections/${collection.id}/get`, { ids: ["r01"], where: {}, where_document: {}, include: ["metadatas"] });
  assert.equal(raw.status, 200, raw.text);
  assert.deepEqual(raw.json.metadatas, [{ i: 1, even: false }]);
  assert.deepEqual(raw.json.included ?? raw.json.include, ["metadatas"]);
  const peek = await collection.peek();
  assert.equal(peek.ids.length, 10);
});

scenario("v1 usage: update merges metadata; upsert inserts and updates", async (ctx) => {
  const { collection } = await fresh(ctx);
  assertOk(await collection.add({ ids: ["id1", "id2"], embeddings: [[1, 1], [2, 2]], documents: ["d1", "d2"], metadatas: [{ a: 1, b: 1 }, { a: 2 }] }), "add");
  assertOk(await collection.update({ ids: ["id1", "ghost"], embeddings: [[5, 5], [6, 6]], metadatas: [{ b: 9, c: "new" }, { x: 1 }], documents: ["d1-new", "ghost"] }), "update");
  const g = await collection.get({ ids: ["id1"], include: ["metadatas", "documents", "embeddings"] });
  assert.deepEqual(g.metadatas[0], { a: 1, b: 9, c: "new" });
  assert.deepEqual(g.documents, ["d1-new"]);
  assert.deepEqual(g.embeddings, [[5, 5]]);
  assert.equal(await collection.count(), 2);
  assertOk(await collection.upsert({ ids: ["id2", "id3"], embeddings: [[7, 7], [8, 8]], metadatas: [{ a: 20 }, { a: 3 }], documents: ["D2", "d3"] }), "upsert");
  assert.equal(await collection.count(), 3);
  const u = await collection.get({ ids: ["id2"] });
  assert.deepEqual(u.documents, ["D2"]);
  assert.deepEqual(u.metadatas, [{ a: 20 }]);
});

scenario("v1 usage: delete by ids, where and where_document", async (ctx) => {
  const { collection } = await fresh(ctx);
  assertOk(await collection.add({ ids: ["id1", "id2", "id3", "id4"], embeddings: [[1], [2], [3], [4]], documents: ["doc1", "doc2", "doc3", "other"], metadatas: [{ chapter: "20" }, { chapter: "20" }, { chapter: "3" }, { chapter: "3" }] }), "add");
  assertOk(await collection.delete({ ids: ["id1"] }), "delete ids");
  assertOk(await collection.delete({ where: { chapter: "20" } }), "delete where");
  assertOk(await collection.delete({ whereDocument: { $contains: "doc3" } }), "delete where_document");
  assert.deepEqual((await collection.get()).ids, ["id4"]);
  const r = await ctx.raw("POST", `/api/v1/collections/${collection.id}/delete`, { ids: ["nope"] });
  assert.equal(r.status, 200, r.text);
  assert.equal(await collection.count(), 1);
});

scenario("v1 usage: query with n_results, include, where and where_document", async (ctx) => {
  const { collection } = await fresh(ctx);
  assertOk(await collection.add({
    ids: ["a", "b", "c", "d"], embeddings: [[0, 0, 0], [1, 1, 1], [2, 2, 2], [10, 10, 10]],
    documents: ["search_string here", "nothing", "search_string too", "far"],
    metadatas: [{ metadata_field: "is_equal_to_this" }, { metadata_field: "other" }, { metadata_field: "is_equal_to_this" }, { metadata_field: "x" }],
  }), "add");
  const q = await collection.query({ queryEmbeddings: [[1.1, 1.1, 1.1], [9, 9, 9]], nResults: 2 });
  assert.deepEqual(q.ids, [["b", "c"], ["d", "c"]]);
  assert.ok(Math.abs(q.distances[0][0] - 0.03) < 1e-4, JSON.stringify(q.distances));
  assert.equal(q.embeddings, null);
  const f = await collection.query({ queryEmbeddings: [[11.1, 12.1, 13.1]], nResults: 10, where: { metadata_field: "is_equal_to_this" }, whereDocument: { $contains: "search_string" } });
  assert.deepEqual(f.ids, [["c", "a"]]);
  const none = await collection.query({ queryEmbeddings: [[0, 0, 0]], where: { metadata_field: "nope" } });
  assert.deepEqual(none.ids, [[]]);
  const many = await collection.query({ queryEmbeddings: [[0, 0, 0]], nResults: 50, include: ["documents"] });
  assert.equal(many.ids[0].length, 4);
  assert.deepEqual(many.documents[0][0], "search_string here");
  assert.equal(many.distances, null);
});

scenario("v1 where operators and where_document", async (ctx) => {
  const { collection } = await fresh(ctx);
  assertOk(await collection.add({
    ids: ["r1", "r2", "r3", "r4"], embeddings: [[1], [2], [3], [4]],
    metadatas: [{ n: 1, s: "apple", b: true }, { n: 2, s: "banana", b: false }, { n: 3.5, s: "cherry", b: true }, { s: "apple" }],
    documents: ["the zero hour", "Cat and dog", "cat", "dog"],
  }), "add");
  const ids = async (args) => sorted((await collection.get({ ...args, include: [] })).ids);
  assert.deepEqual(await ids({ where: { s: "apple" } }), ["r1", "r4"]);
  assert.deepEqual(await ids({ where: { n: { $gt: 1 } } }), ["r2", "r3"]);
  assert.deepEqual(await ids({ where: { n: { $gte: 2 } } }), ["r2", "r3"]);
  assert.deepEqual(await ids({ where: { n: { $lt: 3 } } }), ["r1", "r2"]);
  assert.deepEqual(await ids({ where: { n: { $lte: 1 } } }), ["r1"]);
  assert.deepEqual(await ids({ where: { s: { $in: ["banana", "cherry"] } } }), ["r2", "r3"]);
  assert.deepEqual(await ids({ where: { b: true } }), ["r1", "r3"]);
  assert.deepEqual(await ids({ where: { $and: [{ s: "apple" }, { b: true }] } }), ["r1"]);
  assert.deepEqual(await ids({ where: { $or: [{ s: "banana" }, { n: { $gt: 3 } }] } }), ["r2", "r3"]);
  assert.deepEqual(await ids({ whereDocument: { $contains: "zer" } }), ["r1"]);
  assert.deepEqual(await ids({ whereDocument: { $contains: "cat" } }), ["r3"]);
  assert.deepEqual(await ids({ whereDocument: { $not_contains: "dog" } }), ["r1", "r3"]);
  assert.deepEqual(await ids({ where: { b: true }, whereDocument: { $contains: "cat" } }), ["r3"]);
  // $ne / $nin: both 0.5 (only records having the key) and 1.x (also records lacking it) accept r2,r3
  const ne = await ids({ where: { n: { $ne: 1 } } });
  assert.ok(["r2,r3", "r2,r3,r4"].includes(ne.join(",")), ne.join(","));
  const nin = await ids({ where: { s: { $nin: ["apple"] } } });
  assert.deepEqual(nin, ["r2", "r3"]);
});

scenario("v1 bad where clauses are errors, not crashes", async (ctx) => {
  const { collection } = await fresh(ctx);
  assertOk(await collection.add({ ids: ["a"], embeddings: [[1]], metadatas: [{ n: 1 }] }), "add");
  for (const where of [{ n: { $invalid: 1 } }, { n: { $lt: "x" } }, { $and: { n: 1 } }, { n: { $in: [] } }]) {
    const r = await ctx.raw("POST", `/api/v1/collections/${collection.id}/get`, { where });
    assert.ok(r.status >= 400 && r.status < 500, `where ${JSON.stringify(where)}: ${r.status} ${r.text}`);
    assert.ok(r.json && (r.json.error || r.json.detail), r.text);
  }
  assertError(await collection.get({ where: { n: { $invalid: 1 } } }), null, "client get with bad where");
  assert.equal(await collection.count(), 1);
});

scenario("v1 operations on a deleted collection are errors", async (ctx) => {
  const { client, collection, name } = await fresh(ctx, "stale");
  assertOk(await collection.add({ ids: ["a"], embeddings: [[1]] }), "add");
  await client.deleteCollection({ name });
  assertError(await collection.add({ ids: ["b"], embeddings: [[1]] }), null, "add");
  assertError(await collection.get(), null, "get");
  assertError(await collection.query({ queryEmbeddings: [[1]] }), null, "query");
  const r = await ctx.raw("GET", `/api/v1/collections/${collection.id}/count`);
  assert.ok(r.status >= 400, r.text);
  assert.match(r.text, /does not exist/);
  const bad = await ctx.raw("GET", `/api/v1/collections/not-a-uuid/count`);
  assert.ok(bad.status >= 400 && bad.status < 500, bad.text);
});

scenario("v1 metadata types round-trip; empty metadata reads back as null", async (ctx) => {
  const { collection } = await fresh(ctx);
  const r = await ctx.raw("POST", `/api/v1/collections/${collection.id}/add`, '{"ids":["m","e"],"embeddings":[[1],[2]],"metadatas":[{"s":"x","i":3,"f":2.0,"t":true},null],"documents":["doc",null]}');
  assert.equal(r.status, 201, r.text);
  const g = await ctx.raw("POST", `/api/v1/collections/${collection.id}/get`, { ids: ["m", "e"] });
  assert.deepEqual(g.json.ids, ["m", "e"]);
  assert.deepEqual(g.json.metadatas, [{ s: "x", i: 3, f: 2, t: true }, null]);
  assert.match(g.text, /"f":2\.0/);
  assert.deepEqual(g.json.documents, ["doc", null]);
});

await runAll();
