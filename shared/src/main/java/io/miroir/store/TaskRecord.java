package io.miroir.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Miroir task (SPEC §2.3, D1): the integer uid clients see, Meilisearch's task fields, and the node tasks it
 * stands for ({@code nodeTasks}: node id → that node's taskUid). {@code meta} holds Miroir's own bookkeeping for
 * the task (for example the settings a settings task must leave on every node); it is never shown to clients.
 *
 * @param status one of {@code enqueued, processing, succeeded, failed, canceled}
 */
public record TaskRecord(
    long uid,
    Long batchUid,
    String indexUid,
    String status,
    String type,
    Long canceledBy,
    JsonObject details,
    JsonObject error,
    Instant enqueuedAt,
    Instant startedAt,
    Instant finishedAt,
    Map<String, Long> nodeTasks,
    JsonObject meta) {

  public TaskRecord {
    nodeTasks = nodeTasks == null ? Map.of() : Map.copyOf(new TreeMap<>(nodeTasks));
    meta = meta == null ? new JsonObject() : meta;
  }

  public boolean finished() {
    return "succeeded".equals(status) || "failed".equals(status) || "canceled".equals(status);
  }
}
