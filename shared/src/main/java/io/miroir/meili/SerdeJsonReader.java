package io.miroir.meili;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON reader that fails exactly where, and with the words, serde_json fails, so that Miroir's synchronous
 * {@code malformed_payload} answers match Meilisearch's (SPEC §2.4, D10; MEILISEARCH-1.21-API §4.3, §7.5).
 *
 * <p>serde_json has two modes and Meilisearch uses both. {@link #scanRaw} is its {@code ignore_value}, used for
 * every element of a JSON array and every NDJSON value: no recursion limit, no trailing-comma diagnosis, UTF-8
 * checked once at the end of the value, numbers and {@code \\u} escapes only checked for syntax. {@link
 * #strictValue} is its {@code Value} deserializer, used for a lone JSON object and for {@code delete-batch}: depth
 * limit 128, trailing commas reported, each string and number checked. A value the raw mode lets through but the
 * strict one may reject (an out-of-range number, a lone surrogate, deep nesting) marks the scan {@link
 * ScanFacts#suspect}: Meilisearch accepts such a payload and fails the task later, when it re-reads the document
 * strictly. Numbers are converted as serde_json converts them without its {@code float_roundtrip} feature (as
 * Meilisearch 1.21 is built): {@code 9007199254740993.0} reads as {@code 9007199254740994.0}.
 *
 * <p>Positions follow serde_json: {@code line} counts {@code \n} from 1; {@code column} is the byte offset in the line,
 * either of the reader position ("error") or one past it ("peek error"), relative to the slice being parsed.
 */
final class SerdeJsonReader {
  static final String EOF_LIST = "EOF while parsing a list";
  static final String EOF_OBJECT = "EOF while parsing an object";
  static final String EOF_STRING = "EOF while parsing a string";
  static final String EOF_VALUE = "EOF while parsing a value";
  static final String EXPECTED_COLON = "expected `:`";
  static final String EXPECTED_LIST_COMMA = "expected `,` or `]`";
  static final String EXPECTED_OBJECT_COMMA = "expected `,` or `}`";
  static final String EXPECTED_IDENT = "expected ident";
  static final String EXPECTED_VALUE = "expected value";
  static final String INVALID_ESCAPE = "invalid escape";
  static final String INVALID_NUMBER = "invalid number";
  static final String OUT_OF_RANGE = "number out of range";
  static final String INVALID_UNICODE = "invalid unicode code point";
  static final String CONTROL_CHAR = "control character (\\u0000-\\u001F) found while parsing a string";
  static final String KEY_NOT_STRING = "key must be a string";
  static final String LONE_SURROGATE = "lone leading surrogate in hex escape";
  static final String TRAILING_COMMA = "trailing comma";
  static final String TRAILING_CHARACTERS = "trailing characters";
  static final String END_OF_HEX_ESCAPE = "unexpected end of hex escape";
  static final String RECURSION_LIMIT = "recursion limit exceeded";

  private static final int MAX_DEPTH = 128;
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final double[] POW10 = new double[309];

  static {
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = Double.parseDouble("1e" + i); // the correctly rounded literals serde_json's table holds
    }
  }

  private final byte[] in;
  private final int from;
  private final int end;
  private int idx;
  private int remainingDepth = MAX_DEPTH;

  SerdeJsonReader(byte[] in, int from, int to) {
    this.in = in;
    this.from = from;
    this.end = to;
    this.idx = from;
  }

  int index() {
    return idx;
  }

  // ---------------------------------------------------------------- primitives

  /** Skips JSON whitespace; the next byte, or -1 at the end. */
  int peekWs() {
    while (idx < end) {
      int b = in[idx] & 0xFF;
      if (b != ' ' && b != '\n' && b != '\t' && b != '\r') {
        return b;
      }
      idx++;
    }
    return -1;
  }

  int peek() {
    return idx < end ? in[idx] & 0xFF : -1;
  }

  void eat() {
    idx++;
  }

  SerdeJsonException error(String description) {
    return at(idx, description, false);
  }

  SerdeJsonException peekError(String description) {
    return at(Math.min(end, idx + 1), description, false);
  }

  SerdeJsonException dataError(String unexpected, String expected) {
    return at(idx, "invalid type: " + unexpected + ", expected " + expected, true);
  }

  private SerdeJsonException at(int position, String description, boolean data) {
    int[] lc = lineColumn(in, from, position);
    return new SerdeJsonException(description, lc[0], lc[1], data);
  }

  /** serde_json's {@code position_of_index} over the slice starting at {@code base}. */
  static int[] lineColumn(byte[] in, int base, int position) {
    int line = 1;
    int startOfLine = base;
    for (int i = base; i < position; i++) {
      if (in[i] == '\n') {
        line++;
        startOfLine = i + 1;
      }
    }
    return new int[] {line, position - startOfLine};
  }

  /** serde_json's {@code Deserializer::end}: only whitespace may follow. */
  void end() {
    if (peekWs() >= 0) {
      throw peekError(TRAILING_CHARACTERS);
    }
  }

  // ---------------------------------------------------------------- strict mode (serde_json::Value)

  /** One value as {@code serde_json::Value} deserializes it. */
  Object strictValue() {
    int c = peekWs();
    switch (c) {
      case -1 -> throw peekError(EOF_VALUE);
      case 'n' -> {
        eat();
        ident("ull");
        return null;
      }
      case 't' -> {
        eat();
        ident("rue");
        return Boolean.TRUE;
      }
      case 'f' -> {
        eat();
        ident("alse");
        return Boolean.FALSE;
      }
      case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
        return strictNumber();
      }
      case '"' -> {
        eat();
        return strictString();
      }
      case '[' -> {
        enterContainer();
        JsonArray array = strictArray();
        remainingDepth++;
        return array;
      }
      case '{' -> {
        enterContainer();
        JsonObject object = strictObject();
        remainingDepth++;
        return object;
      }
      default -> throw peekError(EXPECTED_VALUE);
    }
  }

  private void enterContainer() {
    if (--remainingDepth == 0) {
      throw peekError(RECURSION_LIMIT);
    }
    eat();
  }

  /** serde_json's {@code SeqAccess}; the opening bracket is consumed. */
  private JsonArray strictArray() {
    List<Object> list = new ArrayList<>();
    boolean first = true;
    while (true) {
      int c = peekWs();
      if (c < 0) {
        throw peekError(EOF_LIST);
      }
      if (c == ']') {
        eat();
        return new JsonArray(list);
      }
      if (!first) {
        if (c != ',') {
          throw peekError(EXPECTED_LIST_COMMA);
        }
        eat();
        int next = peekWs();
        if (next == ']') {
          throw peekError(TRAILING_COMMA);
        }
        if (next < 0) {
          throw peekError(EOF_VALUE);
        }
      }
      first = false;
      list.add(strictValue());
    }
  }

  /** serde_json's {@code MapAccess} into a map: repeated keys keep their first position and last value. */
  private JsonObject strictObject() {
    Map<String, Object> map = new LinkedHashMap<>();
    boolean first = true;
    while (true) {
      int c = peekWs();
      if (c < 0) {
        throw peekError(EOF_OBJECT);
      }
      if (c == '}') {
        eat();
        return new JsonObject(map);
      }
      if (first) {
        if (c != '"') {
          throw peekError(KEY_NOT_STRING);
        }
      } else {
        expectNextKey(c);
      }
      first = false;
      eat();
      String key = strictString();
      colon();
      map.put(key, strictValue());
    }
  }

  private void expectNextKey(int c) {
    if (c != ',') {
      throw peekError(EXPECTED_OBJECT_COMMA);
    }
    eat();
    int next = peekWs();
    if (next == '}') {
      throw peekError(TRAILING_COMMA);
    }
    if (next < 0) {
      throw peekError(EOF_VALUE);
    }
    if (next != '"') {
      throw peekError(KEY_NOT_STRING);
    }
  }

  private void colon() {
    int c = peekWs();
    if (c == ':') {
      eat();
    } else if (c < 0) {
      throw peekError(EOF_OBJECT);
    } else {
      throw peekError(EXPECTED_COLON);
    }
  }

  /** Parses a whole top-level object the way {@code from_slice::<Map<String, Value>>} does (trailing bytes checked). */
  JsonObject strictDocument() {
    JsonObject doc = (JsonObject) strictValue();
    end();
    return doc;
  }

  /**
   * serde_json's {@code peek_invalid_type}: the description of the next value when a {@code map} or {@code sequence}
   * was expected. Scalars are parsed (and may fail with their own syntax error); containers are not consumed.
   */
  String unexpected() {
    int c = peekWs();
    return switch (c) {
      case -1 -> throw peekError(EOF_VALUE);
      case '[' -> "sequence";
      case '{' -> "map";
      case '"' -> {
        eat();
        yield "string " + RustFormat.debug(strictString());
      }
      case 'n', 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> describe(strictValue());
      default -> throw peekError(EXPECTED_VALUE);
    };
  }

  private static String describe(Object scalar) {
    if (scalar == null) {
      return "null";
    }
    if (scalar instanceof Boolean b) {
      return "boolean `" + b + "`";
    }
    if (scalar instanceof Double d) {
      return "floating point `" + RustFormat.ryu(d) + "`";
    }
    return "integer `" + scalar + "`";
  }

  private void ident(String rest) {
    for (int i = 0; i < rest.length(); i++) {
      if (idx >= end) {
        throw error(EOF_VALUE);
      }
      if (in[idx++] != rest.charAt(i)) {
        throw error(EXPECTED_IDENT);
      }
    }
  }

  /**
   * A number exactly as serde_json's {@code parse_integer} and friends read it: the same errors at the same
   * positions, and the same value (an u64 significand scaled by a power of ten in f64 arithmetic).
   */
  private Object strictNumber() {
    boolean positive = true;
    if (peek() == '-') {
      eat();
      positive = false;
    }
    if (idx >= end) {
      throw error(EOF_VALUE);
    }
    int c = in[idx++] & 0xFF;
    if (c == '0') {
      if (isDigit(peek())) {
        throw peekError(INVALID_NUMBER);
      }
      return afterSignificand(positive, 0);
    }
    if (!isDigit(c)) {
      throw error(INVALID_NUMBER);
    }
    long significand = c - '0';
    while (isDigit(peek())) {
      int digit = peek() - '0';
      if (u64Overflows(significand, digit)) {
        return longInteger(positive, significand);
      }
      eat();
      significand = significand * 10 + digit;
    }
    return afterSignificand(positive, significand);
  }

  private Object afterSignificand(boolean positive, long significand) {
    int c = peek();
    if (c == '.') {
      return decimal(positive, significand, 0);
    }
    if (c == 'e' || c == 'E') {
      return exponent(positive, significand, 0);
    }
    if (positive) {
      return significand >= 0 ? (Object) significand : BigInteger.valueOf(significand).add(TWO_64);
    }
    long negated = -significand;
    // serde_json turns -0 and magnitudes beyond i64 into floats
    return negated >= 0 ? (Object) (-unsignedToDouble(significand)) : (Object) negated;
  }

  /** Digits beyond u64 only scale the value. */
  private double longInteger(boolean positive, long significand) {
    int exponent = 0;
    while (true) {
      int c = peek();
      if (isDigit(c)) {
        eat();
        exponent++;
      } else if (c == '.') {
        return decimal(positive, significand, exponent);
      } else if (c == 'e' || c == 'E') {
        return exponent(positive, significand, exponent);
      } else {
        return fromParts(positive, significand, exponent);
      }
    }
  }

  private double decimal(boolean positive, long significand, int exponentBefore) {
    eat();
    int after = 0;
    while (isDigit(peek())) {
      int digit = peek() - '0';
      if (u64Overflows(significand, digit)) {
        skipDigits();
        return afterDecimal(positive, significand, exponentBefore + after);
      }
      eat();
      significand = significand * 10 + digit;
      after--;
    }
    if (after == 0) {
      throw peekError(peek() < 0 ? EOF_VALUE : INVALID_NUMBER);
    }
    return afterDecimal(positive, significand, exponentBefore + after);
  }

  private double afterDecimal(boolean positive, long significand, int exponent) {
    int c = peek();
    return (c == 'e' || c == 'E') ? exponent(positive, significand, exponent) : fromParts(positive, significand, exponent);
  }

  private double exponent(boolean positive, long significand, int startingExponent) {
    eat();
    boolean positiveExponent = true;
    if (peek() == '+') {
      eat();
    } else if (peek() == '-') {
      eat();
      positiveExponent = false;
    }
    if (idx >= end) {
      throw error(EOF_VALUE);
    }
    int c = in[idx++] & 0xFF;
    if (!isDigit(c)) {
      throw error(INVALID_NUMBER);
    }
    int exponent = c - '0';
    while (isDigit(peek())) {
      int digit = peek() - '0';
      eat();
      if (exponent >= Integer.MAX_VALUE / 10 && (exponent > Integer.MAX_VALUE / 10 || digit > Integer.MAX_VALUE % 10)) {
        return exponentOverflow(positive, significand == 0, positiveExponent);
      }
      exponent = exponent * 10 + digit;
    }
    long finalExponent = positiveExponent ? (long) startingExponent + exponent : (long) startingExponent - exponent;
    return fromParts(positive, significand, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, finalExponent)));
  }

  private double exponentOverflow(boolean positive, boolean zeroSignificand, boolean positiveExponent) {
    if (!zeroSignificand && positiveExponent) {
      throw error(OUT_OF_RANGE);
    }
    skipDigits();
    return positive ? 0.0 : -0.0;
  }

  /** serde_json's {@code f64_from_parts} (no {@code float_roundtrip}). */
  private double fromParts(boolean positive, long significand, int exponent) {
    double f = unsignedToDouble(significand);
    while (true) {
      int abs = Math.abs(exponent);
      if (exponent != Integer.MIN_VALUE && abs < POW10.length) {
        if (exponent >= 0) {
          f *= POW10[abs];
          if (Double.isInfinite(f)) {
            throw error(OUT_OF_RANGE);
          }
        } else {
          f /= POW10[abs];
        }
        break;
      }
      if (f == 0.0) {
        break;
      }
      if (exponent >= 0) {
        throw error(OUT_OF_RANGE);
      }
      f /= 1e308;
      exponent += 308;
    }
    return positive ? f : -f;
  }

  private static boolean u64Overflows(long significand, int digit) {
    // overflow!(significand * 10 + digit, u64::MAX), on an unsigned long
    long limit = Long.divideUnsigned(-1L, 10);
    int cmp = Long.compareUnsigned(significand, limit);
    return cmp > 0 || (cmp == 0 && digit > Long.remainderUnsigned(-1L, 10));
  }

  /** Rust's {@code u64 as f64}: round to nearest, ties to even. */
  private static double unsignedToDouble(long value) {
    if (value >= 0) {
      return value;
    }
    return ((double) ((value >>> 1) | (value & 1))) * 2.0;
  }

  /** A string after its opening quote, validated like serde_json's {@code parse_str} with {@code validate = true}. */
  String strictString() {
    StringBuilder out = new StringBuilder();
    boolean utf8Ok = true;
    int chunk = idx;
    while (true) {
      if (idx >= end) {
        throw error(EOF_STRING);
      }
      int b = in[idx] & 0xFF;
      if (b == '"') {
        utf8Ok &= Utf8.decode(in, chunk, idx, out);
        idx++;
        if (!utf8Ok) {
          throw error(INVALID_UNICODE);
        }
        return out.toString();
      }
      if (b == '\\') {
        utf8Ok &= Utf8.decode(in, chunk, idx, out);
        idx++;
        strictEscape(out);
        chunk = idx;
      } else if (b < 0x20) {
        idx++; // parse_str reports the control character one byte further than ignore_str does
        throw error(CONTROL_CHAR);
      } else {
        idx++;
      }
    }
  }

  private void strictEscape(StringBuilder out) {
    int c = nextOrEofInString();
    if (c != 'u') {
      out.append(simpleEscape(c));
      return;
    }
    int n = hex4();
    if (isTrailSurrogate(n)) {
      throw error(LONE_SURROGATE);
    }
    if (!isLeadSurrogate(n)) {
      out.append((char) n);
      return;
    }
    if (nextOrEofInString() != '\\' || nextOrEofInString() != 'u') {
      throw error(END_OF_HEX_ESCAPE);
    }
    int n2 = hex4();
    if (!isTrailSurrogate(n2)) {
      throw error(LONE_SURROGATE);
    }
    out.append((char) n).append((char) n2);
  }

  private int nextOrEofInString() {
    if (idx >= end) {
      throw error(EOF_STRING);
    }
    return in[idx++] & 0xFF;
  }

  private char simpleEscape(int c) {
    return switch (c) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '/' -> '/';
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      default -> throw error(INVALID_ESCAPE);
    };
  }

  /** serde_json's {@code decode_hex_escape} for a slice. */
  private int hex4() {
    if (end - idx < 4) {
      idx = end;
      throw error(EOF_STRING);
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(in[idx + i] & 0xFF, 16);
      if (digit < 0 || (in[idx + i] & 0x80) != 0) {
        idx += 4;
        throw error(INVALID_ESCAPE);
      }
      value = value << 4 | digit;
    }
    idx += 4;
    return value;
  }

  // ---------------------------------------------------------------- raw mode (serde_json::value::RawValue)

  /**
   * One value as serde_json's {@code ignore_value} followed by {@code end_raw_buffering} checks it, built into Java
   * values on the way (a repeated key keeps its first place and its last value, as in serde_json's {@code Value}).
   * The UTF-8 check happens once the whole value is read, at the reader position after it.
   */
  Object scanRaw(ScanFacts facts) {
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    while (true) {
      int c = peekWs();
      if (c < 0) {
        throw peekError(EOF_VALUE);
      }
      Frame parent = stack.peek();
      boolean opened = c == '[' || c == '{';
      Object value = null;
      if (opened) {
        openRaw(stack, c == '{', facts);
      } else {
        value = rawScalar(c, facts);
      }
      if (!opened && parent == null) {
        return finishRaw(value, facts);
      }
      if (!opened) {
        parent.add(value, facts);
      }
      Frame frame = stack.peek();
      boolean acceptComma = !opened;
      while (true) {
        c = peekWs();
        if (c == ',' && acceptComma) {
          eat();
          break;
        }
        if (c == (frame.object ? '}' : ']')) {
          eat();
          stack.pop();
          Object done = frame.build();
          Frame up = stack.peek();
          if (up == null) {
            return finishRaw(done, facts);
          }
          up.add(done, facts);
          frame = up;
          acceptComma = true;
          continue;
        }
        if (c < 0) {
          throw peekError(frame.object ? EOF_OBJECT : EOF_LIST);
        }
        if (acceptComma) {
          throw peekError(frame.object ? EXPECTED_OBJECT_COMMA : EXPECTED_LIST_COMMA);
        }
        break;
      }
      if (frame.object) {
        rawKey(frame, stack.size() == 1, facts);
      }
    }
  }

  private void openRaw(ArrayDeque<Frame> stack, boolean object, ScanFacts facts) {
    if (stack.size() >= MAX_DEPTH - 1) {
      // deep enough for Meilisearch's later strict re-read of the document or of a field to hit its limit
      facts.suspect = true;
    }
    eat();
    stack.push(new Frame(object, stack.isEmpty()));
  }

  private void rawKey(Frame frame, boolean topLevel, ScanFacts facts) {
    int c = peekWs();
    if (c < 0) {
      throw peekError(EOF_OBJECT);
    }
    if (c != '"') {
      throw peekError(KEY_NOT_STRING);
    }
    eat();
    frame.key = rawString(facts, topLevel);
    colon();
  }

  private Object finishRaw(Object value, ScanFacts facts) {
    if (facts.utf8Invalid) {
      throw error(INVALID_UNICODE);
    }
    return value;
  }

  private Object rawScalar(int c, ScanFacts facts) {
    switch (c) {
      case 'n' -> {
        eat();
        ident("ull");
        return null;
      }
      case 't' -> {
        eat();
        ident("rue");
        return Boolean.TRUE;
      }
      case 'f' -> {
        eat();
        ident("alse");
        return Boolean.FALSE;
      }
      case '"' -> {
        eat();
        return rawString(facts, false);
      }
      case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
        return rawNumber(facts);
      }
      default -> throw peekError(EXPECTED_VALUE);
    }
  }

  /** serde_json's {@code ignore_integer}/{@code ignore_decimal}/{@code ignore_exponent} error rules. */
  private Object rawNumber(ScanFacts facts) {
    int start = idx;
    if (peek() == '-') {
      eat();
    }
    int c = idx < end ? in[idx++] & 0xFF : 0;
    if (c == '0') {
      if (isDigit(peek())) {
        throw peekError(INVALID_NUMBER);
      }
    } else if (isDigit(c)) {
      skipDigits();
    } else {
      throw error(INVALID_NUMBER);
    }
    if (peek() == '.') {
      eat();
      if (!isDigit(peek())) {
        throw peekError(INVALID_NUMBER);
      }
      skipDigits();
    }
    if (peek() == 'e' || peek() == 'E') {
      eat();
      if (peek() == '+' || peek() == '-') {
        eat();
      }
      int d = idx < end ? in[idx++] & 0xFF : 0;
      if (!isDigit(d)) {
        throw error(INVALID_NUMBER);
      }
      skipDigits();
    }
    int stop = idx;
    idx = start; // the syntax is fine; read the value as serde_json's strict parser would
    try {
      return strictNumber();
    } catch (SerdeJsonException outOfRange) {
      // accepted now, fatal when Meilisearch re-reads the value strictly
      facts.suspect = true;
      return in[start] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    } finally {
      idx = stop;
    }
  }

  /** A string after its opening quote, checked like {@code ignore_str}; strict-only failures become facts. */
  private String rawString(ScanFacts facts, boolean topLevelKey) {
    String plain = plainString(facts);
    if (plain != null) {
      return plain;
    }
    StringBuilder out = new StringBuilder();
    int chunk = idx;
    while (true) {
      if (idx >= end) {
        throw error(EOF_STRING);
      }
      int b = in[idx] & 0xFF;
      if (b == '"') {
        facts.utf8Invalid |= !Utf8.decode(in, chunk, idx, out);
        idx++;
        return out.toString();
      }
      if (b == '\\') {
        facts.utf8Invalid |= !Utf8.decode(in, chunk, idx, out);
        idx++;
        rawEscape(out, facts, topLevelKey);
        chunk = idx;
      } else if (b < 0x20) {
        throw error(CONTROL_CHAR);
      } else {
        idx++;
      }
    }
  }

  /** The common string without escapes, decoded in one go; null (reader unmoved) when it has escapes or errors. */
  private String plainString(ScanFacts facts) {
    int i = idx;
    boolean ascii = true;
    while (i < end) {
      int b = in[i] & 0xFF;
      if (b == '"') {
        String s;
        if (ascii) {
          s = new String(in, idx, i - idx, StandardCharsets.ISO_8859_1);
        } else if (Utf8.validUpTo(in, idx, i) < 0) {
          s = new String(in, idx, i - idx, StandardCharsets.UTF_8);
        } else {
          return null;
        }
        idx = i + 1;
        return s;
      }
      if (b == '\\' || b < 0x20) {
        return null;
      }
      ascii &= b < 0x80;
      i++;
    }
    return null;
  }

  private void rawEscape(StringBuilder out, ScanFacts facts, boolean topLevelKey) {
    int c = nextOrEofInString();
    if (c != 'u') {
      out.append(simpleEscape(c));
      return;
    }
    int n = hex4();
    if (isLeadSurrogate(n) && followedByTrail()) {
      idx += 2;
      out.append((char) n).append((char) hex4());
      return;
    }
    out.append((char) n);
    if (isLeadSurrogate(n) || isTrailSurrogate(n)) {
      loneSurrogate(facts, topLevelKey);
    }
  }

  private boolean followedByTrail() {
    return end - idx >= 6 && in[idx] == '\\' && in[idx + 1] == 'u' && isTrailSurrogate(peekHex(idx + 2));
  }

  private int peekHex(int at) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(in[at + i] & 0xFF, 16);
      if (digit < 0 || (in[at + i] & 0x80) != 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  /** A lone surrogate passes raw mode; strict mode rejects it in a top-level key now, elsewhere at indexing. */
  private static void loneSurrogate(ScanFacts facts, boolean topLevelKey) {
    if (topLevelKey) {
      facts.strictKeys = true;
    } else {
      facts.suspect = true;
    }
  }

  /**
   * Re-reads a raw object's top-level keys strictly, as Meilisearch's {@code RawMap} does when it splits a document,
   * so that a key only strict parsing rejects fails where Meilisearch says it does.
   */
  void strictTopLevelKeys() {
    peekWs();
    eat();
    boolean first = true;
    while (true) {
      int c = peekWs();
      if (c == '}') {
        return;
      }
      if (!first) {
        eat();
        peekWs();
      }
      first = false;
      eat();
      strictString();
      colon();
      skipValue();
    }
  }

  // ---------------------------------------------------------------- numbers

  private void skipDigits() {
    while (isDigit(peek())) {
      idx++;
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLeadSurrogate(int n) {
    return n >= 0xD800 && n <= 0xDBFF;
  }

  private static boolean isTrailSurrogate(int n) {
    return n >= 0xDC00 && n <= 0xDFFF;
  }

  // ---------------------------------------------------------------- raw-mode bookkeeping

  /** A container being read in raw mode. */
  private static final class Frame {
    final boolean object;
    final boolean root;
    final Map<String, Object> map;
    final List<Object> list;
    String key;

    Frame(boolean object, boolean root) {
      this.object = object;
      this.root = root;
      this.map = object ? new LinkedHashMap<>() : null;
      this.list = object ? null : new ArrayList<>();
    }

    void add(Object value, ScanFacts facts) {
      if (!object) {
        list.add(value);
        return;
      }
      int size = map.size();
      map.put(key, value);
      if (map.size() == size) {
        // merged here, but Meilisearch still sees every occurrence unless its RawMap merged them
        facts.repeatedKeys |= !root || facts.rootRepeatsStayRaw;
      }
    }

    Object build() {
      return object ? new JsonObject(map) : new JsonArray(list);
    }
  }

  /** What a raw-mode read learnt beyond the value itself. */
  static final class ScanFacts {
    /** NDJSON keeps repeated top-level keys raw; a JSON array's element has them merged by {@code RawMap}. */
    boolean rootRepeatsStayRaw;
    boolean utf8Invalid;
    /** A key is repeated where Meilisearch keeps the repetition. */
    boolean repeatedKeys;
    /** A top-level key needs the strict re-read that Meilisearch's {@code RawMap} gives it. */
    boolean strictKeys;
    /** Something only a strict re-read can judge: out-of-range number, lone surrogate, deep nesting. */
    boolean suspect;
  }

  /**
   * Skips one value already known to be well formed (a stored document), much faster than {@link #scanRaw}.
   */
  void skipValue() {
    int depth = 0;
    do {
      int c = peekWs();
      if (c == '"') {
        eat();
        skipString();
      } else if (c == '{' || c == '[') {
        eat();
        depth++;
      } else if (c == '}' || c == ']') {
        eat();
        depth--;
      } else if (c == ',' || c == ':') {
        eat();
        continue;
      } else {
        while (idx < end && "{}[],: \n\t\r".indexOf(in[idx]) < 0) {
          idx++;
        }
      }
      if (depth > 0) {
        continue;
      }
      return;
    } while (true);
  }

  private void skipString() {
    while (in[idx] != '"') {
      idx += in[idx] == '\\' ? 2 : 1;
    }
    idx++;
  }

  /** A top-level member of a raw object: its key and the byte range of its raw value. */
  record Member(String key, int valueStart, int valueEnd) {
  }

  /** The members of the raw object starting at the reader position, in written order (repeats included). */
  List<Member> members() {
    List<Member> members = new ArrayList<>();
    peekWs();
    eat();
    boolean first = true;
    while (true) {
      int c = peekWs();
      if (c == '}') {
        eat();
        return members;
      }
      if (!first) {
        eat();
        peekWs();
      }
      first = false;
      eat();
      String key = rawString(new ScanFacts(), false);
      colon();
      peekWs();
      int start = idx;
      skipValue();
      members.add(new Member(key, start, idx));
    }
  }
}
