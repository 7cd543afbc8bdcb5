package io.miroir.canary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One synthetic canary (SPEC §13.18): a search that Miroir runs against its own search path every
 * {@code intervalS} seconds, and assertions on the answer. The same definition comes from the configuration file
 * ({@code miroir.canaries}) or the admin API ({@code POST /_miroir/canaries}) and is validated here for both, with
 * errors naming the field.
 *
 * <p>JSON form: {@code {name, index, interval_s, query: {q, limit, filter}, assertions: [{type, value|k|ids}]}}.
 *
 * @param filter the query's filter: a string, a {@link JsonArray} of strings and arrays, or null for none
 */
public record Canary(String name, String index, int intervalS, String q, int limit, Object filter,
    List<CanaryAssertion> assertions) {
  public static final int DEFAULT_INTERVAL_S = 60;
  public static final int DEFAULT_LIMIT = 20;
  /** Starts with a letter or digit, so a name never collides with a store's own {@code _index} keys. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Set<String> KEYS = Set.of("name", "index", "interval_s", "query", "assertions");
  private static final Set<String> QUERY_KEYS = Set.of("q", "limit", "filter");

  public Canary {
    assertions = List.copyOf(assertions);
    filter = filter instanceof JsonArray array ? array.copy() : filter;
  }

  /** The Mode A key of this canary: its owner among the pods runs it (SPEC §5). */
  public String ownershipKey() {
    return "canary:" + name;
  }

  /** The search request body the canary sends. */
  public JsonObject searchRequest() {
    JsonObject body = new JsonObject().put("q", q).put("limit", limit);
    if (filter != null) {
      body.put("filter", filter instanceof JsonArray array ? array.copy() : filter);
    }
    return body;
  }

  public boolean has(CanaryAssertion.Type type) {
    return assertions.stream().anyMatch(a -> a.type() == type);
  }

  /** True when some assertion names documents, so the hits' primary key must be known. */
  public boolean namesDocuments() {
    return has(CanaryAssertion.Type.TOP_HIT_ID) || has(CanaryAssertion.Type.TOP_K_CONTAINS)
        || has(CanaryAssertion.Type.MUST_NOT_CONTAIN_ID);
  }

  /** The definition from a YAML mapping of the configuration file. */
  public static Canary fromMap(Map<String, Object> definition) {
    return fromJson(new JsonObject(definition));
  }

  /** Parses and validates a definition; throws {@link InvalidCanaryException} naming the field at fault. */
  public static Canary fromJson(JsonObject json) {
    unknownKeys(json, KEYS, "");
    if (!(json.getValue("name") instanceof String name) || !NAME.matcher(name).matches()) {
      throw new InvalidCanaryException("name", "required: 1 to 100 letters, digits, '.', '_' or '-', starting with "
          + "a letter or digit, got [" + json.getValue("name") + "]");
    }
    if (!(json.getValue("index") instanceof String index) || index.isBlank()) {
      throw new InvalidCanaryException("index", "required: the uid of the index to search");
    }
    int interval = json.getValue("interval_s") == null ? DEFAULT_INTERVAL_S
        : CanaryAssertion.integer(json, "interval_s", 1, 86_400);
    Object rawQuery = json.getValue("query");
    JsonObject query = rawQuery == null ? new JsonObject() : rawQuery instanceof JsonObject o ? o : null;
    if (query == null) {
      throw new InvalidCanaryException("query", "must be an object {q, limit, filter}");
    }
    unknownKeys(query, QUERY_KEYS, "query.");
    Object q = query.getValue("q");
    if (q != null && !(q instanceof String)) {
      throw new InvalidCanaryException("query.q", "must be a string, got [" + q + "]");
    }
    int limit = query.getValue("limit") == null ? DEFAULT_LIMIT
        : CanaryAssertion.integer(query, "query.limit", 1, 1000);
    Object filter = query.getValue("filter");
    if (filter != null && !(filter instanceof String) && !(filter instanceof JsonArray)) {
      throw new InvalidCanaryException("query.filter", "must be a filter string or array, got [" + filter + "]");
    }
    Object rawAssertions = json.getValue("assertions");
    List<CanaryAssertion> assertions = new ArrayList<>();
    if (rawAssertions != null) {
      if (!(rawAssertions instanceof JsonArray list)) {
        throw new InvalidCanaryException("assertions", "must be a list");
      }
      for (int i = 0; i < list.size(); i++) {
        assertions.add(CanaryAssertion.fromJson(list.getValue(i), "assertions[" + i + "]", limit));
      }
    }
    return new Canary(name, index, interval, q == null ? "" : (String) q, limit, filter, assertions);
  }

  public JsonObject toJson() {
    JsonObject query = searchRequest();
    JsonArray list = new JsonArray();
    assertions.forEach(a -> list.add(a.toJson()));
    return new JsonObject().put("name", name).put("index", index).put("interval_s", intervalS).put("query", query)
        .put("assertions", list);
  }

  private static void unknownKeys(JsonObject json, Set<String> allowed, String prefix) {
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) {
        throw new InvalidCanaryException(prefix + key, "unknown key");
      }
    }
  }
}
