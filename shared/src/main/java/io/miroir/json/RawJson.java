package io.miroir.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads node answers without building what nobody reads. A search answer's {@code hits} can hold hundreds of
 * documents per node (a node is asked for {@code offset + limit} hits), of which the merge reads two or three fields
 * each and the client gets only the window: {@link #searchAnswer} finds the boundaries of every hit and of each of its
 * fields in one byte scan and leaves the hits as {@link RawObject}s, which decode a field only when it is read and
 * are written back byte for byte by {@link JsonOutput}. Everything else is decoded into the same values Vert.x's
 * {@link JsonObject} holds ({@code LinkedHashMap}, {@code ArrayList}, {@code String}, {@code Integer}/{@code Long}/
 * {@code BigInteger}, {@code Double}, {@code Boolean}, null), so callers cannot tell the difference.
 *
 * <p>The input is a node's answer, i.e. JSON from Meilisearch. Malformed input fails with a {@link DecodeException},
 * as Vert.x's decoder does.
 */
public final class RawJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private RawJson() {
  }

  /** A search (or any object) answer whose top-level {@code hits} elements stay raw; an empty body gives {}. */
  public static JsonObject searchAnswer(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    return searchAnswer(body.getBytes());
  }

  /** As {@link #searchAnswer(Buffer)}. */
  public static JsonObject searchAnswer(byte[] src) {
    try {
      int i = skipWs(src, 0);
      if (src[i] != '{') {
        throw new DecodeException("not a JSON object");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      i = skipWs(src, i + 1);
      if (src[i] == '}') {
        return end(src, i + 1, out);
      }
      expect(src, i, '"');
      while (true) {
        int nameEnd = stringEnd(src, i + 1);
        String name = string(src, i + 1, nameEnd);
        i = skipWs(src, nameEnd + 1);
        expect(src, i, ':');
        i = skipWs(src, i + 1);
        if (src[i] == '[' && "hits".equals(name)) {
          List<Object> hits = new ArrayList<>();
          i = rawElements(src, i, hits);
          out.put(name, hits);
        } else {
          int valueEnd = skipValue(src, i);
          out.put(name, decode(src, i, valueEnd));
          i = valueEnd;
        }
        i = skipWs(src, i);
        if (src[i] == '}') {
          return end(src, i + 1, out);
        }
        expect(src, i, ',');
        i = skipWs(src, i + 1);
        expect(src, i, '"');
      }
    } catch (IndexOutOfBoundsException e) {
      throw new DecodeException("truncated JSON");
    }
  }

  private static JsonObject end(byte[] src, int i, Map<String, Object> out) {
    if (skipWs(src, i) != src.length) {
      throw new DecodeException("Unexpected trailing token");
    }
    return new JsonObject(out);
  }

  /** Reads the array at {@code i}: objects become {@link RawObject}s, other values are decoded. */
  private static int rawElements(byte[] src, int i, List<Object> out) {
    i = skipWs(src, i + 1);
    if (src[i] == ']') {
      return i + 1;
    }
    while (true) {
      if (src[i] == '{') {
        int end = skipValue(src, i);
        out.add(new RawObject(src, i, end));
        i = end;
      } else {
        int valueEnd = skipValue(src, i);
        out.add(decode(src, i, valueEnd));
        i = valueEnd;
      }
      i = skipWs(src, i);
      if (src[i] == ']') {
        return i + 1;
      }
      expect(src, i, ',');
      i = skipWs(src, i + 1);
    }
  }

  static void expect(byte[] src, int i, char c) {
    if (src[i] != c) {
      throw new DecodeException("expected '" + c + "' at byte " + i + ", found '" + (char) (src[i] & 0xff) + "'");
    }
  }

  static int skipWs(byte[] src, int i) {
    while (i < src.length) {
      byte c = src[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return i;
      }
      i++;
    }
    return i;
  }

  /** The index just past the value starting at {@code i} (which is not whitespace). */
  static int skipValue(byte[] src, int i) {
    byte c = src[i];
    if (c == '"') {
      return stringEnd(src, i + 1) + 1;
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      while (true) {
        c = src[i++];
        if (c == '"') {
          i = stringEnd(src, i) + 1;
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            return i;
          }
        }
      }
    }
    int start = i;
    while (i < src.length) {
      c = src[i];
      if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        break;
      }
      i++;
    }
    if (i == start) {
      throw new DecodeException("unexpected '" + (char) (c & 0xff) + "' at byte " + start);
    }
    return i;
  }

  /**
   * The index of the closing quote of the string whose content starts at {@code i}. Most of a node answer's bytes
   * are string contents, so they are searched for a quote or a backslash eight bytes at a time.
   */
  static int stringEnd(byte[] src, int i) {
    int limit = src.length - 8;
    while (true) {
      while (i <= limit) {
        long w = (long) LONGS.get(src, i);
        long quote = w ^ 0x2222222222222222L;
        long slash = w ^ 0x5C5C5C5C5C5C5C5CL;
        long found = ((quote - 0x0101010101010101L) & ~quote | (slash - 0x0101010101010101L) & ~slash)
            & 0x8080808080808080L;
        if (found != 0) {
          // The lowest flagged byte is always a real match (borrows only flag bytes above it).
          i += Long.numberOfTrailingZeros(found) >>> 3;
          break;
        }
        i += 8;
      }
      byte c = src[i];
      if (c == '"') {
        return i;
      }
      i += c == '\\' ? 2 : 1;
    }
  }

  /** The string whose content is {@code src[from, to)} (between the quotes). */
  static String string(byte[] src, int from, int to) {
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      byte c = src[i];
      if (c == '\\') {
        return escapedString(src, from - 1, to + 1);
      }
      ascii &= c >= 0;
    }
    return new String(src, from, to - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  private static String escapedString(byte[] src, int from, int to) {
    try (JsonParser p = FACTORY.createParser(src, from, to - from)) {
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        throw new DecodeException("not a JSON string");
      }
      return p.getText();
    } catch (IOException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }

  /**
   * The value of {@code src[from, to)} as Vert.x's decoder gives it inside a JsonObject: {@code LinkedHashMap},
   * {@code ArrayList}, {@code String}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double},
   * {@code Boolean} or null.
   */
  static Object decode(byte[] src, int from, int to) {
    try {
      Decoder d = new Decoder(src, from);
      Object value = d.value();
      if (d.i != to) {
        throw new DecodeException("Unexpected trailing token");
      }
      return value;
    } catch (IndexOutOfBoundsException e) {
      throw new DecodeException("truncated JSON");
    }
  }

  /** Recursive descent over one value, with a cursor. */
  private static final class Decoder {
    final byte[] src;
    int i;

    Decoder(byte[] src, int i) {
      this.src = src;
      this.i = i;
    }

    Object value() {
      i = skipWs(src, i);
      byte c = src[i];
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"': {
          int end = stringEnd(src, i + 1);
          String s = string(src, i + 1, end);
          i = end + 1;
          return s;
        }
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          int end = skipValue(src, i);
          Object n = number(src, i, end);
          i = end;
          return n;
      }
    }

    private Object literal(String word, Object value) {
      int end = skipValue(src, i);
      if (end - i != word.length() || !word.equals(new String(src, i, end - i, StandardCharsets.ISO_8859_1))) {
        throw new DecodeException("unexpected token at byte " + i);
      }
      i = end;
      return value;
    }

    private Map<String, Object> object() {
      Map<String, Object> out = new LinkedHashMap<>();
      i = skipWs(src, i + 1);
      if (src[i] == '}') {
        i++;
        return out;
      }
      while (true) {
        expect(src, i, '"');
        int nameEnd = stringEnd(src, i + 1);
        String name = string(src, i + 1, nameEnd);
        i = skipWs(src, nameEnd + 1);
        expect(src, i, ':');
        i++;
        out.put(name, value());
        i = skipWs(src, i);
        if (src[i] == '}') {
          i++;
          return out;
        }
        expect(src, i, ',');
        i = skipWs(src, i + 1);
      }
    }

    private List<Object> array() {
      List<Object> out = new ArrayList<>();
      i = skipWs(src, i + 1);
      if (src[i] == ']') {
        i++;
        return out;
      }
      while (true) {
        out.add(value());
        i = skipWs(src, i);
        if (src[i] == ']') {
          i++;
          return out;
        }
        expect(src, i, ',');
        i++;
      }
    }
  }

  /** A JSON number as Jackson reads it: Integer, Long or BigInteger for integers, Double otherwise. */
  static Object number(byte[] src, int from, int to) {
    boolean integer = true;
    int digits = 0;
    for (int i = from; i < to; i++) {
      byte c = src[i];
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' || c == 'e' || c == 'E') {
        integer = false;
      } else if (c != '-' && c != '+') {
        throw new DecodeException("unexpected token at byte " + from);
      }
    }
    if (digits == 0) {
      throw new DecodeException("unexpected token at byte " + from);
    }
    String text = new String(src, from, to - from, StandardCharsets.ISO_8859_1);
    try {
      if (!integer) {
        return Double.parseDouble(text);
      }
      if (digits <= 18) {
        long v = Long.parseLong(text);
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
      }
      BigInteger big = new BigInteger(text);
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    } catch (NumberFormatException e) {
      throw new DecodeException("invalid number at byte " + from);
    }
  }
}
