package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Similar documents over shards (D7). */
class SimilarPlanTest {
  private static JsonObject o(String json) {
    return new JsonObject(json.replace('\'', '"'));
  }

  private static final IndexView VIEW = new IndexView(IndexView.DEFAULT_RANKING_RULES, 50, 100,
      Map.of("*", "alpha"), null, List.of("*"));

  @Test
  void theTargetsNodeAsksSimilarAndTheOthersSearchByVector() {
    SimilarPlan plan = SimilarPlan.of(o("{'id':7,'embedder':'e','offset':3,'limit':4,'filter':'genre = x',"
        + "'attributesToRetrieve':['title'],'rankingScoreThreshold':0.5}"), VIEW);
    assertEquals("7", plan.id());
    JsonObject owner = plan.ownerRequest(List.of(2));
    assertEquals(0, owner.getInteger("offset"));
    assertEquals(7, owner.getInteger("limit"));
    assertEquals(new JsonArray().add("_miroir_shard IN [2]").add("genre = x"), owner.getJsonArray("filter"));
    assertEquals(new JsonArray().add("title").add(ReservedFields.SHARD), owner.getJsonArray("attributesToRetrieve"));
    JsonObject other = plan.otherRequest("books", new JsonArray().add(1.0).add(0.0), List.of(0, 1));
    assertEquals(o("{'offset':0,'limit':7}"), other.getJsonObject("federation"));
    JsonObject query = other.getJsonArray("queries").getJsonObject(0);
    assertEquals("books", query.getString("indexUid"));
    assertEquals(o("{'embedder':'e','semanticRatio':1.0}"), query.getJsonObject("hybrid"));
    assertEquals(0.5, query.getDouble("rankingScoreThreshold"));
    assertEquals(new JsonArray().add("_miroir_shard IN [0, 1]").add("genre = x"), query.getJsonArray("filter"));
    assertEquals(new JsonArray().add(1.0).add(0.0), query.getJsonArray("vector"));
    for (String bad : List.of("{'embedder':'e'}", "{'id':1.5,'embedder':'e'}", "{'id':1}", "{'id':1,'embedder':"
        + "'e','limit':-1}", "{'id':1,'embedder':'e','showRankingScore':'yes'}")) {
      assertThrows(IllegalArgumentException.class, () -> SimilarPlan.of(o(bad), VIEW), bad);
    }
  }

  @Test
  void theEmbeddingIsTheFirstOneOfTheEmbedder() {
    SimilarPlan plan = SimilarPlan.of(o("{'id':'a','embedder':'e'}"), VIEW);
    assertEquals(new JsonArray().add(1).add(2), plan.vectorOf(o("{'id':'a','_vectors':{'e':{'embeddings':"
        + "[[1,2],[3,4]],'regenerate':false}}}")));
    assertNull(plan.vectorOf(o("{'id':'a','_vectors':{'e':{'embeddings':[],'regenerate':false}}}")));
    assertNull(plan.vectorOf(o("{'id':'a','_vectors':{'other':{'embeddings':[[1]]}}}")));
    assertNull(plan.vectorOf(o("{'id':'a'}")));
  }

  @Test
  void listsMergeBySimilarityAndTheCountIsCapped() {
    SimilarPlan plan = SimilarPlan.of(o("{'id':7,'embedder':'e','offset':1,'limit':2}"), VIEW);
    JsonObject owner = o("{'hits':[{'id':1,'_rankingScore':0.9,'_miroir_shard':2},{'id':3,'_rankingScore':0.5,"
        + "'_miroir_shard':2}],'id':'7','processingTimeMs':2,'limit':3,'offset':0,'estimatedTotalHits':30}");
    JsonObject other = o("{'hits':[{'id':2,'_federation':{'indexUid':'v','queriesPosition':0,"
        + "'weightedRankingScore':0.8},'_rankingScore':0.8,'_miroir_shard':0}],'processingTimeMs':5,'limit':3,"
        + "'offset':0,'estimatedTotalHits':31}");
    JsonObject merged = plan.merge(List.of(owner, other));
    assertEquals(o("{'hits':[{'id':2},{'id':3}],'id':'7','processingTimeMs':5,'limit':2,'offset':1,"
        + "'estimatedTotalHits':50}"), merged);
    assertEquals(List.of("hits", "id", "processingTimeMs", "limit", "offset", "estimatedTotalHits"),
        new ArrayList<>(merged.fieldNames()));
  }
}
