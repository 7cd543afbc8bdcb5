package io.miroir.canary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One assertion of a canary (SPEC §13.18). Document ids are compared as text, so {@code 7} and {@code "7"} name the
 * same document, as they do for Meilisearch.
 *
 * @param value the bound of {@code min_hits} and {@code max_p95_ms}, the id of {@code top_hit_id}; else null
 * @param k how many top hits {@code top_k_contains} looks at; else 0
 * @param ids the ids of {@code top_k_contains} and {@code must_not_contain_id}; else empty
 */
public record CanaryAssertion(Type type, Object value, int k, List<String> ids) {

  /** The assertion types, with their names in definitions and in the {@code assertion_type} metric label. */
  public enum Type {
    /** The query matches at least {@code value} documents ({@code estimatedTotalHits} or {@code totalHits}). */
    MIN_HITS("min_hits"),
    /** The 95th percentile of the latest runs' latencies, this one included, is at most {@code value} ms. */
    MAX_P95_MS("max_p95_ms"),
    /** The first hit is the document {@code value}. */
    TOP_HIT_ID("top_hit_id"),
    /** Every one of {@code ids} is among the first {@code k} hits. */
    TOP_K_CONTAINS("top_k_contains"),
    /** None of {@code ids} is among the hits returned. */
    MUST_NOT_CONTAIN_ID("must_not_contain_id"),
    /** Nodes serve at least settings version {@code value}: needs the two-phase settings broadcast (§13.5). */
    SETTINGS_VERSION_AT_LEAST("settings_version_at_least");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    static Type of(String wire, String field) {
      for (Type t : values()) {
        if (t.wire.equals(wire)) {
          return t;
        }
      }
      List<String> known = new ArrayList<>();
      for (Type t : values()) {
        known.add(t.wire);
      }
      throw new InvalidCanaryException(field, "unknown assertion type [" + wire + "], expected one of " + known);
    }
  }

  public CanaryAssertion {
    ids = List.copyOf(ids);
  }

  /** Parses one assertion; {@code field} is its path in the definition ({@code assertions[0]}). */
  static CanaryAssertion fromJson(Object raw, String field, int limit) {
    if (!(raw instanceof JsonObject json)) {
      throw new InvalidCanaryException(field, "must be an object {type, value|k|ids}");
    }
    if (!(json.getValue("type") instanceof String typeName)) {
      throw new InvalidCanaryException(field + ".type", "required, one of the assertion types");
    }
    Type type = Type.of(typeName, field + ".type");
    return switch (type) {
      case MIN_HITS -> only(json, field, Set.of("type", "value"),
          new CanaryAssertion(type, integer(json, field + ".value", 0, Integer.MAX_VALUE), 0, List.of()));
      case MAX_P95_MS -> only(json, field, Set.of("type", "value"),
          new CanaryAssertion(type, integer(json, field + ".value", 1, 3_600_000), 0, List.of()));
      case TOP_HIT_ID -> only(json, field, Set.of("type", "value"),
          new CanaryAssertion(type, id(json.getValue("value"), field + ".value"), 0, List.of()));
      case TOP_K_CONTAINS -> {
        int k = integer(json, field + ".k", 1, 1000);
        if (k > limit) {
          throw new InvalidCanaryException(field + ".k", "[" + k + "] exceeds query.limit [" + limit
              + "]: the canary would not see those hits");
        }
        yield only(json, field, Set.of("type", "k", "ids"), new CanaryAssertion(type, null, k, ids(json, field)));
      }
      case MUST_NOT_CONTAIN_ID -> only(json, field, Set.of("type", "ids"),
          new CanaryAssertion(type, null, 0, ids(json, field)));
      case SETTINGS_VERSION_AT_LEAST -> throw new InvalidCanaryException(field + ".type",
          "[settings_version_at_least] is not available in this version: settings versions arrive with the "
              + "two-phase settings broadcast");
    };
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type.wire());
    if (value != null) {
      json.put("value", value);
    }
    if (k > 0) {
      json.put("k", k);
    }
    if (!ids.isEmpty()) {
      json.put("ids", new JsonArray(new ArrayList<>(ids)));
    }
    return json;
  }

  private static CanaryAssertion only(JsonObject json, String field, Set<String> allowed, CanaryAssertion parsed) {
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) {
        throw new InvalidCanaryException(field + "." + key, "unknown key for [" + parsed.type().wire() + "]");
      }
    }
    return parsed;
  }

  static int integer(JsonObject json, String field, int min, int max) {
    String key = field.substring(field.lastIndexOf('.') + 1);
    Object v = json.getValue(key);
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw new InvalidCanaryException(field, "must be an integer between " + min + " and " + max + ", got ["
          + v + "]");
    }
    return ((Number) v).intValue();
  }

  private static List<String> ids(JsonObject json, String field) {
    if (!(json.getValue("ids") instanceof JsonArray array) || array.isEmpty()) {
      throw new InvalidCanaryException(field + ".ids", "must be a non-empty list of document ids");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      ids.add(id(array.getValue(i), field + ".ids[" + i + "]"));
    }
    return ids;
  }

  /** A document id as text: a string, or an integer as its decimal form (D9). */
  static String id(Object v, String field) {
    if (v instanceof String s && !s.isEmpty()) {
      return s;
    }
    if (v instanceof Integer || v instanceof Long) {
      return v.toString();
    }
    throw new InvalidCanaryException(field, "must be a document id (a string or an integer), got [" + v + "]");
  }
}
