# collection-level operations on both servers; compares statuses and the resulting collection JSON
import json, random, sys
from wire import REAL, OURS, B, req
seed = int(sys.argv[1]); rnd = random.Random(seed)
tag = f"f{seed}x"
NAMES = [tag + s for s in ["aaa", "b-b", "c.c", "d_d"]] + ["ab", "a" * 513, "-bad", "bad-", "a..b", "192.168.1.1", tag + "É", tag + " sp"]
def rmeta():
    return rnd.choice([None, {}, {"k": 1}, {"k": "v", "n": 1.5}, {"hnsw:space": rnd.choice(["l2", "ip", "cosine", "bogus"])},
                       {"hnsw:M": rnd.choice([8, 0, -1, "x"])}, {"hnsw:construction_ef": 50}, {"hnsw:search_ef": rnd.choice([5, 0])},
                       {"k": [1, 2]}, {"k": None}, {"k": {"a": 1}}, {"#k": 1}])
def rconf():
    return rnd.choice([None, {}, {"hnsw": {"space": rnd.choice(["l2", "ip", "cosine", "x"])}}, {"hnsw": {"ef_search": rnd.choice([10, 0, -1])}},
                       {"hnsw": {"max_neighbors": 12, "ef_construction": 80}}, {"hnsw": {"bogus": 1}}, {"spann": {}}, {"embedding_function": None}])
def shape(st, body):
    if st >= 300 or not isinstance(body, dict): return (st // 100, body.get("error") if isinstance(body, dict) else None)
    keep = {k: body.get(k) for k in ("name", "metadata", "dimension")}
    conf = body.get("configuration_json") or {}
    hn = conf.get("hnsw") if isinstance(conf, dict) else None
    keep["hnsw"] = {k: hn.get(k) for k in ("space", "ef_search", "ef_construction", "max_neighbors")} if isinstance(hn, dict) else hn
    return (st, keep)
diffs = 0
for step in range(int(sys.argv[2]) if len(sys.argv) > 2 else 80):
    op = rnd.choice(["create", "create", "goc", "get", "modify", "delete", "count", "list"])
    name = rnd.choice(NAMES)
    body = None
    if op in ("create", "goc"):
        body = {"name": name}
        if rnd.random() < .7: body["metadata"] = rmeta()
        if rnd.random() < .4: body["configuration"] = rconf()
        if op == "goc": body["get_or_create"] = True
        args = ("POST", f"{B}/collections", body)
    elif op == "get":
        args = ("GET", f"{B}/collections/{name}", None)
    elif op == "delete":
        args = ("DELETE", f"{B}/collections/{name}", None)
    elif op == "count":
        args = ("GET", f"{B}/collections_count", None)
    elif op == "list":
        args = ("GET", f"{B}/collections?limit={rnd.choice([1, 100])}&offset={rnd.choice([0, 1])}", None)
    else:
        body = {}
        if rnd.random() < .4: body["new_name"] = rnd.choice(NAMES)
        if rnd.random() < .6: body["new_metadata"] = rmeta()
        if rnd.random() < .3: body["new_configuration"] = rconf()
        args = None
    res = {}
    for base in (REAL, OURS):
        if args is None:
            st, c = req(base, "GET", f"{B}/collections/{name}")
            if st != 200: res[base] = (st, c); continue
            res[base] = req(base, "PUT", f"{B}/collections/{c['id']}", body)
            if res[base][0] < 300:
                res[base] = req(base, "GET", f"{B}/collections/{body.get('new_name', name)}")
        else:
            try:
                res[base] = req(base, *args)
            except Exception as e:
                print("EXCEPTION from", base, args[0], args[1][:120], json.dumps(args[2])[:300], repr(e)[:100]); raise
    (sr, ar), (so, ao) = res[REAL], res[OURS]
    if op in ("count",):
        same = sr == so  # counts include other tests' collections
    elif op == "list":
        same = sr == so
    else:
        same = shape(sr, ar) == shape(so, ao)
    if not same:
        diffs += 1
        print(f"--- {step} {op} {name[:30]} {json.dumps(body)[:200]}\n   real {sr} {json.dumps(ar)[:350]}\n   ours {so} {json.dumps(ao)[:350]}")
        # resync: delete the name on both
        for base in (REAL, OURS):
            req(base, "DELETE", f"{B}/collections/{name}")
            if body and body.get("new_name"): req(base, "DELETE", f"{B}/collections/{body['new_name']}")
print(f"seed {seed}: {diffs} differences")
