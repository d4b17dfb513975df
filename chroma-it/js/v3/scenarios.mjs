// Chroma's JavaScript client chromadb@3.5.0 (/api/v2) against a running server:
// every JavaScript example of Chroma's usage guide, plus the behaviour catalogue's cases A.3–A.8
// that this client can express (and, through raw HTTP, the wire cases it validates away itself).
// Written and verified against the REAL Chroma server first; see ../lib/harness.mjs for the protocol.
//   node scenarios.mjs http://localhost:8000 java|real [name-filter]
import assert from "node:assert/strict";
import { ChromaClient, AdminClient } from "chromadb";
import { scenario, rejects, sorted, runAll } from "../lib/harness.mjs";

/**
 * A tiny deterministic embedding function, so nothing is ever downloaded: 3 dimensions derived
 * from the text. Usage-guide examples that add documents only or query by text go through it.
 */
class TinyEmbeddingFunction {
  async generate(texts) {
    return texts.map((t) => {
      let h = 0;
      for (const ch of t) h = (h * 31 + ch.codePointAt(0)) % 1000;
      return [t.length / 10, h / 1000, (t.codePointAt(0) ?? 0) / 128];
    });
  }
}
const tinyEf = new TinyEmbeddingFunction();

function clientFor(url, opts = {}) {
  const u = new URL(url);
  return new ChromaClient({ host: u.hostname, port: Number(u.port || 80), ssl: u.protocol === "https:", ...opts });
}
function adminFor(url) {
  const u = new URL(url);
  return new AdminClient({ host: u.hostname, port: Number(u.port || 80), ssl: u.protocol === "https:" });
}

/** A collection with explicit embeddings only: `embeddingFunction: null` so no default model is looked for. */
async function fresh(ctx, prefix = "c", extra = {}) {
  const client = clientFor(ctx.url);
  const name = ctx.unique(prefix);
  const collection = await client.createCollection({ name, embeddingFunction: null, ...extra });
  return { client, collection, name };
}

const collPath = (c) => `/api/v2/tenants/${c.tenant}/databases/${c.database}/collections/${c.id}`;

/** The ids, sorted, that a raw get of `body` (without any include) returns; the get must answer 200. */
async function getIds(ctx, collection, body) {
  const r = await ctx.raw("POST", collPath(collection) + "/get", { ...body, include: [] });
  assert.equal(r.status, 200, `${JSON.stringify(body)}: ${r.text}`);
  return sorted(r.json.ids);
}
const dbPath = (t = "default_tenant", d = "default_database") => `/api/v2/tenants/${t}/databases/${d}`;

// Fixture for the filter scenarios: ints, floats, strings, bools, a list, a missing key, documents.
const FILTER_IDS = ["r1", "r2", "r3", "r4", "r5", "r6"];
const FILTER_EMB = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [1, 1, 1]];
const FILTER_META = [
  { int_value: 1, float_value: 1.5, str: "apple", flag: true, tags: ["action", "drama"] },
  { int_value: 2, float_value: 2.002, str: "banana", flag: false, tags: ["comedy"] },
  { int_value: 3, float_value: 3.25, str: "cherry", flag: true },
  { int_value: 4, str: "apple", flag: false },
  { float_value: 0.5, str: "date" },
  null,
];
const FILTER_DOCS = ["the zero hour", "Cat and dog", "cat", "CAT nap", "a dog", undefined];

async function filterFixture(ctx) {
  const f = await fresh(ctx, "filters");
  // documents may not contain undefined for this client: add the doc-less record separately
  await f.collection.add({ ids: FILTER_IDS.slice(0, 5), embeddings: FILTER_EMB.slice(0, 5), metadatas: FILTER_META.slice(0, 5), documents: FILTER_DOCS.slice(0, 5) });
  await f.collection.add({ ids: ["r6"], embeddings: [FILTER_EMB[5]] });
  const ids = async (args) => sorted((await f.collection.get({ ...args, include: [] })).ids);
  return { ...f, ids };
}

// ---------------------------------------------------------------- client and system (A.8)

scenario("usage: heartbeat is nanoseconds since the epoch", async (ctx) => {
  const hb = await clientFor(ctx.url).heartbeat();
  assert.equal(typeof hb, "number");
  assert.ok(Math.abs(hb / 1e6 - Date.now()) < 10_000, `heartbeat ${hb} is not within 10 s of now`);
});

scenario("version matches x.y.z", async (ctx) => {
  const v = await clientFor(ctx.url).version();
  assert.match(v, /^\d+\.\d+\.\d+/);
});

scenario("pre-flight-checks reports max_batch_size", async (ctx) => {
  const r = await ctx.raw("GET", "/api/v2/pre-flight-checks");
  assert.equal(r.status, 200);
  assert.ok(Number.isInteger(r.json.max_batch_size) && r.json.max_batch_size > 0, r.text);
  if ("supports_base64_encoding" in r.json) assert.equal(typeof r.json.supports_base64_encoding, "boolean");
  assert.equal(await clientFor(ctx.url).getMaxBatchSize(), r.json.max_batch_size);
});

scenario("auth identity without auth is the default tenant and database", async (ctx) => {
  const r = await ctx.raw("GET", "/api/v2/auth/identity");
  assert.equal(r.status, 200);
  assert.equal(r.json.tenant, "default_tenant");
  assert.deepEqual(r.json.databases, ["default_database"]);
});

scenario("usage: reset is refused unless ALLOW_RESET", async (ctx) => {
  const { collection, name } = await fresh(ctx, "keep");
  await rejects(clientFor(ctx.url).reset(), /./, "reset");
  const r = await ctx.raw("POST", "/api/v2/reset");
  assert.equal(r.status, 403, r.text);
  assert.ok(r.json && typeof r.json.error === "string" && typeof r.json.message === "string", r.text);
  assert.equal((await clientFor(ctx.url).getCollection({ name })).id, collection.id);
});

scenario("error bodies are {error, message} JSON", async (ctx) => {
  const r = await ctx.raw("GET", dbPath() + "/collections/" + ctx.unique("missing"));
  assert.equal(r.status, 404, r.text);
  assert.equal(r.json.error, "NotFoundError");
  assert.match(r.json.message, /does not exist/);
});

scenario("api/v1: real Chroma answers 410 Gone, ours serves it (deliberate difference)", async (ctx) => {
  const r = await ctx.raw("GET", "/api/v1/heartbeat");
  ctx.differs("v1", {
    real: () => {
      assert.equal(r.status, 410, r.text);
      assert.match(r.json.message, /v1 API is deprecated/);
    },
    java: () => {
      assert.equal(r.status, 200, r.text);
      assert.equal(typeof r.json["nanosecond heartbeat"], "number");
    },
  })();
});

scenario("unreachable server gives the client's connection error", async () => {
  const c = new ChromaClient({ host: "127.0.0.1", port: 1 });
  await rejects(c.heartbeat(), /Failed to connect to chromadb/, "heartbeat on port 1");
});

// ---------------------------------------------------------------- collections (A.6 + usage guide)

scenario("usage: create, get, getOrCreate, delete a collection", async (ctx) => {
  const client = clientFor(ctx.url);
  const name = ctx.unique("my_collection");
  const created = await client.createCollection({ name, embeddingFunction: tinyEf });
  assert.equal(created.name, name);
  const got = await client.getCollection({ name, embeddingFunction: tinyEf });
  assert.equal(got.id, created.id);
  const goc = await client.getOrCreateCollection({ name, embeddingFunction: tinyEf });
  assert.equal(goc.id, created.id);
  const other = await client.getOrCreateCollection({ name: ctx.unique("test"), embeddingFunction: tinyEf });
  assert.notEqual(other.id, created.id);
  await client.deleteCollection({ name });
  await rejects(client.getCollection({ name }), /NotFound|could not be found/i, "get after delete");
  await client.deleteCollection({ name: other.name });
});

scenario("usage: getCollectionById", async (ctx) => {
  const { client, collection } = await fresh(ctx);
  const byId = await client.getCollectionById(collection.id);
  assert.equal(byId.name, collection.name);
  await rejects(client.getCollectionById("00000000-0000-4000-8000-000000000000"), /NotFound|could not be found/i, "random id");
});

scenario("create an existing name fails with already exists (409)", async (ctx) => {
  const { client, name } = await fresh(ctx, "dup");
  await rejects(client.createCollection({ name, embeddingFunction: null }), /UniqueError|already exists/i, "duplicate create");
  const r = await ctx.raw("POST", dbPath() + "/collections", { name });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.message, /already exists/);
});

scenario("get and delete of a missing collection fail with not found (404)", async (ctx) => {
  const client = clientFor(ctx.url);
  const name = ctx.unique("nope");
  await rejects(client.getCollection({ name }), /NotFound|could not be found/i, "get missing");
  await rejects(client.deleteCollection({ name }), /NotFound|could not be found/i, "delete missing");
  const r = await ctx.raw("DELETE", dbPath() + "/collections/" + name);
  assert.equal(r.status, 404, r.text);
  assert.match(r.json.message, /does not exist/);
});

scenario("getOrCreate on an existing name keeps the original metadata", async (ctx) => {
  const client = clientFor(ctx.url);
  const name = ctx.unique("meta");
  await client.createCollection({ name, metadata: { a: 1 }, embeddingFunction: null });
  const again = await client.getOrCreateCollection({ name, metadata: { a: 2, b: "x" }, embeddingFunction: null });
  assert.deepEqual(again.metadata, { a: 1 });
  const fetched = await client.getCollection({ name });
  assert.deepEqual(fetched.metadata, { a: 1 });
  const none = await client.createCollection({ name: ctx.unique("nometa"), embeddingFunction: null });
  assert.ok(none.metadata === undefined || none.metadata === null, JSON.stringify(none.metadata));
});

scenario("usage: modify renames and replaces the whole metadata", async (ctx) => {
  const client = clientFor(ctx.url);
  const name = ctx.unique("old");
  const c = await client.createCollection({ name, metadata: { a: 1, b: 2 }, embeddingFunction: null });
  await c.modify({ metadata: { a: 2, c: 3 } });
  assert.deepEqual((await client.getCollection({ name })).metadata, { a: 2, c: 3 });
  const newName = ctx.unique("new_name");
  await c.modify({ name: newName });
  assert.equal((await client.getCollection({ name: newName })).id, c.id);
  await rejects(client.getCollection({ name }), /NotFound|could not be found/i, "old name after rename");
  const other = await client.createCollection({ name: ctx.unique("taken"), embeddingFunction: null });
  await rejects(c.modify({ name: other.name }), /./, "rename to an existing name");
  // on the wire: keys set to null are left out of the new metadata, and all of them clear it
  const put = async (body) => ctx.raw("PUT", `${dbPath()}/collections/${c.id}`, body);
  assert.equal((await put({ new_metadata: { a: null, d: 4 } })).status, 200);
  assert.deepEqual((await client.getCollection({ name: newName })).metadata, { d: 4 });
  assert.equal((await put({ new_metadata: { d: null } })).status, 200);
  assert.equal((await ctx.raw("GET", `${dbPath()}/collections/${newName}`)).json.metadata, null);
  assert.equal((await put({ new_metadata: {} })).status, 400);
  // while a create with a null metadata value is refused
  const bad = await ctx.raw("POST", `${dbPath()}/collections`, { name: ctx.unique("nullmeta"), metadata: { k: null } });
  assert.ok(bad.status >= 400 && bad.status < 500, `${bad.status} ${bad.text}`);
});

scenario("usage: distance function via hnsw:space metadata", async (ctx) => {
  const client = clientFor(ctx.url);
  for (const space of ["l2", "ip", "cosine"]) {
    const c = await client.createCollection({ name: ctx.unique(space), metadata: { "hnsw:space": space }, embeddingFunction: null });
    assert.equal(c.metadata["hnsw:space"], space);
    assert.equal(c.configuration.hnsw.space, space);
  }
  const r = await ctx.raw("POST", dbPath() + "/collections", { name: ctx.unique("bad"), metadata: { "hnsw:space": "foobar" } });
  assert.equal(r.status, 400, r.text);
});

scenario("collection names: valid ones accepted, invalid ones rejected with 400", async (ctx) => {
  const suffix = ctx.unique("n").replace(/[^a-z0-9]/g, "");
  for (const ok of ["abc", "my_collection", "my-collection", "my.collection", "MyCollection123"]) {
    const r = await ctx.raw("POST", dbPath() + "/collections", { name: `${ok}${suffix}` });
    assert.equal(r.status, 200, `${ok}: ${r.text}`);
  }
  for (const bad of ["ab", "a", "", "_abc", "-abc", ".abc", "abc_", "abc-", "abc.", "abc..def", "192.168.0.1", "127.0.0.1"]) {
    const r = await ctx.raw("POST", dbPath() + "/collections", { name: bad });
    assert.equal(r.status, 400, `name '${bad}' should be rejected: ${r.status} ${r.text}`);
  }
});

scenario("collection metadata {} is rejected", async (ctx) => {
  const r = await ctx.raw("POST", dbPath() + "/collections", { name: ctx.unique("empty"), metadata: {} });
  assert.equal(r.status, 400, r.text);
});

scenario("list and count collections, with limit and offset", async (ctx) => {
  const admin = adminFor(ctx.url);
  const database = ctx.unique("listdb");
  await admin.createDatabase({ name: database, tenant: "default_tenant" });
  const u = new URL(ctx.url);
  const client = new ChromaClient({ host: u.hostname, port: Number(u.port), tenant: "default_tenant", database });
  assert.equal(await client.countCollections(), 0);
  assert.deepEqual(await client.listCollections(), []);
  const names = [];
  for (let i = 0; i < 5; i++) {
    names.push((await client.createCollection({ name: `col${i}-${ctx.unique("l")}`, embeddingFunction: null })).name);
  }
  const all = (await client.listCollections()).map((c) => c.name);
  assert.deepEqual(sorted(all), sorted(names));
  assert.equal(await client.countCollections(), 5);
  const page = (await client.listCollections({ limit: 2, offset: 1 })).map((c) => c.name);
  assert.deepEqual(page, all.slice(1, 3));
  assert.deepEqual(await client.listCollections({ limit: 10, offset: 5 }), []);
  await client.deleteCollection({ name: names[0] });
  assert.equal(await client.countCollections(), 4);
  assert.ok(!(await client.listCollections()).map((c) => c.name).includes(names[0]));
});

scenario("tenants and databases: create, get, list, delete, isolation", async (ctx) => {
  const admin = adminFor(ctx.url);
  const tenant = ctx.unique("tenant");
  await admin.createTenant({ name: tenant });
  assert.equal(await admin.getTenant({ name: tenant }), tenant);
  await rejects(admin.createTenant({ name: tenant }), /./, "duplicate tenant");
  await admin.createDatabase({ name: "db_one", tenant });
  await admin.createDatabase({ name: "db_two", tenant });
  await rejects(admin.createDatabase({ name: "db_one", tenant }), /./, "duplicate database");
  assert.equal((await admin.getDatabase({ name: "db_one", tenant })).name, "db_one");
  const dbs = (await admin.listDatabases({ tenant })).map((d) => d.name);
  assert.deepEqual(sorted(dbs), ["db_one", "db_two"]);
  assert.deepEqual((await admin.listDatabases({ tenant, limit: 1, offset: 1 })).map((d) => d.name), [dbs[1]]);

  const u = new URL(ctx.url);
  const one = new ChromaClient({ host: u.hostname, port: Number(u.port), tenant, database: "db_one" });
  const two = new ChromaClient({ host: u.hostname, port: Number(u.port), tenant, database: "db_two" });
  const c1 = await one.createCollection({ name: "shared_name", metadata: { db: 1 }, embeddingFunction: null });
  const c2 = await two.createCollection({ name: "shared_name", metadata: { db: 2 }, embeddingFunction: null });
  assert.notEqual(c1.id, c2.id);
  await c1.add({ ids: ["a"], embeddings: [[1, 2]] });
  assert.equal(await c2.count(), 0);
  assert.deepEqual((await two.getCollection({ name: "shared_name" })).metadata, { db: 2 });

  await admin.deleteDatabase({ name: "db_one", tenant });
  await rejects(admin.getDatabase({ name: "db_one", tenant }), /NotFound|could not be found/i, "deleted database");
  await rejects(c1.upsert({ ids: ["b"], embeddings: [[1, 2]] }), /NotFound|could not be found|does not exist/i, "stale handle in deleted database");
  assert.equal(await c2.count(), 0);
  await rejects(admin.deleteDatabase({ name: "db_one", tenant }), /NotFound|could not be found/i, "delete unknown database");
});

scenario("a database created in a tenant nobody created works, as in Chroma 1.x", async (ctx) => {
  const tenant = ctx.unique("lonely-tenant");
  const r = await ctx.raw("POST", `/api/v2/tenants/${tenant}/databases`, { name: "db1" });
  assert.equal(r.status, 200, r.text);
  assert.equal((await ctx.raw("GET", `/api/v2/tenants/${tenant}/databases/db1`)).status, 200);
  const c = await ctx.raw("POST", `/api/v2/tenants/${tenant}/databases/db1/collections`, { name: "inside" });
  assert.equal(c.status, 200, c.text);
  const add = await ctx.raw("POST", `/api/v2/tenants/${tenant}/databases/db1/collections/${c.json.id}/add`, { ids: ["a"], embeddings: [[1, 2]] });
  assert.equal(add.status, 201, add.text);
  const list = await ctx.raw("GET", `/api/v2/tenants/${tenant}/databases`);
  assert.deepEqual(list.json.map((d) => d.name), ["db1"]);
  // the tenant itself still does not exist: not found, updating it changes nothing, creating it works
  assert.equal((await ctx.raw("GET", `/api/v2/tenants/${tenant}`)).status, 404);
  assert.equal((await ctx.raw("PATCH", `/api/v2/tenants/${tenant}`, { resource_name: "r" })).status, 200);
  assert.equal((await ctx.raw("GET", `/api/v2/tenants/${tenant}`)).status, 404);
  assert.equal((await ctx.raw("POST", "/api/v2/tenants", { name: tenant })).status, 200);
  assert.equal((await ctx.raw("GET", `/api/v2/tenants/${tenant}`)).status, 200);
  // a tenant name createTenant refuses still holds databases
  const short = await ctx.raw("POST", "/api/v2/tenants/zq/databases", { name: ctx.unique("db") });
  assert.equal(short.status, 200, short.text);
});

scenario("databases are listed in name order", async (ctx) => {
  const tenant = ctx.unique("order-tenant");
  for (const name of ["zzz1", "aaa1", "mmm1", "B001"]) {
    assert.equal((await ctx.raw("POST", `/api/v2/tenants/${tenant}/databases`, { name })).status, 200);
  }
  const list = await ctx.raw("GET", `/api/v2/tenants/${tenant}/databases`);
  assert.deepEqual(list.json.map((d) => d.name), ["B001", "aaa1", "mmm1", "zzz1"]);
  const page = await ctx.raw("GET", `/api/v2/tenants/${tenant}/databases?limit=2&offset=1`);
  assert.deepEqual(page.json.map((d) => d.name), ["aaa1", "mmm1"]);
});

scenario("a database name under 3 characters in a path is invalid (400), except to delete it (404)", async (ctx) => {
  const base = "/api/v2/tenants/default_tenant/databases/ab";
  const id = "00000000-0000-0000-0000-000000000001";
  for (const [method, path, body] of [
    ["GET", "", null], ["GET", "/collections", null], ["GET", "/collections_count", null],
    ["POST", "/collections", { name: "abc" }], ["GET", "/collections/abc", null], ["DELETE", "/collections/abc", null],
    ["GET", `/collections/${id}/count`, null], ["POST", `/collections/${id}/get`, {}],
    ["POST", `/collections/${id}/add`, { ids: ["a"], embeddings: [[1, 2]] }], ["PUT", `/collections/${id}`, { new_name: "abc" }],
  ]) {
    const r = await ctx.raw(method, base + path, body ?? undefined);
    assert.equal(r.status, 400, `${method} ${path}: ${r.text}`);
    assert.equal(r.json.error, "InvalidArgumentError", `${method} ${path}: ${r.text}`);
  }
  assert.equal((await ctx.raw("DELETE", base)).status, 404);
});

scenario("tenant and database names shorter than 3 characters are rejected", async (ctx) => {
  const t = await ctx.raw("POST", "/api/v2/tenants", { name: "a" });
  assert.equal(t.status, 400, t.text);
  const d = await ctx.raw("POST", "/api/v2/tenants/default_tenant/databases", { name: "a" });
  assert.equal(d.status, 400, d.text);
  const missing = await ctx.raw("GET", "/api/v2/tenants/" + ctx.unique("nosuch"));
  assert.equal(missing.status, 404, missing.text);
});

scenario("operations through a stale handle after delete fail with not found", async (ctx) => {
  const { client, collection, name } = await fresh(ctx, "stale");
  await collection.add({ ids: ["a"], embeddings: [[1, 2, 3]] });
  await client.deleteCollection({ name });
  const nf = /NotFound|could not be found|does not exist/i;
  await rejects(collection.add({ ids: ["b"], embeddings: [[1, 2, 3]] }), nf, "add");
  await rejects(collection.get(), nf, "get");
  await rejects(collection.count(), nf, "count");
  await rejects(collection.query({ queryEmbeddings: [[1, 2, 3]] }), nf, "query");
  await rejects(collection.update({ ids: ["a"], embeddings: [[1, 2, 3]] }), nf, "update");
  await rejects(collection.upsert({ ids: ["a"], embeddings: [[1, 2, 3]] }), nf, "upsert");
  await rejects(collection.delete({ ids: ["a"] }), nf, "delete");
  await rejects(collection.peek({}), nf, "peek");
  await rejects(collection.modify({ metadata: { x: 1 } }), nf, "modify");
});

// ---------------------------------------------------------------- records (A.3 + usage guide)

scenario("usage: add documents only, embedded by the collection's function", async (ctx) => {
  const client = clientFor(ctx.url);
  const collection = await client.createCollection({ name: ctx.unique("docs"), embeddingFunction: tinyEf });
  await collection.add({
    ids: ["id1", "id2", "id3"],
    documents: ["lorem ipsum...", "doc2", "doc3"],
    metadatas: [{ chapter: "3", verse: "16" }, { chapter: "3", verse: "5" }, { chapter: "29", verse: "11" }],
  });
  assert.equal(await collection.count(), 3);
  const g = await collection.get({ ids: ["id2"], include: ["embeddings", "documents"] });
  assert.deepEqual(g.documents, ["doc2"]);
  const expected = (await tinyEf.generate(["doc2"]))[0];
  g.embeddings[0].forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6));
  const q = await collection.query({ queryTexts: ["doc3"], nResults: 1 });
  assert.deepEqual(q.ids, [["id3"]]);
  assert.ok(Math.abs(q.distances[0][0]) < 1e-6);
});

scenario("usage: add with embeddings, get all in insertion order, count", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({
    ids: ["id1", "id2", "id3"],
    embeddings: [[1.1, 2.3, 3.2], [4.5, 6.9, 4.4], [1.1, 2.3, 3.2]],
    metadatas: [{ chapter: "3", verse: "16" }, { chapter: "3", verse: "5" }, { chapter: "29", verse: "11" }],
    documents: ["doc1", "doc2", "doc3"],
  });
  assert.equal(await collection.count(), 3);
  const all = await collection.get();
  assert.deepEqual(all.ids, ["id1", "id2", "id3"]);
  assert.deepEqual(all.documents, ["doc1", "doc2", "doc3"]);
  assert.deepEqual(all.metadatas[2], { chapter: "29", verse: "11" });
  assert.deepEqual(all.include.sort(), ["documents", "metadatas"]);
  const withEmb = await collection.get({ ids: ["id2"], include: ["embeddings"] });
  withEmb.embeddings[0].forEach((v, i) => assert.ok(Math.abs(v - [4.5, 6.9, 4.4][i]) < 1e-5));
  const r = await ctx.raw("GET", collPath(collection) + "/count?read_level=index_and_wal");
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json, 3);
});

scenario("add with partial metadatas and documents keeps nulls per row", async (ctx) => {
  const { collection } = await fresh(ctx);
  const r = await ctx.raw("POST", collPath(collection) + "/add", {
    ids: ["1", "2", "3"], embeddings: [[1, 2], [3, 4], [5, 6]],
    metadatas: [{ a: 1 }, null, { a: 3 }], documents: ["a", "b", null],
  });
  assert.equal(r.status, 201, r.text);
  const g = await collection.get();
  assert.deepEqual(g.ids, ["1", "2", "3"]);
  assert.deepEqual(g.metadatas, [{ a: 1 }, null, { a: 3 }]);
  assert.deepEqual(g.documents, ["a", "b", null]);
});

scenario("add of an existing id is ignored; a mixed batch inserts only the new ids", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1, 1]], documents: ["first"] });
  await collection.add({ ids: ["a"], embeddings: [[9, 9]], documents: ["second"] });
  assert.equal(await collection.count(), 1);
  assert.deepEqual((await collection.get({ ids: ["a"] })).documents, ["first"]);
  await collection.add({ ids: ["a", "b"], embeddings: [[7, 7], [2, 2]], documents: ["third", "b"] });
  assert.equal(await collection.count(), 2);
  assert.deepEqual((await collection.get({ ids: ["a"] })).documents, ["first"]);
});

scenario("the same id twice in one batch is rejected by the client", async (ctx) => {
  const { collection } = await fresh(ctx);
  await rejects(collection.add({ ids: ["x", "x"], embeddings: [[1], [2]] }), /duplicate/i, "add dup");
  await rejects(collection.upsert({ ids: ["y", "y"], embeddings: [[1], [2]] }), /duplicate/i, "upsert dup");
  assert.equal(await collection.count(), 0);
});

scenario("wire: repeated ids in one add batch: real Chroma keeps the first, ours rejects the batch (deliberate difference)", async (ctx) => {
  const { collection } = await fresh(ctx);
  const r = await ctx.raw("POST", collPath(collection) + "/add", { ids: ["x", "x"], embeddings: [[1], [2]] });
  await ctx.differs("dup-ids", {
    real: async () => {
      assert.equal(r.status, 201, r.text);
      assert.equal(await collection.count(), 1);
      assert.deepEqual((await collection.get({ include: ["embeddings"] })).embeddings, [[1]]);
    },
    java: async () => {
      // an ambiguous batch is refused as a whole, as Chroma's own clients refuse it
      assert.equal(r.status, 400, r.text);
      assert.match(r.json.message, /duplicate/i);
      assert.equal(await collection.count(), 0);
    },
  })();
});

scenario("dimension mismatch on add, update, upsert and query is an error naming the dimension", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1, 2, 3]] });
  await rejects(collection.add({ ids: ["b"], embeddings: [[1, 2]] }), /dimension/i, "add");
  await rejects(collection.update({ ids: ["a"], embeddings: [[1, 2]] }), /dimension/i, "update");
  await rejects(collection.upsert({ ids: ["c"], embeddings: [[1, 2, 3, 4]] }), /dimension/i, "upsert");
  await rejects(collection.query({ queryEmbeddings: [[1, 2]] }), /dimension/i, "query");
  const r = await ctx.raw("POST", collPath(collection) + "/add", { ids: ["d"], embeddings: [[1, 2]] });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error, "InvalidArgumentError");
  assert.match(r.json.message, /dimension of 3, got 2/);
  assert.equal(await collection.count(), 1);
});

scenario("empty embeddings and mismatched lengths are rejected", async (ctx) => {
  const { collection } = await fresh(ctx);
  await rejects(collection.add({ ids: ["a"], embeddings: [[]] }), /./, "empty embedding");
  const r = await ctx.raw("POST", collPath(collection) + "/add", { ids: ["a"], embeddings: [[]] });
  assert.equal(r.status, 400, r.text);
  const m = await ctx.raw("POST", collPath(collection) + "/add", { ids: ["a", "b"], embeddings: [[1, 2]] });
  assert.equal(m.status, 400, m.text);
  const e = await ctx.raw("POST", collPath(collection) + "/add", { ids: [""], embeddings: [[1, 2]] });
  assert.equal(e.status, 400, e.text);
  assert.equal(await collection.count(), 0);
});

scenario("get: missing ids give empty lists; include [] gives ids only", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a", "b"], embeddings: [[1, 2], [3, 4]], documents: ["A", "B"], metadatas: [{ k: 1 }, { k: 2 }] });
  const none = await ctx.raw("POST", collPath(collection) + "/get", { ids: ["nope"] });
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.json.ids, []);
  assert.deepEqual(none.json.documents, []);
  assert.deepEqual(none.json.metadatas, []);
  assert.equal(none.json.embeddings, null);
  const idsOnly = await ctx.raw("POST", collPath(collection) + "/get", { include: [] });
  assert.deepEqual(idsOnly.json.ids, ["a", "b"]);
  for (const k of ["documents", "metadatas", "embeddings"]) assert.equal(idsOnly.json[k], null, k);
  assert.deepEqual(idsOnly.json.include, []);
  const bad = await ctx.raw("POST", collPath(collection) + "/get", { include: ["undefined"] });
  assert.ok(bad.status >= 400 && bad.status < 500, `unknown include item: ${bad.status} ${bad.text}`);
});

scenario("get with limit and offset slices the insertion order", async (ctx) => {
  const { collection } = await fresh(ctx);
  const ids = Array.from({ length: 11 }, (_, i) => `id${String(i).padStart(2, "0")}`);
  await collection.add({ ids, embeddings: ids.map((_, i) => [i, i]) });
  const all = (await collection.get({ include: [] })).ids;
  assert.deepEqual(all, ids);
  for (const [limit, offset] of [[1, 0], [3, 2], [10, 10], [5, 9], [4, 20]]) {
    const page = (await collection.get({ limit, offset, include: [] })).ids;
    assert.deepEqual(page, all.slice(offset, offset + limit), `limit ${limit} offset ${offset}`);
  }
});

scenario("usage: peek returns at most 10 records by default", async (ctx) => {
  const { collection } = await fresh(ctx);
  const ids = Array.from({ length: 12 }, (_, i) => `p${i}`);
  await collection.add({ ids, embeddings: ids.map((_, i) => [i]), documents: ids });
  const p = await collection.peek({});
  assert.equal(p.ids.length, 10);
  assert.deepEqual(p.documents, ids.slice(0, 10));
  assert.equal((await collection.peek({ limit: 2 })).ids.length, 2);
});

scenario("metadata value types round-trip: str, int, float, bool, lists", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({
    ids: ["m"], embeddings: [[1]],
    metadatas: [{ s: "x", i: 3, f: 1.5, neg: -7, big: 1234567890123, t: true, b: false, tags: ["a", "b"], nums: [1, 2, 3] }],
  });
  const g = await collection.get();
  assert.deepEqual(g.metadatas[0], { s: "x", i: 3, f: 1.5, neg: -7, big: 1234567890123, t: true, b: false, tags: ["a", "b"], nums: [1, 2, 3] });
  // ints stay ints and floats stay floats on the wire (JavaScript cannot tell 2 from 2.0)
  const r = await ctx.raw("POST", collPath(collection) + "/add", '{"ids":["w"],"embeddings":[[2]],"metadatas":[{"f":2.0,"i":2}]}');
  assert.equal(r.status, 201, r.text);
  const back = await ctx.raw("POST", collPath(collection) + "/get", { ids: ["w"] });
  assert.match(back.text, /"f":2\.0/);
  assert.match(back.text, /"i":2[,}]/);
});

scenario("metadata edge values: -0.0 is 0.0, integers beyond 64 bits are floats, an empty list keeps no value", async (ctx) => {
  const { collection } = await fresh(ctx);
  const r = await ctx.raw("POST", collPath(collection) + "/add",
    '{"ids":["z","big","e"],"embeddings":[[1],[2],[3]],"metadatas":[{"v":-0.0},{"v":18446744073709551616,"l":[9223372036854775808,1.5]},{"v":1,"l":[]}]}');
  assert.equal(r.status, 201, r.text);
  const get = async (body) => (await ctx.raw("POST", collPath(collection) + "/get", body)).json;
  const all = await get({ ids: ["z", "big", "e"], include: ["metadatas"] });
  const meta = Object.fromEntries(all.ids.map((id, i) => [id, all.metadatas[i]]));
  assert.ok(Object.is(meta.z.v, 0), JSON.stringify(meta.z));
  assert.equal(meta.big.v, 18446744073709551616);
  assert.deepEqual(meta.big.l, [9223372036854775808, 1.5]);
  // (only our keys are compared: real Chroma can attach list metadata left by deleted collections, see below)
  assert.equal(meta.e.v, 1);
  assert.ok(!("l" in meta.e), JSON.stringify(meta.e));
  assert.deepEqual(sorted((await get({ where: { v: { $gte: 0 } }, include: [] })).ids), ["big", "e", "z"]);
  // (JSON.stringify(1e19) is an integer too large for a where operand: written as a float literal)
  assert.deepEqual((await get('{"where":{"v":{"$gt":1e19}},"include":[]}')).ids, ["big"]);
  const up = await ctx.raw("POST", collPath(collection) + "/update", '{"ids":["big"],"metadatas":[{"l":[]}]}');
  assert.equal(up.status, 200, up.text);
  const after = (await get({ ids: ["big"], include: ["metadatas"] })).metadatas[0];
  assert.equal(after.v, 18446744073709551616);
  assert.ok(!("l" in after), JSON.stringify(after));
});

scenario("a deleted collection's list metadata: real Chroma leaves it behind for the next collection's records, ours does not (deliberate difference)", async (ctx) => {
  const client = clientFor(ctx.url);
  const key = `leak_${Math.random().toString(36).slice(2, 8)}`;
  const first = await client.createCollection({ name: ctx.unique("leak-a"), embeddingFunction: null });
  await first.add({ ids: ["x"], embeddings: [[1, 2, 3]], metadatas: [{ [key]: [1.5] }] });
  await client.deleteCollection({ name: first.name });
  const second = await client.createCollection({ name: ctx.unique("leak-b"), embeddingFunction: null });
  await second.add({ ids: ["y"], embeddings: [[1, 2, 3]], documents: ["d"] });
  const got = await second.get({ include: ["metadatas"] });
  const matched = await second.get({ where: { [key]: { $contains: 1.5 } }, include: [] });
  ctx.differs("leak", {
    real: () => {
      assert.deepEqual(got.metadatas[0]?.[key], [1.5]);
      assert.deepEqual(matched.ids, ["y"]);
    },
    java: () => {
      assert.equal(got.metadatas[0], null);
      assert.deepEqual(matched.ids, []);
    },
  })();
});

scenario("invalid metadata is rejected: nested object, mixed list, bad keys", async (ctx) => {
  // (an empty list is refused by Chroma's Python client only; the server accepts it and keeps no value)
  const { collection } = await fresh(ctx);
  const cases = [
    [{ nested: { a: 1 } }, "nested object"],
    [{ mixed: [1, "a"] }, "mixed list"],
    [{ "": 1 }, "empty key"],
    [{ "#k": 1 }, "key starting with #"],
    [{ $k: 1 }, "key starting with $"],
  ];
  for (const [meta, what] of cases) {
    const r = await ctx.raw("POST", collPath(collection) + "/add", { ids: ["m"], embeddings: [[1]], metadatas: [meta] });
    assert.ok(r.status >= 400 && r.status < 500, `${what}: ${r.status} ${r.text}`);
  }
  assert.equal(await collection.count(), 0);
});

// ---------------------------------------------------------------- update / upsert / delete

scenario("usage: update replaces document and embedding, merges metadata", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["id1", "id2"], embeddings: [[1.1, 2.3, 3.2], [9, 9, 9]], documents: ["doc1", "doc2"], metadatas: [{ chapter: "3", verse: "16" }, { chapter: "1" }] });
  await collection.update({ ids: ["id1"], embeddings: [[5, 5, 5]], metadatas: [{ chapter: "4", new: true }], documents: ["doc1-new"] });
  const g = await collection.get({ ids: ["id1"], include: ["documents", "metadatas", "embeddings"] });
  assert.deepEqual(g.documents, ["doc1-new"]);
  assert.deepEqual(g.metadatas[0], { chapter: "4", verse: "16", new: true });
  assert.deepEqual(g.embeddings[0], [5, 5, 5]);
  const q = await collection.query({ queryEmbeddings: [[5, 5, 5]], nResults: 1 });
  assert.deepEqual(q.ids, [["id1"]]);
});

scenario("update with a null metadata value deletes that key", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1]], metadatas: [{ keep: 1, drop: "x" }] });
  const r = await ctx.raw("POST", collPath(collection) + "/update", { ids: ["a"], metadatas: [{ drop: null }] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await collection.get()).metadatas[0], { keep: 1 });
  const where = await collection.get({ where: { drop: "x" } });
  assert.deepEqual(where.ids, []);
});

scenario("update of a missing id is ignored; a later add of it succeeds", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1, 1]] });
  await collection.update({ ids: ["ghost"], embeddings: [[2, 2]], documents: ["ghost"] });
  assert.equal(await collection.count(), 1);
  await collection.add({ ids: ["ghost"], embeddings: [[3, 3]], documents: ["real"] });
  const g = await collection.get({ ids: ["ghost"], include: ["embeddings", "documents"] });
  assert.deepEqual(g.embeddings[0], [3, 3]);
  assert.deepEqual(g.documents, ["real"]);
});

scenario("usage: upsert inserts new ids and updates existing ones", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["1", "2", "3"], embeddings: [[1, 0], [0, 1], [1, 1]], documents: ["one", "two", "three"], metadatas: [{ k: 1 }, { k: 2 }, { k: 3 }] });
  await collection.upsert({ ids: ["3", "4"], embeddings: [[3, 3], [4, 4]], documents: ["THREE", "four"], metadatas: [{ k: 30 }, { k: 4 }] });
  assert.equal(await collection.count(), 4);
  const g = await collection.get({ ids: ["3"], include: ["documents", "metadatas", "embeddings"] });
  assert.deepEqual(g.documents, ["THREE"]);
  assert.deepEqual(g.metadatas[0], { k: 30 });
  assert.deepEqual(g.embeddings[0], [3, 3]);
  const q = await collection.query({ queryEmbeddings: [[4, 4]], nResults: 1, include: ["documents", "metadatas", "embeddings"] });
  assert.deepEqual(q.ids, [["4"]]);
  assert.deepEqual(q.documents, [["four"]]);
});

scenario("delete then upsert without a document gives a record with no document", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1, 2]], documents: ["doc"], metadatas: [{ old: 1 }] });
  await collection.delete({ ids: ["a"] });
  await collection.upsert({ ids: ["a"], embeddings: [[3, 4]], metadatas: [{ fresh: true }] });
  const g = await collection.get({ ids: ["a"] });
  assert.deepEqual(g.documents, [null]);
  assert.deepEqual(g.metadatas, [{ fresh: true }]);
});

scenario("usage: delete by ids, by where, by whereDocument; counts what it deleted", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({
    ids: ["id1", "id2", "id3", "id4"], embeddings: [[1], [2], [3], [4]],
    documents: ["doc1", "doc2", "doc3", "other"], metadatas: [{ chapter: "20" }, { chapter: "20" }, { chapter: "3" }, { chapter: "3" }],
  });
  const byIds = await collection.delete({ ids: ["id1"] });
  assert.equal(byIds.deleted, 1);
  const byWhere = await collection.delete({ where: { chapter: "20" } });
  assert.equal(byWhere.deleted, 1);
  const byDoc = await collection.delete({ whereDocument: { $contains: "doc3" } });
  assert.equal(byDoc.deleted, 1);
  assert.deepEqual((await collection.get()).ids, ["id4"]);
  const nothing = await collection.delete({ where: { chapter: "nope" } });
  assert.equal(nothing.deleted, 0);
  assert.equal(await collection.count(), 1);
});

scenario("delete with a where and a limit deletes at most limit records", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a", "b", "c", "d"], embeddings: [[1], [2], [3], [4]], metadatas: [{ category: "a" }, { category: "a" }, { category: "a" }, { category: "b" }] });
  assert.equal((await collection.delete({ where: { category: "a" }, limit: 2 })).deleted, 2);
  assert.equal(await collection.count(), 2);
  assert.equal((await collection.delete({ where: { category: "a" }, limit: 0 })).deleted, 0);
  assert.equal(await collection.count(), 2);
  assert.equal((await collection.delete({ where: { category: "a" }, limit: 10 })).deleted, 1);
  const r = await ctx.raw("POST", collPath(collection) + "/delete", { ids: ["d"], limit: 5 });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.message, /limit can only be specified/);
  assert.equal(await collection.count(), 1);
});

scenario("delete with nothing to match is refused or a no-op, never a wipe", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1]] });
  assert.equal((await collection.delete({})).deleted, 0);
  const r = await ctx.raw("POST", collPath(collection) + "/delete", { ids: [] });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.message, /Either ids or where must be specified/);
  assert.equal(await collection.count(), 1);
});

scenario("add, delete and re-add the same ids; delete 5 of 6 and query finds the survivor", async (ctx) => {
  const { collection } = await fresh(ctx);
  const ids = ["a", "b", "c", "d", "e", "f"];
  const emb = ids.map((_, i) => [i, i + 1]);
  await collection.add({ ids, embeddings: emb });
  await collection.delete({ ids });
  assert.equal(await collection.count(), 0);
  await collection.add({ ids, embeddings: emb });
  assert.deepEqual(sorted((await collection.get()).ids), ids);
  await collection.delete({ ids: ids.slice(0, 5) });
  assert.equal(await collection.count(), 1);
  const q = await collection.query({ queryEmbeddings: [[0, 1]], nResults: 3 });
  assert.deepEqual(q.ids, [["f"]]);
});

// ---------------------------------------------------------------- query (A.4)

scenario("query of a collection that never received data returns empty rows", async (ctx) => {
  const { collection } = await fresh(ctx);
  const q = await collection.query({ queryEmbeddings: [[1, 2, 3], [4, 5, 6]], nResults: 3 });
  assert.deepEqual(q.ids, [[], []]);
});

scenario("usage: query by embeddings, nearest first, with n_results, include and filters", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({
    ids: ["a", "b", "c", "d"],
    embeddings: [[0, 0, 0], [1, 1, 1], [2, 2, 2], [10, 10, 10]],
    documents: ["search_string here", "nothing", "search_string too", "far"],
    metadatas: [{ metadata_field: "is_equal_to_this" }, { metadata_field: "other" }, { metadata_field: "is_equal_to_this" }, null],
  });
  const q = await collection.query({ queryEmbeddings: [[1.1, 1.1, 1.1], [9, 9, 9]], nResults: 2 });
  assert.deepEqual(q.ids, [["b", "c"], ["d", "c"]]);
  assert.ok(q.distances[0][0] <= q.distances[0][1]);
  assert.ok(Math.abs(q.distances[0][0] - 0.03) < 1e-4, `squared l2: ${q.distances[0][0]}`);
  assert.deepEqual(q.include.sort(), ["distances", "documents", "metadatas"]);
  const all = await collection.query({ queryEmbeddings: [[0, 0, 0]], nResults: 100 });
  assert.deepEqual(all.ids, [["a", "b", "c", "d"]]);
  const filtered = await collection.query({
    queryEmbeddings: [[11.1, 12.1, 13.1], [1.1, 2.3, 3.2]], nResults: 10,
    where: { metadata_field: "is_equal_to_this" }, whereDocument: { $contains: "search_string" },
  });
  assert.deepEqual(filtered.ids, [["c", "a"], ["c", "a"]]);
  const docsOnly = await collection.query({ queryEmbeddings: [[0, 0, 0]], nResults: 1, include: ["documents"] });
  assert.deepEqual(docsOnly.documents, [["search_string here"]]);
  const raw = await ctx.raw("POST", collPath(collection) + "/query", { query_embeddings: [[0, 0, 0]], n_results: 1, include: [] });
  assert.equal(raw.status, 200, raw.text);
  assert.deepEqual(raw.json.ids, [["a"]]);
  for (const k of ["documents", "metadatas", "embeddings", "distances"]) assert.equal(raw.json[k], null, k);
  const dflt = await ctx.raw("POST", collPath(collection) + "/query", { query_embeddings: [[0, 0, 0]] });
  assert.equal(dflt.json.ids[0].length, 4, "default n_results 10 clamps to the count");
  assert.equal(dflt.json.embeddings, null);
});

scenario("query: a filter that matches nothing gives empty rows, one per query", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1, 2]], metadatas: [{ k: 1 }] });
  const one = await collection.query({ queryEmbeddings: [[1, 2]], where: { k: 99 }, include: ["metadatas", "distances", "embeddings"] });
  assert.deepEqual(one.ids, [[]]);
  assert.deepEqual(one.distances, [[]]);
  assert.deepEqual(one.metadatas, [[]]);
  assert.deepEqual(one.embeddings, [[]]);
  const two = await collection.query({ queryEmbeddings: [[1, 2], [2, 1]], where: { k: 99 } });
  assert.deepEqual(two.ids, [[], []]);
});

scenario("query restricted to ids returns a subset of them", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a", "b", "c", "d"], embeddings: [[0], [1], [2], [3]] });
  const q = await collection.query({ queryEmbeddings: [[0]], ids: ["c", "d"], nResults: 5 });
  assert.deepEqual(q.ids, [["c", "d"]]);
  const none = await ctx.raw("POST", collPath(collection) + "/query", { query_embeddings: [[0]], ids: [], n_results: 2 });
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.json.ids, [[]]);
});

scenario("distances: l2 is squared, ip is 1 - dot, cosine is 1 - cosine similarity", async (ctx) => {
  const client = clientFor(ctx.url);
  const data = [[0, 0, 0], [1.2, 2.24, 3.2]];
  const query = [0.6, 1.12, 1.6];
  const out = {};
  for (const space of ["l2", "ip", "cosine"]) {
    const c = await client.createCollection({ name: ctx.unique(space), metadata: { "hnsw:space": space }, embeddingFunction: null });
    await c.add({ ids: ["zero", "x"], embeddings: data });
    const q = await c.query({ queryEmbeddings: [query], nResults: 2, ids: ["x"] });
    out[space] = q.distances[0][0];
  }
  const dot = 1.2 * 0.6 + 2.24 * 1.12 + 3.2 * 1.6;
  const l2 = (1.2 - 0.6) ** 2 + (2.24 - 1.12) ** 2 + (3.2 - 1.6) ** 2;
  assert.ok(Math.abs(out.l2 - l2) < 1e-4, `l2 ${out.l2} vs ${l2}`);
  assert.ok(out.ip < -5 && Math.abs(out.ip - (1 - dot)) < 1e-4, `ip ${out.ip} vs ${1 - dot}`);
  assert.ok(out.cosine >= -1e-6 && out.cosine < 1e-5, `cosine of parallel vectors: ${out.cosine}`);
});

scenario("query with n_results <= 0 is rejected", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1]] });
  await rejects(collection.query({ queryEmbeddings: [[1]], nResults: -1 }), /./, "n_results -1");
  const r = await ctx.raw("POST", collPath(collection) + "/query", { query_embeddings: [[1]], n_results: -1 });
  assert.ok(r.status >= 400 && r.status < 500, r.text);
});

// ---------------------------------------------------------------- where / where_document (A.5)

scenario("where: $eq and the shorthand, strings, numbers and booleans", async (ctx) => {
  const f = await filterFixture(ctx);
  assert.deepEqual(await f.ids({ where: { str: "apple" } }), ["r1", "r4"]);
  assert.deepEqual(await f.ids({ where: { str: { $eq: "apple" } } }), ["r1", "r4"]);
  assert.deepEqual(await f.ids({ where: { int_value: 2 } }), ["r2"]);
  assert.deepEqual(await f.ids({ where: { float_value: { $eq: 2.002 } } }), ["r2"]);
  assert.deepEqual(await f.ids({ where: { flag: true } }), ["r1", "r3"]);
  assert.deepEqual(await f.ids({ where: { flag: { $eq: false } } }), ["r2", "r4"]);
});

scenario("where: $ne and $nin also match records without the key", async (ctx) => {
  const f = await filterFixture(ctx);
  assert.deepEqual(await f.ids({ where: { str: { $ne: "apple" } } }), ["r2", "r3", "r5", "r6"]);
  assert.deepEqual(await f.ids({ where: { int_value: { $ne: 2 } } }), ["r1", "r3", "r4", "r5", "r6"]);
  assert.deepEqual(await f.ids({ where: { str: { $nin: ["apple", "banana"] } } }), ["r3", "r5", "r6"]);
  assert.deepEqual(await f.ids({ where: { str: { $in: ["apple", "date"] } } }), ["r1", "r4", "r5"]);
  assert.deepEqual(await f.ids({ where: { int_value: { $in: [1, 3] } } }), ["r1", "r3"]);
});

scenario("where: $gt $gte $lt $lte compare ints and floats numerically", async (ctx) => {
  const f = await filterFixture(ctx);
  assert.deepEqual(await f.ids({ where: { int_value: { $gt: 2 } } }), ["r3", "r4"]);
  assert.deepEqual(await f.ids({ where: { int_value: { $gte: 2 } } }), ["r2", "r3", "r4"]);
  assert.deepEqual(await f.ids({ where: { int_value: { $lt: 2 } } }), ["r1"]);
  assert.deepEqual(await f.ids({ where: { int_value: { $lte: 2.5 } } }), ["r1", "r2"]);
  assert.deepEqual(await f.ids({ where: { float_value: { $gt: 1 } } }), ["r1", "r2", "r3"]);
  assert.deepEqual(await f.ids({ where: { float_value: { $lte: 1.5 } } }), ["r1", "r5"]);
  // 2.0 written as a JSON float literal still matches the int 2
  const r = await ctx.raw("POST", collPath(f.collection) + "/get", '{"where":{"int_value":{"$lte":2.0}},"include":[]}');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(sorted(r.json.ids), ["r1", "r2"]);
});

scenario("where: booleans never equal numbers", async (ctx) => {
  const f = await filterFixture(ctx);
  const r = await ctx.raw("POST", collPath(f.collection) + "/get", { where: { flag: { $eq: 0 } }, include: [] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.ids, []);
});

scenario("where: $and and $or, nested", async (ctx) => {
  const f = await filterFixture(ctx);
  assert.deepEqual(await f.ids({ where: { $and: [{ str: "apple" }, { flag: true }] } }), ["r1"]);
  assert.deepEqual(await f.ids({ where: { $or: [{ str: "banana" }, { int_value: { $gte: 4 } }] } }), ["r2", "r4"]);
  assert.deepEqual(await f.ids({
    where: { $or: [{ $and: [{ str: "apple" }, { int_value: { $gt: 1 } }] }, { $and: [{ flag: true }, { float_value: { $gt: 3 } }] }] },
  }), ["r3", "r4"]);
});

scenario("where: $contains and $not_contains on list metadata", async (ctx) => {
  const f = await filterFixture(ctx);
  assert.deepEqual(await f.ids({ where: { tags: { $contains: "action" } } }), ["r1"]);
  assert.deepEqual(await f.ids({ where: { tags: { $not_contains: "action" } } }), ["r2", "r3", "r4", "r5", "r6"]);
});

scenario("where: $contains on a list keeps ints and floats apart; get may ask for distances", async (ctx) => {
  const { collection } = await fresh(ctx);
  const add = await ctx.raw("POST", collPath(collection) + "/add",
    '{"ids":["f","i"],"embeddings":[[1],[2]],"metadatas":[{"a":[1.5,2.0]},{"a":[1,2]}]}');
  assert.equal(add.status, 201, add.text);
  const get = async (body) => {
    const r = await ctx.raw("POST", collPath(collection) + "/get", typeof body === "string" ? body : JSON.stringify(body));
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  assert.deepEqual((await get('{"where":{"a":{"$contains":2}},"include":[]}')).ids, ["i"]);
  assert.deepEqual((await get('{"where":{"a":{"$contains":2.0}},"include":[]}')).ids, ["f"]);
  assert.deepEqual(sorted((await get('{"where":{"a":{"$not_contains":2}},"include":[]}')).ids), ["f"]);
  const d = await get({ ids: ["i"], include: ["distances", "metadatas"] });
  assert.deepEqual(d.include, ["distances", "metadatas"]);
  assert.deepEqual(d.metadatas, [{ a: [1, 2] }]);
  const data = await ctx.raw("POST", collPath(collection) + "/get", { include: ["data"] });
  assert.ok(data.status === 400 || data.status === 422, `include data: ${data.status} ${data.text}`);
});

scenario("where_document: $contains is a case-sensitive substring; $not_contains matches records without a document", async (ctx) => {
  const f = await filterFixture(ctx);
  assert.deepEqual(await f.ids({ whereDocument: { $contains: "zer" } }), ["r1"]);
  assert.deepEqual(await f.ids({ whereDocument: { $contains: "cat" } }), ["r3"]);
  assert.deepEqual(await f.ids({ whereDocument: { $not_contains: "cat" } }), ["r1", "r2", "r4", "r5", "r6"]);
  assert.deepEqual(await f.ids({ whereDocument: { $or: [{ $contains: "dog" }, { $contains: "nap" }] } }), ["r2", "r4", "r5"]);
  assert.deepEqual(await f.ids({ whereDocument: { $and: [{ $contains: "dog" }, { $not_contains: "Cat" }] } }), ["r5"]);
});

scenario("where_document: $regex and $not_regex with inline flags", async (ctx) => {
  const f = await filterFixture(ctx);
  assert.deepEqual(await f.ids({ whereDocument: { $regex: "^cat$" } }), ["r3"]);
  assert.deepEqual(await f.ids({ whereDocument: { $regex: "(?i)cat" } }), ["r2", "r3", "r4"]);
  assert.deepEqual(await f.ids({ whereDocument: { $regex: "(?i)c(?-i)at" }, where: { str: { $ne: "cherry" } } }), ["r2"]);
  assert.deepEqual(await f.ids({ whereDocument: { $not_regex: "[Cc]at" } }), ["r1", "r4", "r5", "r6"]);
});

scenario("where_document: $regex is Rust regex syntax: Unicode classes, verbose mode, \\u escapes, property names", async (ctx) => {
  const { collection } = await fresh(ctx, "regex");
  const docs = ["abc", "\u0661\u0662\u0663 arabic digits", "caf\u00e9 au lait", "na\u00efve r\u00e9sum\u00e9", "\u65e5\u672c\u8a9e",
    "x\u00a0y", "line1\nline2", "\u03a9mega", "a\u212a"];
  const ids = docs.map((_, i) => `d${i}`);
  await collection.add({ ids, embeddings: docs.map((_, i) => [i]), documents: docs });
  const get = (pattern) => getIds(ctx, collection, { where_document: { $regex: pattern } });
  assert.deepEqual(await get("\\d"), ["d1", "d6"]); // Arabic-Indic digits are digits
  assert.deepEqual(await get("^\\w+$"), ["d0", "d4", "d7", "d8"]); // so are CJK and Greek letters word characters
  assert.deepEqual(await get("\\s"), ["d1", "d2", "d3", "d5", "d6"]); // the no-break space is white space
  assert.deepEqual(await get("(?x) caf \\u00e9 # verbose"), ["d2"]);
  assert.deepEqual(await get("\\u{e9}"), ["d2", "d3"]);
  assert.deepEqual(await get("\\p{greek}"), ["d7"]);
  assert.deepEqual(await get("(?i)\u03c9MEGA"), ["d7"]);
  assert.deepEqual(await get("(?i)ak"), ["d8"]); // the Kelvin sign folds to k
  assert.deepEqual(await get("line1$"), []); // $ is the end of the text
  assert.deepEqual(await get("(?m)line1$"), ["d6"]);
  assert.deepEqual(await get("ab++c"), ["d0"]);
  for (const pattern of ["(a)\\1", "(?=a)", "(", "a{,2}"]) {
    const r = await ctx.raw("POST", collPath(collection) + "/get", { where_document: { $regex: pattern } });
    assert.equal(r.status, 400, `${pattern}: ${r.status} ${r.text}`);
    assert.equal(r.json.error, "InvalidArgumentError", r.text);
  }
});

scenario("empty operands: $contains \"\" matches every document, an empty where key matches no record", async (ctx) => {
  const f = await filterFixture(ctx);
  const get = (body) => getIds(ctx, f.collection, body);
  assert.deepEqual(await get({ where_document: { $contains: "" } }), ["r1", "r2", "r3", "r4", "r5"]);
  assert.deepEqual(await get({ where_document: { $not_contains: "" } }), ["r6"]);
  assert.deepEqual(await get({ where_document: { $regex: "" } }), ["r1", "r2", "r3", "r4", "r5"]);
  assert.deepEqual(await get({ where: { "": 1 } }), []);
  assert.deepEqual(await get({ where: { "": { $ne: 1 } } }), FILTER_IDS);
});

scenario("where: a fractional float against int metadata: real Chroma truncates it (0.5 equals 0), ours compares numerically (deliberate difference)", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["zero", "one", "two"], embeddings: [[0], [1], [2]], metadatas: [{ n: 0 }, { n: 1 }, { n: 2 }] });
  const get = (where) => getIds(ctx, collection, { where });
  const eqHalf = await get({ n: { $eq: 0.5 } });
  const ltOneAndAHalf = await get({ n: { $lt: 1.5 } });
  const inHalf = await get({ n: { $in: [1.5, 2.5] } });
  ctx.differs("fractional", {
    real: () => {
      assert.deepEqual(eqHalf, ["zero"]);
      assert.deepEqual(ltOneAndAHalf, ["zero"]);
      assert.deepEqual(inHalf, ["one", "two"]);
    },
    java: () => {
      assert.deepEqual(eqHalf, []);
      assert.deepEqual(ltOneAndAHalf, ["one", "zero"]);
      assert.deepEqual(inHalf, []);
    },
  })();
});

scenario("empty $or matches nothing, empty $and matches everything", async (ctx) => {
  const f = await filterFixture(ctx);
  const get = (body) => getIds(ctx, f.collection, body);
  assert.deepEqual(await get({ where: { $or: [] } }), []);
  assert.deepEqual(await get({ where: { $and: [] } }), FILTER_IDS);
  assert.deepEqual(await get({ where_document: { $or: [] } }), []);
  assert.deepEqual(await get({ where_document: { $and: [] } }), FILTER_IDS);
});

scenario("where and where_document together must both hold, in get, query and delete", async (ctx) => {
  const f = await filterFixture(ctx);
  assert.deepEqual(await f.ids({ where: { flag: true }, whereDocument: { $contains: "cat" } }), ["r3"]);
  const q = await f.collection.query({ queryEmbeddings: [[0, 0, 1]], where: { flag: false }, whereDocument: { $contains: "nap" } });
  assert.deepEqual(q.ids, [["r4"]]);
  assert.equal((await f.collection.delete({ where: { str: "apple" }, whereDocument: { $contains: "nap" } })).deleted, 1);
  assert.equal(await f.collection.count(), 5);
});

scenario("bad where clauses are rejected with 400 InvalidArgumentError", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1]], metadatas: [{ int_value: 1 }], documents: ["x"] });
  const badWhere = [
    { v: { nested: "5" } },
    { int_value: { $invalid: 2 } },
    { int_value: { $lt: "2" } },
    { int_value: { $lt: 2, $gt: 1 } },
    { $and: { a: 1 } },
    { $gt: [1, 2] },
    { int_value: { $in: [] } },
    { int_value: { $in: [1, "a"] } },
    { int_value: { $in: [1, 2.5] } },
  ];
  for (const where of badWhere) {
    for (const op of ["get", "query"]) {
      const body = op === "get" ? { where } : { where, query_embeddings: [[1]] };
      const r = await ctx.raw("POST", collPath(collection) + "/" + op, body);
      assert.equal(r.status, 400, `${op} where ${JSON.stringify(where)}: ${r.status} ${r.text}`);
      assert.equal(r.json.error, "InvalidArgumentError", r.text);
    }
  }
  const badDoc = [{ $lt: 1 }, { $contains: 2 }, { $contains: [] }, { $contains: { a: 1 } }, { $and: { $contains: "x" } }];
  for (const whereDocument of badDoc) {
    const r = await ctx.raw("POST", collPath(collection) + "/get", { where_document: whereDocument });
    assert.equal(r.status, 400, `where_document ${JSON.stringify(whereDocument)}: ${r.status} ${r.text}`);
  }
  // through the client: rejected either by its own validation or by the server
  await rejects(collection.get({ where: { int_value: { $invalid: 2 } } }), /./, "client bad operator");
  assert.equal(await collection.count(), 1);
});

// ---------------------------------------------------------------- wire details

scenario("wire: base64 float32 embeddings are accepted and read back as numbers", async (ctx) => {
  const { collection } = await fresh(ctx);
  const b64 = Buffer.from(new Float32Array([1.5, -2]).buffer).toString("base64");
  const r = await ctx.raw("POST", collPath(collection) + "/add", { ids: ["b"], embeddings: [b64] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual((await collection.get({ include: ["embeddings"] })).embeddings, [[1.5, -2]]);
});

scenario("wire: malformed JSON and a bad collection UUID are 400 InvalidArgumentError", async (ctx) => {
  const bad = await ctx.raw("POST", dbPath() + "/collections", "{not json");
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error, "InvalidArgumentError");
  const uuid = await ctx.raw("POST", dbPath() + "/collections/not-a-uuid/get", {});
  assert.equal(uuid.status, 400, uuid.text);
  assert.match(uuid.json.message, /not a valid UUID/);
});

scenario("metadata: changing a key from scalar to list and back leaves no stale matches", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a"], embeddings: [[1]], metadatas: [{ t: "x" }] });
  await collection.update({ ids: ["a"], metadatas: [{ t: ["x", "y"] }] });
  assert.deepEqual((await collection.get({ where: { t: { $contains: "y" } } })).ids, ["a"]);
  assert.deepEqual((await collection.get({ where: { t: "x" } })).ids, []);
  await collection.update({ ids: ["a"], metadatas: [{ t: "z" }] });
  assert.deepEqual((await collection.get({ where: { t: { $contains: "y" } } })).ids, []);
  assert.deepEqual((await collection.get({ where: { t: "z" } })).ids, ["a"]);
});

scenario("wire: a batch over max_batch_size: real Chroma stores it, ours answers 413 (deliberate difference)", async (ctx) => {
  const { collection } = await fresh(ctx);
  const max = (await ctx.raw("GET", "/api/v2/pre-flight-checks")).json.max_batch_size;
  const n = max + 1;
  const r = await ctx.raw("POST", collPath(collection) + "/add", { ids: Array.from({ length: n }, (_, i) => `i${i}`), embeddings: Array.from({ length: n }, (_, i) => [i]) });
  await ctx.differs("batch", {
    real: async () => {
      assert.equal(r.status, 201, r.text);
      assert.equal(await collection.count(), n);
    },
    java: async () => {
      // the limit the server advertises is the limit it enforces: nothing is half-written
      assert.equal(r.status, 413, r.text);
      assert.match(r.json.message, /batch size/i);
      assert.equal(await collection.count(), 0);
    },
  })();
});

scenario("query restricted to a deleted id: real Chroma fails with 500, ours returns an empty row (deliberate difference)", async (ctx) => {
  const { collection } = await fresh(ctx);
  await collection.add({ ids: ["a", "b"], embeddings: [[1], [2]] });
  await collection.delete({ ids: ["a"] });
  const r = await ctx.raw("POST", collPath(collection) + "/query", { query_embeddings: [[1]], ids: ["a"], n_results: 1 });
  ctx.differs("deleted-id", {
    real: () => {
      assert.equal(r.status, 500, r.text);
      assert.match(r.json.message, /Error finding id/);
    },
    java: () => {
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.ids, [[]]);
    },
  })();
});

scenario("a record with a uri and no metadata comes back with empty metadata, as in Chroma 1.x", async (ctx) => {
  const { collection } = await fresh(ctx);
  const p = collPath(collection);
  let r = await ctx.raw("POST", p + "/add", { ids: ["a", "b", "c"], embeddings: [[1, 2, 3], [2, 3, 4], [3, 4, 5]], uris: ["u1", null, "u3"], documents: [null, "doc", null] });
  assert.equal(r.status, 201, r.text);
  r = await ctx.raw("POST", p + "/update", { ids: ["c"], metadatas: [{ k: 1 }] });
  assert.equal(r.status, 200, r.text);
  const g = await ctx.raw("POST", p + "/get", { ids: ["a", "b", "c"], include: ["metadatas"] });
  assert.deepEqual(g.json.metadatas, [{}, null, { k: 1 }]);
  const q = await ctx.raw("POST", p + "/query", { query_embeddings: [[1, 2, 3]], n_results: 1, include: ["metadatas", "uris"] });
  assert.deepEqual(q.json.metadatas, [[{}]]);
  assert.deepEqual(q.json.uris, [["u1"]]);
});

scenario("hnsw settings of 0 are accepted and the collection works, as in Chroma 1.x; wrong types are 422", async (ctx) => {
  const base = "/api/v2/tenants/default_tenant/databases/default_database/collections";
  for (const hnsw of [{ ef_search: 0 }, { ef_construction: 0 }, { num_threads: 0, sync_threshold: 0, batch_size: 0 }]) {
    const c = await ctx.raw("POST", base, { name: ctx.unique("zero"), configuration: { hnsw } });
    assert.equal(c.status, 200, c.text);
    const add = await ctx.raw("POST", `${base}/${c.json.id}/add`, { ids: ["a", "b", "c"], embeddings: [[1, 0], [0, 1], [1, 1]] });
    assert.equal(add.status, 201, add.text);
    const q = await ctx.raw("POST", `${base}/${c.json.id}/query`, { query_embeddings: [[1, 0]], n_results: 2, include: [] });
    assert.deepEqual(q.json.ids, [["a", "c"]]);
  }
  for (const [hnsw, text] of [[{ ef_search: -1 }, /invalid value: integer `-1`, expected usize/], [{ ef_search: "a" }, /invalid type: string "a", expected usize/],
    [{ resize_factor: true }, /invalid type: boolean `true`, expected f64/], [{ space: "x" }, /unknown variant `x`/]]) {
    const r = await ctx.raw("POST", base, { name: ctx.unique("typed"), configuration: { hnsw } });
    assert.equal(r.status, 422, r.text);
    assert.match(r.json.message, text);
  }
});

scenario("hnsw: metadata keys give way to a configuration that differs from the defaults, as in Chroma 1.x", async (ctx) => {
  const base = "/api/v2/tenants/default_tenant/databases/default_database/collections";
  for (const [metadata, configuration, expected] of [
    [{ "hnsw:space": "ip" }, { hnsw: { ef_search: 5 } }, { space: "l2", ef_search: 5 }],
    [{ "hnsw:search_ef": 7 }, { hnsw: { ef_construction: 50 } }, { space: "l2", ef_search: 100, ef_construction: 50 }],
    [{ "hnsw:space": "ip" }, { hnsw: {} }, { space: "ip", ef_search: 100 }],
    [{ "hnsw:search_ef": 9 }, { hnsw: { space: "l2" } }, { space: "l2", ef_search: 9 }],
    [{ "hnsw:space": "ip", "hnsw:search_ef": 9 }, {}, { space: "ip", ef_search: 9 }],
  ]) {
    const r = await ctx.raw("POST", base, { name: ctx.unique("legacy"), metadata, configuration });
    assert.equal(r.status, 200, r.text);
    for (const [k, v] of Object.entries(expected)) {
      assert.equal(r.json.configuration_json.hnsw[k], v, `${JSON.stringify([metadata, configuration])}: ${k}`);
    }
    assert.deepEqual(r.json.metadata, metadata);
  }
  // the legacy keys are still checked when a configuration overrides them
  const bad = await ctx.raw("POST", base, { name: ctx.unique("legacy"), metadata: { "hnsw:M": -1 }, configuration: { hnsw: { ef_search: 5 } } });
  assert.equal(bad.status, 400, bad.text);
});

scenario("modify hnsw:space after creation: real Chroma accepts and ignores it, ours refuses with 400 (deliberate difference)", async (ctx) => {
  const { collection } = await fresh(ctx);
  const r = await ctx.raw("PUT", collPath(collection), { new_metadata: { "hnsw:space": "cosine" } });
  ctx.differs("space", {
    real: () => assert.equal(r.status, 200, r.text),
    java: () => {
      assert.equal(r.status, 400, r.text);
      assert.match(r.json.message, /not supported/);
    },
  })();
});

await runAll();
