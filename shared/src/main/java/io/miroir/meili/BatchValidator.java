package io.miroir.meili;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whole-batch validation of a document write before any node call (SPEC §1.3 steps 1–2, §1.5, D6, D10).
 *
 * <p>Call order: {@link DocumentPayload#parsePayload} (synchronous payload errors), {@link #checkReservedFields}
 * (synchronous {@code miroir_reserved_field}), {@link PrimaryKeys#resolve} (task failure), then {@code validate}
 * (task failure). Reserved fields are checked before anything that produces a task because a synchronous
 * rejection never creates one, just as Meilisearch answers every synchronous error before enqueuing.
 *
 * <p>Which errors are which (D10):
 *
 * <ul>
 *   <li>synchronous ({@link MeiliException}, no task): {@code invalid_document_csv_delimiter},
 *       {@code missing_content_type}, {@code invalid_content_type}, {@code missing_payload}, {@code malformed_payload},
 *       {@code payload_too_large}, {@code internal} for a non-object element, {@code bad_request} for a
 *       {@code delete-batch} body that is not an array, and Miroir's {@code miroir_reserved_field};
 *   <li>task failures ({@link DocumentError}, the write gets a {@code taskUid} and no node is called):
 *       {@code index_primary_key_already_exists}, {@code index_primary_key_no_candidate_found},
 *       {@code index_primary_key_multiple_candidates_found}, {@code missing_document_id}, {@code invalid_document_id},
 *       and {@code internal} for values Meilisearch accepts but cannot re-read.
 * </ul>
 *
 * <p>Meilisearch's own order, verified on 1.21: the documents are checked one after the other in payload order and
 * the first bad one is reported, whatever its kind (missing, several matches, invalid value); only when every id is
 * valid does a value that cannot be indexed elsewhere in a document fail the task ({@code internal}). Values that
 * Meilisearch accepts on receipt but cannot re-read strictly (an out-of-range number, a lone surrogate, nesting
 * past 128) fail the task with the {@code internal} message Meilisearch produces at the moment it re-reads them:
 * reading the id, printing the document into an id error, or indexing.
 */
public final class BatchValidator {
  /** Always reserved (SPEC §1.5). */
  public static final String SHARD_FIELD = "_miroir_shard";

  private BatchValidator() {
  }

  /**
   * Validates a batch built without raw facts (see {@link #validate(ParsedPayload, String, String, Set)} for the
   * full-fidelity variant): reserved fields, then every document's id under {@code primaryKey}.
   *
   * @throws MeiliException 400 {@code miroir_reserved_field}
   */
  public static BatchValidation validate(List<JsonObject> docs, String primaryKey, Set<String> rejectedReservedFields) {
    return validate(new ParsedPayload(PayloadFormat.JSON, docs), null, primaryKey, rejectedReservedFields);
  }

  /**
   * Validates a parsed payload: reserved fields (synchronous), each document's id in payload order (task failure),
   * then the values Meilisearch would fail to index (task failure {@code internal}).
   *
   * @param indexUid the index, as Meilisearch names it in {@code internal} indexing failures
   * @param primaryKey the key from {@link PrimaryKeys#resolve}; null only for an empty payload
   * @param rejectedReservedFields reserved fields currently refused; {@value #SHARD_FIELD} is always added
   * @throws MeiliException 400 {@code miroir_reserved_field}
   */
  public static BatchValidation validate(ParsedPayload payload, String indexUid, String primaryKey,
      Set<String> rejectedReservedFields) {
    List<JsonObject> docs = payload.documents();
    checkReservedFields(docs, rejectedReservedFields);
    if (primaryKey == null && !docs.isEmpty()) {
      throw new IllegalArgumentException("documents need a primary key; resolve it with PrimaryKeys first");
    }
    String[] ids = new String[docs.size()];
    for (int i = 0; i < docs.size(); i++) {
      DocumentIds.IdResult id = payload.needsRawText(i) ? null : DocumentIds.resolvePlain(docs.get(i), primaryKey);
      if (id == null) {
        id = DocumentIds.extract(payload.stored(i), docs.get(i), primaryKey);
      }
      if (!id.isValid()) {
        return BatchValidation.failed(id.error());
      }
      ids[i] = id.id();
    }
    for (int i = 0; i < docs.size(); i++) {
      DocumentError error = payload.isSuspect(i) ? indexingFailure(payload.stored(i), indexUid) : null;
      if (error != null) {
        return BatchValidation.failed(error);
      }
    }
    return BatchValidation.valid(ids);
  }

  /**
   * Rejects the first document (payload order) carrying a reserved top-level field.
   *
   * @throws MeiliException 400 {@code miroir_reserved_field}, naming the field and the document's 0-based position
   */
  public static void checkReservedFields(List<JsonObject> docs, Set<String> rejectedReservedFields) {
    Set<String> rejected = new LinkedHashSet<>(rejectedReservedFields == null ? Set.of() : rejectedReservedFields);
    rejected.add(SHARD_FIELD);
    for (int i = 0; i < docs.size(); i++) {
      for (String field : docs.get(i).fieldNames()) {
        if (rejected.contains(field)) {
          throw new MeiliException(ErrorCode.MIROIR_RESERVED_FIELD, "The document at position " + i
              + " (0-based) contains the reserved field `" + field + "`. Fields named `_miroir_*` are written by "
              + "Miroir; remove `" + field + "` from the document.");
        }
      }
    }
  }

  /** Indexing re-reads each top-level value on its own; the first that fails fails the task. */
  private static DocumentError indexingFailure(byte[] stored, String indexUid) {
    for (SerdeJsonReader.Member member : new SerdeJsonReader(stored, 0, stored.length).members()) {
      try {
        new SerdeJsonReader(stored, member.valueStart(), member.valueEnd()).strictValue();
      } catch (SerdeJsonException failure) {
        String prefix = indexUid == null || indexUid.isEmpty() ? "" : "Index `" + indexUid + "`: ";
        return new DocumentError(ErrorCode.INTERNAL.code(), prefix + "internal: " + failure.getMessage() + ".");
      }
    }
    return null;
  }

  /**
   * The verdict on a batch: per-document canonical ids (payload order) for sharding, or the task failure to record.
   */
  public static final class BatchValidation {
    private final String[] ids;
    private final DocumentError error;

    private BatchValidation(String[] ids, DocumentError error) {
      this.ids = ids;
      this.error = error;
    }

    static BatchValidation valid(String[] ids) {
      return new BatchValidation(ids, null);
    }

    static BatchValidation failed(DocumentError error) {
      return new BatchValidation(null, error);
    }

    public boolean isValid() {
      return error == null;
    }

    /** Canonical ids in payload order (a copy); only when {@link #isValid()}. */
    public String[] ids() {
      if (ids == null) {
        throw new IllegalStateException("batch is invalid: " + error.message());
      }
      return ids.clone();
    }

    /** The task failure; null when {@link #isValid()}. */
    public DocumentError error() {
      return error;
    }
  }
}
