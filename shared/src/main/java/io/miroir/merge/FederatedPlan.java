package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * One federated {@code POST /multi-search} (a body with {@code federation}), rewritten for the nodes of the covering
 * sets and merged back into the answer one Meilisearch node holding every document gives (SPEC §0 principles 1–2,
 * §13.11, D2, D3; MEILISEARCH-1.21-API §2.4, §3.3, §7.2).
 *
 * <p>Each node gets the federated request itself, with every query's filter ANDed with the node's shards of that
 * query's index ({@code _miroir_shard IN []} when it serves none), the window from offset 0 to offset + limit,
 * scores and details on, and {@code facetsByIndex} instead of {@code mergeFacets}. A node then does what one node
 * does over its own documents: each query ranked, queries of one index merged by weighted score with each document
 * once, facets counted over the union of the index's candidates, {@code estimatedTotalHits} the sum per index of those
 * unions. Shards are disjoint, so summing those counts over nodes is exact, and the node lists merge by the same
 * comparison Meilisearch uses between queries ({@link WeightedScores}); hits of one query compare rule by rule
 * ({@link HitKey}), as in a single search.
 */
public final class FederatedPlan {
  private static final int DEFAULT_LIMIT = 20;

  private final JsonObject request;
  private final List<JsonObject> queries;
  private final Map<String, IndexView> views;
  private final int offset;
  private final int limit;
  private final JsonObject facetsByIndex;
  private final boolean mergeFacets;
  private final Integer mergeMaxValues;
  /** Per query: its weight, whether the client asked scores and details, attributes added for the merge. */
  private final double[] weights;
  private final boolean[] clientScore;
  private final boolean[] clientDetails;
  private final double[] hybridRatios;
  private final String[] distincts;
  private final List<List<String>> addedAttributes;

  private FederatedPlan(JsonObject request, Map<String, IndexView> views) {
    this.request = request;
    this.views = views;
    JsonObject federation = request.getValue("federation") instanceof JsonObject f ? f : null;
    if (federation == null) {
      throw new IllegalArgumentException("federation");
    }
    List<Object> rawQueries = MeiliOrder.asList(request.getValue("queries"));
    if (rawQueries == null) {
      throw new IllegalArgumentException("queries");
    }
    this.offset = nonNegative(federation, "offset", 0);
    this.limit = nonNegative(federation, "limit", DEFAULT_LIMIT);
    Object byIndex = federation.getValue("facetsByIndex");
    if (byIndex != null && !(byIndex instanceof JsonObject)) {
      throw new IllegalArgumentException("facetsByIndex");
    }
    this.facetsByIndex = (JsonObject) byIndex;
    if (facetsByIndex != null) {
      for (Map.Entry<String, Object> e : facetsByIndex) {
        if (e.getValue() != null && !allStrings(e.getValue())) {
          throw new IllegalArgumentException("facetsByIndex." + e.getKey());
        }
      }
    }
    Object merge = federation.getValue("mergeFacets");
    if (merge != null && !(merge instanceof JsonObject)) {
      throw new IllegalArgumentException("mergeFacets");
    }
    this.mergeFacets = merge != null;
    if (merge instanceof JsonObject m && m.getValue("maxValuesPerFacet") != null) {
      this.mergeMaxValues = nonNegative(m, "maxValuesPerFacet", 0);
    } else {
      this.mergeMaxValues = null;
    }
    int n = rawQueries.size();
    this.queries = new ArrayList<>(n);
    this.weights = new double[n];
    this.clientScore = new boolean[n];
    this.clientDetails = new boolean[n];
    this.hybridRatios = new double[n];
    this.distincts = new String[n];
    this.addedAttributes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<String, Object> raw = MeiliOrder.asMap(rawQueries.get(i));
      if (raw == null || !(raw.get("indexUid") instanceof String index) || !views.containsKey(index)) {
        throw new IllegalArgumentException("queries[" + i + "]");
      }
      JsonObject q = new JsonObject(raw);
      for (String flag : List.of("showRankingScore", "showRankingScoreDetails")) {
        if (q.containsKey(flag) && !(q.getValue(flag) instanceof Boolean)) {
          throw new IllegalArgumentException(flag);
        }
      }
      Object retrieve = q.getValue("attributesToRetrieve");
      if (retrieve != null && MeiliOrder.asList(retrieve) == null) {
        throw new IllegalArgumentException("attributesToRetrieve");
      }
      Object distinct = q.getValue("distinct");
      if (distinct != null && !(distinct instanceof String)) {
        throw new IllegalArgumentException("distinct");
      }
      queries.add(q);
      Map<String, Object> options = MeiliOrder.asMap(q.getValue("federationOptions"));
      weights[i] = options != null && options.get("weight") instanceof Number w ? w.doubleValue() : 1.0;
      clientScore[i] = Boolean.TRUE.equals(q.getValue("showRankingScore"));
      clientDetails[i] = Boolean.TRUE.equals(q.getValue("showRankingScoreDetails"));
      hybridRatios[i] = hybridRatio(q);
      distincts[i] = distinct != null ? (String) distinct : views.get(index).distinctAttribute();
      addedAttributes.add(SearchPlan.addedAttributes(retrieve, distincts[i]));
    }
    if (facetsByIndex != null) {
      for (String index : facetsByIndex.fieldNames()) {
        if (!views.containsKey(index)) {
          throw new IllegalArgumentException("facetsByIndex." + index);
        }
      }
    }
    if (mergeFacets && orderConflict(facetNamesByIndex())) {
      // Meilisearch refuses inconsistent facet orders; a node phrases the error (invalid_multi_search_facet_order).
      throw new IllegalArgumentException("mergeFacets order");
    }
  }

  /**
   * Plans a federated multi-search.
   *
   * @param clientRequest the client's body (with {@code queries} and a non-null {@code federation}); not modified
   * @param views the settings view of every index the request names (queries and {@code facetsByIndex})
   * @throws IllegalArgumentException when the request has a shape Miroir leaves to a node to judge
   */
  public static FederatedPlan of(JsonObject clientRequest, Map<String, IndexView> views) {
    return new FederatedPlan(clientRequest, views);
  }

  /** Every index uid the request names, queries first, in order of appearance. */
  public static Set<String> indexes(JsonObject clientRequest) {
    Set<String> out = new LinkedHashSet<>();
    List<Object> queries = MeiliOrder.asList(clientRequest.getValue("queries"));
    if (queries != null) {
      for (Object q : queries) {
        Map<String, Object> query = MeiliOrder.asMap(q);
        if (query != null && query.get("indexUid") instanceof String index) {
          out.add(index);
        }
      }
    }
    Map<String, Object> federation = MeiliOrder.asMap(clientRequest.getValue("federation"));
    Map<String, Object> byIndex = federation == null ? null : MeiliOrder.asMap(federation.get("facetsByIndex"));
    if (byIndex != null) {
      out.addAll(byIndex.keySet());
    }
    return out;
  }

  /** The index of each query, in query order. */
  public List<String> queryIndexes() {
    List<String> out = new ArrayList<>(queries.size());
    queries.forEach(q -> out.add(q.getString("indexUid")));
    return out;
  }

  /** True when query {@code i} must be asked with the fields the nodes hold ({@link SearchableFields}). */
  public boolean needsFields(int i) {
    return SearchableFields.needed(queries.get(i), views.get(queries.get(i).getString("indexUid")));
  }

  /**
   * The request for one node.
   *
   * @param shardsByIndex the node's shards of each index (an index it serves no shard of may be absent)
   * @param fieldsByIndex the top-level fields the nodes hold, per index, for the queries that {@link #needsFields};
   *     null entries change nothing
   */
  public JsonObject nodeRequest(Map<String, List<Integer>> shardsByIndex,
      Map<String, Collection<String>> fieldsByIndex) {
    JsonObject body = request.copy();
    JsonObject federation = body.getJsonObject("federation");
    federation.put("offset", 0).put("limit", (int) Math.min((long) offset + limit, Integer.MAX_VALUE));
    federation.remove("mergeFacets");
    if (facetsByIndex != null) {
      JsonObject facets = new JsonObject();
      for (Map.Entry<String, Object> e : facetsByIndex) {
        if (e.getValue() == null) {
          facets.putNull(e.getKey());
          continue;
        }
        JsonArray names = new JsonArray(new ArrayList<>(MeiliOrder.asList(e.getValue())));
        if (!names.contains(ReservedFields.SHARD)) {
          // Its counts sum to the node's candidates of the index, which decides how facet values are listed.
          names.add(ReservedFields.SHARD);
        }
        facets.put(e.getKey(), names);
      }
      federation.put("facetsByIndex", facets);
    }
    JsonArray nodeQueries = new JsonArray();
    for (int i = 0; i < queries.size(); i++) {
      JsonObject q = queries.get(i).copy();
      String index = q.getString("indexUid");
      Collection<String> fields = fieldsByIndex == null ? null : fieldsByIndex.get(index);
      if (fields != null && needsFields(i)) {
        q.put("attributesToSearchOn", SearchableFields.restrict(q.getValue("attributesToSearchOn"), fields));
      }
      q.put("showRankingScore", true).put("showRankingScoreDetails", true);
      if (!addedAttributes.get(i).isEmpty()) {
        JsonArray attributes = new JsonArray(new ArrayList<>(MeiliOrder.asList(q.getValue("attributesToRetrieve"))));
        addedAttributes.get(i).forEach(attributes::add);
        q.put("attributesToRetrieve", attributes);
      }
      q.put("filter", ShardFilter.and(q.getValue("filter"), shardsByIndex.getOrDefault(index, List.of())));
      nodeQueries.add(q);
    }
    body.put("queries", nodeQueries);
    return body;
  }

  /**
   * True when {@code mergeFacets} asks values of one facet ordered differently by two indexes, which Meilisearch
   * refuses; checked on the facet names the nodes answered (a {@code *} list names them only then).
   */
  public boolean facetOrderConflict(List<JsonObject> nodeAnswers) {
    if (!mergeFacets) {
      return false;
    }
    Map<String, Set<String>> names = new TreeMap<>();
    for (JsonObject answer : nodeAnswers) {
      Map<String, Object> byIndex = MeiliOrder.asMap(answer.getValue("facetsByIndex"));
      if (byIndex == null) {
        continue;
      }
      byIndex.forEach((index, facets) -> {
        Map<String, Object> distribution = MeiliOrder.asMap(MeiliOrder.asMap(facets).get("distribution"));
        if (distribution != null) {
          names.computeIfAbsent(index, k -> new HashSet<>()).addAll(distribution.keySet());
        }
      });
    }
    return orderConflict(names);
  }

  private Map<String, Set<String>> facetNamesByIndex() {
    Map<String, Set<String>> names = new TreeMap<>();
    if (facetsByIndex != null) {
      for (Map.Entry<String, Object> e : facetsByIndex) {
        List<Object> list = MeiliOrder.asList(e.getValue());
        if (list != null) {
          Set<String> set = new HashSet<>();
          list.forEach(name -> set.add((String) name));
          set.remove("*");
          names.put(e.getKey(), set);
        }
      }
    }
    return names;
  }

  private boolean orderConflict(Map<String, Set<String>> namesByIndex) {
    Map<String, Boolean> byCount = new TreeMap<>();
    for (Map.Entry<String, Set<String>> e : namesByIndex.entrySet()) {
      IndexView view = views.get(e.getKey());
      for (String facet : e.getValue()) {
        if (ReservedFields.isReserved(facet)) {
          continue;
        }
        boolean count = view.sortsFacetByCount(facet);
        Boolean before = byCount.putIfAbsent(facet, count);
        if (before != null && before != count) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------- merge

  /** A position in one node's hit list. */
  private final class Cursor {
    final List<Object> hits;
    final int node;
    int position;
    Map<String, Object> hit;
    int query;
    HitKey key;
    List<WeightedScores.Value> values;
    double global;

    Cursor(List<Object> hits, int node) {
      this.hits = hits;
      this.node = node;
    }

    boolean advance() {
      while (position < hits.size()) {
        Map<String, Object> h = MeiliOrder.asMap(hits.get(position++));
        Map<String, Object> federation = h == null ? null : MeiliOrder.asMap(h.get("_federation"));
        if (federation != null && federation.get("queriesPosition") instanceof Number p && p.intValue() >= 0
            && p.intValue() < queries.size()) {
          hit = h;
          query = p.intValue();
          key = HitKey.of(h, true, hybridRatios[query]);
          double score = h.get("_rankingScore") instanceof Number s ? s.doubleValue() : 0.0;
          values = WeightedScores.of(MeiliOrder.asMap(h.get("_rankingScoreDetails")), score, weights[query]);
          global = score * weights[query];
          return true;
        }
      }
      hit = null;
      return false;
    }
  }

  /** Negative when {@code a}'s head goes first. */
  private int compareHeads(Cursor a, Cursor b) {
    if (a.query == b.query) {
      int c = HitKey.compare(a.key, b.key);
      if (c != 0) {
        return c;
      }
      if (a.key.shard >= 0 && b.key.shard >= 0 && a.key.shard != b.key.shard) {
        return Integer.compare(a.key.shard, b.key.shard);
      }
      return Integer.compare(a.node, b.node);
    }
    int c = WeightedScores.compare(a.values, a.global, b.values, b.global);
    if (c != 0) {
      return -c;
    }
    return Integer.compare(a.query, b.query);
  }

  /**
   * Merges the nodes' federated answers (all succeeded) into the client's answer. Takes ownership of the answers
   * and edits their hits in place.
   */
  public JsonObject merge(List<JsonObject> answers) {
    PriorityQueue<Cursor> heads = new PriorityQueue<>(Math.max(1, answers.size()), this::compareHeads);
    long total = 0;
    long processingTime = 0;
    Object queryVectors = null;
    boolean semantic = false;
    for (int i = 0; i < answers.size(); i++) {
      JsonObject a = answers.get(i);
      total += a.getValue("estimatedTotalHits") instanceof Number n ? n.longValue() : 0;
      processingTime = Math.max(processingTime, a.getValue("processingTimeMs") instanceof Number n ? n.longValue() : 0);
      semantic |= a.containsKey("semanticHitCount");
      if (queryVectors == null) {
        queryVectors = a.getValue("queryVectors");
      }
      List<Object> hits = MeiliOrder.asList(a.getValue("hits"));
      Cursor c = new Cursor(hits == null ? List.of() : hits, i);
      if (c.advance()) {
        heads.add(c);
      }
    }
    List<Set<Object>> seen = new ArrayList<>(queries.size());
    for (int q = 0; q < queries.size(); q++) {
      seen.add(distincts[q] == null ? null : new HashSet<>());
    }
    List<Object> window = new ArrayList<>(Math.min(limit, 1024));
    int skipped = 0;
    int semanticHits = 0;
    while (!heads.isEmpty() && window.size() < limit) {
      Cursor c = heads.poll();
      Map<String, Object> hit = c.hit;
      int query = c.query;
      if (c.advance()) {
        heads.add(c);
      }
      if (seen.get(query) != null && !DistinctValues.admit(hit, distincts[query], seen.get(query))) {
        continue;
      }
      if (skipped < offset) {
        skipped++;
        continue;
      }
      Map<String, Object> details = MeiliOrder.asMap(hit.get("_rankingScoreDetails"));
      if (details != null && details.containsKey("vectorSort")) {
        semanticHits++;
      }
      strip(hit, query);
      window.add(new JsonObject(hit));
    }

    Map<String, Object> values = new LinkedHashMap<>();
    values.put("hits", new JsonArray(window));
    values.put("processingTimeMs", MeiliOrder.count(processingTime));
    values.put("limit", limit);
    values.put("offset", offset);
    values.put("estimatedTotalHits", MeiliOrder.count(total));
    if (semantic) {
      values.put("semanticHitCount", semanticHits);
    }
    if (queryVectors != null) {
      values.put("queryVectors", queryVectors);
    }
    Map<String, JsonObject> perIndex = facetsByIndex(answers);
    if (mergeFacets) {
      if (!perIndex.isEmpty()) {
        JsonObject[] merged = mergeAcrossIndexes(perIndex);
        values.put("facetDistribution", merged[0]);
        values.put("facetStats", merged[1]);
      }
    } else if (!perIndex.isEmpty()) {
      values.put("facetsByIndex", new JsonObject(new LinkedHashMap<>(perIndex)));
    }
    // The node's own key order (it may add keys this version does not know, which are passed through).
    Map<String, Object> out = new LinkedHashMap<>();
    JsonObject template = answers.isEmpty() ? new JsonObject() : answers.get(0);
    for (String key : template.fieldNames()) {
      if (values.containsKey(key)) {
        out.put(key, values.remove(key));
      } else if (!key.equals("facetsByIndex") && !key.equals("facetDistribution") && !key.equals("facetStats")
          && !key.equals("semanticHitCount") && !key.equals("queryVectors")) {
        out.put(key, template.getValue(key));
      }
    }
    out.putAll(values);
    return new JsonObject(out);
  }

  private void strip(Map<String, Object> hit, int query) {
    if (!clientScore[query]) {
      hit.remove("_rankingScore");
    }
    if (!clientDetails[query]) {
      hit.remove("_rankingScoreDetails");
    }
    Map<String, Object> formatted = MeiliOrder.asMap(hit.get("_formatted"));
    for (String attribute : addedAttributes.get(query)) {
      SearchPlan.removePath(hit, attribute);
      if (formatted != null) {
        SearchPlan.removePath(formatted, attribute);
      }
    }
    ReservedFields.stripHitMap(hit);
  }

  /**
   * The per-index facets of the nodes merged: an index is listed when the nodes list it (it has a query and a facet
   * list), values merged and ordered as in a single search of that index ({@link FacetMerger}), over the union of
   * its candidates (counted by the {@code _miroir_shard} facet).
   */
  private Map<String, JsonObject> facetsByIndex(List<JsonObject> answers) {
    Map<String, List<JsonObject[]>> byIndex = new TreeMap<>(MeiliOrder::compareUtf8);
    for (JsonObject a : answers) {
      Map<String, Object> facets = MeiliOrder.asMap(a.getValue("facetsByIndex"));
      if (facets == null) {
        continue;
      }
      facets.forEach((index, value) -> {
        Map<String, Object> computed = MeiliOrder.asMap(value);
        JsonObject distribution = computed == null || MeiliOrder.asMap(computed.get("distribution")) == null
            ? new JsonObject() : new JsonObject(MeiliOrder.asMap(computed.get("distribution")));
        JsonObject stats = computed == null || MeiliOrder.asMap(computed.get("stats")) == null
            ? new JsonObject() : new JsonObject(MeiliOrder.asMap(computed.get("stats")));
        byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(new JsonObject[] {distribution, stats});
      });
    }
    Map<String, JsonObject> out = new LinkedHashMap<>();
    byIndex.forEach((index, parts) -> {
      IndexView view = views.get(index);
      if (view == null) {
        view = IndexView.defaults();
      }
      List<Object> asked = facetsByIndex == null ? null : MeiliOrder.asList(facetsByIndex.getValue(index));
      if (asked != null && asked.contains("*")) {
        view = view.starFacetOrder();
      }
      List<JsonObject> distributions = new ArrayList<>(parts.size());
      List<JsonObject> stats = new ArrayList<>(parts.size());
      Set<String> numeric = new HashSet<>();
      long candidates = 0;
      for (JsonObject[] p : parts) {
        distributions.add(p[0]);
        stats.add(p[1]);
        numeric.addAll(p[1].fieldNames());
        Map<String, Object> shards = MeiliOrder.asMap(p[0].getValue(ReservedFields.SHARD));
        if (shards != null) {
          for (Object count : shards.values()) {
            candidates += count instanceof Number n ? n.longValue() : 0;
          }
        }
      }
      JsonObject distribution = FacetMerger.mergeDistribution(distributions, numeric, view,
          candidates > FacetMerger.LINEAR_SCAN_THRESHOLD);
      Map<String, Object> computed = new LinkedHashMap<>(4);
      computed.put("distribution", distribution);
      computed.put("stats", FacetMerger.mergeStats(stats));
      out.put(index, new JsonObject(computed));
    });
    return out;
  }

  /**
   * {@code mergeFacets}: per facet, the indexes' values in index order with counts summed, then sorted by the facet's
   * order (alpha: by value text; count: by count descending, ties keep that order) and cut at
   * {@code mergeFacets.maxValuesPerFacet} when given; stats min of mins, max of maxes.
   */
  private JsonObject[] mergeAcrossIndexes(Map<String, JsonObject> perIndex) {
    Map<String, Map<String, Long>> distribution = new TreeMap<>(MeiliOrder::compareUtf8);
    Map<String, Boolean> byCount = new TreeMap<>();
    List<JsonObject> stats = new ArrayList<>();
    perIndex.forEach((index, computed) -> {
      IndexView view = views.get(index);
      JsonObject d = computed.getJsonObject("distribution");
      for (String facet : d.fieldNames()) {
        Map<String, Long> values = distribution.computeIfAbsent(facet, k -> new LinkedHashMap<>());
        Map<String, Object> indexValues = MeiliOrder.asMap(d.getValue(facet));
        indexValues.forEach((value, count) -> values.merge(value, ((Number) count).longValue(), Long::sum));
        byCount.putIfAbsent(facet, view != null && view.sortsFacetByCount(facet));
      }
      stats.add(computed.getJsonObject("stats"));
    });
    JsonObject outDistribution = new JsonObject(new LinkedHashMap<>());
    distribution.forEach((facet, values) -> {
      List<Map.Entry<String, Long>> entries = new ArrayList<>(values.entrySet());
      if (Boolean.TRUE.equals(byCount.get(facet))) {
        entries.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
      } else {
        entries.sort((a, b) -> MeiliOrder.compareUtf8(a.getKey(), b.getKey()));
      }
      if (mergeMaxValues != null && entries.size() > mergeMaxValues) {
        entries = entries.subList(0, mergeMaxValues);
      }
      Map<String, Object> ordered = new LinkedHashMap<>(entries.size() * 2);
      entries.forEach(e -> ordered.put(e.getKey(), MeiliOrder.count(e.getValue())));
      outDistribution.put(facet, new JsonObject(ordered));
    });
    return new JsonObject[] {outDistribution, FacetMerger.mergeStats(stats)};
  }

  // ----------------------------------------------------------------------------------------- helpers

  private static boolean allStrings(Object value) {
    List<Object> list = MeiliOrder.asList(value);
    if (list == null) {
      return false;
    }
    for (Object o : list) {
      if (!(o instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private static int nonNegative(JsonObject object, String key, int fallback) {
    if (!object.containsKey(key)) {
      return fallback;
    }
    Object v = object.getValue(key);
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0) {
      return (int) Math.min(((Number) v).longValue(), Integer.MAX_VALUE);
    }
    throw new IllegalArgumentException(key);
  }

  private static double hybridRatio(JsonObject query) {
    Map<String, Object> hybrid = MeiliOrder.asMap(query.getValue("hybrid"));
    if (hybrid == null) {
      return Double.NaN;
    }
    double ratio = hybrid.get("semanticRatio") instanceof Number n ? n.doubleValue() : 0.5;
    return ratio > 0.0 && ratio < 1.0 ? ratio : Double.NaN;
  }
}
