package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Facet search over a covering set (SPEC D2, D3; milli search/facet/search.rs). */
class FacetSearchMergerTest {

  @ParameterizedTest
  @ValueSource(strings = {"genre-all", "genre-query", "color-filter"})
  void mergeOfRealNodeAnswersIsTheSingleNodeAnswer(String name) {
    JsonObject fixture = Fixtures.load("facet-search-" + name + ".json");
    JsonObject merged = mergeFixture(fixture);
    JsonObject reference = fixture.getJsonObject("reference");
    assertEquals(new ArrayList<>(reference.fieldNames()), new ArrayList<>(merged.fieldNames()));
    assertEquals(reference.getValue("facetQuery"), merged.getValue("facetQuery"));
    assertEquals(folded(reference.getJsonArray("facetHits")), folded(merged.getJsonArray("facetHits")));
  }

  /**
   * Documented exception: by count, a node cut at maxValuesPerFacet (4 here) hides values that are in the overall top
   * (zeta: 6 on one node, 1 unlisted on the other). Counts are then lower bounds and the top value is still right.
   */
  @Test
  void countOrderWithTruncatedNodesGivesLowerBounds() {
    JsonObject fixture = Fixtures.load("facet-search-genre-count.json");
    JsonObject merged = mergeFixture(fixture);
    JsonArray reference = fixture.getJsonObject("reference").getJsonArray("facetHits");
    assertEquals(folded(reference).get(0), folded(merged.getJsonArray("facetHits")).get(0));
    assertEquals(reference.size(), merged.getJsonArray("facetHits").size());
    for (Object o : merged.getJsonArray("facetHits")) {
      JsonObject h = (JsonObject) o;
      for (Object r : reference) {
        if (MeiliOrder.normalizeFacet(((JsonObject) r).getString("value"))
            .equals(MeiliOrder.normalizeFacet(h.getString("value")))) {
          assertTrue(h.getInteger("count") <= ((JsonObject) r).getInteger("count"), h.encode());
        }
      }
    }
  }

  private static JsonObject mergeFixture(JsonObject fixture) {
    JsonObject request = fixture.getJsonObject("request");
    List<JsonObject> answers = new ArrayList<>();
    for (Object o : fixture.getJsonArray("nodes")) {
      JsonObject node = (JsonObject) o;
      List<Integer> shards = node.getJsonArray("shards").stream().map(x -> (Integer) x).toList();
      assertEquals(node.getJsonObject("request"), FacetSearchMerger.nodeRequest(request, shards));
      answers.add(node.getJsonObject("response"));
    }
    return FacetSearchMerger.merge(request, answers, IndexView.fromSettings(fixture.getJsonObject("settings")));
  }

  /** value=count in order, spellings folded (a node shows the spelling of its lowest internal id). */
  private static List<String> folded(JsonArray hits) {
    List<String> out = new ArrayList<>();
    for (Object o : hits) {
      JsonObject h = (JsonObject) o;
      out.add(MeiliOrder.normalizeFacet(h.getString("value")) + "=" + h.getValue("count"));
    }
    return out;
  }

  @Test
  void countOrderSumsTruncatesAndBreaksTiesByValueDescending() {
    IndexView view = new IndexView(null, 1000, 3, Map.of("*", "count"), null, null);
    JsonObject merged = FacetSearchMerger.merge(new JsonObject().put("facetName", "g").put("facetQuery", "a"),
        List.of(facetAnswer(3, "alpha", 2, "beta", 2), facetAnswer(7, "Alpha", 1, "gamma", 3, "delta", 1)),
        view);
    assertEquals(new JsonArray()
        .add(new JsonObject().put("value", "gamma").put("count", 3))
        .add(new JsonObject().put("value", "alpha").put("count", 3))
        .add(new JsonObject().put("value", "beta").put("count", 2)), merged.getJsonArray("facetHits"));
    assertEquals(7, merged.getInteger("processingTimeMs"));
    assertEquals("a", merged.getString("facetQuery"));
  }

  @Test
  void alphaOrderWithoutQueryUsesNormalizedValues() {
    JsonObject merged = FacetSearchMerger.merge(new JsonObject().put("facetName", "g"),
        List.of(facetAnswer(1, "beta", 1, "Delta", 1), facetAnswer(1, "Alpha", 2, "charlie", 1)),
        new IndexView(null, 1000, 3, null, null, null));
    assertEquals(List.of("Alpha", "beta", "charlie"), merged.getJsonArray("facetHits").stream()
        .map(h -> ((JsonObject) h).getString("value")).toList());
    assertEquals(null, merged.getValue("facetQuery"));
  }

  private static JsonObject facetAnswer(int time, Object... valueCounts) {
    JsonArray hits = new JsonArray();
    for (int i = 0; i < valueCounts.length; i += 2) {
      hits.add(new JsonObject().put("value", valueCounts[i]).put("count", valueCounts[i + 1]));
    }
    return new JsonObject().put("facetHits", hits).put("facetQuery", "a").put("processingTimeMs", time);
  }
}
