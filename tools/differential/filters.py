import json, os, random, sys, math
from wire import REAL, OURS, B, req
FRAC = os.environ.get("FRAC") == "1"
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
rnd = random.Random(seed)
N = 120; DIM = 8
WORDS = ["alpha", "beta", "Gamma", "delta", "50%", "a_b", "x.y", "café", "ÜBER", "new\nline", "tab\t", "", "  ", "[x]", "(y)", "a+b", "$", "\\"]
KEYS = ["i", "f", "s", "b", "m", "arr_s", "arr_i"]
def rmeta():
    m = {}
    if rnd.random() < .8: m["i"] = rnd.randint(-3, 3)
    if rnd.random() < .8: m["f"] = rnd.choice([-1.5, 0.0, 0.5, 1.0, 2.0, 2.5, 3.0])
    if rnd.random() < .8: m["s"] = rnd.choice(["a", "b", "c", "A", "ab", "", "é"])
    if rnd.random() < .8: m["b"] = rnd.random() < .5
    if rnd.random() < .5: m["m"] = rnd.choice([1, 1.0, "1", True, 2, 2.5])
    if rnd.random() < .4: m["arr_s"] = rnd.sample(["a", "b", "c", "d"], rnd.randint(1, 3))
    if rnd.random() < .4: m["arr_i"] = rnd.sample([1, 2, 3, 4], rnd.randint(1, 3))
    return m or None
def rdoc():
    if rnd.random() < .1: return None
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 5)))
def rscalar(key):
    return {"i": lambda: rnd.randint(-4, 4), "f": lambda: rnd.choice([-1.5, 0.0, 0.5, 1, 2.0, 2.4, 3]) if FRAC else rnd.choice([-1.0, 0.0, 1, 2.0, 3]),
            "s": lambda: rnd.choice(["a", "b", "A", "", "z", "é"]), "b": lambda: rnd.random() < .5,
            "m": lambda: rnd.choice([1, 1.0, "1", True, 2, 2.5, False] if FRAC else [1, 1.0, "1", True, 2, False, 3.0])}.get(key, lambda: rnd.choice([1, "a", 2.0, True]))()
def rwhere(depth=0):
    if depth < 2 and rnd.random() < .3:
        op = rnd.choice(["$and", "$or"])
        return {op: [rwhere(depth + 1) for _ in range(rnd.randint(1, 3))]}
    key = rnd.choice(KEYS)
    if key.startswith("arr"):
        v = rnd.choice(["a", "b", "e"]) if key == "arr_s" else rnd.randint(0, 5)
        return {key: {rnd.choice(["$contains", "$not_contains"]): v}}
    op = rnd.choice(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "implicit"])
    if op in ("$gt", "$gte", "$lt", "$lte"):
        v = rnd.choice([-1, 0, 1, 2, 0.5, 2.5, 1.0] if FRAC else [-1, 0, 1, 2, 1.0, -1.0, 3.0])
    elif op in ("$in", "$nin"):
        k = rscalar(key); t = type(k)
        vals = [k] + [x for x in (rscalar(key) for _ in range(3)) if type(x) is t]
        v = vals
    else:
        v = rscalar(key)
    return {key: v} if op == "implicit" else {key: {op: v}}
def rwd(depth=0):
    if depth < 2 and rnd.random() < .25:
        return {rnd.choice(["$and", "$or"]): [rwd(depth + 1) for _ in range(rnd.randint(2, 3))]}
    op = rnd.choice(["$contains", "$not_contains", "$regex", "$not_regex"])
    if "regex" in op:
        v = rnd.choice(["^alpha", "a$", "[Gg]amma", "b.t", "\\d", "(?i)gamma", "caf.", "^$", "^\\s", "%", "a_b", "\\[x\\]", "É|é", "\\n"])
    else:
        v = rnd.choice(["alpha", "a", "50%", "%", "_", "a_b", "Gamma", "gamma", "é", "ÜBER", "\n", " ", "[x]", "\\"])
    return {op: v}
name = f"fz{seed}"
for base in (REAL, OURS):
    req(base, "DELETE", f"{B}/collections/{name}")
    st, c = req(base, "POST", f"{B}/collections", {"name": name})
    assert st == 200, (base, st, c)
    base_cid = c["id"]
    globals()["cid_" + ("r" if base == REAL else "o")] = base_cid
ids = [f"id{i}" for i in range(N)]
embs = [[round(rnd.uniform(-1, 1), 3) for _ in range(DIM)] for _ in range(N)]
metas = [rmeta() for _ in range(N)]
docs = [rdoc() for _ in range(N)]
body = {"ids": ids, "embeddings": embs, "metadatas": metas, "documents": docs}
for base, cid in ((REAL, cid_r), (OURS, cid_o)):
    st, r = req(base, "POST", f"{B}/collections/{cid}/add", body)
    if st >= 300: print("ADD", base, st, r); sys.exit(1)
diffs = 0
def cmp(kind, q, a, b):
    global diffs
    if a != b:
        diffs += 1
        if diffs <= 15:
            print(f"--- {kind} {json.dumps(q, ensure_ascii=False)}\n real: {str(a)[:400]}\n ours: {str(b)[:400]}")
for t in range(int(sys.argv[2]) if len(sys.argv) > 2 else 300):
    q = {}
    r = rnd.random()
    if r < .6: q["where"] = rwhere()
    elif r < .8: q["where_document"] = rwd()
    else: q["where"] = rwhere(); q["where_document"] = rwd()
    q["include"] = ["metadatas", "documents"]
    sr, ar = req(REAL, "POST", f"{B}/collections/{cid_r}/get", q)
    so, ao = req(OURS, "POST", f"{B}/collections/{cid_o}/get", q)
    if sr != so or (sr == 200) != (so == 200):
        cmp("get-status", q, (sr, ar), (so, ao)); continue
    if sr != 200: continue
    # ids as sets (order compared separately)
    cmp("get-ids", q, sorted(ar["ids"]), sorted(ao["ids"]))
    if sorted(ar["ids"]) == sorted(ao["ids"]) and ar["ids"] != ao["ids"]:
        cmp("get-order", q, ar["ids"], ao["ids"])
    # query with filter, n_results large enough for an exact answer
    qq = dict(q); qq.pop("include"); qq["query_embeddings"] = [embs[t % N]]; qq["n_results"] = 5
    qq["include"] = ["distances"]
    sr, ar = req(REAL, "POST", f"{B}/collections/{cid_r}/query", qq)
    so, ao = req(OURS, "POST", f"{B}/collections/{cid_o}/query", qq)
    if sr != so: cmp("query-status", qq, (sr, ar), (so, ao)); continue
    if sr == 200:
        cmp("query-ids", q, ar["ids"], ao["ids"])
print(f"seed {seed}: {diffs} differences")
