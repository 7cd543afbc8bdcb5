package io.miroir.merge;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The small orderings Meilisearch 1.21 uses when it ranks and lists values, reproduced so a merge of several nodes
 * orders exactly as one node would (SPEC §0 principle 1, D3; MEILISEARCH-1.21-API §7.3, §7.4).
 *
 * <p>Sources: {@code crates/milli/src/score_details.rs} ({@code compare_sort_values}),
 * {@code crates/milli/src/lib.rs} ({@code normalize_facet}), {@code crates/milli/src/search/facet/search.rs}
 * (lossy normalization of facet-search queries). Rust compares {@code str} by UTF-8 bytes, which is code point
 * order, not Java's UTF-16 order.
 */
final class MeiliOrder {
  /** How a number facet value is displayed by Rust's {@code f64} Display: no exponent, no trailing zeros. */
  private static final Pattern RUST_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?");

  private MeiliOrder() {
  }

  /** Code point (UTF-8 byte) order, as Rust's {@code str::cmp}. */
  static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        boolean sa = Character.isSurrogate(ca);
        boolean sb = Character.isSurrogate(cb);
        // A surrogate encodes a code point above U+FFFF, which UTF-16 order would put below U+E000..U+FFFF.
        if (sa != sb) {
          return sa ? 1 : -1;
        }
        return ca - cb;
      }
    }
    return a.length() - b.length();
  }

  /**
   * Meilisearch's facet normalization ({@code normalize_facet}): trim, NFKD, lowercase. Facet values that normalize
   * alike are one value (counted together, one spelling shown), and their order is the order of this form.
   */
  static String normalizeFacet(String s) {
    if (isPlainAscii(s)) {
      // Fast path for the common case: NFKD leaves ASCII unchanged and toLowerCase returns s itself when it can.
      return s.toLowerCase(Locale.ROOT);
    }
    return Normalizer.normalize(trimUnicode(s), Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
  }

  /**
   * Approximates charabia's lossy normalization used for facet-search keys: {@link #normalizeFacet} then without
   * combining marks (so {@code é} files under {@code e}).
   */
  static String lossyNormalize(String s) {
    String n = normalizeFacet(s);
    if (isPlainAscii(n)) {
      return n;
    }
    StringBuilder b = new StringBuilder(n.length());
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      int type = Character.getType(c);
      if (type != Character.NON_SPACING_MARK && type != Character.COMBINING_SPACING_MARK
          && type != Character.ENCLOSING_MARK) {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** True when {@code s} reads as a number facet value as Rust displays an {@code f64}. */
  static boolean looksLikeRustNumber(String s) {
    return !s.isEmpty() && s.length() < 400 && RUST_NUMBER.matcher(s).matches();
  }

  /**
   * {@code compare_sort_values}: the ordering of two sort-rule values where {@code > 0} means {@code left} ranks
   * first. Numbers come before strings in both directions, a missing value (null) comes last, strings compare by
   * bytes of their normalized form (the node already reports the normalized form), anything else is equal.
   */
  static int compareSortValues(boolean ascending, Object left, Object right) {
    if (left == null || right == null) {
      return left == right ? 0 : (left == null ? -1 : 1);
    }
    if (left instanceof Number l && right instanceof Number r) {
      int order = Double.compare(l.doubleValue(), r.doubleValue());
      return ascending ? -order : order;
    }
    if (left instanceof String l && right instanceof String r) {
      int order = compareUtf8(l, r);
      return ascending ? -order : order;
    }
    if (left instanceof Number && right instanceof String) {
      return 1;
    }
    if (left instanceof String && right instanceof Number) {
      return -1;
    }
    return 0;
  }

  /** A count as a decoded Meilisearch answer holds it: an Integer when it fits, so merged and node JSON compare equal. */
  static Number count(long value) {
    // Not a ternary: it would unbox both branches and promote the Integer back to a long.
    if (value == (int) value) {
      return Integer.valueOf((int) value);
    }
    return Long.valueOf(value);
  }

  /** A nested JSON object from a decoded body: Jackson gives Maps, hand-built ones are JsonObjects. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    if (o instanceof io.vertx.core.json.JsonObject j) {
      return j.getMap();
    }
    return null;
  }

  /** A nested JSON array from a decoded body: Jackson gives Lists, hand-built ones are JsonArrays. */
  @SuppressWarnings("unchecked")
  static List<Object> asList(Object o) {
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    if (o instanceof io.vertx.core.json.JsonArray a) {
      return a.getList();
    }
    return null;
  }

  private static boolean isPlainAscii(String s) {
    int n = s.length();
    if (n > 0 && (s.charAt(0) <= ' ' || s.charAt(n - 1) <= ' ')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Rust's {@code str::trim} trims Unicode White_Space, which includes the no-break spaces Java's strip keeps. */
  private static String trimUnicode(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isWhite(s.charAt(start))) {
      start++;
    }
    while (end > start && isWhite(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isWhite(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }
}
