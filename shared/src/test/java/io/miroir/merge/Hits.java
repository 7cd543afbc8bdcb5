package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Builders for synthetic node answers shaped like Meilisearch 1.21's. */
final class Hits {
  private Hits() {
  }

  /** A hit with {@code _rankingScore}, a shard and, when given, score details (rule name, detail object pairs). */
  static JsonObject hit(Object id, double score, int shard, Object... rules) {
    JsonObject hit = new JsonObject().put("id", id).put(ReservedFields.SHARD, shard).put("_rankingScore", score);
    if (rules.length > 0) {
      JsonObject details = new JsonObject();
      for (int i = 0; i < rules.length; i += 2) {
        details.put((String) rules[i], ((JsonObject) rules[i + 1]).copy().put("order", i / 2));
      }
      hit.put("_rankingScoreDetails", details);
    }
    return hit;
  }

  static JsonObject rank(double score) {
    return new JsonObject().put("score", score);
  }

  static JsonObject sortValue(Object value) {
    return new JsonObject().put("value", value);
  }

  static JsonObject geo(Double distance) {
    return new JsonObject().put("value", distance == null ? null : new JsonObject().put("lat", 1.0).put("lng", 2.0))
        .put("distance", distance);
  }

  /** An offset/limit answer. */
  static JsonObject answer(long processingTimeMs, int estimatedTotalHits, JsonObject... hits) {
    return new JsonObject().put("hits", new JsonArray(new ArrayList<>(List.of(hits)))).put("query", "q")
        .put("processingTimeMs", processingTimeMs).put("limit", 20).put("offset", 0)
        .put("estimatedTotalHits", estimatedTotalHits);
  }

  /** A page-mode answer. */
  static JsonObject pageAnswer(int totalHits, JsonObject... hits) {
    return new JsonObject().put("hits", new JsonArray(new ArrayList<>(List.of(hits)))).put("query", "q")
        .put("processingTimeMs", 1).put("hitsPerPage", 10).put("page", 1).put("totalPages", 1)
        .put("totalHits", totalHits);
  }

  static List<Object> ids(JsonObject merged) {
    List<Object> ids = new ArrayList<>();
    for (Object h : merged.getJsonArray("hits")) {
      ids.add(((JsonObject) h).getValue("id"));
    }
    return ids;
  }
}
