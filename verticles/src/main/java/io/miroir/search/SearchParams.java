package io.miroir.search;

import io.vertx.core.MultiMap;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Turns the query parameters of {@code GET /indexes/{uid}/search} into the equivalent POST body (API reference
 * §2.2). Anything it cannot convert throws, and the caller lets a node answer the original request instead, so
 * parameter errors stay exactly Meilisearch's.
 */
public final class SearchParams {
  private SearchParams() {
  }

  public static JsonObject fromQuery(MultiMap params) {
    JsonObject body = new JsonObject();
    JsonObject hybrid = null;
    for (Map.Entry<String, String> e : params.entries()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case "q", "cropMarker", "highlightPreTag", "highlightPostTag", "distinct", "matchingStrategy" ->
            body.put(e.getKey(), v);
        case "offset", "limit", "page", "hitsPerPage", "cropLength" -> body.put(e.getKey(), unsigned(v));
        case "attributesToRetrieve", "attributesToCrop", "attributesToHighlight", "facets", "attributesToSearchOn",
            "locales" -> body.put(e.getKey(), csv(v));
        case "showMatchesPosition", "showRankingScore", "showRankingScoreDetails", "retrieveVectors" ->
            body.put(e.getKey(), bool(v));
        case "rankingScoreThreshold" -> body.put(e.getKey(), Double.parseDouble(v));
        case "filter" -> body.put("filter", filter(v));
        case "sort" -> body.put("sort", sort(v));
        case "vector" -> body.put("vector", floats(v));
        case "hybridEmbedder" -> hybrid = (hybrid == null ? new JsonObject() : hybrid).put("embedder", v);
        case "hybridSemanticRatio" -> hybrid = (hybrid == null ? new JsonObject() : hybrid)
            .put("semanticRatio", Double.parseDouble(v));
        default -> throw new IllegalArgumentException("unknown parameter " + e.getKey());
      }
    }
    if (hybrid != null) {
      if (!hybrid.containsKey("embedder")) {
        throw new IllegalArgumentException("hybridSemanticRatio without hybridEmbedder");
      }
      body.put("hybrid", hybrid);
    }
    return body;
  }

  /**
   * The query parameters of {@code GET /indexes/{uid}/similar} as the equivalent POST body (API reference §2.5); like
   * {@link #fromQuery}, anything else throws and a node answers the original request.
   */
  public static JsonObject similarFromQuery(MultiMap params) {
    JsonObject body = new JsonObject();
    for (Map.Entry<String, String> e : params.entries()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case "id", "embedder" -> body.put(e.getKey(), v);
        case "offset", "limit" -> body.put(e.getKey(), unsigned(v));
        case "attributesToRetrieve" -> body.put(e.getKey(), csv(v));
        case "showRankingScore", "showRankingScoreDetails", "retrieveVectors" -> body.put(e.getKey(), bool(v));
        case "rankingScoreThreshold" -> body.put(e.getKey(), Double.parseDouble(v));
        case "filter" -> body.put("filter", filter(v));
        default -> throw new IllegalArgumentException("unknown parameter " + e.getKey());
      }
    }
    return body;
  }

  private static long unsigned(String v) {
    long value = Long.parseLong(v);
    if (value < 0) {
      throw new IllegalArgumentException(v);
    }
    return value;
  }

  private static boolean bool(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException(v);
  }

  /** Comma-separated values; an empty parameter ({@code facets=}) is an empty list, as Meilisearch reads it. */
  private static JsonArray csv(String v) {
    JsonArray out = new JsonArray();
    if (v.isEmpty()) {
      return out;
    }
    for (String part : v.split(",")) {
      out.add(part.trim());
    }
    return out;
  }

  private static JsonArray floats(String v) {
    JsonArray out = new JsonArray();
    for (String part : v.split(",")) {
      out.add(Double.parseDouble(part.trim()));
    }
    return out;
  }

  /** A filter that parses as a JSON array is used as one; anything else is an expression. */
  private static Object filter(String v) {
    try {
      Object parsed = Json.decodeValue(v);
      if (parsed instanceof JsonArray) {
        return parsed;
      }
    } catch (RuntimeException notJson) {
      // an expression
    }
    return v;
  }

  /**
   * Comma-separated sort rules of a GET query string, re-joining the commas inside {@code _geoPoint(lat,lng)}
   * (searches and document listings read them alike).
   */
  public static JsonArray sort(String v) {
    JsonArray out = new JsonArray();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    for (char c : v.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        out.add(current.toString().trim());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (current.length() > 0) {
      out.add(current.toString().trim());
    }
    return out;
  }
}
