package io.miroir.merge;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Facet counts of a page-mode search under {@code distinct} (SPEC D3; docs/search-merge.md, A4), recounted from the
 * counting answers ({@link SearchPlan#distinctCountRequest}) instead of summed over nodes.
 *
 * <p>One node counts facets over the documents its distinct pass keeps: one per distinct value. Summing nodes counts
 * a value held by several nodes once per node (about 1.7 times too many on editions spread over three nodes). When
 * every node's distinct hits are all in its counting answer, the fleet-wide kept set is known: one document per
 * distinct value (the first met, in node order) plus every document without a value. Counting its facet values gives
 * one node's counts exactly for attributes that are the same on every document of a distinct group (a work's genre
 * or author); for an attribute that varies inside a group (an edition's price), one node counts the member it keeps,
 * chosen by its internal ids, which no merge can know.
 */
final class DistinctFacets {
  private DistinctFacets() {
  }

  /**
   * The kept documents, or null when they are not all known (a node's answer is cut, or a hit has several distinct
   * values, whose exclusion depends on document order).
   */
  static List<Map<String, Object>> kept(List<JsonObject> counts, String distinct, int maxTotalHits) {
    Set<Object> seen = new HashSet<>();
    List<Map<String, Object>> kept = new ArrayList<>();
    for (JsonObject c : counts) {
      long total = c.getValue("totalHits") instanceof Number n ? n.longValue() : -1;
      List<Object> hits = MeiliOrder.asList(c.getValue("hits"));
      if (total < 0 || total >= maxTotalHits || hits == null || hits.size() != total) {
        return null;
      }
      for (Object o : hits) {
        Map<String, Object> hit = MeiliOrder.asMap(o);
        List<Object> values = DistinctValues.values(hit, distinct);
        if (values.size() > 1) {
          return null;
        }
        if (values.isEmpty() || seen.add(values.get(0))) {
          kept.add(hit);
        }
      }
    }
    return kept;
  }

  /**
   * The {@code facetDistribution} of the kept documents for {@code attributes}, as one node lists it
   * ({@link FacetMerger} orders and cuts it), and their {@code facetStats}; {@code [distribution, stats]}.
   */
  static JsonObject[] count(List<Map<String, Object>> kept, List<String> attributes, IndexView view) {
    JsonObject distribution = new JsonObject();
    Map<String, double[]> stats = new TreeMap<>();
    Set<String> numeric = new HashSet<>();
    for (String attribute : attributes) {
      Map<String, Long> numbers = new TreeMap<>();
      Map<String, Long> strings = new LinkedHashMap<>();
      Map<String, String> spelling = new TreeMap<>(MeiliOrder::compareUtf8);
      for (Map<String, Object> doc : kept) {
        for (Object v : leaves(DistinctValues.lookup(doc, attribute))) {
          if (v instanceof Number n) {
            numbers.merge(display(n.doubleValue()), 1L, Long::sum);
            double[] minMax = stats.computeIfAbsent(attribute,
                k -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
            minMax[0] = Math.min(minMax[0], n.doubleValue());
            minMax[1] = Math.max(minMax[1], n.doubleValue());
          } else {
            String key = MeiliOrder.normalizeFacet(String.valueOf(v));
            spelling.putIfAbsent(key, String.valueOf(v));
            strings.merge(key, 1L, Long::sum);
          }
        }
      }
      if (!numbers.isEmpty()) {
        numeric.add(attribute);
      }
      distribution.put(attribute, listing(numbers, strings, spelling));
    }
    long candidates = kept.size();
    JsonObject merged = FacetMerger.mergeDistribution(List.of(distribution), numeric, view,
        candidates > FacetMerger.LINEAR_SCAN_THRESHOLD);
    return new JsonObject[] {merged, FacetMerger.mergeStats(List.of(statsObject(stats)))};
  }

  /** Numbers first in text order (as a node below 3000 candidates lists them), then strings by normalized form. */
  private static JsonObject listing(Map<String, Long> numbers, Map<String, Long> strings,
      Map<String, String> spelling) {
    Map<String, Object> out = new LinkedHashMap<>();
    numbers.forEach((display, count) -> out.put(display, MeiliOrder.count(count)));
    spelling.forEach((key, shown) -> out.put(shown, MeiliOrder.count(strings.get(key))));
    return new JsonObject(out);
  }

  private static JsonObject statsObject(Map<String, double[]> stats) {
    JsonObject out = new JsonObject();
    stats.forEach((name, m) -> out.put(name, new JsonObject().put("min", m[0]).put("max", m[1])));
    return out;
  }

  /** The facet values of one document: array elements once each, booleans as {@code true}/{@code false}. */
  private static Set<Object> leaves(Object value) {
    Set<Object> out = new LinkedHashSet<>();
    List<Object> list = MeiliOrder.asList(value);
    if (list != null) {
      for (Object element : list) {
        out.addAll(leaves(element));
      }
    } else if (value instanceof Number || value instanceof String) {
      out.add(value instanceof Number n ? (Object) n.doubleValue() : value);
    } else if (value instanceof Boolean b) {
      out.add(b ? "true" : "false");
    }
    return out;
  }

  /** How Rust prints an {@code f64}: shortest round-trip digits, no exponent, no trailing {@code .0}. */
  static String display(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
