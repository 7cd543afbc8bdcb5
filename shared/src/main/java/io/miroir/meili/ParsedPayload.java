package io.miroir.meili;

import io.miroir.json.JsonOutput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The documents of a write payload, in payload order, plus what Meilisearch will see that a {@link JsonObject}
 * cannot show: the document's text as Meilisearch stores it (keys repeated where it keeps them raw, whitespace,
 * values it accepts on receipt but fails the task on when it re-reads them strictly, such as an out-of-range number,
 * a lone surrogate or nesting past 128). {@link BatchValidator#validate(ParsedPayload, String, String,
 * java.util.Set)} consults it to fail a batch exactly as Meilisearch would (SPEC D10).
 */
public final class ParsedPayload {
  private final PayloadFormat format;
  private final List<JsonObject> documents;
  private final byte[] source;
  private final int[] starts;
  private final int[] ends;
  private final BitSet repeats;
  private final BitSet suspects;

  /** Documents whose stored text is serde_json's compact form of the object (a lone JSON object, CSV rows). */
  ParsedPayload(PayloadFormat format, List<JsonObject> documents) {
    this(format, documents, null, null, null, new BitSet(), new BitSet());
  }

  /** Documents read raw from {@code source} (JSON array elements, NDJSON values) at the given byte ranges. */
  ParsedPayload(PayloadFormat format, List<JsonObject> documents, byte[] source, int[] starts, int[] ends,
      BitSet repeats, BitSet suspects) {
    this.format = format;
    this.documents = List.copyOf(documents);
    this.source = source;
    this.starts = starts;
    this.ends = ends;
    this.repeats = repeats;
    this.suspects = suspects;
  }

  public PayloadFormat format() {
    return format;
  }

  /** The documents, unmodifiable; callers must not mutate them. */
  public List<JsonObject> documents() {
    return documents;
  }

  /** Whether document {@code i}'s raw text says more than its {@code JsonObject} (repeated keys, suspect values). */
  boolean needsRawText(int i) {
    return repeats.get(i) || suspects.get(i);
  }

  /** Whether document {@code i} holds a value only a strict re-read can judge. */
  boolean isSuspect(int i) {
    return suspects.get(i);
  }

  /**
   * The JSON array of the documents at {@code positions} (in that order), each with {@code "field": values[p]} added
   * as its last member (the field must not be in the documents; {@link BatchValidator} rejects reserved fields).
   *
   * <p>A document read raw (a JSON array element or an NDJSON value whose text says no more than its object) is
   * copied as the client sent it with the field spliced in before its closing brace, so a node receives the client's
   * own text, as it would without Miroir, and nothing is re-encoded. Any other document (a lone object, CSV rows, an
   * element with repeated keys or suspect values) is encoded from its object, which is what its node would store.
   */
  public Buffer withField(List<Integer> positions, String field, int[] values) {
    byte[] name = ('"' + field + "\":").getBytes(StandardCharsets.UTF_8);
    int estimate = 2 + positions.size() * (name.length + 16);
    if (source != null) {
      for (int p : positions) {
        estimate += ends[p] - starts[p];
      }
    }
    Buffer out = Buffer.buffer(estimate);
    out.appendByte((byte) '[');
    boolean first = true;
    for (int p : positions) {
      if (!first) {
        out.appendByte((byte) ',');
      }
      first = false;
      byte[] text;
      int from;
      int to;
      if (source != null && !needsRawText(p) && source[starts[p]] == '{' && source[ends[p] - 1] == '}') {
        text = source;
        from = starts[p];
        to = ends[p];
      } else {
        text = JsonOutput.toBuffer(documents.get(p)).getBytes();
        from = 0;
        to = text.length;
      }
      out.appendBytes(text, from, to - 1 - from);
      if (!emptyObject(text, from, to)) {
        out.appendByte((byte) ',');
      }
      out.appendBytes(name).appendString(Integer.toString(values[p])).appendByte((byte) '}');
    }
    return out.appendByte((byte) ']');
  }

  /** True when the object text {@code text[from, to)} has no member. */
  private static boolean emptyObject(byte[] text, int from, int to) {
    for (int i = from + 1; i < to - 1; i++) {
      byte b = text[i];
      if (b != ' ' && b != '\n' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /**
   * Document {@code i} as Meilisearch stores it: an NDJSON value verbatim; a JSON array element rewritten by its
   * {@code RawMap} (compact, re-escaped top-level keys, a repeated one in its first place with its last value, every
   * value's raw text unchanged); anything else as serde_json's compact form.
   */
  byte[] stored(int i) {
    if (source == null) {
      return SerdeJson.write(documents.get(i)).getBytes(StandardCharsets.UTF_8);
    }
    if (format == PayloadFormat.NDJSON) {
      return Arrays.copyOfRange(source, starts[i], ends[i]);
    }
    return JsonDocuments.rawMapText(source, starts[i], ends[i]);
  }
}
