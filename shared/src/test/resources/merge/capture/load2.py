import sys; sys.path.insert(0, "/tmp/ms-merge")
from ms import *
import hashlib
S = 4
def shard(d): return int(hashlib.sha1(str(d["id"]).encode()).hexdigest(), 16) % S
docs = call(31700, "POST", "/indexes/movies/documents/fetch", {"limit": 1000})["results"]
docs.sort(key=lambda d: d["id"])
base = {"filterableAttributes": ["genre", "year", "color", "_geo", "rating", "tags"],
        "sortableAttributes": ["year", "title", "rating", "_geo", "color"]}
big = [{"id": i, "n": i % 25, "s": "v%02d" % (i % 13)} for i in range(4000)]
bigset = {"filterableAttributes": ["n", "s"], "faceting": {"maxValuesPerFacet": 100}}
def setup(uid, settings, data):
    for p in PORTS:
        call(p, "DELETE", f"/indexes/{uid}")
        wait(p, call(p, "POST", "/indexes", {"uid": uid, "primaryKey": "id"}))
        s = dict(settings)
        if p != 31700:
            s["filterableAttributes"] = settings["filterableAttributes"] + ["_miroir_shard"]
        wait(p, call(p, "PATCH", f"/indexes/{uid}/settings", s))
    wait(31700, call(31700, "POST", f"/indexes/{uid}/documents", data))
    n1 = [dict(d, _miroir_shard=shard(d)) for d in data if shard(d) in (0, 1, 2)]
    n2 = [dict(d, _miroir_shard=shard(d)) for d in data if shard(d) in (1, 2, 3)]
    n2.reverse()
    wait(31701, call(31701, "POST", f"/indexes/{uid}/documents", n1))
    wait(31702, call(31702, "POST", f"/indexes/{uid}/documents", n2))
setup("movies4", dict(base, faceting={"maxValuesPerFacet": 4, "sortFacetValuesBy": {"*": "alpha", "genre": "count", "year": "count"}}), docs)
setup("big", bigset, big)
print("ok")
