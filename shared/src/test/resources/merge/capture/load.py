import sys; sys.path.insert(0, "/tmp/ms-merge")
from ms import *
random.seed(7)
genres = ["Action", "action", "Drama", "comedy", "Sci-Fi", "Horror", "Éclair", "zeta", "Alpha", "beta"]
words = ["star", "wars", "trek", "space", "odyssey", "dark", "knight", "return", "empire", "galaxy", "quest", "night", "stars", "planet"]
docs = []
for i in range(1, 121):
    d = {"id": i, "title": " ".join(random.sample(words, random.randint(2, 4))), "genre": random.choice(genres),
         "year": random.choice([1977, 1980, 1983, 1999, 2002, 2005, 2015, 2017, 2019, 1.5, 10, 100, 2])}
    if i % 7 == 0: del d["year"]
    if i % 11 == 0: d["year"] = random.choice(["old", "new", "Unknown"])  # strings mixed with numbers
    d["color"] = random.choice(["red", "Red", "blue", "green", "yellow"])
    if i % 5 != 0:
        d["_geo"] = {"lat": 48.0 + random.random() * 2, "lng": 2.0 + random.random() * 2}
    d["rating"] = random.choice([1, 2, 3, 4, 5, 4.5, 3.5])
    d["tags"] = random.sample(["x", "y", "z", "w"], random.randint(0, 3))
    docs.append(d)
S = 4
def shard(d): return int(hashlib.sha1(str(d["id"]).encode()).hexdigest(), 16) % S
settings = {"filterableAttributes": ["genre", "year", "color", "_geo", "rating", "tags"],
            "sortableAttributes": ["year", "title", "rating", "_geo", "color"]}
for p in PORTS:
    call(p, "DELETE", "/indexes/movies")
    wait(p, call(p, "POST", "/indexes", {"uid": "movies", "primaryKey": "id"}))
    s = dict(settings)
    if p != 31700:
        s = dict(settings, filterableAttributes=settings["filterableAttributes"] + ["_miroir_shard"])
    wait(p, call(p, "PATCH", "/indexes/movies/settings", s))
wait(31700, call(31700, "POST", "/indexes/movies/documents", docs))
# node1 holds shards 0,1,2 ; node2 holds shards 1,2,3 (RF overlap on 1,2)
n1 = [dict(d, _miroir_shard=shard(d)) for d in docs if shard(d) in (0, 1, 2)]
n2 = [dict(d, _miroir_shard=shard(d)) for d in docs if shard(d) in (1, 2, 3)]
# different insertion orders to make internal ids differ
random.shuffle(n2)
wait(31701, call(31701, "POST", "/indexes/movies/documents", n1))
wait(31702, call(31702, "POST", "/indexes/movies/documents", n2))
print(len(docs), len(n1), len(n2), sorted(set(shard(d) for d in docs)))
