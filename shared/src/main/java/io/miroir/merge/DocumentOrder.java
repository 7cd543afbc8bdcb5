package io.miroir.merge;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The global order of a document listing ({@code GET …/documents}, {@code POST …/documents/fetch}) over shards (SPEC
 * D2, D3; MEILISEARCH-1.21-API §2.6, §3.5).
 *
 * <p>Without {@code sort}, one node lists by internal document id, which a sharded store does not have: Miroir lists
 * the nodes of the covering set one after the other (in node id order), each in its own internal-id order
 * ({@link #window}). With {@code sort}, each node's sorted list is merged by the sort values, as Meilisearch 1.21
 * sorts documents ({@link #mergeSorted}): numbers before strings in both directions, strings by their normalized
 * form, a document listed once per combination of its values (an array of two values lists it twice) and not at all
 * when a sort attribute has no value; equal values keep the node order, then each node's own order.
 */
public final class DocumentOrder {
  private static final Pattern GEO = Pattern.compile(
      "_geoPoint\\(\\s*(-?[0-9.eE+-]+)\\s*,\\s*(-?[0-9.eE+-]+)\\s*\\):(asc|desc)");

  private DocumentOrder() {
  }

  /** One page of the concatenation of the nodes' lists (each list holding that node's first offset+limit). */
  public static List<Object> window(List<List<Object>> nodeLists, long offset, long limit) {
    List<Object> out = new ArrayList<>();
    long position = 0;
    for (List<Object> list : nodeLists) {
      for (Object doc : list) {
        if (out.size() >= limit) {
          return out;
        }
        if (position++ >= offset) {
          out.add(doc);
        }
      }
    }
    return out;
  }

  /**
   * For a page at {@code offset}/{@code limit} and the nodes' totals, the part each node contributes:
   * {@code {offset, limit}} in that node's own list, {@code null} for a node outside the page.
   */
  public static List<long[]> ranges(List<Long> totals, long offset, long limit) {
    List<long[]> out = new ArrayList<>(totals.size());
    long before = 0;
    long end = offset + limit;
    for (long total : totals) {
      long from = Math.max(offset, before);
      long to = Math.min(end, before + total);
      out.add(to > from ? new long[] {from - before, to - from} : null);
      before += total;
    }
    return out;
  }

  /** The attributes a sort needs in the documents ({@code _geo} for a geo rule). */
  public static List<String> sortAttributes(List<String> rules) {
    List<String> out = new ArrayList<>(rules.size());
    for (String rule : rules) {
      if (GEO.matcher(rule.trim()).matches()) {
        out.add("_geo");
      } else {
        int colon = rule.lastIndexOf(':');
        out.add(colon > 0 ? rule.substring(0, colon) : rule);
      }
    }
    return out;
  }

  /** A position in one node's sorted list. */
  private static final class Cursor {
    final List<Object> docs;
    final int node;
    final Map<String, Integer> appearances = new HashMap<>();
    int position;
    Map<String, Object> doc;
    Object[] key;

    Cursor(List<Object> docs, int node) {
      this.docs = docs;
      this.node = node;
    }
  }

  /**
   * Merges the nodes' sorted lists (each the node's first offset+limit) and returns the page.
   *
   * @param rules the client's sort rules ({@code attr:asc}, {@code _geoPoint(lat, lng):desc})
   */
  public static List<Object> mergeSorted(List<List<Object>> nodeLists, List<String> rules, long offset, long limit) {
    Rule[] parsed = new Rule[rules.size()];
    for (int i = 0; i < parsed.length; i++) {
      parsed[i] = Rule.parse(rules.get(i));
    }
    PriorityQueue<Cursor> heads = new PriorityQueue<>(Math.max(1, nodeLists.size()), (a, b) -> {
      for (int i = 0; i < parsed.length; i++) {
        int c = MeiliOrder.compareSortValues(parsed[i].ascending, a.key[i], b.key[i]);
        if (c != 0) {
          return -c;
        }
      }
      return Integer.compare(a.node, b.node);
    });
    for (int n = 0; n < nodeLists.size(); n++) {
      Cursor c = new Cursor(nodeLists.get(n), n);
      if (advance(c, parsed)) {
        heads.add(c);
      }
    }
    List<Object> out = new ArrayList<>();
    long skipped = 0;
    while (!heads.isEmpty() && out.size() < limit) {
      Cursor c = heads.poll();
      Map<String, Object> doc = c.doc;
      if (advance(c, parsed)) {
        heads.add(c);
      }
      if (skipped < offset) {
        skipped++;
      } else {
        out.add(doc instanceof JsonObject ? doc : new JsonObject(doc));
      }
    }
    return out;
  }

  private static boolean advance(Cursor c, Rule[] rules) {
    while (c.position < c.docs.size()) {
      Object o = c.docs.get(c.position++);
      Map<String, Object> doc = MeiliOrder.asMap(o);
      if (doc == null) {
        continue;
      }
      String identity = new JsonObject(doc).encode();
      int k = c.appearances.merge(identity, 1, Integer::sum) - 1;
      c.doc = doc;
      c.key = keyOf(doc, rules, k);
      return true;
    }
    c.doc = null;
    return false;
  }

  /** The k-th combination, in sort order, of the document's values for the rules (as a node lists them). */
  private static Object[] keyOf(Map<String, Object> doc, Rule[] rules, int k) {
    List<Object[]> combinations = new ArrayList<>();
    combinations.add(new Object[rules.length]);
    for (int i = 0; i < rules.length; i++) {
      List<Object> values = rules[i].values(doc);
      if (values.isEmpty()) {
        values = java.util.Collections.singletonList(null);
      }
      List<Object[]> next = new ArrayList<>(combinations.size() * values.size());
      for (Object[] prefix : combinations) {
        for (Object v : values) {
          Object[] key = prefix.clone();
          key[i] = v;
          next.add(key);
        }
      }
      combinations = next;
    }
    if (combinations.size() > 1) {
      combinations.sort((a, b) -> {
        for (int i = 0; i < rules.length; i++) {
          int c = MeiliOrder.compareSortValues(rules[i].ascending, a[i], b[i]);
          if (c != 0) {
            return -c;
          }
        }
        return 0;
      });
    }
    return combinations.get(Math.min(k, combinations.size() - 1));
  }

  /** One sort rule. */
  private record Rule(String attribute, boolean ascending, double[] point) {
    static Rule parse(String rule) {
      String r = rule.trim();
      Matcher geo = GEO.matcher(r);
      if (geo.matches()) {
        return new Rule("_geo", "asc".equals(geo.group(3)), new double[] {Double.parseDouble(geo.group(1)),
            Double.parseDouble(geo.group(2))});
      }
      int colon = r.lastIndexOf(':');
      return new Rule(colon > 0 ? r.substring(0, colon) : r, colon > 0 && r.endsWith(":asc"), null);
    }

    /** The document's sortable values: numbers as doubles, strings normalized, booleans as text. */
    List<Object> values(Map<String, Object> doc) {
      List<Object> out = new ArrayList<>(2);
      Object raw = DistinctValues.lookup(doc, attribute);
      if (point != null) {
        Map<String, Object> geo = MeiliOrder.asMap(raw);
        Double lat = geo == null ? null : coordinate(geo.get("lat"));
        Double lng = geo == null ? null : coordinate(geo.get("lng"));
        if (lat != null && lng != null) {
          out.add(distance(point[0], point[1], lat, lng));
        }
        return out;
      }
      collect(raw, out);
      return out;
    }

    private static void collect(Object value, List<Object> out) {
      if (value instanceof Number n) {
        out.add(n.doubleValue());
      } else if (value instanceof String s) {
        out.add(MeiliOrder.normalizeFacet(s));
      } else if (value instanceof Boolean b) {
        out.add(b ? "true" : "false");
      } else if (MeiliOrder.asList(value) != null) {
        for (Object element : MeiliOrder.asList(value)) {
          collect(element, out);
        }
      }
    }

    private static Double coordinate(Object v) {
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      if (v instanceof String s) {
        try {
          return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return null;
    }
  }

  /** Haversine distance in metres on a sphere of the mean Earth radius (as milli's distance_between_two_points). */
  static double distance(double lat1, double lng1, double lat2, double lng2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double dp = Math.toRadians(lat2 - lat1);
    double dl = Math.toRadians(lng2 - lng1);
    double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
