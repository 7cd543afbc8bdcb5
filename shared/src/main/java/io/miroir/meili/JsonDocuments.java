package io.miroir.meili;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code application/json} and {@code application/x-ndjson} document payloads read the way Meilisearch 1.21's
 * {@code read_json} / {@code read_ndjson} read them (MEILISEARCH-1.21-API §7.5), with the same verdicts:
 *
 * <ul>
 *   <li>JSON array: each element scanned in serde_json's raw mode, then split into top-level fields; anything
 *       after the closing bracket is ignored, as Meilisearch never reads it.
 *   <li>JSON object: parsed strictly as one document; trailing bytes are an error.
 *   <li>Other JSON value: {@code "data are neither an object nor a list of objects"}.
 *   <li>NDJSON: a stream of raw values separated by whitespace; blank lines are fine.
 *   <li>A non-object element or NDJSON value is a 500 {@code internal} error, as on the real node.
 * </ul>
 */
final class JsonDocuments {
  private static final String NOT_DOCUMENTS = "data are neither an object nor a list of objects";

  private final PayloadFormat format;
  private final byte[] in;
  private final List<JsonObject> documents = new ArrayList<>();
  private final List<int[]> spans = new ArrayList<>();
  private final BitSet repeats = new BitSet();
  private final BitSet suspects = new BitSet();
  private boolean single;

  private JsonDocuments(PayloadFormat format, byte[] in) {
    this.format = format;
    this.in = in;
  }

  static ParsedPayload readJson(byte[] in) {
    JsonDocuments reader = new JsonDocuments(PayloadFormat.JSON, in);
    try {
      reader.json();
    } catch (SerdeJsonException e) {
      throw reader.malformed(e);
    }
    return reader.result();
  }

  static ParsedPayload readNdjson(byte[] in) {
    JsonDocuments reader = new JsonDocuments(PayloadFormat.NDJSON, in);
    try {
      reader.ndjson();
    } catch (SerdeJsonException e) {
      throw reader.malformed(e);
    }
    return reader.result();
  }

  private ParsedPayload result() {
    if (single) {
      return new ParsedPayload(format, documents);
    }
    int[] starts = spans.stream().mapToInt(span -> span[0]).toArray();
    int[] ends = spans.stream().mapToInt(span -> span[1]).toArray();
    return new ParsedPayload(format, documents, in, starts, ends, repeats, suspects);
  }

  private void json() {
    SerdeJsonReader r = new SerdeJsonReader(in, 0, in.length);
    int c = r.peekWs();
    if (c == '[') {
      r.eat();
      jsonArray(r);
    } else if (c == '{') {
      single = true;
      documents.add(r.strictDocument());
    } else {
      r.unexpected(); // a syntax error in the scalar wins over the type error
      throw new SerdeJsonException(NOT_DOCUMENTS, 0, 0, true);
    }
  }

  /** serde_json's {@code SeqAccess} over raw elements, then {@code end_seq} even when an element was refused. */
  private void jsonArray(SerdeJsonReader r) {
    boolean first = true;
    while (true) {
      int c = r.peekWs();
      if (c < 0) {
        throw r.peekError(SerdeJsonReader.EOF_LIST);
      }
      if (c == ']') {
        return;
      }
      if (!first) {
        if (c != ',') {
          throw r.peekError(SerdeJsonReader.EXPECTED_LIST_COMMA);
        }
        r.eat();
        int next = r.peekWs();
        if (next == ']') {
          throw r.peekError(SerdeJsonReader.TRAILING_COMMA);
        }
        if (next < 0) {
          throw r.peekError(SerdeJsonReader.EOF_VALUE);
        }
      }
      first = false;
      RuntimeException refused = element(r, false);
      if (refused != null) {
        endSeq(r);
        throw refused;
      }
    }
  }

  /** After an element was refused, serde_json still checks that the array closes right there. */
  private static void endSeq(SerdeJsonReader r) {
    int c = r.peekWs();
    if (c == ']') {
      return;
    }
    if (c == ',') {
      r.eat();
      throw r.peekError(r.peekWs() == ']' ? SerdeJsonReader.TRAILING_COMMA : SerdeJsonReader.TRAILING_CHARACTERS);
    }
    throw r.peekError(c < 0 ? SerdeJsonReader.EOF_LIST : SerdeJsonReader.TRAILING_CHARACTERS);
  }

  /** serde_json's {@code StreamDeserializer}: values separated by whitespace or self-delimiting. */
  private void ndjson() {
    SerdeJsonReader r = new SerdeJsonReader(in, 0, in.length);
    while (true) {
      int c = r.peekWs();
      if (c < 0) {
        return;
      }
      boolean selfDelimited = c == '{' || c == '[' || c == '"';
      RuntimeException refused = element(r, true);
      if (!selfDelimited) {
        int next = r.peek();
        if (next >= 0 && " \n\t\r\"[]{},:".indexOf(next) < 0) {
          throw r.peekError(SerdeJsonReader.TRAILING_CHARACTERS);
        }
      }
      if (refused != null) {
        throw refused;
      }
    }
  }

  /**
   * Reads one raw element and turns it into a document the way Meilisearch's {@code RawMap} does. Returns the error
   * Meilisearch raises for it (positions relative to the element), or null once the document is recorded.
   */
  private RuntimeException element(SerdeJsonReader r, boolean repeatsStayRaw) {
    int start = r.index();
    SerdeJsonReader.ScanFacts scan = new SerdeJsonReader.ScanFacts();
    scan.rootRepeatsStayRaw = repeatsStayRaw;
    Object value = r.scanRaw(scan);
    int stop = r.index();
    if (!(value instanceof JsonObject doc)) {
      return notAnObject(start, stop);
    }
    if (scan.strictKeys) {
      try {
        new SerdeJsonReader(in, start, stop).strictTopLevelKeys();
      } catch (SerdeJsonException e) {
        return malformed(e);
      }
    }
    record(doc, scan, start, stop);
    return null;
  }

  private void record(JsonObject doc, SerdeJsonReader.ScanFacts scan, int start, int stop) {
    int i = documents.size();
    repeats.set(i, scan.repeatedKeys);
    suspects.set(i, scan.suspect);
    spans.add(new int[] {start, stop});
    documents.add(doc);
  }

  /**
   * An element's text as Meilisearch's {@code RawMap} writes it to its update file: compact, re-escaped top-level
   * keys, a repeated one in its first place with its last value, every value's raw text unchanged.
   */
  static byte[] rawMapText(byte[] in, int start, int stop) {
    Map<String, SerdeJsonReader.Member> members = new LinkedHashMap<>(); // re-putting keeps the first place
    for (SerdeJsonReader.Member m : new SerdeJsonReader(in, start, stop).members()) {
      members.put(m.key(), m);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(stop - start);
    out.write('{');
    boolean first = true;
    for (SerdeJsonReader.Member m : members.values()) {
      if (!first) {
        out.write(',');
      }
      first = false;
      StringBuilder key = new StringBuilder();
      SerdeJson.appendString(key, m.key());
      out.writeBytes(key.toString().getBytes(StandardCharsets.UTF_8));
      out.write(':');
      out.write(in, m.valueStart(), m.valueEnd() - m.valueStart());
    }
    out.write('}');
    return out.toByteArray();
  }

  /** {@code RawMap::from_raw_value} on a non-object: a syntax error in a scalar, else a 500 type error. */
  private RuntimeException notAnObject(int start, int stop) {
    SerdeJsonReader element = new SerdeJsonReader(in, start, stop);
    try {
      String unexpected = element.unexpected();
      SerdeJsonException typeError = element.dataError(unexpected, "a map");
      return new MeiliException(ErrorCode.INTERNAL, typeError.getMessage());
    } catch (SerdeJsonException e) {
      return malformed(e);
    }
  }

  private MeiliException malformed(SerdeJsonException e) {
    // Meilisearch shortens serde messages over 138 bytes; serde's syntax messages never get that long
    String detail = e.isData() ? NOT_DOCUMENTS : e.getMessage();
    return new MeiliException(ErrorCode.MALFORMED_PAYLOAD, "The `" + format.label()
        + "` payload provided is malformed. `Couldn't serialize document value: " + detail + "`.");
  }

  /**
   * A {@code delete-batch} body: {@code Vec<serde_json::Value>} through actix's JSON extractor. Strings are kept,
   * other values stringified by serde_json.
   */
  static List<String> readIdList(byte[] in) {
    SerdeJsonReader r = new SerdeJsonReader(in, 0, in.length);
    JsonArray ids;
    try {
      int c = r.peekWs();
      if (c != '[') {
        String unexpected = r.unexpected();
        throw r.dataError(unexpected, "a sequence");
      }
      ids = (JsonArray) r.strictValue();
      r.end();
    } catch (SerdeJsonException e) {
      throw idListError(e);
    }
    List<String> out = new ArrayList<>(ids.size());
    for (Object id : ids.getList()) {
      out.add(id instanceof String s ? s : SerdeJson.write(id));
    }
    return out;
  }

  private static MeiliException idListError(SerdeJsonException e) {
    if (e.isData()) {
      return new MeiliException(ErrorCode.BAD_REQUEST, "Json deserialize error: " + e.getMessage());
    }
    if (e.isEmptyInput()) {
      return new MeiliException(ErrorCode.MISSING_PAYLOAD, "A json payload is missing.");
    }
    return new MeiliException(ErrorCode.MALFORMED_PAYLOAD, "The json payload provided is malformed. `"
        + e.getMessage() + "`.");
  }
}
