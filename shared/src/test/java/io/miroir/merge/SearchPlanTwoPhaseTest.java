package io.miroir.merge;

import static io.miroir.merge.Hits.answer;
import static io.miroir.merge.Hits.hit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Deep windows fetched in two phases: ranking, then each node's run of the window (SearchPlan.twoPhase). */
class SearchPlanTwoPhaseTest {
  private static final IndexView DEFAULTS = IndexView.defaults();

  private static SearchPlan plan(String json) {
    return SearchPlan.of(new JsonObject(json), DEFAULTS);
  }

  @Test
  void onlyWindowsStartingDeepAndWithoutDistinctOrHybridGoInTwoPhases() {
    assertTrue(plan("{\"q\":\"a\",\"offset\":40,\"limit\":20}").twoPhase());
    assertTrue(plan("{\"page\":3,\"hitsPerPage\":10}").twoPhase(), "page 3 starts at offset 20");
    assertFalse(plan("{\"q\":\"a\",\"offset\":10,\"limit\":20}").twoPhase(), "a shallow window");
    assertFalse(plan("{\"offset\":30,\"limit\":40}").twoPhase(), "a window longer than what precedes it");
    assertFalse(plan("{\"offset\":40,\"limit\":0}").twoPhase(), "no hits to fetch");
    assertFalse(plan("{\"offset\":40,\"distinct\":\"genre\"}").twoPhase());
    assertFalse(plan("{\"offset\":40,\"hybrid\":{\"embedder\":\"e\",\"semanticRatio\":0.5}}").twoPhase());
    assertFalse(plan("{\"offset\":-40}").twoPhase(), "invalid pagination is left to the node");
  }

  @Test
  void theRankingRequestCarriesOnlyThePrimaryKeyAndTheShard() {
    JsonObject body = plan("{\"q\":\"a\",\"offset\":40,\"limit\":20,\"attributesToHighlight\":[\"*\"],"
        + "\"showMatchesPosition\":true,\"attributesToRetrieve\":[\"title\"],\"facets\":[\"genre\"]}")
        .rankingRequest(List.of(1, 2), null, "id");
    assertEquals(new JsonArray().add("id").add("_miroir_shard"), body.getJsonArray("attributesToRetrieve"));
    assertFalse(body.containsKey("attributesToHighlight") || body.containsKey("showMatchesPosition"));
    assertEquals(0, body.getInteger("offset"));
    assertEquals(60, body.getInteger("limit"));
    assertTrue(body.getBoolean("showRankingScore"));
    assertTrue(body.getJsonArray("facets").contains("genre"), "facets and totals come from the ranking");
  }

  @Test
  void theWindowRequestAsksTheNodesRunWithoutFacets() {
    JsonObject body = plan("{\"page\":4,\"hitsPerPage\":10,\"facets\":[\"genre\"],\"attributesToCrop\":[\"d\"]}")
        .windowRequest(List.of(3), null, 12, 7, "id");
    assertEquals(12, body.getInteger("offset"));
    assertEquals(7, body.getInteger("limit"));
    assertFalse(body.containsKey("page") || body.containsKey("hitsPerPage") || body.containsKey("facets"));
    assertEquals(new JsonArray().add("d"), body.getJsonArray("attributesToCrop"));
    assertEquals(new JsonArray().add("_miroir_shard IN [3]"), body.getJsonArray("filter"));
    assertFalse(body.containsKey("attributesToRetrieve"), "every attribute, the primary key with them");
    JsonObject restricted = plan("{\"offset\":40,\"attributesToRetrieve\":[\"title\"]}")
        .windowRequest(List.of(3), null, 0, 5, "id");
    assertEquals(new JsonArray().add("title").add("_miroir_shard").add("id"),
        restricted.getJsonArray("attributesToRetrieve"), "the primary key is added to check the run");
  }

  @Test
  void twoPhasesGiveTheSingleMergesAnswer() {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      int nodes = 1 + random.nextInt(4);
      List<JsonObject> full = new ArrayList<>();
      List<JsonObject> ranking = new ArrayList<>();
      int id = 0;
      for (int n = 0; n < nodes; n++) {
        int count = random.nextInt(40);
        double[] scores = random.doubles(count).map(s -> Math.round(s * 8) / 8.0).sorted().toArray();
        List<JsonObject> fullHits = new ArrayList<>();
        List<JsonObject> rankedHits = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
          JsonObject h = hit(id++, scores[i], n);
          rankedHits.add(h.copy());
          fullHits.add(h.put("title", "document " + id).put("_formatted", new JsonObject().put("title", "d")));
        }
        full.add(answer(1, count, fullHits.toArray(new JsonObject[0])));
        ranking.add(answer(1, count, rankedHits.toArray(new JsonObject[0])));
      }
      int offset = random.nextInt(30);
      int limit = 1 + random.nextInt(20);
      String request = "{\"offset\":" + offset + ",\"limit\":" + limit
          + (round % 2 == 0 ? "" : ",\"attributesToRetrieve\":[\"title\"]") + "}";
      List<JsonObject> asked = copies(full);
      if (round % 2 == 1) {
        // A node asked for title only does not return the primary key (phase two asks it explicitly).
        asked.forEach(a -> a.getJsonArray("hits").forEach(h -> ((JsonObject) h).remove("id")));
      }
      JsonObject single = plan(request).merge(asked);

      SearchPlan plan = plan(request);
      JsonObject ranked = plan.merge(copies(ranking));
      int[][] runs = SearchPlan.windowRuns(ranking, ranked, "id");
      List<JsonObject> windows = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        List<Object> hits = full.get(n).getJsonArray("hits").copy().getList();
        windows.add(runs[n][1] == 0 ? null : answer(1, 0, hits.subList(runs[n][0], runs[n][0] + runs[n][1])
            .stream().map(o -> (JsonObject) o).toArray(JsonObject[]::new)));
      }
      assertEquals(single, plan.withWindow(ranked, runs, windows, "id"), "round " + round + ": " + request);
    }
  }

  @Test
  void aWindowThatMovedIsRefused() {
    JsonObject a = answer(1, 3, hit(1, 0.9, 0), hit(2, 0.5, 0), hit(3, 0.1, 0));
    JsonObject b = answer(1, 2, hit(4, 0.8, 1), hit(5, 0.4, 1));
    SearchPlan plan = plan("{\"offset\":1,\"limit\":3}");
    JsonObject ranked = plan.merge(copies(List.of(a, b)));
    int[][] runs = SearchPlan.windowRuns(List.of(a, b), ranked, "id");
    assertArrayEquals(new int[] {1, 1}, runs[0], "node 0 gives its 2nd hit");
    assertArrayEquals(new int[] {0, 2}, runs[1], "node 1 gives its first two");
    JsonObject moved = answer(1, 2, hit(5, 0.8, 1), hit(4, 0.4, 1));
    assertNull(plan.withWindow(ranked.copy(), runs, Arrays.asList(answer(1, 1, hit(2, 0.5, 0)), moved), "id"));
    assertNull(plan.withWindow(ranked.copy(), runs, Arrays.asList(answer(1, 1, hit(2, 0.5, 0)), answer(1, 1,
        hit(4, 0.8, 1))), "id"), "a run cut short");
    JsonObject unknown = ranked.copy().put("hits", new JsonArray().add(new JsonObject().put("id", 99)));
    assertNull(SearchPlan.windowRuns(List.of(a, b), unknown, "id"), "a hit no node ranked");
    JsonObject gap = ranked.copy().put("hits", new JsonArray().add(new JsonObject().put("id", 1))
        .add(new JsonObject().put("id", 3)));
    assertNull(SearchPlan.windowRuns(List.of(a, b), gap, "id"), "a node's hits not in one run");
  }

  private static List<JsonObject> copies(List<JsonObject> answers) {
    List<JsonObject> out = new ArrayList<>();
    answers.forEach(a -> out.add(a.copy()));
    return out;
  }
}
