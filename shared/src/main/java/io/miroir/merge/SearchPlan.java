package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One client search, rewritten for the nodes of a covering set and merged back into the answer one Meilisearch node
 * holding every document would give (SPEC §0 principles 1–2, §1.4 steps 3–4, §1.5, D2, D3, D13;
 * MEILISEARCH-1.21-API §2.1, §3.1, §7.1–§7.4).
 *
 * <p>Node request ({@link #nodeRequest}): from offset 0, enough hits to cover the client's window, with
 * {@code _rankingScore} always and {@code _rankingScoreDetails} when the order is not the score order (sort, custom
 * sort rules, hybrid), the filter ANDed with the node's shards (see {@link ShardFilter}), and, when the client
 * restricted {@code attributesToRetrieve}, the attributes the merge reads ({@code _miroir_shard} for the tie-break,
 * the distinct attribute).
 *
 * <p>Merge ({@link #merge}): see {@link HitMerger} for the order, {@link FacetMerger} for facets; totals are summed and
 * capped at maxTotalHits, {@code processingTimeMs} is the max, and everything added for merging and every
 * {@code _miroir_*} field is removed. {@code merge} takes ownership of the node answers and edits their hits in place
 * to avoid copying them.
 */
public final class SearchPlan {
  private static final int DEFAULT_LIMIT = 20;

  private final JsonObject request;
  private final IndexView view;
  private final boolean pageMode;
  /** True when a pagination parameter is not a non-negative integer: passed on untouched for the node to reject. */
  private final boolean badPagination;
  private final int offset;
  private final int limit;
  private final int page;
  private final int hitsPerPage;
  private final String distinct;
  private final boolean clientScore;
  private final boolean clientDetails;
  private final boolean useDetails;
  private final double hybridRatio;
  private final List<String> addedAttributes;
  /** The distinct attribute, asked as a facet only to count distinct values across nodes; null when not needed. */
  private final String addedFacet;
  /**
   * True when {@code _miroir_shard} is asked as a facet: every document has exactly one shard value, so its counts
   * sum to the node's exact (uncapped) candidate count, which decides how a node lists facet values (above 3000
   * candidates it walks facet levels and numbers come in numeric order).
   */
  private final boolean countCandidates;

  private SearchPlan(JsonObject request, IndexView view) {
    requireEditableTypes(request);
    this.request = request;
    this.view = facetsCover(request, "*") ? view.starFacetOrder() : view;
    this.pageMode = request.getValue("page") != null || request.getValue("hitsPerPage") != null;
    long rawOffset = nonNegative(request.getValue("offset"), 0);
    long rawLimit = nonNegative(request.getValue("limit"), DEFAULT_LIMIT);
    long rawPage = nonNegative(request.getValue("page"), 1);
    long rawHitsPerPage = nonNegative(request.getValue("hitsPerPage"), DEFAULT_LIMIT);
    // offset and limit may not be null (page and hitsPerPage may: null means absent), as Meilisearch 1.21 decides.
    this.badPagination = rawOffset < 0 || rawLimit < 0 || rawPage < 0 || rawHitsPerPage < 0
        || isNull(request, "offset") || isNull(request, "limit");
    this.page = (int) Math.min(Math.max(rawPage, 0), Integer.MAX_VALUE);
    this.hitsPerPage = (int) Math.min(Math.max(rawHitsPerPage, 0), Integer.MAX_VALUE);
    if (pageMode) {
      // prepare_search: page 0 gives (0, 0), else ((page - 1) * hitsPerPage, hitsPerPage).
      long from = page == 0 ? 0 : (page - 1L) * hitsPerPage;
      this.offset = (int) Math.min(from, Integer.MAX_VALUE);
      this.limit = page == 0 ? 0 : hitsPerPage;
    } else {
      this.offset = (int) Math.min(Math.max(rawOffset, 0), Integer.MAX_VALUE);
      this.limit = (int) Math.min(Math.max(rawLimit, 0), Integer.MAX_VALUE);
    }
    String requestDistinct = request.getValue("distinct") instanceof String s ? s : null;
    this.distinct = requestDistinct != null ? requestDistinct : view.distinctAttribute();
    this.clientScore = Boolean.TRUE.equals(request.getValue("showRankingScore"));
    this.clientDetails = Boolean.TRUE.equals(request.getValue("showRankingScoreDetails"));
    this.hybridRatio = hybridRatio(request);
    this.useDetails = clientDetails || hasSort(request) || view.hasCustomSortRule() || !Double.isNaN(hybridRatio);
    this.addedAttributes = addedAttributes(request.getValue("attributesToRetrieve"), distinct);
    this.addedFacet = distinct != null && !facetsCover(request, distinct) ? distinct : null;
    this.countCandidates = request.getValue("facets") != null && !facetsCover(request, ReservedFields.SHARD);
  }

  /**
   * Refuses a request whose parameters the plan rewrites but that Meilisearch would reject for their type: the
   * rewritten request could otherwise succeed where one node fails. The caller then lets a node judge the client's
   * original request, so the error is Meilisearch's own.
   */
  private static void requireEditableTypes(JsonObject request) {
    for (String flag : List.of("showRankingScore", "showRankingScoreDetails")) {
      if (request.containsKey(flag) && !(request.getValue(flag) instanceof Boolean)) {
        throw new IllegalArgumentException(flag);
      }
    }
    for (String list : List.of("facets", "attributesToRetrieve")) {
      Object value = request.getValue(list);
      if (value != null && MeiliOrder.asList(value) == null) {
        throw new IllegalArgumentException(list);
      }
    }
    Object distinct = request.getValue("distinct");
    if (distinct != null && !(distinct instanceof String)) {
      throw new IllegalArgumentException("distinct");
    }
  }

  private static boolean isNull(JsonObject request, String key) {
    return request.containsKey(key) && request.getValue(key) == null;
  }

  /**
   * Plans a search.
   *
   * @param clientRequest the client's POST body (the GET form converted to it by the caller); not modified
   * @param view the index settings the merge needs
   * @throws IllegalArgumentException when a parameter the plan rewrites has a type Meilisearch rejects
   */
  public static SearchPlan of(JsonObject clientRequest, IndexView view) {
    return new SearchPlan(clientRequest, view);
  }

  /**
   * True when each node must be asked with the fields it holds ({@link #nodeRequest(List, Collection)}), so that
   * the query cannot match {@code _miroir_shard} ({@link SearchableFields}).
   */
  public boolean needsFields() {
    return SearchableFields.needed(request, view);
  }

  /**
   * True when the exact hit count needs a light second request per node ({@link #distinctCountRequest}): page mode
   * (whose {@code totalHits} one node computes exhaustively) under {@code distinct}, where a value held by several
   * nodes is counted by each of them.
   */
  public boolean needsDistinctCount() {
    return pageMode && distinct != null && !badPagination;
  }

  /**
   * The counting request for one node: the same candidates (query, filter with the node's shards, threshold,
   * matching options, distinct), page mode so the node counts exhaustively, and up to maxTotalHits hits carrying only
   * the distinct attribute. If every node's distinct hits fit in maxTotalHits, the union of their values is the exact
   * count; if one node alone reaches maxTotalHits, so does the whole and the answer is capped anyway.
   */
  public JsonObject distinctCountRequest(List<Integer> shards, Collection<String> fields) {
    JsonObject body = request.copy();
    for (String key : List.of("offset", "limit", "facets", "sort", "attributesToHighlight", "attributesToCrop",
        "showMatchesPosition", "showRankingScore", "showRankingScoreDetails", "cropLength", "cropMarker",
        "highlightPreTag", "highlightPostTag")) {
      body.remove(key);
    }
    body.put("page", 1).put("hitsPerPage", view.maxTotalHits());
    // The facet attributes too, so the facet counts of the kept documents can be recounted (DistinctFacets).
    JsonArray retrieve = new JsonArray().add(distinct);
    List<String> facetNames = facetNames();
    if (facetNames != null) {
      facetNames.forEach(retrieve::add);
    }
    body.put("attributesToRetrieve", retrieve);
    if (fields != null && needsFields()) {
      body.put("attributesToSearchOn", SearchableFields.restrict(request.getValue("attributesToSearchOn"), fields));
    }
    body.put("filter", ShardFilter.and(request.getValue("filter"), shards));
    return body;
  }

  /** A second request to one node of the covering set (its position), about one facet attribute. */
  public record FollowUp(int node, String attribute, JsonObject body) {
  }

  /**
   * Follow-up requests that make number facet values exact where a node cut them in text order
   * ({@link NumberFacets}); empty in the common case. Their answers go to {@link #applyFollowUps} before
   * {@link #merge}.
   *
   * @param answers the nodes' answers, in covering-set order
   * @param nodeShards each node's shards, same order
   * @param fields as for {@link #nodeRequest(List, Collection)}
   */
  public List<FollowUp> numberFollowUps(List<JsonObject> answers, List<List<Integer>> nodeShards,
      Collection<String> fields) {
    if (request.getValue("facets") == null || needsDistinctCount()) {
      // Page mode under distinct recounts facets from its counting answers (DistinctFacets) instead.
      return List.of();
    }
    long total = 0;
    List<JsonObject> distributions = new ArrayList<>(answers.size());
    for (JsonObject r : answers) {
      total += number(r.getValue(pageMode ? "totalHits" : "estimatedTotalHits"));
      distributions.add(r.getJsonObject("facetDistribution"));
    }
    List<FollowUp> followUps = NumberFacets.plan(request, answers, nodeShards, view,
        Math.max(total, candidateCount(distributions)));
    if (fields != null && needsFields()) {
      followUps.forEach(f -> f.body().put("attributesToSearchOn",
          SearchableFields.restrict(request.getValue("attributesToSearchOn"), fields)));
    }
    return followUps;
  }

  /** Folds the follow-ups' answers (null for one that failed) into the first answers, in place. */
  public void applyFollowUps(List<JsonObject> answers, List<FollowUp> followUps, List<JsonObject> results) {
    NumberFacets.apply(answers, followUps, results);
  }

  /** True in page mode ({@code page} or {@code hitsPerPage} given). */
  public boolean pageMode() {
    return pageMode;
  }

  /**
   * The number of hits each node is asked for: offset+limit capped at maxTotalHits, or 0 when the window is empty
   * (limit 0, or an offset at or past maxTotalHits), where only the counts and facets are needed.
   */
  public int fetchSize() {
    int max = view.maxTotalHits();
    if (Math.min(limit, max - Math.min(offset, max)) <= 0) {
      return 0;
    }
    return (int) Math.min((long) offset + limit, max);
  }

  /**
   * The body sent to one node of the covering set, asked for exactly {@code shards}.
   *
   * <p>Page mode keeps page mode on the node so its {@code totalHits} stays exhaustive (offset/limit mode only
   * estimates): {@code page: 1, hitsPerPage: page × hitsPerPage} returns the first page·hitsPerPage hits with the exact
   * count; page 0 becomes {@code hitsPerPage: 0}, which still counts. Offset/limit mode asks {@code offset: 0,
   * limit: offset + limit}. Both are capped at maxTotalHits, as the node would cap them anyway.
   */
  public JsonObject nodeRequest(List<Integer> shards) {
    return nodeRequest(shards, null);
  }

  /**
   * {@link #nodeRequest(List)}, with {@code attributesToSearchOn} restricted to {@code fields} (the top-level fields
   * the covering set's nodes hold) when {@link #needsFields()}; {@code fields} null changes nothing.
   */
  public JsonObject nodeRequest(List<Integer> shards, Collection<String> fields) {
    JsonObject body = request.copy();
    if (fields != null && needsFields()) {
      body.put("attributesToSearchOn", SearchableFields.restrict(request.getValue("attributesToSearchOn"), fields));
    }
    if (!badPagination) {
      body.remove("offset");
      body.remove("limit");
      body.remove("page");
      body.remove("hitsPerPage");
      if (pageMode) {
        body.put("page", 1).put("hitsPerPage", fetchSize());
      } else {
        body.put("offset", 0).put("limit", fetchSize());
      }
    }
    body.put("showRankingScore", true);
    if (useDetails) {
      body.put("showRankingScoreDetails", true);
    }
    if (!addedAttributes.isEmpty()) {
      JsonArray attributes = body.getJsonArray("attributesToRetrieve");
      addedAttributes.forEach(attributes::add);
    }
    if (addedFacet != null || countCandidates) {
      JsonArray facets = body.getJsonArray("facets");
      if (facets == null) {
        body.put("facets", facets = new JsonArray());
      }
      if (addedFacet != null) {
        facets.add(addedFacet);
      }
      if (countCandidates) {
        facets.add(ReservedFields.SHARD);
      }
    }
    body.put("filter", ShardFilter.and(request.getValue("filter"), shards));
    return body;
  }

  /** The fewest hits before the client's window for which {@link #twoPhase} fetches the window in two phases. */
  static final int TWO_PHASE_MIN_OFFSET = 20;

  /** Request fields that only shape the documents of the hits, not which hits match or their order. */
  private static final List<String> PRESENTATION = List.of("attributesToHighlight", "attributesToCrop", "cropLength",
      "cropMarker", "highlightPreTag", "highlightPostTag", "showMatchesPosition", "retrieveVectors");

  /**
   * True when the client's window starts deep enough that each node is better asked in two phases: first the ranking
   * of its hits from 0 to offset + limit carrying only their primary key ({@link #rankingRequest}), merged as usual,
   * then, from each node, only the run of its hits that fills the window, as full documents ({@link #windowRequest},
   * {@link #withWindow}). A deep page then moves limit documents instead of (offset + limit) per node. Not with
   * {@code distinct} (dropped duplicates make a node's share of the window a non-contiguous run) nor with hybrid or
   * vector search (whose ranking is approximate from one request to the next).
   */
  public boolean twoPhase() {
    return !badPagination && distinct == null && Double.isNaN(hybridRatio) && request.getValue("vector") == null
        && fetchSize() > 0 && offset >= Math.max(limit, TWO_PHASE_MIN_OFFSET);
  }

  /**
   * Phase one of {@link #twoPhase}: {@link #nodeRequest(List, Collection)} with hits carrying only the primary key
   * and {@code _miroir_shard}, and nothing that only shapes documents (highlighting, cropping, match positions,
   * vectors). Merged with {@link #merge}, it gives the whole answer except the documents of the window.
   */
  public JsonObject rankingRequest(List<Integer> shards, Collection<String> fields, String primaryKey) {
    JsonObject body = nodeRequest(shards, fields);
    PRESENTATION.forEach(body::remove);
    body.put("attributesToRetrieve", new JsonArray().add(primaryKey).add(ReservedFields.SHARD));
    return body;
  }

  /**
   * Phase two of {@link #twoPhase}: the node's hits from {@code from} ({@code count} of them) in its own order, as
   * {@link #nodeRequest(List, Collection)} returns them, without facets, and with the primary key (to check them
   * against the ranking) when the client's {@code attributesToRetrieve} leaves it out.
   */
  public JsonObject windowRequest(List<Integer> shards, Collection<String> fields, int from, int count,
      String primaryKey) {
    JsonObject body = nodeRequest(shards, fields);
    body.remove("page");
    body.remove("hitsPerPage");
    body.remove("facets");
    if (addsKey(primaryKey)) {
      body.getJsonArray("attributesToRetrieve").add(primaryKey);
    }
    return body.put("offset", from).put("limit", count);
  }

  /** True when the primary key is added to the client's {@code attributesToRetrieve} in phase two. */
  private boolean addsKey(String primaryKey) {
    return addedAttributes(request.getValue("attributesToRetrieve"), primaryKey).contains(primaryKey);
  }

  /**
   * Where each node's hits in the merged window come from: for node i, {@code {from, count}} of its ranked hits (in
   * the answers to {@link #rankingRequest}), count 0 when it has none in the window. Null when a hit of the window
   * cannot be traced to one node by its primary key, or a node's share is not one run of consecutive hits.
   */
  public static int[][] windowRuns(List<JsonObject> rankings, JsonObject merged, String primaryKey) {
    Map<Object, int[]> where = new java.util.HashMap<>();
    for (int node = 0; node < rankings.size(); node++) {
      List<Object> hits = MeiliOrder.asList(rankings.get(node).getValue("hits"));
      for (int pos = 0; hits != null && pos < hits.size(); pos++) {
        Map<String, Object> hit = MeiliOrder.asMap(hits.get(pos));
        Object id = hit == null ? null : hit.get(primaryKey);
        if (id == null || where.put(id, new int[] {node, pos}) != null) {
          return null;
        }
      }
    }
    int[][] runs = new int[rankings.size()][2];
    for (Object o : merged.getJsonArray("hits")) {
      Map<String, Object> hit = MeiliOrder.asMap(o);
      int[] at = hit == null ? null : where.get(hit.get(primaryKey));
      if (at == null) {
        return null;
      }
      int[] run = runs[at[0]];
      if (run[1] == 0) {
        run[0] = at[1];
      } else if (at[1] != run[0] + run[1]) {
        return null;
      }
      run[1]++;
    }
    return runs;
  }

  /**
   * The merged answer of phase one with its window filled from the phase-two answers ({@code windows.get(i)} for
   * node i, null where the node had no run), each hit checked against the ranking by its primary key and cleaned
   * as {@link #merge} cleans hits. Null when a node's hits are not the ones ranked (the index changed in between).
   * Edits {@code merged} and the hits in place.
   */
  public JsonObject withWindow(JsonObject merged, int[][] runs, List<JsonObject> windows, String primaryKey) {
    List<List<Object>> lists = new ArrayList<>(windows.size());
    for (int node = 0; node < windows.size(); node++) {
      List<Object> hits = windows.get(node) == null ? List.of() : MeiliOrder.asList(windows.get(node).getValue("hits"));
      if (hits == null || hits.size() != runs[node][1]) {
        return null;
      }
      lists.add(hits);
    }
    int[] next = new int[windows.size()];
    boolean addedKey = addsKey(primaryKey);
    JsonArray ranked = merged.getJsonArray("hits");
    List<Object> out = new ArrayList<>(ranked.size());
    for (Object o : ranked) {
      Object id = MeiliOrder.asMap(o).get(primaryKey);
      int node = nodeOf(runs, next, lists, id, primaryKey);
      if (node < 0) {
        return null;
      }
      Map<String, Object> hit = MeiliOrder.asMap(lists.get(node).get(next[node]++));
      strip(hit);
      if (addedKey) {
        removePath(hit, primaryKey);
        Map<String, Object> formatted = MeiliOrder.asMap(hit.get("_formatted"));
        if (formatted != null) {
          removePath(formatted, primaryKey);
        }
      }
      out.add(new JsonObject(hit));
    }
    return merged.put("hits", new JsonArray(out));
  }

  /** The node whose next window hit has primary key {@code id}, or -1. */
  private static int nodeOf(int[][] runs, int[] next, List<List<Object>> lists, Object id, String primaryKey) {
    for (int node = 0; node < lists.size(); node++) {
      if (next[node] < runs[node][1]) {
        Map<String, Object> hit = MeiliOrder.asMap(lists.get(node).get(next[node]));
        if (hit != null && Objects.equals(hit.get(primaryKey), id)) {
          return node;
        }
      }
    }
    return -1;
  }

  /**
   * The body for a covering set of one node that holds every shard of the index. That node's answer to the client's
   * own request is the answer one node holding every document gives, so nothing is rewritten for a merge (no window
   * from offset 0, no forced scores, no added attributes or facets): only the shard filter (principle 2) and, when
   * {@link #needsFields()}, the searchable fields are added. Its answer goes through {@link #soleNodeAnswer}.
   */
  public JsonObject soleNodeRequest(List<Integer> shards, Collection<String> fields) {
    JsonObject body = request.copy();
    if (fields != null && needsFields()) {
      body.put("attributesToSearchOn", SearchableFields.restrict(request.getValue("attributesToSearchOn"), fields));
    }
    body.put("filter", ShardFilter.and(request.getValue("filter"), shards));
    return body;
  }

  /**
   * The client's answer from the answer of the sole node asked with {@link #soleNodeRequest}: the node's own,
   * with every reserved field removed (hits, their {@code _formatted} and {@code _matchesPosition}, facet
   * distribution and stats). Edits {@code answer} in place.
   */
  public JsonObject soleNodeAnswer(JsonObject answer) {
    List<Object> hits = MeiliOrder.asList(answer.getValue("hits"));
    if (hits != null) {
      for (Object o : hits) {
        Map<String, Object> hit = MeiliOrder.asMap(o);
        if (hit != null) {
          ReservedFields.stripHitMap(hit);
        }
      }
    }
    for (String key : List.of("facetDistribution", "facetStats")) {
      Map<String, Object> facets = MeiliOrder.asMap(answer.getValue(key));
      if (facets != null) {
        facets.keySet().removeIf(ReservedFields::isReserved);
      }
    }
    return answer;
  }

  /** Merges the answers of the covering set's nodes (all succeeded) into the client's answer, in Meilisearch's shape. */
  public JsonObject merge(List<JsonObject> nodeResponses) {
    return merge(nodeResponses, null);
  }

  /**
   * {@link #merge(List)} with the answers to {@link #distinctCountRequest} (one per node, or null when they were
   * not asked or not all answered), which make the distinct total exact.
   */
  public JsonObject merge(List<JsonObject> nodeResponses, List<JsonObject> distinctCounts) {
    long total = 0;
    long processingTime = 0;
    List<List<Object>> hitLists = new ArrayList<>(nodeResponses.size());
    for (JsonObject r : nodeResponses) {
      total += number(r.getValue(pageMode ? "totalHits" : "estimatedTotalHits"));
      processingTime = Math.max(processingTime, number(r.getValue("processingTimeMs")));
      List<Object> hits = MeiliOrder.asList(r.getValue("hits"));
      hitLists.add(hits == null ? List.of() : hits);
    }
    if (distinct != null) {
      long counted = distinctCounts == null ? -1 : countedDistinct(distinctCounts);
      total = counted >= 0 ? counted : distinctTotal(nodeResponses, total);
    }
    int maxTotalHits = view.maxTotalHits();
    long hitCount = Math.min(total, maxTotalHits);
    // prepare_search clamps the offset to maxTotalHits and the limit to what is left below it.
    int windowOffset = Math.min(offset, maxTotalHits);
    int windowLimit = Math.min(limit, maxTotalHits - windowOffset);
    List<Map<String, Object>> window =
        HitMerger.merge(hitLists, useDetails, hybridRatio, distinct, windowOffset, windowLimit);

    // Counted before stripping: the details say which side of a hybrid search each hit came from.
    int semanticHits = semanticOnly(request) ? window.size() : countSemantic(window);
    Map<String, Object> out = new LinkedHashMap<>(16);
    out.put("hits", hitsArray(window));
    out.put("query", firstValue(nodeResponses, "query", request.getValue("q") == null ? "" : request.getValue("q")));
    Object queryVector = firstValue(nodeResponses, "queryVector", null);
    if (queryVector != null) {
      out.put("queryVector", queryVector);
    }
    out.put("processingTimeMs", MeiliOrder.count(processingTime));
    putPagination(out, hitCount, windowOffset);
    if (request.getValue("facets") != null) {
      List<Map<String, Object>> kept = distinct == null || distinctCounts == null || facetNames() == null ? null
          : DistinctFacets.kept(distinctCounts, distinct, view.maxTotalHits());
      if (kept != null) {
        JsonObject[] recounted = DistinctFacets.count(kept, facetNames(), view);
        out.put("facetDistribution", recounted[0]);
        out.put("facetStats", recounted[1]);
      } else {
        putFacets(out, nodeResponses, total);
      }
    }
    if (nodeResponses.stream().anyMatch(r -> r.containsKey("semanticHitCount"))) {
      // milli counts the semantic hits of the returned window (hybrid.rs), not of all candidates.
      out.put("semanticHitCount", semanticHits);
    }
    return new JsonObject(out);
  }

  private static int countSemantic(List<Map<String, Object>> window) {
    int n = 0;
    for (Map<String, Object> hit : window) {
      Map<String, Object> details = MeiliOrder.asMap(hit.get("_rankingScoreDetails"));
      if (details != null && details.containsKey("vectorSort")) {
        n++;
      }
    }
    return n;
  }

  private static boolean semanticOnly(JsonObject request) {
    Map<String, Object> hybrid = MeiliOrder.asMap(request.getValue("hybrid"));
    return hybrid != null && hybrid.get("semanticRatio") instanceof Number n && n.doubleValue() == 1.0;
  }

  private void putPagination(Map<String, Object> out, long hitCount, int windowOffset) {
    if (pageMode) {
      // A hitsPerPage of 0 cannot make pages: Meilisearch answers 0.
      long totalPages = hitsPerPage == 0 ? 0 : (hitCount + hitsPerPage - 1) / hitsPerPage;
      out.put("hitsPerPage", hitsPerPage);
      out.put("page", page);
      out.put("totalPages", MeiliOrder.count(totalPages));
      out.put("totalHits", MeiliOrder.count(hitCount));
    } else {
      // The requested limit is echoed as given; the offset is the clamped one.
      out.put("limit", limit);
      out.put("offset", windowOffset);
      out.put("estimatedTotalHits", MeiliOrder.count(hitCount));
    }
  }

  private void putFacets(Map<String, Object> out, List<JsonObject> responses, long total) {
    List<JsonObject> distributions = new ArrayList<>(responses.size());
    List<JsonObject> stats = new ArrayList<>(responses.size());
    Set<String> numeric = new HashSet<>();
    for (JsonObject r : responses) {
      distributions.add(r.getJsonObject("facetDistribution"));
      JsonObject s = r.getJsonObject("facetStats");
      stats.add(s);
      if (s != null) {
        numeric.addAll(s.fieldNames());
      }
    }
    long candidates = Math.max(total, candidateCount(distributions));
    JsonObject distribution =
        FacetMerger.mergeDistribution(distributions, numeric, view, candidates > FacetMerger.LINEAR_SCAN_THRESHOLD);
    JsonObject facetStats = FacetMerger.mergeStats(stats);
    if (addedFacet != null) {
      distribution.remove(addedFacet);
      facetStats.remove(addedFacet);
    }
    out.put("facetDistribution", distribution);
    out.put("facetStats", facetStats);
  }

  /** The candidates counted by the {@code _miroir_shard} facet (a lower bound if a node's list was cut). */
  private static long candidateCount(List<JsonObject> distributions) {
    long n = 0;
    for (JsonObject d : distributions) {
      Map<String, Object> shards = d == null ? null : MeiliOrder.asMap(d.getValue(ReservedFields.SHARD));
      if (shards != null) {
        for (Object count : shards.values()) {
          n += number(count);
        }
      }
    }
    return n;
  }

  /**
   * The exact hit count under {@code distinct} from the counting answers: maxTotalHits when one node alone reaches
   * it, else the distinct values of all nodes counted once plus the hits without a value (each kept on its own, as
   * one node keeps them). -1 when it cannot be exact: an answer is missing hits, or a hit has several values (an
   * array attribute, whose greedy exclusion depends on document order).
   */
  private long countedDistinct(List<JsonObject> counts) {
    Set<Object> values = new HashSet<>();
    long withoutValue = 0;
    for (JsonObject c : counts) {
      long nodeTotal = number(c.getValue("totalHits"));
      if (nodeTotal >= view.maxTotalHits()) {
        return view.maxTotalHits();
      }
      List<Object> hits = MeiliOrder.asList(c.getValue("hits"));
      if (hits == null || hits.size() != nodeTotal) {
        return -1;
      }
      for (Object o : hits) {
        List<Object> hitValues = DistinctValues.values(MeiliOrder.asMap(o), distinct);
        if (hitValues.size() > 1) {
          return -1;
        }
        if (hitValues.isEmpty()) {
          withoutValue++;
        } else {
          values.add(hitValues.get(0));
        }
      }
    }
    return withoutValue + values.size();
  }

  /**
   * The hit count under {@code distinct}: a node counts its distinct values (plus its hits without one), so a value
   * present on several nodes is counted by each. The nodes' facet lists of the distinct attribute name the values
   * each node counted; when no list was cut at maxValuesPerFacet the overlap is removed exactly. Else the sum stands
   * (an upper bound).
   */
  private long distinctTotal(List<JsonObject> responses, long sum) {
    Set<String> union = new HashSet<>();
    long withoutValue = 0;
    for (JsonObject r : responses) {
      JsonObject distribution = r.getJsonObject("facetDistribution");
      Map<String, Object> values = distribution == null ? null : MeiliOrder.asMap(distribution.getValue(distinct));
      if (values == null || values.size() >= view.maxValuesPerFacet()) {
        return sum;
      }
      long nodeTotal = number(r.getValue(pageMode ? "totalHits" : "estimatedTotalHits"));
      withoutValue += Math.max(0, nodeTotal - values.size());
      for (String value : values.keySet()) {
        union.add(MeiliOrder.normalizeFacet(value));
      }
    }
    return withoutValue + union.size();
  }

  private JsonArray hitsArray(List<Map<String, Object>> window) {
    List<Object> hits = new ArrayList<>(window.size());
    for (Map<String, Object> hit : window) {
      strip(hit);
      hits.add(new JsonObject(hit));
    }
    return new JsonArray(hits);
  }

  /** Removes what only the merge needed, then every reserved field. */
  private void strip(Map<String, Object> hit) {
    if (!clientScore) {
      hit.remove("_rankingScore");
    }
    if (!clientDetails) {
      hit.remove("_rankingScoreDetails");
    }
    if (!addedAttributes.isEmpty()) {
      Map<String, Object> formatted = MeiliOrder.asMap(hit.get("_formatted"));
      for (String attribute : addedAttributes) {
        removePath(hit, attribute);
        if (formatted != null) {
          removePath(formatted, attribute);
        }
      }
    }
    ReservedFields.stripHitMap(hit);
  }

  /** Removes a dotted attribute and the parent objects it leaves empty. */
  static void removePath(Map<String, Object> object, String path) {
    if (object.remove(path) != null) {
      return;
    }
    int dot = path.indexOf('.');
    if (dot > 0) {
      Map<String, Object> child = MeiliOrder.asMap(object.get(path.substring(0, dot)));
      if (child != null) {
        removePath(child, path.substring(dot + 1));
        if (child.isEmpty()) {
          object.remove(path.substring(0, dot));
        }
      }
    }
  }

  private static Object firstValue(List<JsonObject> responses, String key, Object fallback) {
    for (JsonObject r : responses) {
      Object v = r.getValue(key);
      if (v != null) {
        return v;
      }
    }
    return fallback;
  }

  /**
   * The attributes the merge must read but the client did not ask for: only when the client gave an explicit
   * {@code attributesToRetrieve} (else every displayed attribute comes back anyway).
   */
  static List<String> addedAttributes(Object retrieve, String distinct) {
    List<Object> asked = MeiliOrder.asList(retrieve);
    if (asked == null || asked.contains("*")) {
      return List.of();
    }
    List<String> added = new ArrayList<>(2);
    if (!covers(asked, ReservedFields.SHARD)) {
      added.add(ReservedFields.SHARD);
    }
    if (distinct != null && !covers(asked, distinct)) {
      added.add(distinct);
    }
    return List.copyOf(added);
  }

  /** Whether an asked attribute (or one of its parents) covers {@code attribute}. */
  static boolean covers(List<Object> asked, String attribute) {
    for (Object a : asked) {
      if (a instanceof String s && (s.equals(attribute) || attribute.startsWith(s + "."))) {
        return true;
      }
    }
    return false;
  }

  /** The client's facet attributes when they are plain names (not {@code *}), else null. */
  private List<String> facetNames() {
    List<Object> facets = MeiliOrder.asList(request.getValue("facets"));
    if (facets == null || facets.contains("*")) {
      return null;
    }
    List<String> names = new ArrayList<>(facets.size());
    for (Object f : facets) {
      if (!(f instanceof String name)) {
        return null;
      }
      names.add(name);
    }
    return names;
  }

  private static boolean facetsCover(JsonObject request, String attribute) {
    List<Object> facets = MeiliOrder.asList(request.getValue("facets"));
    return facets != null && (facets.contains("*") || facets.contains(attribute));
  }

  private static boolean hasSort(JsonObject request) {
    List<Object> sort = MeiliOrder.asList(request.getValue("sort"));
    return sort != null && !sort.isEmpty();
  }

  /**
   * The semantic ratio of a hybrid search mixing both sides (0 &lt; ratio &lt; 1), else NaN: with ratio 0 or 1 only
   * one side runs and hits compare by their details like any keyword search.
   */
  private static double hybridRatio(JsonObject request) {
    Map<String, Object> hybrid = MeiliOrder.asMap(request.getValue("hybrid"));
    if (hybrid == null) {
      return Double.NaN;
    }
    double ratio = hybrid.get("semanticRatio") instanceof Number n ? n.doubleValue() : 0.5;
    return ratio > 0.0 && ratio < 1.0 ? ratio : Double.NaN;
  }

  /** The value of a pagination parameter, its default when absent, or -1 when it is not a non-negative integer. */
  private static long nonNegative(Object value, long fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      long v = ((Number) value).longValue();
      return v >= 0 ? v : -1;
    }
    return -1;
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }
}
