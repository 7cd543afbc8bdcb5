package io.miroir.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * A task about to be recorded; the store assigns its uid. {@code status} is usually {@code enqueued}; a task
 * rejected before any node call (D10) is recorded directly as {@code failed} with its {@code error}.
 */
public record NewTask(String indexUid, String type, String status, JsonObject details, JsonObject error,
    Instant enqueuedAt, Instant finishedAt, Map<String, Long> nodeTasks, JsonObject meta) {
}
