package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark inputs merge correctly, so a benchmark measures a right answer. */
class MergeBenchDataTest {

  @ParameterizedTest
  @ValueSource(ints = {3, 16})
  void thousandHitsFromManyShardsMergeInRankingOrder(int nodes) {
    List<JsonObject> answers = MergeBenchData.searchAnswers(nodes, 1000, 7);
    JsonObject request = MergeBenchData.sortedRequest(1000).put("showRankingScoreDetails", true);
    JsonObject merged = SearchPlan.of(request, IndexView.defaults()).merge(MergeBenchData.copies(answers));
    JsonArray hits = merged.getJsonArray("hits");
    assertEquals(1000, hits.size());
    for (int i = 1; i < hits.size(); i++) {
      HitKey previous = HitKey.of(hits.getJsonObject(i - 1).getMap(), true, Double.NaN);
      HitKey current = HitKey.of(hits.getJsonObject(i).getMap(), true, Double.NaN);
      assertTrue(HitKey.compare(previous, current) <= 0, "position " + i);
    }
    assertEquals(1000, merged.getInteger("estimatedTotalHits"));
  }

  @Test
  void tenFacetsOfAThousandValuesMergeAndTruncate() {
    List<JsonObject> answers = MergeBenchData.facetAnswers(3, 10, 1000, 7);
    JsonObject request = new JsonObject().put("limit", 0).put("facets", new JsonArray().add("*"));
    JsonObject merged = SearchPlan.of(request, IndexView.defaults()).merge(MergeBenchData.copies(answers));
    JsonObject distribution = merged.getJsonObject("facetDistribution");
    assertEquals(10, distribution.size());
    for (Map.Entry<String, Object> facet : distribution) {
      assertEquals(100, ((JsonObject) facet.getValue()).size(), "maxValuesPerFacet");
    }
  }
}
