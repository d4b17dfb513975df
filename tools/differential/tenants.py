# tenants and databases on both servers
import json, random, sys
from wire import REAL, OURS, req
seed = int(sys.argv[1]); rnd = random.Random(seed)
T = [f"t{seed}aa", f"t{seed}-b", "ab", "a" * 70, "default_tenant", f"t{seed}é", f"t{seed} x", f"t{seed}.c"]
D = [f"d{seed}aa", "default_database", "dd", f"d{seed}_x", "-dd-", "a" * 70, f"d{seed}é"]
diffs = 0
for step in range(80):
    op = rnd.choice(["ct", "gt", "cd", "gd", "dd", "ld", "lc", "cc"])
    t, d = rnd.choice(T), rnd.choice(D)
    if op == "ct": a = ("POST", "/api/v2/tenants", {"name": t})
    elif op == "gt": a = ("GET", f"/api/v2/tenants/{t}", None)
    elif op == "cd": a = ("POST", f"/api/v2/tenants/{t}/databases", {"name": d})
    elif op == "gd": a = ("GET", f"/api/v2/tenants/{t}/databases/{d}", None)
    elif op == "dd": a = ("DELETE", f"/api/v2/tenants/{t}/databases/{d}", None)
    elif op == "ld": a = ("GET", f"/api/v2/tenants/{t}/databases?limit={rnd.choice([1, 10])}&offset={rnd.choice([0, 1])}", None)
    elif op == "lc": a = ("GET", f"/api/v2/tenants/{t}/databases/{d}/collections", None)
    else: a = ("POST", f"/api/v2/tenants/{t}/databases/{d}/collections", {"name": f"c{seed}cc", "get_or_create": True})
    (sr, ar), (so, ao) = req(REAL, *a), req(OURS, *a)
    def norm(st, b):
        if st >= 300: return (st, b.get("error") if isinstance(b, dict) else b)
        if isinstance(b, dict): return (st, {k: v for k, v in b.items() if k in ("name", "tenant")})
        if isinstance(b, list): return (st, [x.get("name") for x in b if isinstance(x, dict)] if op == "ld" else len(b))
        return (st, b)
    if norm(sr, ar) != norm(so, ao):
        diffs += 1
        print(f"--- {op} {a[1][:90]} {json.dumps(a[2])}\n   real {sr} {json.dumps(ar)[:250]}\n   ours {so} {json.dumps(ao)[:250]}")
print(f"seed {seed}: {diffs} differences")
