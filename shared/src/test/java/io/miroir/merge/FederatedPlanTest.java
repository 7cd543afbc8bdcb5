package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Federated multi-search planning and merging (SPEC §13.11, D2, D3). */
class FederatedPlanTest {
  private static JsonObject o(String json) {
    return new JsonObject(json.replace('\'', '"'));
  }

  private static IndexView view(String sortFacetValuesBy) {
    return new IndexView(IndexView.DEFAULT_RANKING_RULES, 1000, 100, Map.of("*", sortFacetValuesBy), null,
        List.of("*"));
  }

  private static final Map<String, IndexView> VIEWS = Map.of("a", view("alpha"), "b", view("alpha"));

  @Test
  void eachNodeGetsTheFederatedRequestRestrictedToItsShards() {
    JsonObject client = o("{'federation':{'offset':5,'limit':10,'facetsByIndex':{'a':['genre'],'b':null},"
        + "'mergeFacets':{}},'queries':[{'indexUid':'a','q':'river','filter':'genre = x',"
        + "'attributesToRetrieve':['title']},{'indexUid':'b','q':'sea','federationOptions':{'weight':0.5}}]}");
    JsonObject node = FederatedPlan.of(client, VIEWS).nodeRequest(Map.of("a", List.of(1, 2)), null);
    JsonObject federation = node.getJsonObject("federation");
    assertEquals(0, federation.getInteger("offset"));
    assertEquals(15, federation.getInteger("limit"));
    assertFalse(federation.containsKey("mergeFacets"));
    assertEquals(new JsonArray().add("genre").add(ReservedFields.SHARD),
        federation.getJsonObject("facetsByIndex").getJsonArray("a"));
    assertTrue(federation.getJsonObject("facetsByIndex").containsKey("b"));
    assertNull(federation.getJsonObject("facetsByIndex").getValue("b"));
    JsonObject first = node.getJsonArray("queries").getJsonObject(0);
    assertEquals(new JsonArray().add("_miroir_shard IN [1, 2]").add("genre = x"), first.getJsonArray("filter"));
    assertEquals(new JsonArray().add("title").add(ReservedFields.SHARD), first.getJsonArray("attributesToRetrieve"));
    assertEquals(true, first.getBoolean("showRankingScore"));
    assertEquals(true, first.getBoolean("showRankingScoreDetails"));
    JsonObject second = node.getJsonArray("queries").getJsonObject(1);
    assertEquals(new JsonArray().add("_miroir_shard IN []"), second.getJsonArray("filter"), "no shard of b here");
    assertEquals(0.5, second.getJsonObject("federationOptions").getDouble("weight"));
    assertEquals(o("{'federation':{'offset':5,'limit':10,'facetsByIndex':{'a':['genre'],'b':null},"
        + "'mergeFacets':{}},'queries':[{'indexUid':'a','q':'river','filter':'genre = x',"
        + "'attributesToRetrieve':['title']},{'indexUid':'b','q':'sea','federationOptions':{'weight':0.5}}]}"),
        client, "the client request is not modified");
  }

  @Test
  void requestsANodeMustJudgeAreNotPlanned() {
    for (String bad : List.of("{'federation':{'offset':-1},'queries':[{'indexUid':'a'}]}",
        "{'federation':{'limit':'x'},'queries':[{'indexUid':'a'}]}",
        "{'federation':{'facetsByIndex':['a']},'queries':[{'indexUid':'a'}]}",
        "{'federation':{'mergeFacets':5},'queries':[{'indexUid':'a'}]}",
        "{'federation':{},'queries':[{'indexUid':'a','showRankingScore':'yes'}]}",
        "{'federation':{},'queries':[{'indexUid':'missing'}]}",
        "{'federation':{},'queries':[{'q':'x'}]}")) {
      assertThrows(IllegalArgumentException.class, () -> FederatedPlan.of(o(bad), VIEWS), bad);
    }
    Map<String, IndexView> conflicting = Map.of("a", view("alpha"), "b", view("count"));
    assertThrows(IllegalArgumentException.class, () -> FederatedPlan.of(o("{'federation':{'facetsByIndex':"
        + "{'a':['genre'],'b':['genre']},'mergeFacets':{}},'queries':[{'indexUid':'a'}]}"), conflicting));
    FederatedPlan.of(o("{'federation':{'facetsByIndex':{'a':['genre'],'b':['genre']}},'queries':"
        + "[{'indexUid':'a'}]}"), conflicting);
  }

  private static JsonObject hit(int id, String index, int query, double score, double weight, int shard) {
    return new JsonObject().put("id", id).put(ReservedFields.SHARD, shard)
        .put("_federation", new JsonObject().put("indexUid", index).put("queriesPosition", query)
            .put("weightedRankingScore", score * weight))
        .put("_rankingScore", score)
        .put("_rankingScoreDetails", new JsonObject().put("words", new JsonObject().put("order", 0)
            .put("matchingWords", 1).put("maxMatchingWords", 1).put("score", score)));
  }

  private static JsonObject answer(long total, JsonObject... hits) {
    return new JsonObject().put("hits", new JsonArray(new ArrayList<>(List.of(hits)))).put("processingTimeMs", 3)
        .put("limit", 20).put("offset", 0).put("estimatedTotalHits", total);
  }

  @Test
  void nodeListsMergeByWeightedScoreThenQueryPosition() {
    JsonObject client = o("{'federation':{'limit':4,'offset':1},'queries':[{'indexUid':'a','q':'x',"
        + "'federationOptions':{'weight':0.5}},{'indexUid':'b','q':'y','showRankingScore':true}]}");
    FederatedPlan plan = FederatedPlan.of(client, VIEWS);
    JsonObject merged = plan.merge(List.of(
        answer(10, hit(1, "a", 0, 1.0, 0.5, 0), hit(2, "b", 1, 0.5, 1.0, 0), hit(3, "a", 0, 0.8, 0.5, 0)),
        answer(7, hit(4, "b", 1, 0.9, 1.0, 1), hit(5, "a", 0, 0.9, 0.5, 1), hit(6, "b", 1, 0.2, 1.0, 1))));
    // weighted: 4=0.9, 1=0.5, 2=0.5 (query 0 before query 1), 5=0.45, 3=0.4, 6=0.2; offset 1, limit 4.
    List<Object> ids = new ArrayList<>();
    merged.getJsonArray("hits").forEach(h -> ids.add(((JsonObject) h).getValue("id")));
    assertEquals(List.of(1, 2, 5, 3), ids);
    assertEquals(17, merged.getInteger("estimatedTotalHits"));
    assertEquals(4, merged.getInteger("limit"));
    assertEquals(1, merged.getInteger("offset"));
    assertEquals(List.of("hits", "processingTimeMs", "limit", "offset", "estimatedTotalHits"),
        new ArrayList<>(merged.fieldNames()));
    JsonObject first = merged.getJsonArray("hits").getJsonObject(0);
    assertFalse(first.containsKey("_rankingScore"), "query 0 did not ask for scores");
    assertFalse(first.containsKey("_rankingScoreDetails"));
    assertFalse(first.containsKey(ReservedFields.SHARD));
    assertTrue(first.containsKey("_federation"));
    assertEquals(0.5, merged.getJsonArray("hits").getJsonObject(1).getDouble("_rankingScore"));
  }

  @Test
  void facetsByIndexAndMergedFacets() {
    JsonObject client = o("{'federation':{'limit':0,'facetsByIndex':{'a':['genre'],'b':['genre']}},"
        + "'queries':[{'indexUid':'a'},{'indexUid':'b'}]}");
    JsonObject n1 = answer(3).put("facetsByIndex", o("{'a':{'distribution':{'genre':{'x':2,'y':1},"
        + "'_miroir_shard':{'0':3}},'stats':{}},'b':{'distribution':{'genre':{'x':1}},'stats':{}}}"));
    JsonObject n2 = answer(2).put("facetsByIndex", o("{'a':{'distribution':{'genre':{'z':1},'_miroir_shard':"
        + "{'1':1}},'stats':{}},'b':{'distribution':{'genre':{'y':1}},'stats':{}}}"));
    JsonObject byIndex = FederatedPlan.of(client, VIEWS).merge(List.of(n1.copy(), n2.copy()));
    assertEquals(o("{'a':{'distribution':{'genre':{'x':2,'y':1,'z':1}},'stats':{}},'b':{'distribution':"
        + "{'genre':{'x':1,'y':1}},'stats':{}}}"), byIndex.getJsonObject("facetsByIndex"));
    JsonObject mergedClient = client.copy();
    mergedClient.getJsonObject("federation").put("mergeFacets", o("{'maxValuesPerFacet':2}"));
    JsonObject merged = FederatedPlan.of(mergedClient, VIEWS).merge(List.of(n1, n2));
    assertFalse(merged.containsKey("facetsByIndex"));
    assertEquals(o("{'genre':{'x':3,'y':2}}"), merged.getJsonObject("facetDistribution"));
    assertEquals(new ArrayList<>(List.of("x", "y")),
        new ArrayList<>(merged.getJsonObject("facetDistribution").getJsonObject("genre").fieldNames()));
    assertEquals(new JsonObject(), merged.getJsonObject("facetStats"));
  }
}
