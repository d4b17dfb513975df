// The usage guide's auth scenarios with Chroma's JavaScript client chromadb@1.8.1 against a server that
// requires credentials. The "target" argument says how the server was started:
//   node auth.mjs <url> basic            htpasswd file with admin:admin
//   node auth.mjs <url> token            CHROMA_SERVER_AUTH_CREDENTIALS=test-token, Authorization: Bearer
//   node auth.mjs <url> token-x          the same token in X-Chroma-Token
// The client options are 1.8.1's: auth: {provider: "basic", credentials: "user:password"} and
// auth: {provider: "token", credentials, providerOptions: {headerType: "AUTHORIZATION" | "X_CHROMA_TOKEN"}}.
import assert from "node:assert/strict";
import { ChromaClient } from "chromadb";
import { scenario, rejects, runAll } from "../lib/harness.mjs";

const mode = process.argv[3] ?? "basic";

/** Deterministic 3-d embeddings, so the default (downloading) model is never used. */
const tinyEf = {
  async generate(texts) {
    return texts.map((t) => [t.length / 10, (t.codePointAt(0) ?? 0) / 128, 0.5]);
  },
};

const token = (credentials, headerType) => ({ provider: "token", credentials, providerOptions: { headerType } });

/** The right auth option for the server's mode, and wrong ones (bad secret; right secret in the wrong place). */
const RIGHT = {
  basic: { provider: "basic", credentials: "admin:admin" },
  token: token("test-token", "AUTHORIZATION"),
  "token-x": token("test-token", "X_CHROMA_TOKEN"),
}[mode];
const WRONG = {
  basic: [{ provider: "basic", credentials: "admin:wrong" }, { provider: "basic", credentials: "nobody:admin" },
    token("admin:admin", "AUTHORIZATION")],
  token: [token("wrong-token", "AUTHORIZATION"), token("test-token", "X_CHROMA_TOKEN")],
  "token-x": [token("wrong-token", "X_CHROMA_TOKEN"), token("test-token", "AUTHORIZATION")],
}[mode];
assert.ok(RIGHT, `unknown mode ${mode}: expected basic, token or token-x`);

const client = (url, auth) => new ChromaClient(auth ? { path: url, auth } : { path: url });

/** 1.8.1's listCollections rejects with the fetch Response itself on an error status. */
async function refusedWith401(promise, what) {
  const e = await rejects(promise, null, what);
  const status = e?.status ?? e?.response?.status;
  assert.equal(status, 401, `${what}: expected a 401 response, got ${e?.constructor?.name} ${status} ${e?.message ?? ""}`);
}

scenario(`auth ${mode}: heartbeat and version work without credentials`, async (ctx) => {
  const anon = client(ctx.url);
  const hb = await anon.heartbeat();
  assert.ok(hb > 0, `heartbeat ${hb}`);
  assert.match(await anon.version(), /^\d+\.\d+\.\d+/);
  for (const p of ["/api/v1", "/api/v1/heartbeat", "/api/v1/version", "/api/v1/pre-flight-checks",
    "/api/v2/heartbeat", "/api/v2/version", "/api/v2/pre-flight-checks"]) {
    const r = await ctx.raw("GET", p);
    assert.equal(r.status, 200, `${p}: ${r.status} ${r.text}`);
  }
  // and with credentials too (the client sends them on every call)
  assert.ok((await client(ctx.url, RIGHT).heartbeat()) > 0);
});

scenario(`auth ${mode}: listCollections fails without credentials`, async (ctx) => {
  await refusedWith401(client(ctx.url).listCollections(), "listCollections without auth");
  const r = await ctx.raw("GET", "/api/v1/collections");
  assert.equal(r.status, 401, r.text);
  assert.equal(r.json?.error, "AuthorizationError", r.text);
  if (mode === "basic") assert.match(r.headers.get("www-authenticate") ?? "", /^Basic/);
});

scenario(`auth ${mode}: listCollections fails with wrong credentials`, async (ctx) => {
  for (const auth of WRONG) {
    await refusedWith401(client(ctx.url, auth).listCollections(), `listCollections with ${JSON.stringify(auth)}`);
  }
});

scenario(`auth ${mode}: listCollections works with the right credentials`, async (ctx) => {
  const listed = await client(ctx.url, RIGHT).listCollections();
  assert.ok(Array.isArray(listed), JSON.stringify(listed));
});

scenario(`auth ${mode}: a refused create leaves nothing behind`, async (ctx) => {
  const name = ctx.unique("refused");
  await rejects(client(ctx.url).createCollection({ name, embeddingFunction: tinyEf }), /AuthorizationError|Unauthorized/,
    "create without credentials");
  for (const auth of WRONG) {
    await rejects(client(ctx.url, auth).createCollection({ name, embeddingFunction: tinyEf }),
      /AuthorizationError|Unauthorized/, `create with ${JSON.stringify(auth)}`);
  }
  const admin = client(ctx.url, RIGHT);
  const listed = await admin.listCollections();
  assert.ok(!listed.some((c) => (c.name ?? c) === name), `refused create left ${name}: ${JSON.stringify(listed)}`);
  await rejects(admin.getCollection({ name, embeddingFunction: tinyEf }), /./, "get the refused collection");
});

scenario(`auth ${mode}: the right credentials create, add and query`, async (ctx) => {
  const admin = client(ctx.url, RIGHT);
  const name = ctx.unique("authed");
  const c = await admin.createCollection({ name, embeddingFunction: tinyEf });
  const added = await c.add({ ids: ["a", "b"], documents: ["apple", "banana"] });
  assert.ok(!(added && added.error), JSON.stringify(added));
  assert.equal(await c.count(), 2);
  const q = await c.query({ queryTexts: ["apple"], nResults: 1 });
  assert.deepEqual(q.ids, [["a"]], JSON.stringify(q));
  // without credentials the same collection's records are out of reach
  const r = await ctx.raw("GET", `/api/v1/collections/${c.id}/count`);
  assert.equal(r.status, 401, r.text);
  await admin.deleteCollection({ name });
});

await runAll();
