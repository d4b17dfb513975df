# query semantics on both servers: include, n_results, ids, where, several query embeddings, spaces
import json, random, sys
from wire import REAL, OURS, B, req
seed = int(sys.argv[1]); rnd = random.Random(seed)
space = rnd.choice(["l2", "ip", "cosine"])
N = rnd.choice([0, 1, 5, 40])
name = f"qfz{seed}"
cids = {}
ids = [f"r{i}" for i in range(N)]
embs = [[round(rnd.uniform(-1, 1), 2) for _ in range(4)] for _ in range(N)]
metas = [{"g": i % 3, "s": rnd.choice(["a", "b"])} for i in range(N)]
docs = [rnd.choice(["alpha", "beta", None]) for _ in range(N)]
for base in (REAL, OURS):
    req(base, "DELETE", f"{B}/collections/{name}")
    st, c = req(base, "POST", f"{B}/collections", {"name": name, "metadata": {"hnsw:space": space}})
    cids[base] = c["id"]
    if N:
        st, r = req(base, "POST", f"{B}/collections/{c['id']}/add", {"ids": ids, "embeddings": embs, "metadatas": metas, "documents": docs})
        assert st == 201, r
diffs = 0
def close(a, b):
    return a is None and b is None or (a is not None and b is not None and abs(a - b) <= 1e-4 * max(1, abs(a)))
for t in range(60):
    q = {"query_embeddings": [[round(rnd.uniform(-1, 1), 2) for _ in range(4)] for _ in range(rnd.choice([1, 1, 2]))]}
    if rnd.random() < .8: q["n_results"] = rnd.choice([1, 3, 10, 100])
    if rnd.random() < .5: q["include"] = rnd.sample(["documents", "metadatas", "distances", "embeddings", "uris"], rnd.randint(0, 4))
    if rnd.random() < .3: q["where"] = rnd.choice([{"g": 1}, {"s": "a"}, {"g": {"$in": [0, 2]}}, {"g": 9}])
    if rnd.random() < .2: q["where_document"] = rnd.choice([{"$contains": "alp"}, {"$not_contains": "a"}])
    if rnd.random() < .2: q["ids"] = rnd.sample(ids, min(len(ids), 3))
    (sr, ar), (so, ao) = [req(b, "POST", f"{B}/collections/{cids[b]}/query", q) for b in (REAL, OURS)]
    bad = None
    if sr != so:
        bad = f"status {sr} vs {so}: {str(ar)[:200]} | {str(ao)[:200]}"
    elif sr == 200:
        for key in ("ids", "documents", "metadatas", "embeddings", "uris", "distances", "include"):
            a, o = ar.get(key), ao.get(key)
            if key == "distances" and a is not None and o is not None:
                ok = len(a) == len(o) and all(len(x) == len(y) and all(close(u, v) for u, v in zip(x, y)) for x, y in zip(a, o))
            elif key == "embeddings" and a is not None and o is not None:
                ok = len(a) == len(o) and all(len(x) == len(y) and all(all(close(u, v) for u, v in zip(e1, e2)) for e1, e2 in zip(x, y)) for x, y in zip(a, o))
            else:
                ok = a == o
            if not ok:
                bad = f"{key}: real {str(a)[:300]}\n      ours {str(o)[:300]}"; break
    if bad:
        diffs += 1
        print(f"--- N={N} space={space} {json.dumps(q)[:300]}\n   {bad}")
        if diffs > 5: break
print(f"seed {seed} (N={N}, {space}): {diffs} differences")
