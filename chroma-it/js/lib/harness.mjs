// A tiny scenario runner shared by the v1 and v3 client scripts (no npm dependency of its own).
//
//   node scenarios.mjs <server-url> <target> [name-filter]
//
// target is "real" (Chroma's own server) or "java" (ours): the few assertions where our server
// deliberately differs from Chroma's (and says why) branch on it through `differs(...)`.
// Every scenario prints one line `@@SCENARIO {"name":..,"ok":..,"ms":..,"error"?:..}` and the run
// ends with `@@SUMMARY {"passed":n,"failed":m}`; the exit code is 0 only if every scenario passed.
// The Java side (chroma-it) turns each line into one JUnit test.
import assert from "node:assert/strict";

const scenarios = [];

/** Registers a scenario: fn(ctx) throws (e.g. through node:assert) on failure. */
export function scenario(name, fn) {
  scenarios.push({ name, fn });
}

/** Asserts that a promise rejects and that the error text matches `pattern` (RegExp), returning the error. */
export async function rejects(promise, pattern, what = "") {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected an error${what ? " for " + what : ""}, but the call succeeded`);
  if (pattern) {
    const text = `${error?.name ?? ""}: ${error?.message ?? String(error)}`;
    assert.match(text, pattern, `error for ${what || "call"} should match ${pattern}`);
  }
  return error;
}

/** Raw HTTP against the server under test; returns {status, json, text}. */
export function rawClient(baseUrl) {
  return async function raw(method, path, body, headers = {}) {
    const init = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      init.headers["content-type"] = "application/json";
    }
    const res = await fetch(baseUrl + path, init);
    const text = await res.text();
    let json;
    try {
      json = text.length ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
}

/** Sorts a copy (for comparing sets of ids). */
export const sorted = (xs) => [...xs].sort();

export async function runAll() {
  const [url, target = "java", filter] = process.argv.slice(2);
  if (!url) {
    console.error("usage: node <scenarios.mjs> <server-url> [real|java] [name-filter]");
    process.exit(2);
  }
  const base = url.replace(/\/+$/, "");
  const differs = (name, { real, java }) => (target === "real" ? real : java);
  let passed = 0;
  let failed = 0;
  let n = 0;
  for (const { name, fn } of scenarios) {
    if (filter && !name.includes(filter)) continue;
    n++;
    const started = Date.now();
    const ctx = { url: base, target, raw: rawClient(base), differs, unique: (p) => `${p}-${process.pid}-${n}-${Math.random().toString(36).slice(2, 8)}` };
    let line;
    try {
      await fn(ctx);
      passed++;
      line = { name, ok: true, ms: Date.now() - started };
    } catch (e) {
      failed++;
      const error = (e && (e.stack || e.message)) || String(e);
      line = { name, ok: false, ms: Date.now() - started, error: String(error).split("\n").slice(0, 8).join("\n") };
    }
    console.log("@@SCENARIO " + JSON.stringify(line));
  }
  console.log("@@SUMMARY " + JSON.stringify({ passed, failed }));
  process.exitCode = failed === 0 && n > 0 ? 0 : 1;
}
