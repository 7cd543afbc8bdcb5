import json, urllib.request, time, random, hashlib
KEY = "test-master-key-0123456789"
PORTS = [31700, 31701, 31702]
def call(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
        headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            raw = r.read()
            return json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        return {"httpError": e.code, "body": json.loads(e.read() or b"null")}
def wait(port, task):
    uid = task["taskUid"]
    while True:
        t = call(port, "GET", f"/tasks/{uid}")
        if t["status"] in ("succeeded", "failed", "canceled"):
            if t["status"] != "succeeded": print("TASK", t)
            return t
        time.sleep(0.05)
def raw(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
        headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return r.read().decode()
