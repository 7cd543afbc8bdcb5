package io.miroir.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.diff.DiffComparator.Answer;
import io.miroir.diff.DiffComparator.Difference;
import io.miroir.testing.ApiClient;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The differential suite (SPEC §0 principle 1, §8.5 compatibility tests; issue 3): the same documents and settings
 * are loaded into one reference Meilisearch node and, through Miroir, into a sharded fleet; every query of
 * {@link DiffQueries} is sent to both and the answers must not differ, except where docs/search-merge.md lists an
 * accepted difference ({@link AcceptedDifferences}). Subclasses choose the topology.
 *
 * <p>The reference node is loaded once per JVM and reused by the three topologies (it is reloaded if another test
 * reset it). Each difference is reported with the query name, the field and both values; the full report of a run
 * is written to {@code target/diff-reports/<class>.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DifferentialSuite {
  static final int SHARDS = 16;
  private static MeiliNode referenceNode;

  private final int nodeCount;
  private final int replicationFactor;
  private final int groups;
  private MiroirHarness miroir;
  private ApiClient api;
  private ApiClient ref;
  private DiffComparator comparator;
  private final List<String> report = new ArrayList<>();

  DifferentialSuite(int nodeCount, int replicationFactor, int groups) {
    this.nodeCount = nodeCount;
    this.replicationFactor = replicationFactor;
    this.groups = groups;
  }

  @BeforeAll
  void start() {
    ref = MiroirHarness.direct(loadedReference());
    miroir = MiroirHarness.start(MeiliNodes.shared().nodes(nodeCount), replicationFactor, groups, SHARDS);
    api = miroir.client();
    load(api);
    comparator = new DiffComparator((index, body) -> answer(ref.post("/indexes/" + index + "/search", body)),
        (path, body) -> answer(ref.post(path, body)));
  }

  @AfterAll
  void stop() throws IOException {
    if (miroir != null) {
      miroir.close();
    }
    Path dir = Path.of("target", "diff-reports");
    Files.createDirectories(dir);
    Files.write(dir.resolve(getClass().getSimpleName() + ".txt"), report);
  }

  @Test
  void everySearchAnswersAsOneNode() {
    double filledBefore = twoPhase("filled");
    double repeatedBefore = twoPhase("repeated");
    Map<DiffQuery, List<Difference>> all = new LinkedHashMap<>();
    for (DiffQuery q : DiffQueries.all()) {
      if (q.kind() == DiffQuery.Kind.SEARCH) {
        all.put(q, runSearch(q));
      }
    }
    assertNoUnexplained("search", all);
    if (nodeCount > 1) {
      // The deep windows of the corpus (two-phase-*, deep pages) went through both phases; only the one whose
      // window request a node refuses was asked again in one phase (and answered with the node's error).
      assertTrue(twoPhase("filled") - filledBefore >= 6, "two-phase searches filled: " + twoPhase("filled"));
      assertEquals(1.0, twoPhase("repeated") - repeatedBefore, "two-phase searches asked again in one phase");
    }
  }

  private double twoPhase(String outcome) {
    return miroir.miroir().services().metrics().registry().get("miroir_scatter_two_phase_total")
        .tag("outcome", outcome).counter().count();
  }

  /**
   * Non-federated {@code POST /multi-search}: the valid searches of the corpus, eight per request and mixing both
   * indexes, each result compared like a single search (SPEC §13.11).
   */
  @Test
  void everyMultiSearchResultAnswersAsOneNode() {
    List<DiffQuery> valid = new ArrayList<>();
    for (DiffQuery q : DiffQueries.all()) {
      if (q.kind() == DiffQuery.Kind.SEARCH && q.json() != null && !q.name().startsWith("bad-")) {
        valid.add(q);
      }
    }
    Map<DiffQuery, List<Difference>> all = new LinkedHashMap<>();
    for (int from = 0; from < valid.size(); from += 8) {
      List<DiffQuery> batch = valid.subList(from, Math.min(valid.size(), from + 8));
      JsonArray refResults = multiSearch(ref, batch);
      JsonArray mirResults = multiSearch(api, batch);
      for (int i = 0; i < batch.size(); i++) {
        all.put(batch.get(i), compareResult(batch.get(i), refResults.getJsonObject(i), mirResults.getJsonObject(i)));
      }
    }
    assertTrue(all.size() >= 150, "multi-search ran " + all.size() + " queries");
    assertNoUnexplained("multi-search", all);
  }

  private static JsonArray multiSearch(ApiClient client, List<DiffQuery> batch) {
    JsonArray queries = new JsonArray();
    batch.forEach(q -> queries.add(q.json().copy().put("indexUid", q.index())));
    ApiClient.Response r = client.post("/multi-search", new JsonObject().put("queries", queries));
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("results");
  }

  /** One multi-search result, compared as the single search it is (its details runs are single searches). */
  private List<Difference> compareResult(DiffQuery q, JsonObject refResult, JsonObject mirResult) {
    JsonObject details = DiffComparator.detailsBody(q.json(), DiffComparator.distinctOf(q));
    Answer rd = answer(ref.post(q.path(), details));
    Answer md = answer(api.post(q.path(), details));
    List<Difference> out = new ArrayList<>();
    for (Difference d : comparator.search(q, new Answer(200, refResult.encode()), new Answer(200, mirResult.encode()),
        rd, md)) {
      out.add(new Difference(q.name() + " [multi]", d.field(), d.reference(), d.miroir()));
    }
    return out;
  }

  /**
   * Federated {@code POST /multi-search} (SPEC §13.11): weights, windows, facets by index and merged, queries over
   * both indexes, and the requests a node refuses, federated or not, compared as a whole.
   */
  @Test
  void everyFederatedSearchAnswersAsOneNode() {
    Map<DiffQuery, List<Difference>> all = new LinkedHashMap<>();
    for (DiffQuery q : DiffQueries.all()) {
      if (q.kind() != DiffQuery.Kind.MULTI_SEARCH) {
        continue;
      }
      Answer r = answer(ref.post(q.path(), q.body()));
      Answer m = answer(api.post(q.path(), q.body()));
      if (!q.federated() || r.status() != 200) {
        all.put(q, comparator.whole(q, r, m));
        continue;
      }
      JsonObject details = DiffComparator.federatedDetailsBody(q.json());
      all.put(q, comparator.federated(q, r, m, answer(ref.post(q.path(), details)),
          answer(api.post(q.path(), details))));
    }
    assertNoUnexplained("federated multi-search", all);
  }

  /**
   * {@code POST|GET /indexes/{uid}/similar} on the vector index (D7): hits, order, totals and errors as one node.
   */
  @Test
  void everySimilarRequestAnswersAsOneNode() {
    Map<DiffQuery, List<Difference>> all = new LinkedHashMap<>();
    for (DiffQuery q : DiffQueries.all()) {
      if (q.kind() == DiffQuery.Kind.SIMILAR) {
        String path = q.get() ? q.path() + GetForm.query(q.json()) : q.path();
        Answer r = answer(q.get() ? ref.get(path) : ref.post(path, q.body()));
        Answer m = answer(q.get() ? api.get(path) : api.post(path, q.body()));
        JsonObject scored = DiffComparator.scoredBody(q.json());
        all.put(q, comparator.similar(q, r, m, answer(ref.post(q.path(), scored)),
            answer(api.post(q.path(), scored))));
      }
    }
    assertNoUnexplained("similar", all);
  }

  /**
   * Document listings (D3): paging through an index visits every document exactly once, pages are stable, totals
   * are the node's; filtered, id-restricted and sorted listings hold the node's documents, sorted ones in the node's
   * order up to documents with equal sort values; errors are the node's.
   */
  @Test
  void documentListingsAreCompleteStableAndAsTheNodeSortsThem() {
    String main = "/indexes/" + DiffCorpus.MAIN + "/documents";
    // Every document exactly once, over GET pages, and the same page twice is the same page.
    java.util.Set<Object> seen = new java.util.HashSet<>();
    List<JsonArray> pages = new ArrayList<>();
    for (int offset = 0; offset < DiffCorpus.DOCUMENTS + 700; offset += 700) {
      JsonObject page = api.get(main + "?offset=" + offset + "&limit=700&fields=id,title").json();
      assertEquals(DiffCorpus.DOCUMENTS, page.getInteger("total"));
      assertEquals(offset, page.getInteger("offset"));
      assertEquals(700, page.getInteger("limit"));
      for (Object d : page.getJsonArray("results")) {
        assertEquals(java.util.Set.of("id", "title"), ((JsonObject) d).fieldNames());
        assertTrue(seen.add(((JsonObject) d).getValue("id")), "listed twice: " + d);
      }
      pages.add(page.getJsonArray("results"));
    }
    assertEquals(DiffCorpus.DOCUMENTS, seen.size());
    assertEquals(pages.get(3), api.get(main + "?offset=2100&limit=700&fields=id,title").json()
        .getJsonArray("results"));
    // The same order through POST …/fetch, with pages that cut the nodes' lists anywhere.
    List<Object> byFetch = new ArrayList<>();
    for (int offset = 0; offset < DiffCorpus.DOCUMENTS; offset += 333) {
      byFetch.addAll(ids(api.post(main + "/fetch", new JsonObject().put("offset", offset).put("limit", 333)
          .put("fields", new JsonArray().add("id"))).json()));
    }
    List<Object> byGet = new ArrayList<>();
    pages.forEach(p -> p.forEach(d -> byGet.add(((JsonObject) d).getValue("id"))));
    assertEquals(byGet, byFetch);

    // Filtered and id-restricted listings: the node's documents and total.
    for (JsonObject body : List.of(new JsonObject().put("filter", "genre = poetry AND year > 1950"),
        new JsonObject().put("filter", new JsonArray().add("in_stock = true").add("format = ebook")),
        new JsonObject().put("ids", new JsonArray().add(1).add("2").add(4000).add(99999)),
        new JsonObject().put("ids", new JsonArray().add(5).add(6).add(7)).put("filter", "year > 1900"))) {
      JsonObject r = ref.post(main + "/fetch", body.copy().put("limit", 10_000)).json();
      JsonObject m = api.post(main + "/fetch", body.copy().put("limit", 10_000)).json();
      assertEquals(r.getInteger("total"), m.getInteger("total"), body.encode());
      assertEquals(canonicalSet(r.getJsonArray("results")), canonicalSet(m.getJsonArray("results")), body.encode());
      List<Object> paged = new ArrayList<>();
      for (int offset = 0; offset < m.getInteger("total"); offset += 37) {
        paged.addAll(ids(api.post(main + "/fetch", body.copy().put("offset", offset).put("limit", 37)).json()));
      }
      assertEquals(ids(m), paged, "pages of " + body.encode());
    }

    // Sorted listings: the node's order up to equal sort values (its documents without a value are left out).
    sortedAsTheNode(main, new JsonArray().add("price:asc"), new JsonArray().add("id").add("price"), "price");
    sortedAsTheNode(main, new JsonArray().add("rating:desc"), new JsonArray().add("id").add("rating"), "rating");
    sortedAsTheNode(main, new JsonArray().add("author.name:desc").add("year:asc"),
        new JsonArray().add("id").add("author").add("year"), "author.name", "year");
    geoSortedAsTheNode(main, 48.8566, 2.3522);
    // Sort attributes outside `fields` are read for the merge and not shown; GET form with a _geoPoint rule.
    JsonObject narrow = api.post(main + "/fetch", new JsonObject().put("sort", new JsonArray().add("year:desc"))
        .put("fields", new JsonArray().add("id")).put("limit", 50)).json();
    JsonObject wide = api.post(main + "/fetch", new JsonObject().put("sort", new JsonArray().add("year:desc"))
        .put("fields", new JsonArray().add("id").add("year")).put("limit", 50)).json();
    assertEquals(ids(wide), ids(narrow));
    narrow.getJsonArray("results").forEach(d -> assertEquals(java.util.Set.of("id"), ((JsonObject) d).fieldNames()));
    JsonObject geoGet = api.get(main + "?sort=_geoPoint(35.0,135.7):asc,price:desc&fields=id&limit=20").json();
    JsonObject geoPost = api.post(main + "/fetch", new JsonObject().put("sort", new JsonArray()
        .add("_geoPoint(35.0,135.7):asc").add("price:desc")).put("fields", new JsonArray().add("id"))
        .put("limit", 20)).json();
    assertEquals(ids(geoPost), ids(geoGet));

    // Vectors are shown only when asked, as on the node.
    String vectors = "/indexes/" + DiffCorpus.VECTORS + "/documents";
    for (String query : List.of("?ids=3,4,5&retrieveVectors=true", "?ids=3,4,5", "?ids=49&retrieveVectors=true")) {
      assertEquals(canonicalSet(ref.get(vectors + query).json().getJsonArray("results")),
          canonicalSet(api.get(vectors + query).json().getJsonArray("results")), query);
    }

    // Errors are the node's.
    for (String path : List.of(main + "?sort=isbn:asc", main + "?filter=genre%20%3D", main + "?offset=-1",
        main + "?limit=x", main + "?retrieveVectors=maybe", main + "?unknown=1", "/indexes/diff_missing/documents")) {
      ApiClient.Response r = ref.get(path);
      ApiClient.Response m = api.get(path);
      assertEquals(r.status(), m.status(), path + ": " + m.body());
      assertEquals(r.json(), m.json(), path);
    }
    for (JsonObject body : List.of(new JsonObject().put("sort", new JsonArray().add("genre:asc")),
        new JsonObject().put("sort", "year:asc"), new JsonObject().put("filter", "isbn = 1"),
        new JsonObject().put("ids", new JsonArray().add("a b")), new JsonObject().put("limit", -1),
        new JsonObject().put("fields", "id"))) {
      ApiClient.Response r = ref.post(main + "/fetch", body);
      ApiClient.Response m = api.post(main + "/fetch", body);
      assertEquals(r.status(), m.status(), body.encode() + ": " + m.body());
      assertEquals(r.body().isEmpty() ? null : r.json(), m.body().isEmpty() ? null : m.json(), body.encode());
    }
  }

  /**
   * A sorted listing of the whole index on both sides: the same length and total, the same sort values position by
   * position, the same documents among equal values; and Miroir's pages concatenate to its whole listing.
   */
  private void sortedAsTheNode(String path, JsonArray sort, JsonArray fields, String... attributes) {
    JsonObject body = new JsonObject().put("sort", sort).put("fields", fields).put("limit", 10_000);
    JsonObject r = ref.post(path + "/fetch", body).json();
    JsonObject m = api.post(path + "/fetch", body).json();
    assertEquals(r.getInteger("total"), m.getInteger("total"), sort.encode());
    JsonArray rr = r.getJsonArray("results");
    JsonArray mr = m.getJsonArray("results");
    assertEquals(rr.size(), mr.size(), sort.encode());
    Map<String, java.util.Set<String>> refGroups = new LinkedHashMap<>();
    Map<String, java.util.Set<String>> mirGroups = new LinkedHashMap<>();
    for (int i = 0; i < rr.size(); i++) {
      String rk = sortKey(rr.getJsonObject(i), attributes);
      String mk = sortKey(mr.getJsonObject(i), attributes);
      assertEquals(rk, mk, sort.encode() + " position " + i);
      refGroups.computeIfAbsent(rk, k -> new java.util.TreeSet<>()).add(canonicalOf(rr.getValue(i)));
      mirGroups.computeIfAbsent(mk, k -> new java.util.TreeSet<>()).add(canonicalOf(mr.getValue(i)));
    }
    assertEquals(refGroups, mirGroups, sort.encode());
    List<Object> paged = new ArrayList<>();
    for (int offset = 0; offset < mr.size(); offset += 450) {
      paged.addAll(ids(api.post(path + "/fetch", body.copy().put("offset", offset).put("limit", 450)).json()));
    }
    assertEquals(ids(m), paged, "pages of " + sort.encode());
  }

  /**
   * A listing sorted by distance: the same documents, and position by position the same distance to within 5 metres
   * (a node's own order is not exact below that: it lists a point 5050.6 m away before one 5049.8 m away). Only the
   * first 1000: a 1.21 node starts its geo-sorted listing over after 1000 documents (docs/api-compatibility.md).
   */
  private void geoSortedAsTheNode(String path, double lat, double lng) {
    JsonObject body = new JsonObject().put("sort", new JsonArray().add("_geoPoint(" + lat + ", " + lng + "):asc"))
        .put("fields", new JsonArray().add("id").add("_geo")).put("limit", 1000);
    JsonArray rr = ref.post(path + "/fetch", body).json().getJsonArray("results");
    JsonArray mr = api.post(path + "/fetch", body).json().getJsonArray("results");
    java.util.Set<String> onlyRef = new java.util.TreeSet<>(canonicalSet(rr));
    onlyRef.removeAll(canonicalSet(mr));
    java.util.Set<String> onlyMir = new java.util.TreeSet<>(canonicalSet(mr));
    onlyMir.removeAll(canonicalSet(rr));
    assertTrue(onlyRef.isEmpty() && onlyMir.isEmpty() && rr.size() == mr.size(), rr.size() + " vs " + mr.size()
        + "; only in the reference " + onlyRef.stream().limit(10).toList() + ", only in Miroir "
        + onlyMir.stream().limit(10).toList());
    for (int i = 0; i < rr.size(); i++) {
      double rd = distance(lat, lng, rr.getJsonObject(i).getJsonObject("_geo"));
      double md = distance(lat, lng, mr.getJsonObject(i).getJsonObject("_geo"));
      assertTrue(Math.abs(rd - md) < 5.0, "position " + i + ": " + rd + " m vs " + md + " m");
    }
  }

  private static double distance(double lat, double lng, JsonObject geo) {
    double p1 = Math.toRadians(lat);
    double p2 = Math.toRadians(geo.getDouble("lat"));
    double dp = p2 - p1;
    double dl = Math.toRadians(geo.getDouble("lng") - lng);
    double a = Math.pow(Math.sin(dp / 2), 2) + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
  }

  private static String sortKey(JsonObject doc, String... attributes) {
    StringBuilder b = new StringBuilder();
    for (String attribute : attributes) {
      Object v = doc;
      for (String part : attribute.split("\\.")) {
        v = v instanceof JsonObject o ? o.getValue(part) : null;
      }
      b.append(v instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : io.vertx.core.json.Json.encode(v))
          .append('|');
    }
    return b.toString();
  }

  private static List<Object> ids(JsonObject page) {
    List<Object> out = new ArrayList<>();
    page.getJsonArray("results").forEach(d -> out.add(((JsonObject) d).getValue("id")));
    return out;
  }

  private static java.util.Set<String> canonicalSet(JsonArray docs) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    docs.forEach(d -> out.add(canonicalOf(d)));
    return out;
  }

  private static String canonicalOf(Object value) {
    return DiffComparator.canonical(value);
  }

  /** More queries than {@code multi_search.max_queries_per_batch} (100 by default) are refused before any search. */
  @Test
  void aMultiSearchAboveTheBatchLimitIsRefused() {
    JsonArray queries = new JsonArray();
    for (int i = 0; i < 101; i++) {
      queries.add(new JsonObject().put("indexUid", DiffCorpus.MAIN).put("q", "river").put("limit", 1));
    }
    for (JsonObject body : List.of(new JsonObject().put("queries", queries),
        new JsonObject().put("queries", queries).put("federation", new JsonObject()))) {
      ApiClient.Response r = api.post("/multi-search", body);
      assertEquals(400, r.status(), r.body());
      assertEquals("miroir_too_many_queries", r.json().getString("code"));
      assertEquals("invalid_request", r.json().getString("type"));
      assertTrue(r.json().getString("message").contains("at most 100"), r.body());
    }
    assertEquals(200, api.post("/multi-search", new JsonObject().put("queries", new JsonArray(
        queries.getList().subList(0, 3)))).status());
  }

  @Test
  void everyFacetSearchAnswersAsOneNode() {
    Map<DiffQuery, List<Difference>> all = new LinkedHashMap<>();
    for (DiffQuery q : DiffQueries.all()) {
      if (q.kind() == DiffQuery.Kind.FACET_SEARCH) {
        Answer r = answer(ref.post(q.path(), q.body()));
        Answer m = answer(api.post(q.path(), q.body()));
        all.put(q, comparator.facetSearch(q, r, m));
      }
    }
    assertNoUnexplained("facet-search", all);
  }

  /** What a client reads about the indexes is the single node's: settings as sent ({@code ["*"]}), stats. */
  @Test
  void settingsAndStatsReadAsOneNode() {
    for (String index : List.of(DiffCorpus.MAIN, DiffCorpus.DISTINCT)) {
      JsonObject refSettings = ref.get("/indexes/" + index + "/settings").json();
      JsonObject mirSettings = api.get("/indexes/" + index + "/settings").json();
      assertEquals(refSettings, mirSettings, "settings of " + index);
      assertEquals(new JsonArray().add("*"), mirSettings.getJsonArray("searchableAttributes"));
      assertEquals(ref.get("/indexes/" + index + "/settings/searchable-attributes").array(),
          api.get("/indexes/" + index + "/settings/searchable-attributes").array());
      JsonObject refStats = ref.get("/indexes/" + index + "/stats").json();
      JsonObject mirStats = api.get("/indexes/" + index + "/stats").json();
      assertEquals(refStats.getValue("numberOfDocuments"), mirStats.getValue("numberOfDocuments"));
      assertEquals(refStats.getJsonObject("fieldDistribution"), mirStats.getJsonObject("fieldDistribution"));
    }
  }

  /**
   * One search in its form (GET for {@code get} queries, else POST) and, when the body has a GET form, also in the
   * other: both forms of one query must answer as one node does. The details run is a POST either way.
   */
  private List<Difference> runSearch(DiffQuery q) {
    Answer rd = null;
    Answer md = null;
    if (q.json() != null) {
      JsonObject details = DiffComparator.detailsBody(q.json(), DiffComparator.distinctOf(q));
      rd = answer(ref.post(q.path(), details));
      md = answer(api.post(q.path(), details));
    }
    Answer r = send(ref, q, q.get());
    List<Difference> out = new ArrayList<>(compareForm(q, q.get(), r, rd, md));
    // The GET twin of a body one node rejects is another request (a string where POST wants a list is a valid
    // comma-separated list in GET): only bodies the reference accepts are also run in the GET form.
    if (!q.get() && GetForm.convertible(q.json()) && r.status() == 200) {
      for (Difference d : compareForm(q, true, send(ref, q, true), rd, md)) {
        out.add(new Difference(q.name() + " [GET]", d.field(), d.reference(), d.miroir()));
      }
    }
    return out;
  }

  private List<Difference> compareForm(DiffQuery q, boolean get, Answer r, Answer rd, Answer md) {
    Answer m = send(api, q, get);
    if (r.status() != 200 || rd == null || rd.status() != 200) {
      return comparator.search(q, r, m, r, m);
    }
    return comparator.search(q, r, m, rd, md);
  }

  private static Answer send(ApiClient client, DiffQuery q, boolean get) {
    if (get) {
      return answer(client.get(q.path() + GetForm.query(q.json())));
    }
    if (q.body() instanceof String raw) {
      return answer(client.send("POST", q.path(), raw, "application/json"));
    }
    return answer(client.post(q.path(), q.body()));
  }

  private static Answer answer(ApiClient.Response r) {
    return new Answer(r.status(), r.body());
  }

  private void assertNoUnexplained(String what, Map<DiffQuery, List<Difference>> all) {
    List<Difference> unexplained = new ArrayList<>();
    Map<String, Integer> accepted = new TreeMap<>();
    all.forEach((q, differences) -> {
      for (Difference d : differences) {
        String reason = AcceptedDifferences.reason(q, d);
        if (reason == null) {
          unexplained.add(d);
          report.add("UNEXPLAINED " + d);
        } else {
          accepted.merge(reason.substring(0, reason.indexOf(':')), 1, Integer::sum);
          report.add("ACCEPTED (" + reason + ") " + d);
        }
      }
    });
    int queries = all.size();
    String summary = getClass().getSimpleName() + " " + what + ": " + queries + " queries, accepted differences "
        + accepted + ", " + unexplained.size() + " unexplained";
    report.add(summary);
    System.out.println(summary);
    unexplained.stream().limit(40).forEach(System.out::println);
    assertTrue(queries > 0, "no query ran");
    assertTrue(unexplained.isEmpty(), summary + "\n" + String.join("\n",
        unexplained.stream().limit(40).map(Difference::toString).toList()));
  }

  // ------------------------------------------------------------------------------------ loading

  /** The reference node holding both indexes, loaded once per JVM (again if another test reset it). */
  static synchronized MeiliNode loadedReference() {
    if (referenceNode == null || !isLoaded(MiroirHarness.direct(referenceNode))) {
      referenceNode = MeiliNodes.shared().reference();
      load(MiroirHarness.direct(referenceNode));
    }
    return referenceNode;
  }

  private static boolean isLoaded(ApiClient client) {
    for (String index : List.of(DiffCorpus.MAIN, DiffCorpus.DISTINCT, DiffCorpus.VECTORS)) {
      ApiClient.Response stats = client.get("/indexes/" + index + "/stats");
      int expected = index.equals(DiffCorpus.VECTORS) ? DiffCorpus.VECTOR_DOCUMENTS : DiffCorpus.DOCUMENTS;
      if (stats.status() != 200 || stats.json().getInteger("numberOfDocuments") != expected) {
        return false;
      }
    }
    return true;
  }

  /** Creates the three indexes with their settings and documents, through whatever {@code client} points at. */
  private static void load(ApiClient client) {
    JsonArray documents = DiffCorpus.documents();
    List<Long> tasks = new ArrayList<>();
    for (String index : List.of(DiffCorpus.MAIN, DiffCorpus.DISTINCT)) {
      create(client, index);
      tasks.add(accepted(client.patch("/indexes/" + index + "/settings",
          DiffCorpus.settings(index.equals(DiffCorpus.DISTINCT)))));
      tasks.add(accepted(client.post("/indexes/" + index + "/documents", documents)));
    }
    create(client, DiffCorpus.VECTORS);
    tasks.add(accepted(client.patch("/indexes/" + DiffCorpus.VECTORS + "/settings", DiffCorpus.vectorSettings())));
    tasks.add(accepted(client.post("/indexes/" + DiffCorpus.VECTORS + "/documents", DiffCorpus.vectorDocuments())));
    for (long task : tasks) {
      JsonObject done = client.waitTask(task);
      if (!"succeeded".equals(done.getString("status"))) {
        throw new AssertionError("loading failed: " + done.encode());
      }
    }
  }

  /**
   * Creates an index. Right after start, a loaded 2-core machine can make a fresh node miss two health probes;
   * Miroir then refuses index creation (every node must hold every index) until the node is back, so a 503 is
   * retried for a while.
   */
  private static void create(ApiClient client, String index) {
    JsonObject body = new JsonObject().put("uid", index).put("primaryKey", "id");
    long deadline = System.nanoTime() + 30_000_000_000L;
    ApiClient.Response r = client.post("/indexes", body);
    while (r.status() == 503 && System.nanoTime() < deadline) {
      ApiClient.sleep(250);
      r = client.post("/indexes", body);
    }
    JsonObject task = client.waitTask(accepted(r));
    if (!"succeeded".equals(task.getString("status"))) {
      throw new AssertionError("creating " + index + " failed: " + task.encode());
    }
  }

  private static long accepted(ApiClient.Response r) {
    if (r.status() != 202) {
      throw new UncheckedIOException(new IOException("write refused: " + r));
    }
    return r.json().getLong("taskUid");
  }
}
