package io.miroir.meili;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Compact JSON exactly as serde_json's {@code to_string} prints it, which is how Meilisearch embeds documents and
 * ids in its document errors (MEILISEARCH-1.21-API §6.2): no spaces, floats via {@link RustFormat#ryu}, only the
 * mandatory escapes (control characters as lower-case hex), {@code /} and non-ASCII left as they are.
 */
final class SerdeJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

  private SerdeJson() {
  }

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      appendString(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof JsonObject o) {
      appendObject(out, o.getMap());
    } else if (value instanceof Map<?, ?> m) {
      appendObject(out, m);
    } else if (value instanceof JsonArray a) {
      appendArray(out, a.getList());
    } else if (value instanceof List<?> l) {
      appendArray(out, l);
    } else if (value instanceof Number n) {
      out.append(number(n));
    } else {
      appendString(out, value.toString());
    }
  }

  /** A number as serde_json holds it: i64 or u64 stay integers, everything else is an f64. */
  static String number(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return Long.toString(n.longValue());
    }
    if (n instanceof BigInteger big && fitsInteger(big)) {
      return big.toString();
    }
    double d = n instanceof BigDecimal dec ? dec.doubleValue() : n.doubleValue();
    return Double.isFinite(d) ? RustFormat.ryu(d) : "null";
  }

  /** serde_json keeps an integer literal as an integer only within i64 ∪ u64; beyond, it is an f64. */
  static boolean fitsInteger(BigInteger value) {
    return value.compareTo(I64_MIN) >= 0 && value.compareTo(U64_MAX) <= 0;
  }

  private static void appendObject(StringBuilder out, Map<?, ?> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      appendString(out, String.valueOf(e.getKey()));
      out.append(':');
      append(out, e.getValue());
    }
    out.append('}');
  }

  private static void appendArray(StringBuilder out, List<?> list) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      append(out, list.get(i));
    }
    out.append(']');
  }

  static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
