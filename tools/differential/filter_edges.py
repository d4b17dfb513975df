# invalid / edge filters on the collection filters.py SEED made: compare status class and, when both 200, ids
import json, sys
from wire import REAL, OURS, B, req
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
name = f"fz{seed}"
def cid(base): return req(base, "GET", f"{B}/collections/{name}")[1]["id"]
cr, co = cid(REAL), cid(OURS)
cases = [
 {"where": {}}, {"where": {"$and": []}}, {"where": {"$or": []}}, {"where": {"$and": [{"i": 1}]}}, {"where": {"$or": [{"i": 1}]}},
 {"where": {"i": {"$in": []}}}, {"where": {"i": {"$nin": []}}}, {"where": {"i": {"$in": [1, "a"]}}}, {"where": {"i": {"$in": [1, 2.0]}}},
 {"where": {"s": {"$gt": "a"}}}, {"where": {"b": {"$gt": True}}}, {"where": {"i": {"$foo": 1}}}, {"where": {"i": {"$eq": 1, "$ne": 2}}},
 {"where": {"i": 1, "s": "a"}}, {"where": {"i": None}}, {"where": {"i": [1, 2]}}, {"where": {"i": {"$eq": [1]}}}, {"where": {"i": {"$eq": None}}},
 {"where": {"$and": {"i": 1}}}, {"where": {"$not": {"i": 1}}}, {"where": {"": 1}}, {"where": {"#document": {"$contains": "alpha"}}},
 {"where": {"#document": {"$regex": "^alpha"}}}, {"where": {"arr_s": {"$contains": 1}}}, {"where": {"arr_s": {"$contains": "a"}}}, {"where": {"s": {"$contains": "a"}}},
 {"where": {"arr_s": "a"}}, {"where": {"arr_s": {"$eq": "a"}}}, {"where": {"arr_s": {"$in": ["a"]}}}, {"where": {"arr_s": {"$ne": "a"}}},
 {"where": {"arr_i": {"$gt": 2}}}, {"where": {"i": {"$contains": 1}}}, {"where": {"i": {"$not_contains": 1}}}, {"where": {"arr_i": {"$contains": 2.0}}},
 {"where": {"arr_i": {"$contains": True}}}, {"where": {"b": 1}}, {"where": {"b": {"$in": [1, 0]}}}, {"where": {"i": True}}, {"where": {"i": {"$gte": True}}},
 {"where": {"f": {"$in": [1]}}}, {"where": {"f": {"$nin": [1, 2]}}}, {"where": {"s": {"$in": ["a", "b"]}}}, {"where": {"s": {"$nin": ["a"]}}},
 {"where_document": {}}, {"where_document": {"$contains": ""}}, {"where_document": {"$regex": ""}}, {"where_document": {"$regex": "("}}, {"where_document": {"$regex": "a{2,1}"}},
 {"where_document": {"$and": []}}, {"where_document": {"$and": [{"$contains": "a"}]}}, {"where_document": {"$contains": 1}}, {"where_document": {"$foo": "a"}},
 {"where_document": {"$contains": "a", "$not_contains": "b"}}, {"where_document": {"$regex": "(?i)ALPHA"}}, {"where_document": {"$regex": "\\bbeta\\b"}},
 {"where_document": {"$regex": "(a)\\1"}}, {"where_document": {"$regex": "(?=a)"}}, {"where_document": {"$regex": "\\p{L}+"}}, {"where_document": {"$regex": "[[:alpha:]]"}},
 {"where_document": {"$not_regex": "a"}}, {"where_document": {"$not_contains": "a"}}, {"where_document": {"$regex": "."}}, {"where_document": {"$regex": "(?s)a.b"}},
 {"where_document": {"$regex": "^"}}, {"where_document": {"$regex": "\\Aalpha"}}, {"where_document": {"$regex": "a\\z"}}, {"where_document": {"$regex": "é"}},
 {"limit": 0}, {"limit": -1}, {"offset": -1}, {"limit": 5, "offset": 3}, {"offset": 200}, {"limit": 3}, {"offset": 5}, {"ids": []}, {"ids": ["id1", "id1"]},
 {"ids": ["nope"]}, {"ids": ["id3", "id1", "id2"]}, {"ids": ["id3", "id1"], "where": {"i": {"$gte": -10}}}, {"include": []}, {"include": ["embeddings"]},
 {"include": ["distances"]}, {"include": ["uris"]}, {"include": ["data"]}, {"include": ["foo"]}, {"include": "metadatas"},
]
for q in cases:
    sr, ar = req(REAL, "POST", f"{B}/collections/{cr}/get", q)
    so, ao = req(OURS, "POST", f"{B}/collections/{co}/get", q)
    if sr == so == 200:
        same = ar.get("ids") == ao.get("ids")
        keys = sorted(k for k in ar if ar[k] is not None and k not in ("included","data")), sorted(k for k in ao if ao[k] is not None and k not in ("included","data"))
        incl = (ar.get("include"), ao.get("include"))
        tag = "SAME" if same and keys[0] == keys[1] and incl[0] == incl[1] else "DIFF"
        print(tag, sr, json.dumps(q), "" if tag == "SAME" else f"\n   real ids {ar.get('ids')[:8]} keys {keys[0]} incl {incl[0]}\n   ours ids {ao.get('ids')[:8]} keys {keys[1]} incl {incl[1]}")
    else:
        tag = "SAME" if sr == so else "DIFF"
        print(tag, sr, so, json.dumps(q), "" if tag == "SAME" and sr >= 400 else "", f"\n   real {str(ar)[:200]}\n   ours {str(ao)[:200]}" if tag == "DIFF" else "")
