package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Number facet values a node cut in text order, made exact by decade follow-ups (docs/search-merge.md, A2). */
class NumberFacetsTest {
  private static final IndexView VIEW = new IndexView(null, 1000, 3, Map.of("*", "alpha"), null, null);

  @Test
  void decadesCoverTheRangeFromZeroOrTheMinimumsDecade() {
    assertEquals(List.of("[0.0, 1.0]", "[1.0, 10.0]", "[10.0, 100.0]"),
        NumberFacets.decades(0, 42).stream().map(Arrays::toString).toList());
    assertEquals(List.of("[10.0, 100.0]", "[100.0, 1000.0]"),
        NumberFacets.decades(12, 399).stream().map(Arrays::toString).toList());
  }

  /** A node below 3000 candidates listed 1, 10, 100 (text order, cut at 3) although 2 and 3 exist. */
  @Test
  void aNodeCutInTextOrderIsAskedPerDecadeAndItsNumbersReplaced() {
    JsonObject node = new JsonObject().put("estimatedTotalHits", 1500)
        .put("facetDistribution", new JsonObject().put("year", new JsonObject().put("1", 1).put("10", 1).put("100", 1))
            .put("_miroir_shard", new JsonObject().put("0", 1500)))
        .put("facetStats", new JsonObject().put("year", new JsonObject().put("min", 1.0).put("max", 100.0)));
    JsonObject request = new JsonObject().put("q", "x").put("facets", new JsonArray().add("year")).put("limit", 5)
        .put("filter", "genre = poetry");
    SearchPlan plan = SearchPlan.of(request, VIEW);
    List<JsonObject> answers = new ArrayList<>(List.of(node));
    List<SearchPlan.FollowUp> followUps = plan.numberFollowUps(answers, List.of(List.of(0)), null);
    assertTrue(followUps.isEmpty(), "1500 candidates in all: one node lists in text order too");

    JsonObject other = node.copy().put("facetDistribution", new JsonObject().put("year", new JsonObject())
        .put("_miroir_shard", new JsonObject().put("1", 2000)));
    answers = new ArrayList<>(List.of(node, other));
    followUps = plan.numberFollowUps(answers, List.of(List.of(0), List.of(1)), null);
    assertEquals(3, followUps.size(), "decades [1, 10), [10, 100), [100, 1000) of the node whose list is full");
    assertEquals(new JsonObject().put("q", "x").put("facets", new JsonArray().add("year")).put("limit", 0)
        .put("filter", new JsonArray().add("_miroir_shard IN [0]").add("genre = poetry")
            .add("year >= 1 AND year < 10")), followUps.get(0).body());

    List<JsonObject> results = List.of(decade("1", 1, "2", 4, "3", 2), decade("10", 1), decade("100", 1));
    plan.applyFollowUps(answers, followUps, results);
    JsonObject merged = plan.merge(answers);
    assertEquals(new JsonObject().put("1", 1).put("2", 4).put("3", 2),
        merged.getJsonObject("facetDistribution").getJsonObject("year"), "numeric order, cut at 3");
  }

  @Test
  void aFailedFollowUpLeavesTheEstimate() {
    JsonObject node = new JsonObject().put("facetDistribution", new JsonObject()
        .put("year", new JsonObject().put("1", 1).put("10", 1).put("100", 1)));
    List<JsonObject> answers = List.of(node);
    List<SearchPlan.FollowUp> followUps = List.of(new SearchPlan.FollowUp(0, "year", new JsonObject()),
        new SearchPlan.FollowUp(0, "year", new JsonObject()));
    NumberFacets.apply(answers, followUps, Arrays.asList(decade("1", 1, "2", 4), null));
    assertEquals(new JsonObject().put("1", 1).put("10", 1).put("100", 1),
        node.getJsonObject("facetDistribution").getJsonObject("year"));
  }

  private static JsonObject decade(Object... valuesAndCounts) {
    JsonObject values = new JsonObject();
    for (int i = 0; i < valuesAndCounts.length; i += 2) {
      values.put((String) valuesAndCounts[i], valuesAndCounts[i + 1]);
    }
    return new JsonObject().put("facetDistribution", new JsonObject().put("year", values));
  }
}
