package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /indexes/{uid}/facet-search} over a covering set (SPEC D2, D3, D13; MEILISEARCH-1.21-API §2.3, §3.2).
 *
 * <p>Each node is asked for its shards only ({@link #nodeRequest}); the answers are merged by value with counts summed
 * and ordered as milli's {@code SearchForFacetValues} orders them ({@code search/facet/search.rs}):
 * <ul>
 *   <li>alpha ({@code sortFacetValuesBy} of the facet, default): the order the node walks its keys in, i.e. by
 *       normalized value without a query, by the facet-search key (lossy normalized: no accents) then normalized value
 *       with one; the first maxValuesPerFacet are kept;</li>
 *   <li>count: count descending, ties by the shown value descending ({@code FacetValueHit}'s Ord, reversed).</li>
 * </ul>
 * Values that normalize alike are one value (one spelling shown: the first node's). Alpha is exact: a value among the
 * first N overall is among the first N of every node that has it. Count is exact unless some node had more than
 * maxValuesPerFacet matching values.
 */
public final class FacetSearchMerger {
  private FacetSearchMerger() {
  }

  /** The facet-search body for one node: the client's, with the filter ANDed with the node's shards. */
  public static JsonObject nodeRequest(JsonObject clientRequest, List<Integer> shards) {
    return nodeRequest(clientRequest, shards, null, IndexView.defaults());
  }

  /**
   * The facet-search body for one node, with {@code attributesToSearchOn} restricted to {@code fields} (the
   * top-level fields of the covering set's nodes) when its {@code q} could match {@code _miroir_shard}
   * ({@link SearchableFields}); {@code fields} null changes nothing.
   */
  public static JsonObject nodeRequest(JsonObject clientRequest, List<Integer> shards, Collection<String> fields,
      IndexView view) {
    JsonObject body = clientRequest.copy();
    if (fields != null && SearchableFields.needed(clientRequest, view)) {
      body.put("attributesToSearchOn",
          SearchableFields.restrict(clientRequest.getValue("attributesToSearchOn"), fields));
    }
    body.put("filter", ShardFilter.and(clientRequest.getValue("filter"), shards));
    return body;
  }

  /** One merged facet value. */
  private record Hit(String value, String normalized, String searchKey, long[] count) {
  }

  /**
   * Merges the nodes' answers.
   *
   * @param clientRequest the client's body ({@code facetName}, {@code facetQuery})
   * @param nodeResponses each node's answer
   */
  public static JsonObject merge(JsonObject clientRequest, List<JsonObject> nodeResponses, IndexView view) {
    String facetName = clientRequest.getString("facetName", "");
    Object facetQuery = clientRequest.getValue("facetQuery");
    Map<String, Hit> byValue = new HashMap<>();
    List<Hit> hits = new ArrayList<>();
    long processingTime = 0;
    for (JsonObject r : nodeResponses) {
      processingTime = Math.max(processingTime, r.getValue("processingTimeMs") instanceof Number n ? n.longValue() : 0);
      List<Object> list = MeiliOrder.asList(r.getValue("facetHits"));
      if (list == null) {
        continue;
      }
      for (Object o : list) {
        Map<String, Object> h = MeiliOrder.asMap(o);
        if (h == null || !(h.get("value") instanceof String value)) {
          continue;
        }
        String normalized = MeiliOrder.normalizeFacet(value);
        Hit hit = byValue.get(normalized);
        if (hit == null) {
          String searchKey = facetQuery == null ? normalized : MeiliOrder.lossyNormalize(value);
          hit = new Hit(value, normalized, searchKey, new long[1]);
          byValue.put(normalized, hit);
          hits.add(hit);
        }
        hit.count()[0] += h.get("count") instanceof Number n ? n.longValue() : 0;
      }
    }
    hits.sort(view.sortsFacetByCount(facetName) ? BY_COUNT : ALPHA);
    int keep = Math.min(hits.size(), view.maxValuesPerFacet());
    List<Object> out = new ArrayList<>(keep);
    for (int i = 0; i < keep; i++) {
      Map<String, Object> h = new LinkedHashMap<>(4);
      h.put("value", hits.get(i).value());
      h.put("count", MeiliOrder.count(hits.get(i).count()[0]));
      out.add(new JsonObject(h));
    }
    Map<String, Object> answer = new LinkedHashMap<>(4);
    answer.put("facetHits", new JsonArray(out));
    answer.put("facetQuery", facetQuery);
    answer.put("processingTimeMs", MeiliOrder.count(processingTime));
    return new JsonObject(answer);
  }

  private static final Comparator<Hit> ALPHA = (a, b) -> {
    int c = MeiliOrder.compareUtf8(a.searchKey(), b.searchKey());
    return c != 0 ? c : MeiliOrder.compareUtf8(a.normalized(), b.normalized());
  };

  private static final Comparator<Hit> BY_COUNT = (a, b) -> {
    int c = Long.compare(b.count()[0], a.count()[0]);
    return c != 0 ? c : MeiliOrder.compareUtf8(b.value(), a.value());
  };
}
