package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miroir.json.JsonOutput;
import io.miroir.json.RawJson;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The merge of node answers read lazily ({@link RawJson#searchAnswer}) and written by {@link JsonOutput} gives the
 * same bytes as the merge of the same answers decoded into JSON trees and written by Vert.x, on the real answers of
 * {@link SearchFixtureTest}.
 */
class RawMergeTest {

  @ParameterizedTest
  @ValueSource(strings = {"relevancy-facets", "sort-year-asc", "sort-year-desc-title", "geo-asc", "geo-desc-details",
      "page-facets-all", "distinct-color", "distinct-genre-page", "filter-string", "filter-array", "highlight",
      "offset-beyond-cap", "limit0-facets", "big-numeric-levels", "big-numeric-linear", "placeholder-ties",
      "pages-10-p1", "pages-10-p2", "pages-10-p3", "pages-10-p4", "pages-10-p5", "pages-50-p1",
      "facets-count-truncated"})
  void rawAnswersMergeToTheSameBytes(String name) {
    JsonObject fixture = Fixtures.load("search-" + name + ".json");
    List<JsonObject> trees = new ArrayList<>();
    List<JsonObject> raws = new ArrayList<>();
    for (Object o : fixture.getJsonArray("nodes")) {
      JsonObject response = ((JsonObject) o).getJsonObject("response");
      trees.add(new JsonObject(response.toBuffer()));
      raws.add(RawJson.searchAnswer(response.toBuffer()));
    }
    String expected = plan(fixture).merge(trees).toBuffer().toString();
    String actual = JsonOutput.toBuffer(plan(fixture).merge(raws)).toString();
    assertEquals(expected, actual);
  }

  @org.junit.jupiter.api.Test
  void soleNodeAsksTheClientsRequestAndStripsReservedFields() {
    JsonObject client = new JsonObject().put("q", "x").put("offset", 40).put("limit", 10).put("filter", "a = 1")
        .put("facets", new io.vertx.core.json.JsonArray().add("*"));
    SearchPlan plan = SearchPlan.of(client, IndexView.defaults());
    JsonObject request = plan.soleNodeRequest(List.of(0, 1, 2), null);
    assertEquals(client.copy().put("filter", new io.vertx.core.json.JsonArray().add("_miroir_shard IN [0, 1, 2]")
        .add("a = 1")), request);
    JsonObject answer = RawJson.searchAnswer(io.vertx.core.buffer.Buffer.buffer("{\"hits\":[{\"id\":1,"
        + "\"_miroir_shard\":2,\"t\":\"a\",\"_formatted\":{\"id\":\"1\",\"_miroir_shard\":\"2\"}}],\"query\":\"x\","
        + "\"processingTimeMs\":1,\"limit\":10,\"offset\":40,\"estimatedTotalHits\":41,\"facetDistribution\":"
        + "{\"_miroir_shard\":{\"2\":41},\"t\":{\"a\":41}},\"facetStats\":{\"_miroir_shard\":{\"min\":0,\"max\":15}}}"));
    assertEquals("{\"hits\":[{\"id\":1,\"t\":\"a\",\"_formatted\":{\"id\":\"1\"}}],\"query\":\"x\","
        + "\"processingTimeMs\":1,\"limit\":10,\"offset\":40,\"estimatedTotalHits\":41,\"facetDistribution\":"
        + "{\"t\":{\"a\":41}},\"facetStats\":{}}", JsonOutput.toBuffer(plan.soleNodeAnswer(answer)).toString());
  }

  private static SearchPlan plan(JsonObject fixture) {
    return SearchPlan.of(fixture.getJsonObject("request"), IndexView.fromSettings(fixture.getJsonObject("settings")));
  }
}
