package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Keeps Miroir's own fields out of full-text matching on the nodes (SPEC §0 principle 1, §1.5, D13).
 *
 * <p>With {@code searchableAttributes: ["*"]} every field of a node's documents is searchable, {@code _miroir_shard}
 * included, so a query word that is a small integer (or a prefix of one) matches documents through their shard
 * number: hits, totals and facet counts change. Meilisearch has no way to exclude one field from {@code *}, and an
 * explicit searchable list is not equivalent: with {@code *} Meilisearch 1.21 gives every field the same attribute
 * weight, with a list each field weighs by its position (verified on the binary: documents matching in fields
 * {@code a}, {@code b}, {@code c} all score 1.0 with {@code *}, and 0.9 / 0.8 / 0.7 with
 * {@code ["id", "a", "b", "c", "n"]}).
 *
 * <p>The remedy is per query: {@code attributesToSearchOn} restricts matching to the listed fields without changing
 * their weights (they still come from {@code searchableAttributes}). So a node is asked with
 * {@code attributesToSearchOn} = every field it holds except reserved ones ({@code F} and {@code F.*} per top-level
 * field, as read from its stats just before), which matches exactly the documents one node without
 * {@code _miroir_shard} matches: hits, totals and facets are exact. Meilisearch 1.21 still reads word positions and
 * exactness from the excluded field, so such a document can rank as if the number stood first in it
 * (docs/search-merge.md, A5). This is only done when needed: the index searches every field, the query can produce a number word
 * (it contains a digit, or a synonym of the index contains one: shard numbers are digit-only words), and the client
 * did not restrict the fields itself (a client list containing {@code *} gets {@code *} replaced by the fields).
 */
public final class SearchableFields {
  private SearchableFields() {
  }

  /** True when {@code request} (a search or facet-search body) must be restricted for this index. */
  public static boolean needed(JsonObject request, IndexView view) {
    if (!view.searchesEveryField() || !(request.getValue("q") instanceof String q) || q.isBlank()) {
      return false;
    }
    Object clientValue = request.getValue("attributesToSearchOn");
    if (clientValue != null) {
      List<Object> list = MeiliOrder.asList(clientValue);
      if (list == null || !list.contains("*")) {
        // The client's own fields (a reserved one is never among them), or a bad value the node rejects.
        return false;
      }
    }
    return view.synonymsWithDigits() || hasDigit(q);
  }

  /**
   * True when {@code text} contains a decimal digit, also after compatibility decomposition (the tokenizer turns
   * {@code ²} or a full-width {@code ２} into {@code 2}).
   */
  public static boolean hasDigit(String text) {
    if (containsDigit(text)) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return containsDigit(Normalizer.normalize(text, Normalizer.Form.NFKD));
      }
    }
    return false;
  }

  private static boolean containsDigit(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isDigit(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code attributesToSearchOn} for a node holding {@code fields} (top-level names): each non-reserved field
   * and its nested fields, in byte order; a client list keeps its entries with {@code *} replaced by them.
   */
  public static JsonArray restrict(Object clientValue, Collection<String> fields) {
    JsonArray patterns = new JsonArray();
    for (String field : new TreeSet<>(fields)) {
      if (!ReservedFields.isReserved(field)) {
        patterns.add(field).add(field + ".*");
      }
    }
    List<Object> client = MeiliOrder.asList(clientValue);
    if (client == null) {
      return patterns;
    }
    JsonArray out = new JsonArray();
    for (Object item : client) {
      if ("*".equals(item)) {
        patterns.forEach(out::add);
      } else {
        out.add(item);
      }
    }
    return out;
  }

  /** The top-level field names of nodes' {@code GET /indexes/{uid}/stats} answers ({@code fieldDistribution}). */
  public static TreeSet<String> fromStats(Collection<JsonObject> stats) {
    TreeSet<String> fields = new TreeSet<>();
    for (JsonObject s : stats) {
      Map<String, Object> distribution = s == null ? null : MeiliOrder.asMap(s.getValue("fieldDistribution"));
      if (distribution != null) {
        fields.addAll(distribution.keySet());
      }
    }
    return fields;
  }
}
