package io.miroir.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.routing.ShardHasher;
import io.miroir.routing.ShardPlacement;
import io.miroir.testing.ApiClient;
import io.miroir.testing.ApiClient.Response;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The core acceptance points against real Meilisearch nodes (issue: single-process proxy), run once per topology by
 * the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CoreBehaviourTest {
  static final int SHARDS = 16;
  private final int nodeCount;
  private final int replicationFactor;
  private final int groups;
  MiroirHarness miroir;
  ApiClient api;

  CoreBehaviourTest(int nodeCount, int replicationFactor, int groups) {
    this.nodeCount = nodeCount;
    this.replicationFactor = replicationFactor;
    this.groups = groups;
  }

  @BeforeAll
  void start() {
    List<MeiliNode> nodes = MeiliNodes.shared().nodes(nodeCount);
    miroir = MiroirHarness.start(nodes, replicationFactor, groups, SHARDS);
    api = miroir.client();
  }

  @AfterAll
  void stop() {
    if (miroir != null) {
      miroir.close();
    }
  }

  private void createWithDocuments(String index, JsonArray docs) {
    api.writeAndWait("POST", "/indexes", new JsonObject().put("uid", index).put("primaryKey", "id"));
    api.writeAndWait("PATCH", "/indexes/" + index + "/settings",
        new JsonObject().put("filterableAttributes", new JsonArray().add("genre").add("year"))
            .put("sortableAttributes", new JsonArray().add("year")));
    api.writeAndWait("POST", "/indexes/" + index + "/documents", docs);
  }

  @Test
  void thousandDocumentsRoundTripAndLiveExactlyOnTheirOwners() {
    String index = "roundtrip";
    JsonArray docs = Corpus.documents(1000);
    createWithDocuments(index, docs);

    for (int id : new int[] {0, 1, 499, 999}) {
      Response r = api.get("/indexes/" + index + "/documents/" + id);
      assertEquals(200, r.status(), r.body());
      assertEquals(docs.getJsonObject(id), r.json(), "document " + id + " comes back as written");
    }
    Response stats = api.get("/indexes/" + index + "/stats");
    assertEquals(1000, stats.json().getInteger("numberOfDocuments"), stats.body());
    assertFalse(stats.json().getJsonObject("fieldDistribution").containsKey("_miroir_shard"));

    ShardPlacement placement = miroir.miroir().services().fleet().placement(SHARDS);
    Map<String, Integer> copies = new HashMap<>();
    for (MeiliNode node : miroir.nodes()) {
      JsonArray held = MiroirHarness.direct(node).get("/indexes/" + index + "/documents?limit=5000").json()
          .getJsonArray("results");
      for (Object o : held) {
        JsonObject doc = (JsonObject) o;
        String id = String.valueOf(doc.getValue("id"));
        int shard = ShardHasher.shardForKey(id, SHARDS);
        assertEquals(shard, doc.getInteger("_miroir_shard"), "injected shard of " + id);
        assertTrue(placement.writeTargets(shard).contains(node.id()),
            "document " + id + " on " + node.id() + " which does not own shard " + shard);
        copies.merge(id, 1, Integer::sum);
      }
    }
    assertEquals(1000, copies.size(), "every document is somewhere");
    copies.forEach((id, n) -> assertEquals(replicationFactor * groups, n, "copies of " + id));
  }

  @Test
  void searchesAreCompleteAndExact() {
    String index = "searching";
    createWithDocuments(index, Corpus.documents(100));

    Response unique = api.post("/indexes/" + index + "/search", new JsonObject().put("q", Corpus.uniqueWord(57)));
    assertEquals(200, unique.status(), unique.body());
    JsonArray hits = unique.json().getJsonArray("hits");
    assertEquals(1, hits.size(), unique.body());
    assertEquals(57, hits.getJsonObject(0).getInteger("id"));
    assertNull(unique.header("X-Miroir-Degraded"));

    Response faceted = api.post("/indexes/" + index + "/search",
        new JsonObject().put("facets", new JsonArray().add("genre")).put("limit", 0));
    JsonObject genre = faceted.json().getJsonObject("facetDistribution").getJsonObject("genre");
    int sum = genre.stream().mapToInt(e -> ((Number) e.getValue()).intValue()).sum();
    assertEquals(100, sum, faceted.body());
    assertEquals(100, faceted.json().getInteger("estimatedTotalHits"));

    JsonArray onePage = api.post("/indexes/" + index + "/search", new JsonObject().put("q", "the")
        .put("limit", 50)).json().getJsonArray("hits");
    JsonArray fivePages = new JsonArray();
    for (int page = 0; page < 5; page++) {
      fivePages.addAll(api.post("/indexes/" + index + "/search", new JsonObject().put("q", "the")
          .put("offset", page * 10).put("limit", 10)).json().getJsonArray("hits"));
    }
    assertEquals(50, onePage.size());
    assertEquals(onePage, fivePages, "5 pages of 10 equal one page of 50");

    Response get = api.get("/indexes/" + index + "/search?q=" + Corpus.uniqueWord(3) + "&attributesToRetrieve=id,title");
    assertEquals(200, get.status(), get.body());
    assertEquals(1, get.json().getJsonArray("hits").size());
  }

  @Test
  void synonymsReachEveryNode() {
    String index = "synonyms";
    createWithDocuments(index, Corpus.documents(20));
    JsonObject synonyms = new JsonObject().put("brook", new JsonArray().add("river"));
    api.writeAndWait("PUT", "/indexes/" + index + "/settings/synonyms", synonyms);
    for (MeiliNode node : miroir.nodes()) {
      assertEquals(synonyms, MiroirHarness.direct(node).get("/indexes/" + index + "/settings/synonyms").json(),
          "synonyms on " + node.id());
    }
    assertEquals(synonyms, api.get("/indexes/" + index + "/settings/synonyms").json());
  }

  @Test
  void rejectedBatchesChangeNothingOnAnyNode() {
    String index = "rejections";
    createWithDocuments(index, Corpus.documents(10));
    Map<String, String> before = nodeDocuments(index);

    JsonArray missingId = new JsonArray().add(new JsonObject().put("id", 100).put("title", "ok"))
        .add(new JsonObject().put("title", "no id"));
    JsonObject failed = failedTask(api.post("/indexes/" + index + "/documents", missingId));
    assertEquals("missing_document_id", failed.getJsonObject("error").getString("code"));

    JsonArray invalidId = new JsonArray().add(new JsonObject().put("id", 101)).add(new JsonObject()
        .put("id", "not valid!"));
    failed = failedTask(api.post("/indexes/" + index + "/documents", invalidId));
    assertEquals("invalid_document_id", failed.getJsonObject("error").getString("code"));

    JsonArray reserved = new JsonArray().add(new JsonObject().put("id", 102).put("_miroir_shard", 3));
    Response r = api.post("/indexes/" + index + "/documents", reserved);
    assertEquals(400, r.status(), r.body());
    assertEquals("miroir_reserved_field", r.json().getString("code"));

    r = api.send("POST", "/indexes/" + index + "/documents", "[{\"id\": 103,", "application/json");
    assertEquals(400, r.status(), r.body());
    assertEquals("malformed_payload", r.json().getString("code"));

    JsonArray noCandidate = new JsonArray().add(new JsonObject().put("name", "x"));
    failed = failedTask(api.post("/indexes/fresh-" + index + "/documents", noCandidate));
    assertEquals("index_primary_key_no_candidate_found", failed.getJsonObject("error").getString("code"));

    assertEquals(before, nodeDocuments(index), "no node changed");
  }

  private JsonObject failedTask(Response r) {
    assertEquals(202, r.status(), r.body());
    JsonObject task = api.waitTask(r.json().getLong("taskUid"));
    assertEquals("failed", task.getString("status"), task.encode());
    return task;
  }

  private Map<String, String> nodeDocuments(String index) {
    Map<String, String> out = new HashMap<>();
    for (MeiliNode node : miroir.nodes()) {
      out.put(node.id(), MiroirHarness.direct(node).get("/indexes/" + index + "/documents?limit=5000").body());
    }
    return out;
  }

  @Test
  void reservedFieldIsInvisibleEverywhere() {
    String index = "invisible";
    createWithDocuments(index, Corpus.documents(30));
    api.writeAndWait("PUT", "/indexes/" + index + "/settings/filterable-attributes",
        new JsonArray().add("year"));
    for (MeiliNode node : miroir.nodes()) {
      JsonArray filterable = MiroirHarness.direct(node)
          .get("/indexes/" + index + "/settings/filterable-attributes").array();
      assertTrue(filterable.contains("_miroir_shard"), "still filterable on " + node.id() + ": " + filterable);
    }
    List<String> bodies = List.of(
        api.get("/indexes/" + index + "/settings").body(),
        api.get("/indexes/" + index + "/settings/filterable-attributes").body(),
        api.get("/indexes/" + index + "/stats").body(),
        api.get("/stats").body(),
        api.get("/indexes/" + index + "/documents/1").body(),
        api.get("/indexes/" + index + "/documents?limit=100").body(),
        api.post("/indexes/" + index + "/documents/fetch", new JsonObject().put("limit", 5)).body(),
        api.post("/indexes/" + index + "/search", new JsonObject().put("q", "the")
            .put("facets", new JsonArray().add("*")).put("attributesToHighlight", new JsonArray().add("*"))
            .put("showMatchesPosition", true)).body(),
        api.get("/indexes/" + index + "/search?q=river").body());
    for (String body : bodies) {
      assertFalse(body.contains("_miroir"), "reserved field leaked: " + body);
    }
    assertEquals(new JsonArray().add("year"),
        api.get("/indexes/" + index + "/settings/filterable-attributes").array());
  }

  @Test
  void searchKeyAndTenantTokenCreatedThroughMiroirWork() throws Exception {
    String index = "tenants";
    createWithDocuments(index, Corpus.documents(40));
    Response created = api.post("/keys", new JsonObject().put("actions", new JsonArray().add("search"))
        .put("indexes", new JsonArray().add(index)).putNull("expiresAt").put("description", "search only"));
    assertEquals(201, created.status(), created.body());
    String key = created.json().getString("key");
    String uid = created.json().getString("uid");
    for (MeiliNode node : miroir.nodes()) {
      assertEquals(200, MiroirHarness.direct(node).get("/keys/" + uid).status(), "key on " + node.id());
    }
    ApiClient searcher = api.withKey(key);
    Response search = searcher.post("/indexes/" + index + "/search", new JsonObject().put("q", Corpus.uniqueWord(7)));
    assertEquals(200, search.status(), search.body());
    assertEquals(1, search.json().getJsonArray("hits").size());
    assertEquals(403, searcher.post("/indexes/" + index + "/documents", new JsonArray()).status());
    assertEquals(403, searcher.get("/tasks").status());

    String token = TenantTokens.sign(uid, key, new JsonObject().put(index,
        new JsonObject().put("filter", "genre = poetry")));
    Response tenant = api.withKey(token).post("/indexes/" + index + "/search",
        new JsonObject().put("limit", 100).put("facets", new JsonArray().add("genre")));
    assertEquals(200, tenant.status(), tenant.body());
    JsonArray tenantHits = tenant.json().getJsonArray("hits");
    assertEquals(8, tenantHits.size(), tenant.body());
    tenantHits.forEach(h -> assertEquals("poetry", ((JsonObject) h).getString("genre")));
  }

  @Test
  void authenticationErrorsAreMeilisearchs() {
    Response none = new ApiClient(miroir.url(), null).get("/indexes");
    assertEquals(401, none.status());
    assertEquals("missing_authorization_header", none.json().getString("code"));
    Response wrong = api.withKey("not-a-key").get("/indexes");
    assertEquals(403, wrong.status());
    assertEquals("invalid_api_key", wrong.json().getString("code"));
    Response admin = api.get("/_miroir/topology");
    assertEquals(401, admin.status());
    assertEquals("miroir_invalid_auth", admin.json().getString("code"));
    JsonObject topology = miroir.admin().get("/_miroir/topology").json();
    assertEquals(nodeCount, topology.getJsonArray("nodes").size());
    assertTrue(topology.getBoolean("fully_covered"));
  }

  @Test
  void tasksAreListedAndFilteredLikeMeilisearch() {
    String index = "tasklist";
    createWithDocuments(index, Corpus.documents(5));
    JsonObject list = api.get("/tasks?indexUids=" + index + "&limit=2").json();
    assertEquals(2, list.getJsonArray("results").size(), list.encode());
    assertEquals(3, list.getInteger("total"), list.encode());
    assertNotNull(list.getValue("next"));
    Set<String> types = new HashSet<>();
    api.get("/tasks?indexUids=" + index).json().getJsonArray("results")
        .forEach(t -> types.add(((JsonObject) t).getString("type")));
    assertEquals(Set.of("indexCreation", "settingsUpdate", "documentAdditionOrUpdate"), types);
    Response missing = api.get("/tasks/999999");
    assertEquals(404, missing.status());
    assertEquals("task_not_found", missing.json().getString("code"));
  }
}
