package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /indexes/{uid}/similar} over shards (SPEC §0 principles 1–2, D2, D3, D7; MEILISEARCH-1.21-API §2.5,
 * §3.4).
 *
 * <p>Only the node serving the target document's shard holds it, so only that node can run {@code similar}; it is
 * asked for its shards ({@link #ownerRequest}). Every other node of the covering set is asked the nearest neighbours
 * of the document's embedding over its own shards: a federated multi-search of one semantic query with that vector
 * ({@link #otherRequest}), because a federated window is not cut at {@code maxTotalHits}, as the window of
 * {@code similar} is not. Both rank by the same similarity, so the lists merge by {@code _rankingScore}; the count is
 * the owner's (which excludes the target) plus the others', capped at maxTotalHits as {@code similar} caps it.
 */
public final class SimilarPlan {
  private static final int DEFAULT_LIMIT = 20;

  private final JsonObject request;
  private final IndexView view;
  private final String id;
  private final String embedder;
  private final int offset;
  private final int limit;
  private final boolean clientScore;
  private final List<String> addedAttributes;

  private SimilarPlan(JsonObject request, IndexView view) {
    this.request = request;
    this.view = view;
    Object rawId = request.getValue("id");
    if (rawId instanceof String s) {
      this.id = s;
    } else if (rawId instanceof Integer || rawId instanceof Long) {
      this.id = String.valueOf(rawId);
    } else {
      throw new IllegalArgumentException("id");
    }
    if (!(request.getValue("embedder") instanceof String e)) {
      throw new IllegalArgumentException("embedder");
    }
    this.embedder = e;
    this.offset = nonNegative(request, "offset", 0);
    this.limit = nonNegative(request, "limit", DEFAULT_LIMIT);
    Object score = request.getValue("showRankingScore");
    if (request.containsKey("showRankingScore") && !(score instanceof Boolean)) {
      throw new IllegalArgumentException("showRankingScore");
    }
    this.clientScore = Boolean.TRUE.equals(score);
    Object retrieve = request.getValue("attributesToRetrieve");
    List<Object> asked = MeiliOrder.asList(retrieve);
    if (retrieve != null && asked == null) {
      throw new IllegalArgumentException("attributesToRetrieve");
    }
    boolean star = asked == null || asked.contains("*") || SearchPlan.covers(asked, ReservedFields.SHARD);
    this.addedAttributes = star ? List.of() : List.of(ReservedFields.SHARD);
  }

  /**
   * Plans a similar-documents request.
   *
   * @throws IllegalArgumentException when a parameter Miroir reads has a type Meilisearch rejects (a node judges)
   */
  public static SimilarPlan of(JsonObject clientRequest, IndexView view) {
    return new SimilarPlan(clientRequest, view);
  }

  /** The client's request. */
  public JsonObject request() {
    return request;
  }

  /** The target document id, as text (the form Meilisearch echoes). */
  public String id() {
    return id;
  }

  public String embedder() {
    return embedder;
  }

  private int window() {
    return (int) Math.min((long) offset + limit, Integer.MAX_VALUE);
  }

  /** The {@code similar} request for the node holding the target, restricted to its shards. */
  public JsonObject ownerRequest(List<Integer> shards) {
    JsonObject body = request.copy();
    body.put("offset", 0).put("limit", window()).put("showRankingScore", true);
    addAttributes(body);
    body.put("filter", ShardFilter.and(request.getValue("filter"), shards));
    return body;
  }

  /** The semantic search with the target's {@code vector} for another node, restricted to its shards. */
  public JsonObject otherRequest(String indexUid, Object vector, List<Integer> shards) {
    JsonObject query = new JsonObject().put("indexUid", indexUid).put("vector", vector)
        .put("hybrid", new JsonObject().put("embedder", embedder).put("semanticRatio", 1.0))
        .put("showRankingScore", true);
    for (String key : List.of("attributesToRetrieve", "retrieveVectors", "showRankingScoreDetails",
        "rankingScoreThreshold")) {
      if (request.containsKey(key)) {
        query.put(key, request.getValue(key));
      }
    }
    addAttributes(query);
    query.put("filter", ShardFilter.and(request.getValue("filter"), shards));
    return new JsonObject().put("federation", new JsonObject().put("offset", 0).put("limit", window()))
        .put("queries", new JsonArray().add(query));
  }

  /**
   * For a target without an embedding (no neighbours, as {@code similar} answers then): another node's count of the
   * documents matching the filter in its shards.
   */
  public JsonObject countRequest(List<Integer> shards) {
    return new JsonObject().put("limit", 0).put("filter", ShardFilter.and(request.getValue("filter"), shards));
  }

  private void addAttributes(JsonObject body) {
    if (!addedAttributes.isEmpty()) {
      JsonArray attributes = new JsonArray(new ArrayList<>(MeiliOrder.asList(body.getValue("attributesToRetrieve"))));
      addedAttributes.forEach(attributes::add);
      body.put("attributesToRetrieve", attributes);
    }
  }

  /**
   * The document's embedding for this plan's embedder, read from {@code GET …/documents/{id}?retrieveVectors=true}
   * (the first one when it has several, as {@code similar} uses), or null when it has none.
   */
  public Object vectorOf(JsonObject document) {
    Map<String, Object> vectors = MeiliOrder.asMap(document.getValue("_vectors"));
    Map<String, Object> mine = vectors == null ? null : MeiliOrder.asMap(vectors.get(embedder));
    List<Object> embeddings = mine == null ? null : MeiliOrder.asList(mine.get("embeddings"));
    if (embeddings == null || embeddings.isEmpty()) {
      return null;
    }
    List<Object> first = MeiliOrder.asList(embeddings.get(0));
    return first == null || first.isEmpty() ? null : new JsonArray(first);
  }

  /** Merges the answers, the owner's first (takes ownership of them and edits their hits in place). */
  public JsonObject merge(List<JsonObject> answers) {
    long total = 0;
    long processingTime = 0;
    List<List<Object>> lists = new ArrayList<>(answers.size());
    for (JsonObject a : answers) {
      total += a.getValue("estimatedTotalHits") instanceof Number n ? n.longValue() : 0;
      processingTime = Math.max(processingTime, a.getValue("processingTimeMs") instanceof Number n ? n.longValue() : 0);
      List<Object> hits = MeiliOrder.asList(a.getValue("hits"));
      lists.add(hits == null ? List.of() : hits);
    }
    List<Map<String, Object>> window = HitMerger.merge(lists, false, Double.NaN, null, offset, limit);
    List<Object> hits = new ArrayList<>(window.size());
    for (Map<String, Object> hit : window) {
      hit.remove("_federation");
      if (!clientScore) {
        hit.remove("_rankingScore");
      }
      addedAttributes.forEach(hit::remove);
      ReservedFields.stripHitMap(hit);
      hits.add(new JsonObject(hit));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("hits", new JsonArray(hits));
    out.put("id", id);
    out.put("processingTimeMs", MeiliOrder.count(processingTime));
    out.put("limit", limit);
    out.put("offset", offset);
    out.put("estimatedTotalHits", MeiliOrder.count(Math.min(total, view.maxTotalHits())));
    return new JsonObject(out);
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
}
