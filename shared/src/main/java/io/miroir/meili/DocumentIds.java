package io.miroir.meili;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Document ids as Meilisearch 1.21 reads them (MEILISEARCH-1.21-API §6.2; SPEC D9): the value(s) the primary key
 * designates, their validation, and the canonical text Miroir hashes for sharding.
 *
 * <p>A primary key {@code a.b} designates a top-level field {@code "a.b"} and a field {@code b} inside an object
 * {@code a} (arrays are not searched). Valid ids are JSON integers (i64 or u64; {@code 1.0} and {@code -0} are
 * floats) and strings of 1–511 bytes of {@code A–Z a–z 0–9 - _}. The canonical text is the string itself or the
 * integer's decimal digits, which is why {@code 1} and {@code "1"} are the same document.
 *
 * <p>Errors follow Meilisearch's extractor, read in the document's stored text: matches are validated in order as
 * they are found (the first invalid one is reported, a second valid one makes "too many"); a nested match that is
 * invalid or a second one, found before the end of its object, makes serde_json report {@code internal}
 * "trailing comma" at the next comma (one level down) or is ignored (deeper); printing a document into an error
 * re-reads it strictly. All of these are task failures, never HTTP answers (D10).
 */
public final class DocumentIds {
  static final int MAX_ID_BYTES = 511;

  private DocumentIds() {
  }

  /** The canonical id of {@code document}, or the error Meilisearch records for it. */
  public static IdResult resolve(JsonObject document, String primaryKey) {
    IdResult plain = resolvePlain(document, primaryKey);
    if (plain != null) {
      return plain;
    }
    return extract(SerdeJson.write(document).getBytes(StandardCharsets.UTF_8), document, primaryKey);
  }

  /** The common case, read off the object: exactly one valid match; null when Meilisearch's reading matters. */
  static IdResult resolvePlain(JsonObject document, String primaryKey) {
    if (primaryKey.indexOf('.') < 0) {
      // a key without a dot can only be a top-level field: one map lookup
      String canonical = canonical(document.getMap().get(primaryKey));
      return canonical == null ? null : IdResult.valid(canonical);
    }
    List<Object> matches = matchingValues(document, primaryKey);
    if (matches.size() != 1) {
      return null;
    }
    String canonical = canonical(matches.get(0));
    return canonical == null ? null : IdResult.valid(canonical);
  }

  /** Every value of {@code document} that {@code primaryKey} designates, in document order. */
  public static List<Object> matchingValues(JsonObject document, String primaryKey) {
    List<Object> out = new ArrayList<>(1);
    collect(document.getMap(), primaryKey, out);
    return out;
  }

  private static void collect(Map<String, Object> fields, String path, List<Object> out) {
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String key = field.getKey();
      Object value = field.getValue();
      if (key.equals(path)) {
        out.add(value);
      } else if (isPrefix(key, path) && value instanceof JsonObject nested) {
        collect(nested.getMap(), path.substring(key.length() + 1), out);
      } else if (isPrefix(key, path) && value instanceof Map<?, ?> nested) {
        collect(asFields(nested), path.substring(key.length() + 1), out); // a JsonObject decoded by Vert.x
      }
    }
  }

  /** {@code path} starts with {@code key} followed by a dot. */
  private static boolean isPrefix(String key, String path) {
    return path.length() > key.length() && path.charAt(key.length()) == '.' && path.startsWith(key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asFields(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  // ---------------------------------------------------------------- Meilisearch's extractor

  /**
   * Meilisearch's {@code FieldAndDocidExtractor} over the document's stored text: top-level members in written
   * order, each designating one is read as an id or searched as a nested object.
   */
  static IdResult extract(byte[] stored, JsonObject document, String primaryKey) {
    try {
      return extractOrPanic(stored, document, primaryKey);
    } catch (Panic panic) {
      return IdResult.failed(panic.error);
    }
  }

  private static IdResult extractOrPanic(byte[] stored, JsonObject document, String primaryKey) {
    String docid = null;
    for (SerdeJsonReader.Member member : new SerdeJsonReader(stored, 0, stored.length).members()) {
      String right = remainder(member.key(), primaryKey);
      if (right == null) {
        continue;
      }
      Step step = component(right, stored, member.valueStart(), member.valueEnd());
      if (step.failure != null) {
        return IdResult.failed(new DocumentError(ErrorCode.INTERNAL.code(), step.failure.getMessage()));
      }
      if (step.error != null) {
        return IdResult.failed(printed(step.error, stored, document, primaryKey));
      }
      if (step.id != null) {
        if (docid != null) {
          return IdResult.failed(printed(TOO_MANY, stored, document, primaryKey));
        }
        docid = step.id;
      }
    }
    return docid != null ? IdResult.valid(docid) : IdResult.failed(printed(MISSING, stored, document, primaryKey));
  }

  /** {@code possible_level_names}: the rest of {@code name} after {@code key}, "" if equal, null if unrelated. */
  private static String remainder(String key, String name) {
    if (key.equals(name)) {
      return "";
    }
    return isPrefix(key, name) ? name.substring(key.length() + 1) : null;
  }

  /** {@code match_component} for one value: read it as the id, or search it as an object. */
  private static Step component(String right, byte[] text, int from, int to) {
    if (right.isEmpty()) {
      Object value;
      try {
        value = new SerdeJsonReader(text, from, to).strictValue();
      } catch (SerdeJsonException unreadable) {
        throw new Panic(crash(unreadable)); // to_value(..).unwrap() panics: nothing after it runs
      }
      String canonical = canonical(value);
      return canonical != null ? Step.found(canonical) : Step.stop(invalid(value));
    }
    Nested nested = nested(right, text, from, to);
    if (nested.failure != null) {
      return nested.failureIsData ? Step.CONTINUE : Step.fail(nested.failure);
    }
    if (nested.error != null) {
      return Step.stop(nested.error);
    }
    return nested.id != null ? Step.found(nested.id) : Step.CONTINUE;
  }

  /**
   * {@code value.deserialize_map(NestedPrimaryKeyVisitor)}: a visitor that returns as soon as it has an error, after
   * which serde_json's {@code end_map} complains about whatever follows in the object.
   */
  private static Nested nested(String right, byte[] text, int from, int to) {
    SerdeJsonReader r = new SerdeJsonReader(text, from, to);
    if (r.peekWs() != '{') {
      try {
        r.unexpected();
        return Nested.NOTHING; // not an object: a data error, which match_component skips
      } catch (SerdeJsonException unreadable) {
        return Nested.failed(unreadable, false);
      }
    }
    r.eat();
    Nested visited;
    try {
      visited = visitNested(right, r, text);
    } catch (SerdeJsonException syntax) {
      return Nested.failed(syntax, false);
    }
    if (visited.failure != null) {
      return visited;
    }
    int c = r.peekWs();
    if (c == '}') {
      return visited;
    }
    String description = c == ',' ? SerdeJsonReader.TRAILING_COMMA
        : c < 0 ? SerdeJsonReader.EOF_OBJECT : SerdeJsonReader.TRAILING_CHARACTERS;
    return Nested.failed(r.peekError(description), false);
  }

  private static Nested visitNested(String right, SerdeJsonReader r, byte[] text) {
    String docid = null;
    boolean first = true;
    while (r.peekWs() != '}') {
      if (!first) {
        r.eat();
        r.peekWs();
      }
      first = false;
      r.eat();
      String key = r.strictString();
      r.peekWs();
      r.eat();
      r.peekWs();
      int start = r.index();
      r.skipValue();
      String rest = remainder(key, right);
      if (rest == null) {
        continue;
      }
      Step step = component(rest, text, start, r.index());
      if (step.failure != null) {
        // serde::de::Error::custom turns it into a data error, which the level above skips
        return Nested.failed(step.failure, true);
      }
      if (step.error != null) {
        return Nested.stopped(step.error);
      }
      if (step.id != null) {
        if (docid != null) {
          return Nested.stopped(TOO_MANY);
        }
        docid = step.id;
      }
    }
    return Nested.found(docid);
  }

  private static final DocumentError MISSING = new DocumentError("missing", "");
  private static final DocumentError TOO_MANY = new DocumentError("too many", "");

  /** Errors that print the document parse its stored text first, and crash if that fails. */
  private static DocumentError printed(DocumentError error, byte[] stored, JsonObject document, String primaryKey) {
    if (error != MISSING && error != TOO_MANY) {
      return error;
    }
    try {
      new SerdeJsonReader(stored, 0, stored.length).strictValue();
    } catch (SerdeJsonException unreadable) {
      return crash(unreadable);
    }
    return error == MISSING ? missing(primaryKey, document) : tooManyMatches(primaryKey, document);
  }

  /** A panic on {@code unwrap()}, reported with serde_json's {@code Debug} form of the error. */
  static DocumentError crash(SerdeJsonException failure) {
    return new DocumentError(ErrorCode.INTERNAL.code(), "An unexpected crash occurred when processing the task: "
        + "called `Result::unwrap()` on an `Err` value: Error(\"" + failure.description() + "\", line: "
        + failure.line() + ", column: " + failure.column() + ")");
  }

  /** A Rust panic: it ends the extraction at once, whatever level it happens at. */
  private static final class Panic extends RuntimeException {
    private final transient DocumentError error;

    Panic(DocumentError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }

  /** What {@code match_component} returns: go on, an id, a user error, or a serde error. */
  private record Step(String id, DocumentError error, SerdeJsonException failure) {
    static final Step CONTINUE = new Step(null, null, null);

    static Step found(String id) {
      return new Step(id, null, null);
    }

    static Step stop(DocumentError error) {
      return new Step(null, error, null);
    }

    static Step fail(SerdeJsonException failure) {
      return new Step(null, null, failure);
    }
  }

  /** What the nested visitor and {@code deserialize_map} around it return. */
  private record Nested(String id, DocumentError error, SerdeJsonException failure, boolean failureIsData) {
    static final Nested NOTHING = new Nested(null, null, null, false);

    static Nested found(String id) {
      return new Nested(id, null, null, false);
    }

    static Nested stopped(DocumentError error) {
      return new Nested(null, error, null, false);
    }

    static Nested failed(SerdeJsonException failure, boolean data) {
      return new Nested(null, null, failure, data);
    }
  }

  // ---------------------------------------------------------------- validation

  /**
   * The text Miroir hashes for an id value: a valid string as-is, an integer in i64/u64 range as decimal digits;
   * null when Meilisearch would reject the value.
   */
  public static String canonical(Object value) {
    if (value instanceof String s) {
      return isValidStringId(s) ? s : null;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return Long.toString(((Number) value).longValue());
    }
    if (value instanceof BigInteger big) {
      return SerdeJson.fitsInteger(big) ? big.toString() : null;
    }
    return null;
  }

  /** 1–511 bytes, each {@code A–Z a–z 0–9 - _} (so bytes and chars coincide). */
  public static boolean isValidStringId(String id) {
    if (id.isEmpty() || id.length() > MAX_ID_BYTES) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- Meilisearch's messages

  /** {@code missing_document_id}, embedding the document as serde_json prints it. */
  public static DocumentError missing(String primaryKey, JsonObject document) {
    return new DocumentError(ErrorCode.MISSING_DOCUMENT_ID.code(), "Document doesn't have a `" + primaryKey
        + "` attribute: `" + SerdeJson.write(document) + "`.");
  }

  /** {@code invalid_document_id} when the primary key matches several values. */
  public static DocumentError tooManyMatches(String primaryKey, JsonObject document) {
    return new DocumentError(ErrorCode.INVALID_DOCUMENT_ID.code(), "Document have too many matching `" + primaryKey
        + "` attribute: `" + SerdeJson.write(document) + "`.");
  }

  /** {@code invalid_document_id} for a value that is no valid id, printed as serde_json prints it. */
  public static DocumentError invalid(Object value) {
    return new DocumentError(ErrorCode.INVALID_DOCUMENT_ID.code(), "Document identifier `" + SerdeJson.write(value)
        + "` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric "
        + "characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.");
  }

  /** The outcome for one document: its canonical id, or the task error. */
  public record IdResult(String id, DocumentError error) {
    static IdResult valid(String id) {
      return new IdResult(id, null);
    }

    static IdResult failed(DocumentError error) {
      return new IdResult(null, error);
    }

    public boolean isValid() {
      return error == null;
    }
  }
}
