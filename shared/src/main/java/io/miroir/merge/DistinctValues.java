package io.miroir.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The distinct values of a hit as milli sees them (SPEC D3 {@code distinct}): the facet values of the distinct
 * attribute, i.e. numbers as {@code f64} and strings normalized ({@link MeiliOrder#normalizeFacet}); booleans are
 * faceted as the strings {@code true}/{@code false}; arrays give one value per element; a hit without a value is
 * always kept.
 */
final class DistinctValues {
  private DistinctValues() {
  }

  /** True when no value of the hit was seen yet; marks all of them as seen when admitted. */
  static boolean admit(Map<String, Object> hit, String attribute, Set<Object> seen) {
    List<Object> values = new ArrayList<>(2);
    collect(lookup(hit, attribute), values);
    for (Object v : values) {
      if (seen.contains(v)) {
        return false;
      }
    }
    seen.addAll(values);
    return true;
  }

  /** The distinct values of a hit (empty when it has none), normalized as {@link #admit} compares them. */
  static List<Object> values(Map<String, Object> hit, String attribute) {
    List<Object> values = new ArrayList<>(2);
    collect(lookup(hit, attribute), values);
    return values;
  }

  /** The value at a dotted path, whether the hit holds it flat ({@code "a.b": 1}) or nested ({@code a: {b: 1}}). */
  static Object lookup(Map<String, Object> object, String path) {
    if (object == null) {
      return null;
    }
    Object direct = object.get(path);
    if (direct != null) {
      return direct;
    }
    int dot = path.indexOf('.');
    while (dot > 0) {
      Object child = object.get(path.substring(0, dot));
      Map<String, Object> map = MeiliOrder.asMap(child);
      if (map != null) {
        Object found = lookup(map, path.substring(dot + 1));
        if (found != null) {
          return found;
        }
      } else if (MeiliOrder.asList(child) != null) {
        List<Object> found = new ArrayList<>();
        for (Object element : MeiliOrder.asList(child)) {
          Object v = lookup(MeiliOrder.asMap(element), path.substring(dot + 1));
          if (v != null) {
            found.add(v);
          }
        }
        if (!found.isEmpty()) {
          return found;
        }
      }
      dot = path.indexOf('.', dot + 1);
    }
    return null;
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
}
