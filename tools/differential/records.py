# random operation sequences on both servers; compares statuses and full state after each step
import json, random, sys, math
from wire import REAL, OURS, B, req
seed = int(sys.argv[1]); steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
rnd = random.Random(seed)
DIM = 3
IDS = [f"k{i}" for i in range(12)] + ["", " ", "é", "a/b", "x" * 70]
def rval():
    return rnd.choice([0, 1, -1, 2**53, -2**63, 2**63 - 1, 0.0, -0.0, 1.5, 1e300, -2.5e-300, 3.0, "", "s", "é", "\u0000x", "a\"b",
                       True, False, None, [1, 2], [1.5], ["a", "b"], [True], [], {"n": 1}, 2**64, float("nan") if rnd.random() < .02 else 1])
def rmeta():
    if rnd.random() < .15: return None
    if rnd.random() < .05: return {}
    m = {}
    for _ in range(rnd.randint(1, 3)):
        k = rnd.choice(["a", "b", "c", "", "#x", "$y", "k.é"]) if rnd.random() < .3 else rnd.choice(["a", "b", "c"])
        m[k] = rval()
    return m
def remb():
    r = rnd.random()
    if r < .03: return [1.0] * (DIM + 1)
    if r < .05: return []
    return [round(rnd.uniform(-2, 2), 2) for _ in range(DIM)]
def rdoc():
    return rnd.choice([None, "", "hello world", "é", "x" * 5, "Hello"])
def batch(n, need_emb):
    ids = rnd.sample(IDS, n)
    b = {"ids": ids}
    if need_emb or rnd.random() < .7: b["embeddings"] = [remb() for _ in ids]
    if rnd.random() < .7: b["metadatas"] = [rmeta() for _ in ids]
    if rnd.random() < .7: b["documents"] = [rdoc() for _ in ids]
    if rnd.random() < .05: b["uris"] = [rnd.choice([None, "u://x"]) for _ in ids]
    return b
name = f"ops{seed}"
cids = {}
for base in (REAL, OURS):
    req(base, "DELETE", f"{B}/collections/{name}")
    st, c = req(base, "POST", f"{B}/collections", {"name": name})
    cids[base] = c["id"]
def state(base):
    st, g = req(base, "POST", f"{B}/collections/{cids[base]}/get", {"include": ["metadatas", "documents", "embeddings", "uris"]})
    if st != 200: return ("GET FAILED", st, g)
    rows = sorted(zip(g["ids"], g["metadatas"] or [None]*len(g["ids"]), g["documents"], g["embeddings"], g["uris"]), key=lambda r: r[0])
    return rows
diffs = 0
def norm(x):
    return json.dumps(x, sort_keys=True)
history = []
for step in range(steps):
    op = rnd.choice(["add", "add", "upsert", "upsert", "update", "delete", "delete_where", "count", "query"])
    if op in ("add", "upsert", "update"):
        body = batch(rnd.randint(1, 4), op == "add" and rnd.random() < .9)
        path = "/" + op
    elif op == "delete":
        body = {"ids": [rnd.choice(IDS) for _ in range(rnd.randint(0, 3))]}; path = "/delete"
    elif op == "delete_where":
        body = {"where": {rnd.choice(["a", "b"]): {rnd.choice(["$eq", "$ne", "$gt"]): rnd.choice([1, 1.5, "s", True])}}}; path = "/delete"
    elif op == "count":
        body = None; path = "/count"
    else:
        body = {"query_embeddings": [remb()], "n_results": rnd.randint(1, 5), "include": ["distances", "metadatas", "documents"]}; path = "/query"
    history.append((step, op, body))
    res = {}
    for base in (REAL, OURS):
        res[base] = req(base, "GET" if body is None else "POST", f"{B}/collections/{cids[base]}{path}", body)
    (sr, ar), (so, ao) = res[REAL], res[OURS]
    bad = False
    if (sr < 300) != (so < 300) or (sr >= 300 and sr // 100 != so // 100):
        bad = True; what = f"status {sr} vs {so}\n   real {str(ar)[:300]}\n   ours {str(ao)[:300]}"
    elif sr < 300 and op in ("count",) and ar != ao:
        bad = True; what = f"count {ar} vs {ao}"
    elif sr < 300 and op == "query":
        if ar["ids"] != ao["ids"] or any(abs(x - y) > 1e-3 * max(1, abs(x)) for x, y in zip(ar["distances"][0], ao["distances"][0])):
            bad = True; what = f"query\n   real {ar['ids']} {ar['distances']}\n   ours {ao['ids']} {ao['distances']}"
    if not bad:
        s1, s2 = state(REAL), state(OURS)
        if norm(s1) != norm(s2):
            bad = True
            d1 = [r for r in s1 if norm(r) not in {norm(x) for x in s2}]
            d2 = [r for r in s2 if norm(r) not in {norm(x) for x in s1}]
            what = f"state after {sr}/{so}\n   real only {str(d1)[:400]}\n   ours only {str(d2)[:400]}"
    if bad:
        diffs += 1
        print(f"--- step {step} {op} {json.dumps(body, ensure_ascii=False)[:300]}\n   {what}")
        for h in history[-12:-1]:
            print("      history", h[0], h[1], json.dumps(h[2], ensure_ascii=False)[:250])
        history = []
        if diffs >= 8: break
        # resync: copy real's state? simplest: stop comparing state by recreating both
        for base in (REAL, OURS):
            req(base, "DELETE", f"{B}/collections/{name}")
            st, c = req(base, "POST", f"{B}/collections", {"name": name}); cids[base] = c["id"]
print(f"seed {seed}: {diffs} differences")
