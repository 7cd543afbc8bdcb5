import sys, copy, os; sys.path.insert(0, "/tmp/ms-merge")
from ms import *
OUT = "/work/wt-merge/shared/src/test/resources/merge"
NODES = [(31701, [0, 1]), (31702, [2, 3])]
SHARD = "_miroir_shard"

def covers(asked, attr):
    return any(a == attr or attr.startswith(a + ".") for a in asked)

def fetch(off, lim, mth):
    return 0 if min(lim, mth - min(off, mth)) == 0 else min(off + lim, mth)

def node_body(client, shards, settings):
    mth = settings["pagination"]["maxTotalHits"]
    b = copy.deepcopy(client)
    page_mode = client.get("page") is not None or client.get("hitsPerPage") is not None
    for k in ("offset", "limit", "page", "hitsPerPage"): b.pop(k, None)
    if page_mode:
        page = client.get("page", 1); hpp = client.get("hitsPerPage", 20)
        off = 0 if page == 0 else (page - 1) * hpp; lim = 0 if page == 0 else hpp
        b["page"] = 1; b["hitsPerPage"] = fetch(off, lim, mth)
    else:
        off = client.get("offset", 0); lim = client.get("limit", 20)
        b["offset"] = 0; b["limit"] = fetch(off, lim, mth)
    b["showRankingScore"] = True
    custom = any(r.endswith(":asc") or r.endswith(":desc") for r in settings["rankingRules"])
    if client.get("showRankingScoreDetails") or client.get("sort") or custom:
        b["showRankingScoreDetails"] = True
    atr = client.get("attributesToRetrieve")
    distinct = client.get("distinct") or settings.get("distinctAttribute")
    if atr is not None and "*" not in atr:
        if not covers(atr, SHARD): b["attributesToRetrieve"].append(SHARD)
        if distinct and not covers(atr, distinct): b["attributesToRetrieve"].append(distinct)
    fac = client.get("facets")
    add = []
    if distinct and not (fac is not None and ("*" in fac or distinct in fac)):
        add.append(distinct)
    if fac is not None and not ("*" in fac or SHARD in fac):
        add.append(SHARD)
    if add:
        b["facets"] = (list(fac) if fac is not None else []) + add
    f = client.get("filter")
    clause = SHARD + " IN [" + ", ".join(str(s) for s in shards) + "]"
    b["filter"] = [clause] + ([] if f is None else ([f] if isinstance(f, str) else list(f)))
    return b

def capture(name, uid, client, description):
    settings = call(31700, "GET", f"/indexes/{uid}/settings")
    ref = json.loads(raw(31700, "POST", f"/indexes/{uid}/search", client))
    keyed = {k: v for k, v in client.items() if k not in ("offset", "limit", "page", "hitsPerPage", "attributesToRetrieve", "attributesToHighlight", "facets", "distinct")}
    keyed.update({"offset": 0, "limit": 1000, "showRankingScore": True, "showRankingScoreDetails": True, "attributesToRetrieve": ["id"]})
    full = json.loads(raw(31700, "POST", f"/indexes/{uid}/search", keyed))
    keys = {str(h["id"]): json.dumps([h["_rankingScoreDetails"], h["_rankingScore"]], sort_keys=True) for h in full["hits"]}
    nodes = []
    for port, shards in NODES:
        body = node_body(client, shards, settings)
        resp = json.loads(raw(port, "POST", f"/indexes/{uid}/search", body))
        assert "hits" in resp, resp
        nodes.append({"shards": shards, "request": body, "response": resp})
    fx = {"description": description, "index": uid, "settings": settings, "request": client,
          "nodes": nodes, "reference": ref, "referenceKeys": keys}
    with open(os.path.join(OUT, f"search-{name}.json"), "w") as f:
        json.dump(fx, f, ensure_ascii=False, indent=None, separators=(",", ":"))

C = [
 ("relevancy-facets", "movies", {"q": "star wars", "limit": 5, "facets": ["genre", "year", "color"]}, "keyword relevancy with facet distribution and stats"),
 ("sort-year-asc", "movies", {"q": "star", "sort": ["year:asc"], "offset": 5, "limit": 30}, "sort asc over numbers, strings and missing values, with offset"),
 ("sort-year-desc-title", "movies", {"q": "star", "sort": ["year:desc", "title:asc"], "limit": 40}, "two sort rules, desc then asc"),
 ("geo-asc", "movies", {"sort": ["_geoPoint(48.5, 2.5):asc"], "limit": 50}, "geo sort asc with documents without _geo"),
 ("geo-desc-details", "movies", {"q": "space", "sort": ["_geoPoint(48.5, 2.5):desc"], "limit": 20, "showRankingScoreDetails": True, "showRankingScore": True}, "geo sort desc, client asks for scores"),
 ("page-facets-all", "movies", {"q": "star", "page": 2, "hitsPerPage": 7, "facets": ["*"]}, "page mode with facets *, which lists _miroir_shard on nodes"),
 ("distinct-color", "movies", {"q": "star", "distinct": "color", "limit": 10, "attributesToRetrieve": ["id", "title"]}, "distinct across nodes on a normalized string (red/Red), distinct attribute not retrieved by the client"),
 ("distinct-genre-page", "movies", {"q": "star", "distinct": "genre", "page": 1, "hitsPerPage": 5, "facets": ["color"]}, "distinct in page mode: exact totalHits from the distinct-value lists"),
 ("filter-string", "movies", {"q": "star", "filter": "genre = action OR year > 2000", "limit": 10, "attributesToRetrieve": ["id", "title", "year"]}, "client filter string kept as one array item"),
 ("filter-array", "movies", {"q": "night", "filter": [["genre = Drama", "genre = comedy"], "rating >= 3"], "limit": 10}, "client filter array items appended"),
 ("highlight", "movies", {"q": "night", "limit": 5, "attributesToHighlight": ["*"], "showMatchesPosition": True}, "_formatted and _matchesPosition carry _miroir_shard on nodes"),
 ("offset-beyond-cap", "movies", {"q": "", "offset": 1100, "limit": 10}, "offset clamped to maxTotalHits"),
 ("limit0-facets", "movies", {"q": "star", "limit": 0, "facets": ["genre", "rating"]}, "limit 0 with facets"),
 ("facets-count-truncated", "movies4", {"q": "", "limit": 3, "facets": ["genre", "year", "color", "tags"]}, "maxValuesPerFacet 4, genre/year by count (year numbers fill the list so every string follows), others alpha"),
 ("big-numeric-levels", "big", {"q": "", "limit": 2, "facets": ["n", "s"]}, "4000 candidates: one node walks facet levels (numbers in numeric order)"),
 ("big-numeric-linear", "big", {"q": "", "limit": 2, "facets": ["n", "s"], "filter": "n < 10"}, "under 3000 candidates: numbers in text order"),
 ("placeholder-ties", "movies", {"q": "", "limit": 20}, "placeholder search: every hit ties"),
]
for i in range(1, 6):
    C.append((f"pages-10-p{i}", "movies", {"q": "", "sort": ["rating:desc"], "page": i, "hitsPerPage": 10}, f"page {i} of 10 hits"))
C.append(("pages-50-p1", "movies", {"q": "", "sort": ["rating:desc"], "page": 1, "hitsPerPage": 50}, "one page of 50 hits"))
for name, uid, client, d in C:
    capture(name, uid, client, d)
print(len(C), "captured")

# facet search
def capture_fs(name, uid, client, description):
    settings = call(31700, "GET", f"/indexes/{uid}/settings")
    ref = json.loads(raw(31700, "POST", f"/indexes/{uid}/facet-search", client))
    nodes = []
    for port, shards in NODES:
        body = copy.deepcopy(client)
        f = client.get("filter")
        body["filter"] = [SHARD + " IN [" + ", ".join(map(str, shards)) + "]"] + ([] if f is None else ([f] if isinstance(f, str) else list(f)))
        nodes.append({"shards": shards, "request": body, "response": json.loads(raw(port, "POST", f"/indexes/{uid}/facet-search", body))})
    with open(os.path.join(OUT, f"facet-search-{name}.json"), "w") as f:
        json.dump({"description": description, "index": uid, "settings": settings, "request": client, "nodes": nodes, "reference": ref}, f, ensure_ascii=False, indent=1)
capture_fs("genre-all", "movies", {"facetName": "genre"}, "no facetQuery: alpha by normalized value")
capture_fs("genre-query", "movies", {"facetName": "genre", "facetQuery": "e"}, "facetQuery e")
capture_fs("genre-count", "movies4", {"facetName": "genre", "q": "star"}, "count order, maxValuesPerFacet 4")
capture_fs("color-filter", "movies", {"facetName": "color", "filter": "rating > 2"}, "with a client filter")
# stats
st = {}
for p in PORTS:
    st[str(p)] = {"index": call(p, "GET", "/indexes/movies/stats"), "global": call(p, "GET", "/stats")}
with open(os.path.join(OUT, "stats-nodes.json"), "w") as f:
    json.dump(st, f, indent=1)
print("done")
