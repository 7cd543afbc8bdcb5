package io.miroir.diff;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The GET form of a search body (Meilisearch 1.21 {@code GET /indexes/{uid}/search}): lists joined by commas, the
 * filter array as JSON text, scalars as their text. Used to send the same search in both forms.
 */
final class GetForm {
  private GetForm() {
  }

  /** True when {@code body} is a JSON object every parameter of which has a GET form. */
  static boolean convertible(JsonObject body) {
    if (body == null) {
      return false;
    }
    for (Map.Entry<String, Object> e : body) {
      Object v = e.getValue();
      boolean scalar = v instanceof String || v instanceof Number || v instanceof Boolean;
      boolean list = v instanceof JsonArray a && (e.getKey().equals("filter")
          || a.stream().allMatch(item -> item instanceof String));
      if (!scalar && !list) {
        return false;
      }
    }
    return true;
  }

  /** {@code ?a=b&...} for {@code body}; throws for a body the GET form cannot express (a bug in the corpus). */
  static String query(JsonObject body) {
    StringJoiner out = new StringJoiner("&", "?", "");
    out.setEmptyValue("");
    for (Map.Entry<String, Object> e : body) {
      out.add(e.getKey() + "=" + URLEncoder.encode(text(e.getKey(), e.getValue()), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private static String text(String key, Object value) {
    if (value instanceof JsonArray array) {
      if (key.equals("filter")) {
        return array.encode();
      }
      StringJoiner joined = new StringJoiner(",");
      array.forEach(v -> joined.add(String.valueOf(v)));
      return joined.toString();
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    throw new IllegalArgumentException("no GET form for " + key + " = " + value);
  }
}
