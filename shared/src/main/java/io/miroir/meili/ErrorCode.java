package io.miroir.meili;

import java.util.Map;
import java.util.Set;

/**
 * Error codes Miroir answers itself, each with the HTTP status and type Meilisearch 1.21 uses for it
 * (SPEC §2.4 for the {@code miroir_*} codes). Errors a node returns are passed through verbatim and never
 * re-mapped; {@link #statusOf(String)} serves the places that must reason about a node's code.
 */
public enum ErrorCode {
  BAD_REQUEST("bad_request"),
  MALFORMED_PAYLOAD("malformed_payload"),
  MISSING_PAYLOAD("missing_payload"),
  PAYLOAD_TOO_LARGE("payload_too_large", 413),
  INVALID_CONTENT_TYPE("invalid_content_type", 415),
  MISSING_CONTENT_TYPE("missing_content_type", 415),
  INDEX_NOT_FOUND("index_not_found", 404),
  INDEX_ALREADY_EXISTS("index_already_exists", 409),
  INVALID_INDEX_UID("invalid_index_uid"),
  MISSING_INDEX_UID("missing_index_uid"),
  INVALID_INDEX_PRIMARY_KEY("invalid_index_primary_key"),
  INVALID_INDEX_OFFSET("invalid_index_offset"),
  INVALID_INDEX_LIMIT("invalid_index_limit"),
  INDEX_PRIMARY_KEY_ALREADY_EXISTS("index_primary_key_already_exists"),
  INDEX_PRIMARY_KEY_NO_CANDIDATE_FOUND("index_primary_key_no_candidate_found"),
  INDEX_PRIMARY_KEY_MULTIPLE_CANDIDATES_FOUND("index_primary_key_multiple_candidates_found"),
  DOCUMENT_NOT_FOUND("document_not_found", 404),
  MISSING_DOCUMENT_ID("missing_document_id"),
  INVALID_DOCUMENT_ID("invalid_document_id"),
  INVALID_DOCUMENT_IDS("invalid_document_ids"),
  INVALID_DOCUMENT_FIELDS("invalid_document_fields"),
  INVALID_DOCUMENT_FILTER("invalid_document_filter"),
  MISSING_DOCUMENT_FILTER("missing_document_filter"),
  INVALID_DOCUMENT_LIMIT("invalid_document_limit"),
  INVALID_DOCUMENT_OFFSET("invalid_document_offset"),
  INVALID_DOCUMENT_CSV_DELIMITER("invalid_document_csv_delimiter"),
  INVALID_SWAP_INDEXES("invalid_swap_indexes"),
  TASK_NOT_FOUND("task_not_found", 404),
  BATCH_NOT_FOUND("batch_not_found", 404),
  API_KEY_NOT_FOUND("api_key_not_found", 404),
  MISSING_TASK_FILTERS("missing_task_filters"),
  INVALID_TASK_UIDS("invalid_task_uids"),
  INVALID_BATCH_UIDS("invalid_batch_uids"),
  INVALID_TASK_CANCELED_BY("invalid_task_canceled_by"),
  INVALID_TASK_TYPES("invalid_task_types"),
  INVALID_TASK_STATUSES("invalid_task_statuses"),
  INVALID_TASK_LIMIT("invalid_task_limit"),
  INVALID_TASK_FROM("invalid_task_from"),
  INVALID_TASK_REVERSE("invalid_task_reverse"),
  INVALID_TASK_AFTER_ENQUEUED_AT("invalid_task_after_enqueued_at"),
  INVALID_TASK_BEFORE_ENQUEUED_AT("invalid_task_before_enqueued_at"),
  INVALID_TASK_AFTER_STARTED_AT("invalid_task_after_started_at"),
  INVALID_TASK_BEFORE_STARTED_AT("invalid_task_before_started_at"),
  INVALID_TASK_AFTER_FINISHED_AT("invalid_task_after_finished_at"),
  INVALID_TASK_BEFORE_FINISHED_AT("invalid_task_before_finished_at"),
  MISSING_AUTHORIZATION_HEADER("missing_authorization_header", 401),
  MISSING_MASTER_KEY("missing_master_key", 401),
  INVALID_API_KEY("invalid_api_key", 403),
  INTERNAL("internal", 500),
  // Miroir's own codes (SPEC §2.4).
  MIROIR_PRIMARY_KEY_REQUIRED("miroir_primary_key_required"),
  MIROIR_NO_QUORUM("miroir_no_quorum", 503),
  MIROIR_SHARD_UNAVAILABLE("miroir_shard_unavailable", 503),
  MIROIR_RESERVED_FIELD("miroir_reserved_field"),
  MIROIR_INVALID_AUTH("miroir_invalid_auth", 401),
  MIROIR_NODE_UNREACHABLE("miroir_node_unreachable", 503),
  MIROIR_SETTINGS_DIVERGED("miroir_settings_diverged", 500),
  /** An admin change of the fleet that is malformed or would break placement (SPEC §3.2). */
  MIROIR_INVALID_TOPOLOGY_CHANGE("miroir_invalid_topology_change"),
  /** An admin change of the fleet that conflicts with its current state (an id in use, the last group...). */
  MIROIR_TOPOLOGY_CONFLICT("miroir_topology_conflict", 409),
  MIROIR_NODE_NOT_FOUND("miroir_node_not_found", 404),
  MIROIR_GROUP_NOT_FOUND("miroir_group_not_found", 404),
  /** A multi-search with more queries than {@code multi_search.max_queries_per_batch}. */
  MIROIR_TOO_MANY_QUERIES("miroir_too_many_queries"),
  /** A Meilisearch capability Miroir cannot yet answer exactly over shards; refused rather than answered wrong. */
  MIROIR_UNSUPPORTED("miroir_unsupported", 501),
  /** A canary definition sent to {@code POST /_miroir/canaries} that cannot run (SPEC §13.18). */
  MIROIR_INVALID_CANARY("miroir_invalid_canary"),
  MIROIR_CANARY_NOT_FOUND("miroir_canary_not_found", 404),
  /** The canary is defined in the configuration file, which the admin API does not override. */
  MIROIR_CANARY_DEFINED_IN_CONFIG("miroir_canary_defined_in_config", 409),
  /** No process of the cluster runs the verticle that serves this request (see {@code --verticles}). */
  MIROIR_VERTICLE_UNAVAILABLE("miroir_verticle_unavailable", 503);

  private static final Map<String, Integer> NON_400 = Map.ofEntries(
      Map.entry("api_key_already_exists", 409), Map.entry("index_already_exists", 409),
      Map.entry("dump_already_processing", 409), Map.entry("api_key_not_found", 404),
      Map.entry("document_not_found", 404), Map.entry("dump_not_found", 404), Map.entry("index_not_found", 404),
      Map.entry("task_not_found", 404), Map.entry("task_file_not_found", 404), Map.entry("batch_not_found", 404),
      Map.entry("chat_not_found", 404), Map.entry("webhook_not_found", 404), Map.entry("invalid_content_type", 415),
      Map.entry("missing_content_type", 415), Map.entry("unsupported_media_type", 415),
      Map.entry("payload_too_large", 413), Map.entry("invalid_api_key", 403), Map.entry("remote_invalid_api_key", 403),
      Map.entry("missing_authorization_header", 401), Map.entry("missing_master_key", 401),
      Map.entry("internal", 500), Map.entry("database_size_limit_reached", 500), Map.entry("dump_process_failed", 500),
      Map.entry("index_creation_failed", 500), Map.entry("invalid_state", 500), Map.entry("invalid_store_file", 500),
      Map.entry("io_error", 422), Map.entry("no_space_left_on_device", 422), Map.entry("too_many_open_files", 422),
      Map.entry("remote_bad_response", 502), Map.entry("remote_could_not_send_request", 502),
      Map.entry("remote_remote_error", 502), Map.entry("remote_timeout", 502),
      Map.entry("too_many_search_requests", 503));
  private static final Set<String> AUTH = Set.of("invalid_api_key", "remote_invalid_api_key",
      "missing_authorization_header", "missing_master_key", "miroir_invalid_auth");
  private static final Set<String> INTERNAL_TYPE = Set.of("internal", "database_size_limit_reached",
      "dump_process_failed", "index_creation_failed", "invalid_state", "invalid_store_file", "unretrievable_document",
      "miroir_settings_diverged");
  private static final Set<String> SYSTEM = Set.of("io_error", "no_space_left_on_device", "too_many_open_files",
      "remote_bad_response", "remote_could_not_send_request", "remote_remote_error", "remote_timeout",
      "too_many_search_requests", "miroir_no_quorum", "miroir_shard_unavailable", "miroir_node_unreachable",
      "miroir_verticle_unavailable");

  private final String code;
  private final int httpStatus;

  ErrorCode(String code) {
    this(code, 400);
  }

  ErrorCode(String code, int httpStatus) {
    this.code = code;
    this.httpStatus = httpStatus;
  }

  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String type() {
    return typeOf(code);
  }

  /** HTTP status Meilisearch uses for {@code code}: 400 unless §4.1 of the API reference lists it. */
  public static int statusOf(String code) {
    return NON_400.getOrDefault(code, 400);
  }

  /** Error {@code type} Meilisearch uses for {@code code}. */
  public static String typeOf(String code) {
    if (AUTH.contains(code)) {
      return "auth";
    }
    if (INTERNAL_TYPE.contains(code)) {
      return "internal";
    }
    return SYSTEM.contains(code) ? "system" : "invalid_request";
  }

  /** The documentation link Meilisearch attaches to every error. */
  public static String linkOf(String code) {
    return "https://docs.meilisearch.com/errors#" + code;
  }
}
