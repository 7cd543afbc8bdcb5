package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Number facet values a node cut in text order (SPEC D3; docs/search-merge.md, A2).
 *
 * <p>Above 3000 candidates one node lists number values in numeric order ({@code 0, 1, 2, …}); below, in text order
 * ({@code 0, 1, 10, 100, …}), cut at maxValuesPerFacet. When the whole query has more than 3000 candidates but a node
 * has fewer, the node's cut list can miss the smallest numbers the answer must show. Within one decade
 * ({@code [0, 1)}, {@code [1, 10)}, {@code [10, 100)}, …) text order <em>is</em> numeric order for non-negative
 * numbers, so such a node is asked again once per decade from the smallest value up ({@code A >= lo AND A < hi}
 * ANDed to the query, only that facet, no hits): each answer holds the decade's smallest values with their exact
 * counts, and together they replace the node's number values. Negative values keep the estimate.
 */
final class NumberFacets {
  private NumberFacets() {
  }

  /**
   * The follow-ups for the first answers, or an empty list.
   *
   * @param request the client's body
   * @param answers the nodes' answers, in covering-set order
   * @param nodeShards each node's shards, same order
   * @param candidates the query's candidate count
   */
  static List<SearchPlan.FollowUp> plan(JsonObject request, List<JsonObject> answers, List<List<Integer>> nodeShards,
      IndexView view, long candidates) {
    List<SearchPlan.FollowUp> out = new ArrayList<>();
    if (candidates <= FacetMerger.LINEAR_SCAN_THRESHOLD) {
      return out;
    }
    for (int n = 0; n < answers.size(); n++) {
      JsonObject answer = answers.get(n);
      JsonObject distribution = answer.getJsonObject("facetDistribution");
      JsonObject stats = answer.getJsonObject("facetStats");
      if (distribution == null || stats == null || nodeCandidates(answer) > FacetMerger.LINEAR_SCAN_THRESHOLD) {
        continue;
      }
      for (String attribute : stats.fieldNames()) {
        Map<String, Object> values = MeiliOrder.asMap(distribution.getValue(attribute));
        JsonObject minMax = stats.getJsonObject(attribute);
        if (ReservedFields.isReserved(attribute) || attribute.startsWith("_geo") || view.sortsFacetByCount(attribute)
            || values == null
            || values.size() < view.maxValuesPerFacet() || minMax == null || minMax.getDouble("min", -1.0) < 0) {
          continue;
        }
        for (double[] decade : decades(minMax.getDouble("min"), minMax.getDouble("max"))) {
          out.add(new SearchPlan.FollowUp(n, attribute, body(request, attribute, decade, nodeShards.get(n))));
        }
      }
    }
    return out;
  }

  /**
   * Replaces, in the first answers, the number values of each followed-up node and attribute by the decades'
   * values; a follow-up that failed (null result) leaves that node's attribute as it was.
   */
  static void apply(List<JsonObject> answers, List<SearchPlan.FollowUp> followUps, List<JsonObject> results) {
    Map<String, Map<String, Object>> numbers = new LinkedHashMap<>();
    Map<String, Boolean> complete = new LinkedHashMap<>();
    for (int i = 0; i < followUps.size(); i++) {
      SearchPlan.FollowUp f = followUps.get(i);
      String key = f.node() + "\n" + f.attribute();
      Map<String, Object> found = numbers.computeIfAbsent(key, k -> new LinkedHashMap<>());
      JsonObject result = results.get(i);
      Map<String, Object> values = result == null ? null : facetValues(result, f.attribute());
      if (values == null) {
        complete.put(key, false);
        continue;
      }
      complete.putIfAbsent(key, true);
      values.forEach((display, count) -> {
        if (MeiliOrder.looksLikeRustNumber(display)) {
          found.put(display, count);
        }
      });
    }
    numbers.forEach((key, found) -> {
      if (complete.get(key)) {
        int cut = key.indexOf('\n');
        replaceNumbers(answers.get(Integer.parseInt(key.substring(0, cut))), key.substring(cut + 1), found);
      }
    });
  }

  private static Map<String, Object> facetValues(JsonObject result, String attribute) {
    JsonObject distribution = result.getJsonObject("facetDistribution");
    if (distribution == null) {
      return null;
    }
    Map<String, Object> values = MeiliOrder.asMap(distribution.getValue(attribute));
    return values == null ? Map.of() : values;
  }

  private static void replaceNumbers(JsonObject answer, String attribute, Map<String, Object> numbers) {
    Map<String, Object> values = MeiliOrder.asMap(answer.getJsonObject("facetDistribution").getValue(attribute));
    Map<String, Object> replaced = new LinkedHashMap<>(numbers);
    for (Iterator<Map.Entry<String, Object>> it = values.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Object> e = it.next();
      if (!MeiliOrder.looksLikeRustNumber(e.getKey())) {
        replaced.put(e.getKey(), e.getValue());
      }
    }
    answer.getJsonObject("facetDistribution").put(attribute, new JsonObject(replaced));
  }

  /** The node's own candidates: its {@code _miroir_shard} counts, else its total. */
  private static long nodeCandidates(JsonObject answer) {
    JsonObject distribution = answer.getJsonObject("facetDistribution");
    Map<String, Object> shards = distribution == null ? null : MeiliOrder.asMap(
        distribution.getValue(ReservedFields.SHARD));
    long n = 0;
    if (shards != null) {
      for (Object count : shards.values()) {
        n += count instanceof Number c ? c.longValue() : 0;
      }
      return n;
    }
    Object total = answer.getValue(answer.containsKey("totalHits") ? "totalHits" : "estimatedTotalHits");
    return total instanceof Number t ? t.longValue() : Long.MAX_VALUE;
  }

  /** {@code [lo, hi)} decades covering {@code [min, max]}: {@code [0, 1)}, then powers of ten. */
  static List<double[]> decades(double min, double max) {
    List<double[]> out = new ArrayList<>();
    double lo = min < 1 ? 0 : Math.pow(10, Math.floor(Math.log10(min)));
    double hi = lo == 0 ? 1 : lo * 10;
    while (lo <= max && out.size() < 40) {
      out.add(new double[] {lo, hi});
      lo = hi;
      hi = hi * 10;
    }
    return out;
  }

  /** The client's search restricted to one decade of {@code attribute}, counting only that facet. */
  private static JsonObject body(JsonObject request, String attribute, double[] decade, List<Integer> shards) {
    JsonObject body = request.copy();
    for (String key : List.of("offset", "limit", "page", "hitsPerPage", "sort", "attributesToHighlight",
        "attributesToCrop", "showMatchesPosition", "showRankingScoreDetails", "attributesToRetrieve")) {
      body.remove(key);
    }
    body.put("limit", 0).put("facets", new JsonArray().add(attribute));
    Object filter = ShardFilter.and(request.getValue("filter"), shards);
    if (filter instanceof JsonArray clauses) {
      clauses.add(quoted(attribute) + " >= " + DistinctFacets.display(decade[0]) + " AND " + quoted(attribute)
          + " < " + DistinctFacets.display(decade[1]));
    }
    body.put("filter", filter);
    return body;
  }

  /** An attribute name as a filter expression reads it (quoted when it is not a plain identifier path). */
  private static String quoted(String attribute) {
    return attribute.matches("[A-Za-z0-9_.]+") ? attribute : "\"" + attribute.replace("\"", "\\\"") + "\"";
  }
}
