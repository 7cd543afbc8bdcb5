package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Facet distribution order, truncation and stats (MEILISEARCH-1.21-API §7.3; milli facet_distribution.rs). */
class FacetMergerTest {

  private static IndexView view(int maxValues, Map<String, String> order) {
    return new IndexView(null, 1000, maxValues, order, null, null);
  }

  private static List<String> keys(JsonObject distribution, String attribute) {
    return new ArrayList<>(distribution.getJsonObject(attribute).fieldNames());
  }

  @Test
  void alphaSortsByNormalizedValueSumsSpellingsAndTruncates() {
    JsonObject a = new JsonObject().put("g", new JsonObject().put("Apple", 2).put("banana", 1).put("Éclair", 1));
    JsonObject b = new JsonObject().put("g", new JsonObject().put("apple", 5).put("Cherry", 3).put("zeta", 1));
    JsonObject merged = FacetMerger.mergeDistribution(List.of(a, b), Set.of(), view(3, Map.of("*", "alpha")), false);
    assertEquals(List.of("Apple", "banana", "Cherry"), keys(merged, "g"));
    assertEquals(7, merged.getJsonObject("g").getInteger("Apple"));
    JsonObject wide = FacetMerger.mergeDistribution(List.of(a, b), Set.of(), view(10, Map.of("*", "alpha")), false);
    assertEquals(List.of("Apple", "banana", "Cherry", "Éclair", "zeta"), keys(wide, "g"), "é sorts as e + accent");
  }

  @Test
  void countSortsByCountDescendingWithTiesByValueDescending() {
    JsonObject a = new JsonObject().put("g", new JsonObject().put("a", 4).put("b", 2));
    JsonObject b = new JsonObject().put("g", new JsonObject().put("c", 3).put("b", 1).put("d", 1));
    JsonObject merged = FacetMerger.mergeDistribution(List.of(a, b), Set.of(), view(3, Map.of("g", "count")), false);
    // a=4, c=3, b=3, d=1: the node's heap pops equal counts by key bytes descending.
    assertEquals(List.of("a", "c", "b"), keys(merged, "g"));
  }

  @Test
  void numbersComeFirstInTextOrderUnderThreeThousandCandidatesElseInNumericOrder() {
    JsonObject a = new JsonObject().put("n", new JsonObject().put("1.5", 1).put("10", 2).put("2", 1).put("x", 1));
    JsonObject b = new JsonObject().put("n", new JsonObject().put("100", 1).put("9", 1).put("abc", 4));
    IndexView alpha = view(100, Map.of("*", "alpha"));
    assertEquals(List.of("1.5", "10", "100", "2", "9", "abc", "x"),
        keys(FacetMerger.mergeDistribution(List.of(a, b), Set.of("n"), alpha, false), "n"));
    assertEquals(List.of("1.5", "2", "9", "10", "100", "abc", "x"),
        keys(FacetMerger.mergeDistribution(List.of(a, b), Set.of("n"), alpha, true), "n"));
    assertEquals(List.of("1.5", "10", "100", "2", "9", "abc", "x"),
        keys(FacetMerger.mergeDistribution(List.of(a, b), Set.of(), alpha, false), "n"),
        "without facetStats the attribute has no numbers: all values are strings");
  }

  @Test
  void aNodeListingNumbersOutOfTextOrderRevealsMoreThanThreeThousandCandidates() {
    JsonObject a = new JsonObject().put("n", new JsonObject().put("2", 1).put("10", 1));
    JsonObject b = new JsonObject().put("n", new JsonObject().put("3", 1));
    assertEquals(List.of("2", "3", "10"), keys(FacetMerger.mergeDistribution(List.of(a, b), Set.of("n"),
        view(100, Map.of("*", "alpha")), false), "n"));
  }

  @Test
  void countOrderListsNumbersThenEveryStringWhenNumbersFillTheList() {
    // milli inserts, then stops when the map holds exactly maxValuesPerFacet: strings after a full list never stop.
    JsonObject a = new JsonObject().put("y", new JsonObject().put("2", 11).put("2017", 10).put("old", 5)
        .put("new", 4).put("Unknown", 1));
    JsonObject merged = FacetMerger.mergeDistribution(List.of(a), Set.of("y"), view(2, Map.of("*", "count")), false);
    assertEquals(List.of("2", "2017", "old", "new", "Unknown"), keys(merged, "y"));
    JsonObject room = FacetMerger.mergeDistribution(List.of(a), Set.of("y"), view(3, Map.of("*", "count")), false);
    assertEquals(List.of("2", "2017", "old"), keys(room, "y"), "with room left the strings stop at the cap");
  }

  @Test
  void attributesComeInByteOrderWithoutReservedOnes() {
    JsonObject a = new JsonObject().put("b", new JsonObject()).put("_miroir_shard", new JsonObject().put("1", 3))
        .put("B", new JsonObject().put("x", 1));
    JsonObject merged = FacetMerger.mergeDistribution(List.of(a), Set.of(), IndexView.defaults(), false);
    assertEquals(List.of("B", "b"), new ArrayList<>(merged.fieldNames()));
    assertFalse(merged.containsKey("_miroir_shard"));
  }

  @Test
  void statsTakeMinOfMinsAndMaxOfMaxes() {
    JsonObject a = new JsonObject().put("p", new JsonObject().put("min", 3.0).put("max", 9.5))
        .put("_miroir_shard", new JsonObject().put("min", 0.0).put("max", 1.0));
    JsonObject b = new JsonObject().put("p", new JsonObject().put("min", -1.0).put("max", 4.0))
        .put("q", new JsonObject().put("min", 2.0).put("max", 2.0));
    JsonObject merged = FacetMerger.mergeStats(List.of(a, b));
    assertEquals(new JsonObject().put("p", new JsonObject().put("min", -1.0).put("max", 9.5))
        .put("q", new JsonObject().put("min", 2.0).put("max", 2.0)), merged);
    assertEquals("{\"p\":{\"min\":-1.0,\"max\":9.5},\"q\":{\"min\":2.0,\"max\":2.0}}", merged.encode(),
        "floats are written as Meilisearch writes them");
  }

  @Test
  void realCountTruncatedFacetsKeepTheExactAlphaAttributesAndTheQuirk() {
    JsonObject fixture = Fixtures.load("search-facets-count-truncated.json");
    SearchPlan plan = SearchPlan.of(fixture.getJsonObject("request"),
        IndexView.fromSettings(fixture.getJsonObject("settings")));
    List<JsonObject> answers = new ArrayList<>();
    fixture.getJsonArray("nodes").forEach(n -> answers.add(((JsonObject) n).getJsonObject("response")));
    JsonObject merged = plan.merge(answers).getJsonObject("facetDistribution");
    JsonObject reference = fixture.getJsonObject("reference").getJsonObject("facetDistribution");
    // Alpha attributes with at most maxValuesPerFacet (4) values are exact.
    assertEquals(reference.getJsonObject("tags"), merged.getJsonObject("tags"));
    assertEquals(keys(reference, "color"), keys(merged, "color").stream().map(MeiliOrder::normalizeFacet).toList());
    // year by count: the 4 numbers fill the list, then every string follows (real node behaviour).
    assertEquals(List.of("old", "new", "Unknown"), keys(merged, "year").subList(4, 7));
    assertEquals(keys(reference, "year").subList(4, 7), keys(merged, "year").subList(4, 7));
    // genre by count: the top value is right; lower ones are the documented top-k approximation.
    assertEquals(31, merged.getJsonObject("genre").getInteger("action"));
    assertEquals(4, merged.getJsonObject("genre").size());
  }
}
