package io.miroir.meili;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The primary key of a document write (SPEC D9; MEILISEARCH-1.21-API §6.1), decided as Meilisearch decides it:
 *
 * <ol>
 *   <li>the index already has one: it is used; a different {@code ?primaryKey=} fails the task with
 *       {@code index_primary_key_already_exists} (even for an empty payload);
 *   <li>else {@code ?primaryKey=} is used as given (any string, even {@code ""} or {@code "a b"});
 *   <li>else an empty payload succeeds without a key;
 *   <li>else it is inferred from the first document only: its top-level fields whose lower-case name ends with
 *       {@code id}; exactly one is chosen, none or several fail the task.
 * </ol>
 *
 * <p>All failures are task failures (D10). A key chosen by 2–4 becomes the index's only if the task succeeds;
 * Miroir records it then. {@code invalid_index_primary_key} never arises on this path: Meilisearch raises it only
 * for a non-string {@code primaryKey} in the {@code POST /indexes} and {@code PATCH /indexes/{uid}} bodies.
 */
public final class PrimaryKeys {
  private static final String SPECIFY = "Please specify the primary key manually using the `primaryKey` query "
      + "parameter.";

  private PrimaryKeys() {
  }

  /**
   * @param indexPrimaryKey the key the index already has, or null
   * @param paramPrimaryKey the request's {@code ?primaryKey=}, or null when absent
   * @param firstDocument the payload's first document, or null for an empty payload
   */
  public static Resolution resolve(String indexPrimaryKey, String paramPrimaryKey, JsonObject firstDocument) {
    if (indexPrimaryKey != null) {
      if (paramPrimaryKey != null && !paramPrimaryKey.equals(indexPrimaryKey)) {
        return Resolution.failed(alreadyExists(indexPrimaryKey));
      }
      return new Resolution(indexPrimaryKey, false, null);
    }
    if (paramPrimaryKey != null) {
      return new Resolution(paramPrimaryKey, true, null);
    }
    if (firstDocument == null) {
      return new Resolution(null, false, null);
    }
    return infer(firstDocument);
  }

  /** Inference from one document. */
  public static Resolution infer(JsonObject firstDocument) {
    List<String> candidates = new ArrayList<>();
    for (String field : firstDocument.fieldNames()) {
      if (field.toLowerCase(Locale.ROOT).endsWith("id")) {
        candidates.add(field);
      }
    }
    if (candidates.size() == 1) {
      return new Resolution(candidates.get(0), true, null);
    }
    if (candidates.isEmpty()) {
      return Resolution.failed(new DocumentError(ErrorCode.INDEX_PRIMARY_KEY_NO_CANDIDATE_FOUND.code(),
          "The primary key inference failed as the engine did not find any field ending with `id` in its name. "
              + SPECIFY));
    }
    // Rust sorts strings by bytes, i.e. by code point, which String.compareTo does not do beyond the BMP
    candidates.sort(PrimaryKeys::compareCodePoints);
    return Resolution.failed(new DocumentError(ErrorCode.INDEX_PRIMARY_KEY_MULTIPLE_CANDIDATES_FOUND.code(),
        "The primary key inference failed as the engine found " + candidates.size()
            + " fields ending with `id` in their names: '" + candidates.get(0) + "' and '" + candidates.get(1) + "'. "
            + SPECIFY));
  }

  /** {@code index_primary_key_already_exists}. */
  public static DocumentError alreadyExists(String indexPrimaryKey) {
    return new DocumentError(ErrorCode.INDEX_PRIMARY_KEY_ALREADY_EXISTS.code(),
        "Index already has a primary key: `" + indexPrimaryKey + "`.");
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * The primary key to use, or the task failure.
   *
   * @param primaryKey the key, or null (only when the payload is empty and nothing names one)
   * @param chosenByThisWrite true when the index has no key yet and this write's key becomes it if the task succeeds
   * @param error the task failure, or null
   */
  public record Resolution(String primaryKey, boolean chosenByThisWrite, DocumentError error) {
    static Resolution failed(DocumentError error) {
      return new Resolution(null, false, error);
    }

    public boolean isFailed() {
      return error != null;
    }
  }
}
