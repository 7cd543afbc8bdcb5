package io.miroir.merge;

import static io.miroir.merge.Hits.answer;
import static io.miroir.merge.Hits.geo;
import static io.miroir.merge.Hits.hit;
import static io.miroir.merge.Hits.ids;
import static io.miroir.merge.Hits.pageAnswer;
import static io.miroir.merge.Hits.rank;
import static io.miroir.merge.Hits.sortValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SearchPlan on synthetic node answers (SPEC §1.4, D2, D3, D13). */
class SearchPlanTest {
  private static final IndexView DEFAULTS = IndexView.defaults();

  @Test
  void nodeRequestAsksFromOffsetZeroWithScoresAndTheShardFilter() {
    JsonObject client = new JsonObject().put("q", "star").put("offset", 10).put("limit", 5).put("filter", "a = 1");
    JsonObject body = SearchPlan.of(client, DEFAULTS).nodeRequest(List.of(1, 5));
    assertEquals(new JsonObject().put("q", "star").put("offset", 0).put("limit", 15).put("showRankingScore", true)
        .put("filter", new JsonArray().add("_miroir_shard IN [1, 5]").add("a = 1")), body);
    assertEquals(10, client.getInteger("offset"), "the client body is not modified");
  }

  @Test
  void nodeRequestKeepsFilterArrayItemsAndAddsAClauseWithoutFilter() {
    JsonArray filter = new JsonArray().add(new JsonArray().add("a = 1").add("b = 2")).add("c = 3");
    JsonObject body = SearchPlan.of(new JsonObject().put("filter", filter), DEFAULTS).nodeRequest(List.of(0));
    assertEquals(new JsonArray().add("_miroir_shard IN [0]").add(new JsonArray().add("a = 1").add("b = 2"))
        .add("c = 3"), body.getJsonArray("filter"));
    assertEquals(new JsonArray().add("_miroir_shard IN [2, 3]"),
        SearchPlan.of(new JsonObject(), DEFAULTS).nodeRequest(List.of(2, 3)).getJsonArray("filter"));
  }

  @Test
  void nodeRequestPassesInvalidValuesOnForTheNodeToReject() {
    JsonObject client = new JsonObject().put("filter", 5).put("limit", -1).put("offset", "x");
    JsonObject body = SearchPlan.of(client, DEFAULTS).nodeRequest(List.of(0));
    assertEquals(5, body.getValue("filter"));
    assertEquals(-1, body.getValue("limit"));
    assertEquals("x", body.getValue("offset"));
  }

  @Test
  void nodeRequestInPageModeKeepsPageModeForExactCounts() {
    JsonObject body = SearchPlan.of(new JsonObject().put("page", 3).put("hitsPerPage", 10), DEFAULTS)
        .nodeRequest(List.of(0));
    assertEquals(1, body.getInteger("page"));
    assertEquals(30, body.getInteger("hitsPerPage"));
    assertFalse(body.containsKey("offset") || body.containsKey("limit"));
    JsonObject pageZero = SearchPlan.of(new JsonObject().put("page", 0), DEFAULTS).nodeRequest(List.of(0));
    assertEquals(0, pageZero.getInteger("hitsPerPage"), "page 0 needs no hits, only the count");
    JsonObject defaultSize = SearchPlan.of(new JsonObject().put("page", 2), DEFAULTS).nodeRequest(List.of(0));
    assertEquals(40, defaultSize.getInteger("hitsPerPage"), "hitsPerPage defaults to 20");
  }

  @Test
  void nodeRequestIsCappedAtMaxTotalHits() {
    assertEquals(1000, SearchPlan.of(new JsonObject().put("offset", 990).put("limit", 50), DEFAULTS)
        .nodeRequest(List.of(0)).getInteger("limit"));
    assertEquals(0, SearchPlan.of(new JsonObject().put("offset", 1000).put("limit", 50), DEFAULTS)
        .nodeRequest(List.of(0)).getInteger("limit"), "nothing of the window is below the cap");
  }

  @Test
  void nodeRequestAsksDetailsOnlyWhenTheOrderIsNotTheScoreOrder() {
    assertFalse(SearchPlan.of(new JsonObject().put("q", "a"), DEFAULTS).nodeRequest(List.of(0))
        .containsKey("showRankingScoreDetails"));
    assertTrue(SearchPlan.of(new JsonObject().put("sort", new JsonArray().add("year:asc")), DEFAULTS)
        .nodeRequest(List.of(0)).getBoolean("showRankingScoreDetails"));
    IndexView custom = new IndexView(List.of("words", "release:desc"), 1000, 100, null, null, null);
    assertTrue(SearchPlan.of(new JsonObject(), custom).nodeRequest(List.of(0)).getBoolean("showRankingScoreDetails"));
  }

  @Test
  void nodeRequestRetrievesWhatTheMergeReadsOnlyWhenTheClientRestrictedAttributes() {
    JsonObject client = new JsonObject().put("attributesToRetrieve", new JsonArray().add("title"))
        .put("distinct", "genre");
    assertEquals(new JsonArray().add("title").add("_miroir_shard").add("genre"),
        SearchPlan.of(client, DEFAULTS).nodeRequest(List.of(0)).getJsonArray("attributesToRetrieve"));
    JsonObject all = new JsonObject().put("attributesToRetrieve", new JsonArray().add("*")).put("distinct", "genre");
    assertEquals(new JsonArray().add("*"),
        SearchPlan.of(all, DEFAULTS).nodeRequest(List.of(0)).getJsonArray("attributesToRetrieve"));
  }

  @Test
  void mergeOrdersGloballyThenAppliesOffsetAndLimit() {
    SearchPlan plan = SearchPlan.of(new JsonObject().put("q", "q").put("offset", 2).put("limit", 3), DEFAULTS);
    JsonObject merged = plan.merge(List.of(
        answer(3, 10, hit(1, 0.99, 0), hit(4, 0.7, 0), hit(7, 0.2, 0)),
        answer(9, 20, hit(2, 0.95, 1), hit(5, 0.6, 1)),
        answer(4, 5, hit(3, 0.8, 2), hit(6, 0.5, 2))));
    assertEquals(List.of(3, 4, 5), ids(merged));
    assertEquals(List.of("hits", "query", "processingTimeMs", "limit", "offset", "estimatedTotalHits"),
        new ArrayList<>(merged.fieldNames()));
    assertEquals(9, merged.getInteger("processingTimeMs"), "the slowest node");
    assertEquals(35, merged.getInteger("estimatedTotalHits"));
    assertEquals(3, merged.getInteger("limit"));
    assertEquals(2, merged.getInteger("offset"));
    assertEquals(new JsonObject().put("id", 3), merged.getJsonArray("hits").getJsonObject(0),
        "_rankingScore and _miroir_shard removed");
  }

  @Test
  void totalsAreCappedAtMaxTotalHitsAndTheOffsetIsClamped() {
    SearchPlan plan = SearchPlan.of(new JsonObject().put("offset", 1500).put("limit", 10), DEFAULTS);
    JsonObject merged = plan.merge(List.of(answer(1, 600), answer(1, 700)));
    assertEquals(1000, merged.getInteger("estimatedTotalHits"));
    assertEquals(1000, merged.getInteger("offset"));
    assertEquals(10, merged.getInteger("limit"), "the limit is echoed as asked");
    assertTrue(merged.getJsonArray("hits").isEmpty());
  }

  @Test
  void pageModeSumsExactTotalsAndRecomputesPages() {
    SearchPlan plan = SearchPlan.of(new JsonObject().put("page", 2).put("hitsPerPage", 2), DEFAULTS);
    JsonObject merged = plan.merge(List.of(
        pageAnswer(20, hit(1, 0.9, 0), hit(3, 0.7, 0), hit(5, 0.5, 0), hit(7, 0.3, 0)),
        pageAnswer(25, hit(2, 0.8, 1), hit(4, 0.6, 1), hit(6, 0.4, 1), hit(8, 0.2, 1))));
    assertEquals(List.of(3, 4), ids(merged));
    assertEquals(List.of("hits", "query", "processingTimeMs", "hitsPerPage", "page", "totalPages", "totalHits"),
        new ArrayList<>(merged.fieldNames()));
    assertEquals(45, merged.getInteger("totalHits"));
    assertEquals(23, merged.getInteger("totalPages"));
    assertEquals(2, merged.getInteger("page"));
    JsonObject zero = SearchPlan.of(new JsonObject().put("hitsPerPage", 0), DEFAULTS).merge(List.of(pageAnswer(7)));
    assertEquals(0, zero.getInteger("totalPages"), "hitsPerPage 0 makes no pages");
    assertEquals(7, zero.getInteger("totalHits"));
    assertEquals(1, zero.getInteger("page"), "page defaults to 1");
  }

  @Test
  void fivePagesOfTenAreOnePageOfFifty() {
    Random random = new Random(42);
    List<List<JsonObject>> nodes = new ArrayList<>();
    int id = 0;
    for (int n = 0; n < 3; n++) {
      List<JsonObject> hits = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        // Few distinct scores: many ties inside and across nodes.
        hits.add(hit(id++, random.nextInt(8) / 8.0, n * 2 + random.nextInt(2)));
      }
      hits.sort(Comparator.comparingDouble((JsonObject h) -> -h.getDouble("_rankingScore")));
      nodes.add(hits);
    }
    List<Object> paged = new ArrayList<>();
    for (int page = 1; page <= 5; page++) {
      SearchPlan plan = SearchPlan.of(new JsonObject().put("page", page).put("hitsPerPage", 10), DEFAULTS);
      paged.addAll(ids(plan.merge(answers(nodes, plan.fetchSize()))));
    }
    SearchPlan one = SearchPlan.of(new JsonObject().put("page", 1).put("hitsPerPage", 50), DEFAULTS);
    assertEquals(ids(one.merge(answers(nodes, one.fetchSize()))), paged);
    assertEquals(50, paged.stream().distinct().count());
  }

  private static List<JsonObject> answers(List<List<JsonObject>> nodes, int fetch) {
    List<JsonObject> answers = new ArrayList<>();
    for (List<JsonObject> hits : nodes) {
      JsonObject[] window = hits.subList(0, Math.min(fetch, hits.size())).stream().map(JsonObject::copy)
          .toArray(JsonObject[]::new);
      answers.add(pageAnswer(hits.size(), window));
    }
    return answers;
  }

  @Test
  void tiesGoByShardWhateverTheOrderOfNodeAnswers() {
    SearchPlan plan = SearchPlan.of(new JsonObject(), DEFAULTS);
    List<Object> forward = ids(plan.merge(List.of(answer(1, 2, hit("a", 1.0, 7), hit("b", 1.0, 7)),
        answer(1, 1, hit("c", 1.0, 3)))));
    List<Object> backward = ids(plan.merge(List.of(answer(1, 1, hit("c", 1.0, 3)),
        answer(1, 2, hit("a", 1.0, 7), hit("b", 1.0, 7)))));
    assertEquals(List.of("c", "a", "b"), forward);
    assertEquals(forward, backward);
  }

  @Test
  void ascendingSortPutsNumbersBeforeStringsAndMissingValuesLast() {
    SearchPlan plan = SearchPlan.of(new JsonObject().put("sort", new JsonArray().add("price:asc")), DEFAULTS);
    JsonObject merged = plan.merge(List.of(
        answer(1, 3, sortHit("n1.5", 1.5, 0.2, "price:asc"), sortHit("sAbc", "abc", 0.9, "price:asc"),
            sortHit("missing", null, 1.0, "price:asc")),
        answer(1, 3, sortHit("n3", 3, 0.1, "price:asc"), sortHit("sZz", "zz", 0.5, "price:asc"))));
    assertEquals(List.of("n1.5", "n3", "sAbc", "sZz", "missing"), ids(merged));
    assertNull(merged.getJsonArray("hits").getJsonObject(0).getValue("_rankingScoreDetails"),
        "details asked only for merging are removed");
  }

  @Test
  void descendingSortStillPutsNumbersFirstAndMissingLast() {
    SearchPlan plan = SearchPlan.of(new JsonObject().put("sort", new JsonArray().add("price:desc")), DEFAULTS);
    JsonObject merged = plan.merge(List.of(
        answer(1, 3, sortHit("n3", 3, 0.1, "price:desc"), sortHit("sZz", "zz", 0.5, "price:desc"),
            sortHit("missing", null, 1.0, "price:desc")),
        answer(1, 3, sortHit("n1.5", 1.5, 0.9, "price:desc"), sortHit("sAbc", "abc", 0.9, "price:desc"))));
    assertEquals(List.of("n3", "n1.5", "sZz", "sAbc", "missing"), ids(merged));
  }

  @Test
  void rulesAreComparedInOrderSoAnEarlierRuleWinsOverTheScore() {
    // words first, then the sort: the better words bucket wins even with the worse sort value and lower score.
    SearchPlan plan = SearchPlan.of(new JsonObject().put("sort", new JsonArray().add("year:asc")), DEFAULTS);
    JsonObject merged = plan.merge(List.of(
        answer(1, 1, hit("x", 0.6, 0, "words", rank(1.0), "year:asc", sortValue(2020), "exactness", rank(0.3))),
        answer(1, 2, hit("y", 0.9, 1, "words", rank(0.5), "year:asc", sortValue(1990), "exactness", rank(1.0)),
            hit("z", 0.95, 1, "words", rank(0.5), "year:asc", sortValue(1990), "exactness", rank(0.2)))));
    assertEquals(List.of("x", "y", "z"), ids(merged));
  }

  @Test
  void geoSortComparesDistancesWithMissingLocationsLast() {
    String asc = "_geoPoint(48.5, 2.5):asc";
    SearchPlan plan = SearchPlan.of(new JsonObject().put("sort", new JsonArray().add(asc)), DEFAULTS);
    JsonObject merged = plan.merge(List.of(
        answer(1, 2, hit("near", 1.0, 0, asc, geo(10.5)), hit("none", 1.0, 0, asc, geo(null))),
        answer(1, 2, hit("mid", 1.0, 1, asc, geo(300.0)), hit("far", 1.0, 1, asc, geo(9000.0)))));
    assertEquals(List.of("near", "mid", "far", "none"), ids(merged));
    String desc = "_geoPoint(48.5, 2.5):desc";
    SearchPlan descending = SearchPlan.of(new JsonObject().put("sort", new JsonArray().add(desc)), DEFAULTS);
    JsonObject merged2 = descending.merge(List.of(
        answer(1, 2, hit("far", 1.0, 0, desc, geo(9000.0)), hit("none", 1.0, 0, desc, geo(null))),
        answer(1, 1, hit("mid", 1.0, 1, desc, geo(300.0)))));
    assertEquals(List.of("far", "mid", "none"), ids(merged2));
  }

  @Test
  void distinctKeepsTheBestHitPerNormalizedValueAcrossNodes() {
    JsonObject client = new JsonObject().put("distinct", "color")
        .put("attributesToRetrieve", new JsonArray().add("id"));
    SearchPlan plan = SearchPlan.of(client, DEFAULTS);
    assertTrue(plan.nodeRequest(List.of(0)).getJsonArray("attributesToRetrieve").contains("color"));
    JsonObject merged = plan.merge(List.of(
        answer(1, 3, hit(1, 0.9, 0).put("color", "red"), hit(2, 0.8, 0).put("color", "blue"),
            hit(3, 0.1, 0)),
        answer(1, 2, hit(4, 0.95, 1).put("color", "Red"), hit(5, 0.7, 1).put("color", "green"))));
    assertEquals(List.of(4, 2, 5, 3), ids(merged), "red loses to Red (same value); a hit without color is kept");
    assertFalse(merged.encode().contains("color"), "the distinct attribute was not asked by the client");
  }

  @Test
  void distinctTotalCountsEachValueOnceWhenTheValueListsAreComplete() {
    SearchPlan plan = SearchPlan.of(new JsonObject().put("distinct", "color").put("page", 1), DEFAULTS);
    assertEquals(new JsonArray().add("color"), plan.nodeRequest(List.of(0)).getJsonArray("facets"));
    JsonObject merged = plan.merge(List.of(
        pageAnswer(3).put("facetDistribution", new JsonObject().put("color",
            new JsonObject().put("red", 4).put("blue", 1))),
        pageAnswer(2).put("facetDistribution", new JsonObject().put("color", new JsonObject().put("Red", 2)))));
    // Node 1: 2 values + 1 hit without a color; node 2: 1 value + 1 without; red is on both.
    assertEquals(4, merged.getInteger("totalHits"));
    assertFalse(merged.containsKey("facetDistribution"), "facets were not asked by the client");
  }

  @Test
  void everyReservedFieldAndMergeOnlyDataIsRemoved() {
    JsonObject client = new JsonObject().put("showRankingScore", true).put("sort", new JsonArray().add("y:asc"))
        .put("facets", new JsonArray().add("*"));
    JsonObject node = answer(1, 1, hit(1, 0.5, 3, "y:asc", sortValue(1))
        .put(ReservedFields.UPDATED_AT, 17)
        .put("_formatted", new JsonObject().put("id", "1").put(ReservedFields.SHARD, "3"))
        .put("_matchesPosition", new JsonObject().put(ReservedFields.SHARD, new JsonArray())))
        .put("facetDistribution", new JsonObject().put(ReservedFields.SHARD, new JsonObject().put("3", 1))
            .put("g", new JsonObject().put("a", 1)))
        .put("facetStats", new JsonObject().put(ReservedFields.SHARD, new JsonObject().put("min", 3.0)
            .put("max", 3.0)));
    JsonObject merged = SearchPlan.of(client, DEFAULTS).merge(List.of(node));
    assertEquals(new JsonObject().put("id", 1).put("_rankingScore", 0.5)
        .put("_formatted", new JsonObject().put("id", "1")).put("_matchesPosition", new JsonObject()),
        merged.getJsonArray("hits").getJsonObject(0));
    assertEquals(new JsonObject().put("g", new JsonObject().put("a", 1)), merged.getJsonObject("facetDistribution"));
    assertEquals(new JsonObject(), merged.getJsonObject("facetStats"));
    assertFalse(merged.encode().contains("_miroir_"));
  }

  @Test
  void facetsAreSummedAndStatsTakeMinOfMinsAndMaxOfMaxes() {
    SearchPlan plan = SearchPlan.of(new JsonObject().put("facets", new JsonArray().add("genre").add("year")), DEFAULTS);
    assertEquals(new JsonArray().add("genre").add("year").add("_miroir_shard"),
        plan.nodeRequest(List.of(0)).getJsonArray("facets"), "the shard facet counts the candidates");
    JsonObject merged = plan.merge(List.of(
        answer(1, 5).put("facetDistribution", new JsonObject()
                .put("genre", new JsonObject().put("Action", 3).put("drama", 2))
                .put("year", new JsonObject().put("1990", 5)))
            .put("facetStats", new JsonObject().put("year", new JsonObject().put("min", 1990.0).put("max", 1990.0))),
        answer(1, 4).put("facetDistribution", new JsonObject()
                .put("genre", new JsonObject().put("action", 1).put("comedy", 3))
                .put("year", new JsonObject().put("2001", 4)))
            .put("facetStats", new JsonObject().put("year", new JsonObject().put("min", 2001.0).put("max", 2001.0)))));
    assertEquals(new JsonObject().put("genre", new JsonObject().put("Action", 4).put("comedy", 3).put("drama", 2))
        .put("year", new JsonObject().put("1990", 5).put("2001", 4)), merged.getJsonObject("facetDistribution"));
    assertEquals(List.of("Action", "comedy", "drama"),
        new ArrayList<>(merged.getJsonObject("facetDistribution").getJsonObject("genre").fieldNames()));
    assertEquals(new JsonObject().put("year", new JsonObject().put("min", 1990.0).put("max", 2001.0)),
        merged.getJsonObject("facetStats"));
    assertEquals(List.of("hits", "query", "processingTimeMs", "limit", "offset", "estimatedTotalHits",
        "facetDistribution", "facetStats"), new ArrayList<>(merged.fieldNames()));
  }

  @Test
  void hybridMergesByRatioWeightedScoreAndCountsSemanticHitsOfTheWindow() {
    JsonObject client = new JsonObject().put("q", "x").put("limit", 2)
        .put("hybrid", new JsonObject().put("embedder", "e").put("semanticRatio", 0.8));
    SearchPlan plan = SearchPlan.of(client, DEFAULTS);
    assertTrue(plan.nodeRequest(List.of(0)).getBoolean("showRankingScoreDetails"));
    JsonObject merged = plan.merge(List.of(
        // A node lists its own hits by weighted score too: 0.5 * 0.8 = 0.4 before 0.9 * 0.2 = 0.18.
        answer(1, 2, hit("sem-low", 0.5, 0, "vectorSort", rank(0.5)), hit("kw", 0.9, 0, "words", rank(0.9)))
            .put("semanticHitCount", 1),
        answer(1, 1, hit("sem", 0.7, 1, "vectorSort", rank(0.7))).put("semanticHitCount", 1)));
    // 0.7 * 0.8 = 0.56 goes first although its score is below the keyword hit's 0.9.
    assertEquals(List.of("sem", "sem-low"), ids(merged));
    assertEquals(2, merged.getInteger("semanticHitCount"));
    assertEquals("semanticHitCount", new ArrayList<>(merged.fieldNames()).get(merged.fieldNames().size() - 1));
  }

  private static JsonObject sortHit(String id, Object value, double score, String rule) {
    return hit(id, score, 0, rule, sortValue(value));
  }

  @Test
  void addedNestedDistinctAttributeIsRemovedWithItsEmptyParent() {
    JsonObject client = new JsonObject().put("distinct", "product.color")
        .put("attributesToRetrieve", new JsonArray().add("id"));
    Map<String, Object> product = new JsonObject().put("color", "red").getMap();
    JsonObject merged = SearchPlan.of(client, DEFAULTS).merge(List.of(answer(1, 1, hit(1, 1.0, 0)
        .put("product", new JsonObject(product)))));
    assertEquals(new JsonObject().put("id", 1), merged.getJsonArray("hits").getJsonObject(0));
  }

  /** Real 1.21 answers: {"showRankingScore": "yes"} and {"offset": null} are rejected, {"page": null} is not. */
  @Test
  void parametersThePlanRewritesAreTypeCheckedSoANodeJudgesBadOnes() {
    for (JsonObject bad : List.of(new JsonObject().put("showRankingScore", "yes"),
        new JsonObject().putNull("showRankingScoreDetails"), new JsonObject().put("facets", "genre"),
        new JsonObject().put("attributesToRetrieve", "title"), new JsonObject().put("distinct", 5))) {
      assertThrows(IllegalArgumentException.class, () -> SearchPlan.of(bad, DEFAULTS), bad.encode());
    }
    JsonObject nullOffset = SearchPlan.of(new JsonObject().putNull("offset"), DEFAULTS).nodeRequest(List.of(0));
    assertTrue(nullOffset.containsKey("offset") && nullOffset.getValue("offset") == null,
        "a null offset goes to the node unchanged, which rejects it");
    JsonObject nullPage = SearchPlan.of(new JsonObject().putNull("page").put("hitsPerPage", 2), DEFAULTS)
        .nodeRequest(List.of(0));
    assertEquals(2, nullPage.getInteger("hitsPerPage"), "a null page is an absent page");
    assertEquals(1, nullPage.getInteger("page"));
  }

  /** Verified on 1.21: facets ["*"] lists every attribute in sortFacetValuesBy["*"] order, ignoring the others. */
  @Test
  void facetsStarOrdersEveryAttributeAsTheStarRule() {
    IndexView view = new IndexView(null, 1000, 100, Map.of("*", "alpha", "genre", "count"), null, null);
    JsonObject node = answer(1, 6).put("facetDistribution", new JsonObject()
        .put("genre", new JsonObject().put("a", 1).put("b", 2).put("c", 3)));
    JsonObject star = SearchPlan.of(new JsonObject().put("facets", new JsonArray().add("*")), view)
        .merge(List.of(node.copy()));
    assertEquals(List.of("a", "b", "c"),
        new ArrayList<>(star.getJsonObject("facetDistribution").getJsonObject("genre").fieldNames()));
    JsonObject named = SearchPlan.of(new JsonObject().put("facets", new JsonArray().add("genre")), view)
        .merge(List.of(node.copy()));
    assertEquals(List.of("c", "b", "a"),
        new ArrayList<>(named.getJsonObject("facetDistribution").getJsonObject("genre").fieldNames()));
  }

  @Test
  void aQueryWithADigitSearchesOnlyTheNodesOwnFields() {
    List<String> fields = List.of("title", "_miroir_shard", "author");
    SearchPlan digits = SearchPlan.of(new JsonObject().put("q", "river 2"), DEFAULTS);
    assertTrue(digits.needsFields());
    assertEquals(new JsonArray().add("author").add("author.*").add("title").add("title.*"),
        digits.nodeRequest(List.of(0), fields).getJsonArray("attributesToSearchOn"));
    assertFalse(SearchPlan.of(new JsonObject().put("q", "river"), DEFAULTS).needsFields(), "no number word");
    assertFalse(SearchPlan.of(new JsonObject(), DEFAULTS).needsFields(), "placeholder");
    assertFalse(SearchPlan.of(new JsonObject().put("q", "2").put("attributesToSearchOn", new JsonArray().add("title")),
        DEFAULTS).needsFields(), "the client's own fields never name a reserved one");
    JsonObject star = SearchPlan.of(new JsonObject().put("q", "2")
        .put("attributesToSearchOn", new JsonArray().add("*")), DEFAULTS).nodeRequest(List.of(0), fields);
    assertEquals(new JsonArray().add("author").add("author.*").add("title").add("title.*"),
        star.getJsonArray("attributesToSearchOn"));
    IndexView explicit = new IndexView(null, 1000, 100, null, null, null, List.of("title"), false);
    assertFalse(SearchPlan.of(new JsonObject().put("q", "2"), explicit).needsFields(),
        "an explicit searchable list never names _miroir_shard");
    IndexView numberSynonyms = new IndexView(null, 1000, 100, null, null, null, List.of("*"), true);
    assertTrue(SearchPlan.of(new JsonObject().put("q", "two"), numberSynonyms).needsFields(),
        "a synonym can turn a word into a number");
    assertFalse(SearchPlan.of(new JsonObject().put("q", "river"), DEFAULTS).nodeRequest(List.of(0), fields)
        .containsKey("attributesToSearchOn"));
  }

  /** Page mode under distinct: a value held by two nodes is counted once (the nodes' totals would count it twice). */
  @Test
  void distinctPagesCountEachValueOnceFromTheCountingAnswers() {
    IndexView view = new IndexView(null, 10, 100, null, "family", null);
    SearchPlan plan = SearchPlan.of(new JsonObject().put("q", "x").put("page", 1).put("hitsPerPage", 2)
        .put("facets", new JsonArray().add("genre")).put("sort", new JsonArray().add("year:asc")), view);
    assertTrue(plan.needsDistinctCount());
    JsonObject count = plan.distinctCountRequest(List.of(3), null);
    assertEquals(new JsonObject().put("q", "x").put("page", 1).put("hitsPerPage", 10)
        .put("attributesToRetrieve", new JsonArray().add("family").add("genre"))
        .put("filter", new JsonArray().add("_miroir_shard IN [3]")), count);
    List<JsonObject> answers = List.of(pageAnswer(2, hit(1, 0.9, 0), hit(2, 0.8, 0)),
        pageAnswer(2, hit(3, 0.7, 1), hit(4, 0.6, 1)));
    List<JsonObject> counts = List.of(
        pageAnswer(2, edition("a", "poetry"), edition("B", "travel")),
        pageAnswer(3, edition("b", "travel"), edition("c", "poetry"), new JsonObject().put("genre", "poetry")));
    JsonObject merged = plan.merge(answers, counts);
    assertEquals(4, merged.getInteger("totalHits"), "a, b (two spellings of one value), c, one hit without value");
    assertEquals(2, merged.getInteger("totalPages"));
    assertEquals(new JsonObject().put("genre", new JsonObject().put("poetry", 3).put("travel", 1)),
        merged.getJsonObject("facetDistribution"), "family b is counted once, by its first member");
    List<JsonObject> full = List.of(pageAnswer(10), pageAnswer(1, new JsonObject().put("family", "z")));
    assertEquals(10, SearchPlan.of(new JsonObject().put("page", 1), view).merge(List.of(pageAnswer(10),
        pageAnswer(1)), full).getInteger("totalHits"), "a node alone at maxTotalHits caps the whole");
    assertFalse(SearchPlan.of(new JsonObject().put("limit", 3), view).needsDistinctCount(),
        "offset/limit mode estimates, as one node does");
  }

  private static JsonObject edition(String family, String genre) {
    return new JsonObject().put("family", family).put("genre", genre);
  }

  @Test
  void numbersArePrintedAsRustPrintsThem() {
    assertEquals("1", DistinctFacets.display(1.0));
    assertEquals("48.23", DistinctFacets.display(48.23));
    assertEquals("0.000001", DistinctFacets.display(1e-6));
    assertEquals("-2.5", DistinctFacets.display(-2.5));
  }
}
