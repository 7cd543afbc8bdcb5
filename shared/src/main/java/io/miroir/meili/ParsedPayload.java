package io.miroir.meili;

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
