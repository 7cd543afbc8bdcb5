package io.miroir.meili;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An error Meilisearch reports through a failed task rather than an HTTP answer (SPEC D10; MEILISEARCH-1.21-API
 * §4.3 "asynchronous failures"): the write is accepted with a {@code taskUid}, no document reaches any node, and
 * the task's {@code error} is {@link #toJson()}.
 *
 * @param code Meilisearch error code ({@code missing_document_id}, {@code invalid_document_id},
 *     {@code index_primary_key_no_candidate_found}, {@code index_primary_key_multiple_candidates_found},
 *     {@code index_primary_key_already_exists}, or {@code internal})
 * @param message Meilisearch's exact message
 */
public record DocumentError(String code, String message) {
  public DocumentError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public String type() {
    return ErrorCode.typeOf(code);
  }

  public String link() {
    return ErrorCode.linkOf(code);
  }

  /** The task's {@code error} object: {@code {message, code, type, link}}. */
  public JsonObject toJson() {
    return MeiliException.errorBody(code, message);
  }
}
