"""What the fuzzers here share: the two servers' addresses and one JSON request to either."""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

REAL = os.environ.get("REAL_URL", "http://localhost:8771")
OURS = os.environ.get("OURS_URL", "http://localhost:8772")
B = "/api/v2/tenants/default_tenant/databases/default_database"


def req(base, method, path, body=None):
    """(status, JSON body, or its text when it is not JSON); an HTTP error is an answer, not an exception."""
    path = urllib.parse.quote(path, safe="/?=&")  # names with spaces or accents
    data = None if body is None else json.dumps(body).encode()
    r = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(r, timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        txt = e.read()
        try:
            return e.code, json.loads(txt)
        except ValueError:
            return e.code, txt.decode(errors="replace")
