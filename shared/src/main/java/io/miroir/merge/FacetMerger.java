package io.miroir.merge;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the {@code facetDistribution} and {@code facetStats} of several nodes (SPEC §1.4 step 4, D3, D13;
 * MEILISEARCH-1.21-API §7.3), reproducing how one node lists facet values (milli
 * {@code search/facet/facet_distribution.rs}, {@code facet_distribution_iter.rs}):
 *
 * <ul>
 *   <li>attributes in byte order (a BTreeMap); within one, number values first, then string values;</li>
 *   <li>string values that normalize alike (trim, NFKD, lowercase) are one value; one spelling is shown (here the
 *       first node's; a node shows the spelling of its lowest internal id, which a merge cannot know);</li>
 *   <li>{@code alpha}, at most 3000 candidates: numbers by their displayed text, strings by normalized text, and at
 *       most maxValuesPerFacet in all;</li>
 *   <li>{@code alpha} above 3000 candidates, and {@code count} always: numbers by value (or by count descending, ties
 *       by value descending), then strings by normalized text (or by count descending, ties by text descending),
 *       each inserted until the list holds exactly maxValuesPerFacet, which a node checks after each insertion, so
 *       when the numbers alone fill the list every string value follows. This quirk is reproduced.</li>
 * </ul>
 * Counts are summed per value over the nodes (each shard is counted once by construction). {@code facetStats}: min of
 * the mins, max of the maxes. {@code _miroir_*} attributes are dropped.
 */
final class FacetMerger {
  /** milli's LINEAR_SCAN_CANDIDATES_THRESHOLD. */
  static final long LINEAR_SCAN_THRESHOLD = 3000;

  private static final Comparator<String> UTF8 = MeiliOrder::compareUtf8;

  private FacetMerger() {
  }

  /** One merged facet value. */
  private static final class Value {
    final String display;
    final String key;
    final double number;
    long count;

    Value(String display, String key, double number) {
      this.display = display;
      this.key = key;
      this.number = number;
    }
  }

  /** The values of one attribute, numbers and strings apart as milli keeps them. */
  private static final class Attribute {
    final Map<String, Value> numbers = new HashMap<>();
    final Map<String, Value> strings = new HashMap<>();
  }

  /**
   * Merges the distributions.
   *
   * @param distributions each node's {@code facetDistribution} (null entries are skipped)
   * @param numericAttributes attributes that have number values (those present in some node's {@code facetStats})
   * @param manyCandidates true when the query is known to match more than 3000 documents
   */
  static JsonObject mergeDistribution(List<JsonObject> distributions, Set<String> numericAttributes, IndexView view,
      boolean manyCandidates) {
    Map<String, Attribute> attributes = new TreeMap<>(UTF8);
    boolean many = manyCandidates;
    for (JsonObject distribution : distributions) {
      if (distribution == null) {
        continue;
      }
      for (Map.Entry<String, Object> e : distribution.getMap().entrySet()) {
        if (ReservedFields.isReserved(e.getKey())) {
          continue;
        }
        Attribute attribute = attributes.computeIfAbsent(e.getKey(), k -> new Attribute());
        boolean numeric = numericAttributes.contains(e.getKey());
        many |= add(attribute, MeiliOrder.asMap(e.getValue()), numeric) && !view.sortsFacetByCount(e.getKey());
      }
    }
    JsonObject out = new JsonObject(new LinkedHashMap<>(attributes.size() * 2));
    for (Map.Entry<String, Attribute> e : attributes.entrySet()) {
      out.put(e.getKey(), list(e.getValue(), view.sortsFacetByCount(e.getKey()), many, view.maxValuesPerFacet()));
    }
    return out;
  }

  /** Merges {@code facetStats}: min of mins, max of maxes, attributes in byte order. */
  static JsonObject mergeStats(List<JsonObject> stats) {
    Map<String, double[]> merged = new TreeMap<>(UTF8);
    for (JsonObject s : stats) {
      if (s == null) {
        continue;
      }
      for (Map.Entry<String, Object> e : s.getMap().entrySet()) {
        Map<String, Object> minMax = MeiliOrder.asMap(e.getValue());
        if (ReservedFields.isReserved(e.getKey()) || minMax == null
            || !(minMax.get("min") instanceof Number min) || !(minMax.get("max") instanceof Number max)) {
          continue;
        }
        double[] m = merged.computeIfAbsent(e.getKey(),
            k -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        m[0] = Math.min(m[0], min.doubleValue());
        m[1] = Math.max(m[1], max.doubleValue());
      }
    }
    JsonObject out = new JsonObject(new LinkedHashMap<>(merged.size() * 2));
    merged.forEach((name, m) -> {
      Map<String, Object> minMax = new LinkedHashMap<>(4);
      minMax.put("min", m[0]);
      minMax.put("max", m[1]);
      out.put(name, new JsonObject(minMax));
    });
    return out;
  }

  /**
   * Adds one node's values of an attribute; returns true when its number values were not in text order, which a
   * node only does when it walked its facet levels (more than 3000 candidates).
   */
  private static boolean add(Attribute attribute, Map<String, Object> values, boolean numeric) {
    if (values == null) {
      return false;
    }
    boolean outOfTextOrder = false;
    String previousNumber = null;
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String display = e.getKey();
      long count = e.getValue() instanceof Number n ? n.longValue() : 0;
      Value v;
      if (numeric && MeiliOrder.looksLikeRustNumber(display)) {
        outOfTextOrder |= previousNumber != null && display.compareTo(previousNumber) < 0;
        previousNumber = display;
        v = attribute.numbers.computeIfAbsent(display, d -> new Value(d, d, Double.parseDouble(d)));
      } else {
        String key = MeiliOrder.normalizeFacet(display);
        v = attribute.strings.get(key);
        if (v == null) {
          v = new Value(display, key, Double.NaN);
          attribute.strings.put(key, v);
        }
      }
      v.count += count;
    }
    return outOfTextOrder;
  }

  private static JsonObject list(Attribute attribute, boolean byCount, boolean many, int max) {
    List<Value> numbers = new ArrayList<>(attribute.numbers.values());
    List<Value> strings = new ArrayList<>(attribute.strings.values());
    Map<String, Object> out = new LinkedHashMap<>(Math.min(max, numbers.size() + strings.size()) * 2 + 2);
    if (!byCount && !many) {
      // facet_distribution_from_documents: BTreeMaps, then take(max - len) per type.
      numbers.sort((a, b) -> a.display.compareTo(b.display));
      strings.sort((a, b) -> MeiliOrder.compareUtf8(a.key, b.key));
      takeUpTo(numbers, out, max);
      takeUpTo(strings, out, max);
    } else {
      numbers.sort(byCount ? FacetMerger::byCountThenNumberDesc : (a, b) -> Double.compare(a.number, b.number));
      strings.sort(byCount ? FacetMerger::byCountThenKeyDesc : (a, b) -> MeiliOrder.compareUtf8(a.key, b.key));
      insertUntilFull(numbers, out, max);
      insertUntilFull(strings, out, max);
    }
    return new JsonObject(out);
  }

  private static void takeUpTo(List<Value> values, Map<String, Object> out, int max) {
    for (int i = 0; i < values.size() && out.size() < max; i++) {
      out.put(values.get(i).display, MeiliOrder.count(values.get(i).count));
    }
  }

  /** The facet-levels callback: insert, then stop when the map holds exactly max entries. */
  private static void insertUntilFull(List<Value> values, Map<String, Object> out, int max) {
    for (Value v : values) {
      out.put(v.display, MeiliOrder.count(v.count));
      if (out.size() == max) {
        return;
      }
    }
  }

  /** Count descending; equal counts leave a node's heap by key bytes descending (for numbers: value descending). */
  private static int byCountThenNumberDesc(Value a, Value b) {
    int c = Long.compare(b.count, a.count);
    return c != 0 ? c : Double.compare(b.number, a.number);
  }

  private static int byCountThenKeyDesc(Value a, Value b) {
    int c = Long.compare(b.count, a.count);
    return c != 0 ? c : MeiliOrder.compareUtf8(b.key, a.key);
  }
}
