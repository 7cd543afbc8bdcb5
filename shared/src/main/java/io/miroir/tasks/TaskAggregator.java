package io.miroir.tasks;

import io.miroir.store.TaskRecord;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Folds the node tasks a Miroir task stands for into the one task the client sees (SPEC §2.3, D1).
 *
 * <p>Status: failed if any node task failed (with the error of the first failing node, by node id); else canceled if
 * any was canceled; else succeeded only when all succeeded; else processing when any is processing or some have
 * finished while others have not; else enqueued. A node whose task object is missing from the map counts as not yet
 * started, so a task never looks finished before every node was seen finishing.
 *
 * <p>Details keep every key Miroir set at creation; only the counters Meilisearch fills in at the end change:
 * {@code indexedDocuments} of a document addition, {@code deletedDocuments} of a document or index deletion. A
 * failed or canceled task reports 0 for them, as Meilisearch does ({@code Details::to_failed}), and null while
 * unfinished.
 */
public final class TaskAggregator {
  private static final String ENQUEUED = "enqueued";
  private static final String PROCESSING = "processing";
  private static final String SUCCEEDED = "succeeded";
  private static final String FAILED = "failed";
  private static final String CANCELED = "canceled";

  private TaskAggregator() {
  }

  /**
   * The task as its node tasks now show it.
   *
   * @param nodeTaskObjects node id → that node's own task object ({@code GET /tasks/{uid}} on the node), for the
   *     node ids of {@code task.nodeTasks()}; entries for other nodes are ignored
   */
  public static TaskRecord aggregate(TaskRecord task, Map<String, JsonObject> nodeTaskObjects) {
    if (task.nodeTasks().isEmpty()) {
      return task;
    }
    List<NodeView> nodes = views(task, nodeTaskObjects);
    String status = status(nodes);
    boolean finished = isFinished(status);
    JsonObject error = FAILED.equals(status) ? firstError(nodes) : null;
    Instant startedAt = ENQUEUED.equals(status) ? null : earliestStart(nodes);
    Instant finishedAt = finished ? latestFinish(nodes) : null;
    Long batchUid = ENQUEUED.equals(status) ? null : task.uid();
    JsonObject details = details(task, status, nodes);
    return new TaskRecord(task.uid(), batchUid, task.indexUid(), status, task.type(), task.canceledBy(), details,
        error, task.enqueuedAt(), startedAt, finishedAt, task.nodeTasks(), task.meta());
  }

  /** What one node says about its task; every field may be missing. */
  private record NodeView(String status, JsonObject error, Instant startedAt, Instant finishedAt,
      JsonObject details) {
  }

  private static List<NodeView> views(TaskRecord task, Map<String, JsonObject> objects) {
    List<NodeView> out = new ArrayList<>();
    // Node ids in order, so "the first failing node" is well defined.
    for (String node : new TreeMap<>(task.nodeTasks()).keySet()) {
      JsonObject o = objects.get(node);
      if (o == null) {
        out.add(new NodeView(ENQUEUED, null, null, null, null));
      } else {
        out.add(new NodeView(o.getString("status", ENQUEUED), o.getJsonObject("error"), instant(o, "startedAt"),
            instant(o, "finishedAt"), o.getJsonObject("details")));
      }
    }
    return out;
  }

  private static Instant instant(JsonObject o, String field) {
    String text = o.getString(field);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null; // a timestamp we cannot read is treated as absent rather than failing the whole poll
    }
  }

  private static String status(List<NodeView> nodes) {
    if (any(nodes, FAILED)) {
      return FAILED;
    }
    if (any(nodes, CANCELED)) {
      return CANCELED;
    }
    long succeeded = nodes.stream().filter(n -> SUCCEEDED.equals(n.status())).count();
    if (succeeded == nodes.size()) {
      return SUCCEEDED;
    }
    return succeeded > 0 || any(nodes, PROCESSING) ? PROCESSING : ENQUEUED;
  }

  private static boolean any(List<NodeView> nodes, String status) {
    return nodes.stream().anyMatch(n -> status.equals(n.status()));
  }

  private static boolean isFinished(String status) {
    return SUCCEEDED.equals(status) || FAILED.equals(status) || CANCELED.equals(status);
  }

  private static JsonObject firstError(List<NodeView> nodes) {
    return nodes.stream().filter(n -> FAILED.equals(n.status())).map(NodeView::error).filter(Objects::nonNull)
        .findFirst().map(JsonObject::copy).orElse(null);
  }

  private static Instant earliestStart(List<NodeView> nodes) {
    return nodes.stream().map(NodeView::startedAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
  }

  private static Instant latestFinish(List<NodeView> nodes) {
    return nodes.stream().map(NodeView::finishedAt).filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
  }

  private static JsonObject details(TaskRecord task, String status, List<NodeView> nodes) {
    JsonObject details = task.details() == null ? null : task.details().copy();
    switch (task.type()) {
      case "documentAdditionOrUpdate":
        if (details != null) {
          details.put("indexedDocuments", finalCount(status, () -> details.getValue("receivedDocuments")));
        }
        return details;
      case "documentDeletion":
      case "indexDeletion":
        // Meilisearch always shows deletedDocuments for these types, so create the object if Miroir stored none.
        JsonObject d = details == null ? new JsonObject() : details;
        return d.put("deletedDocuments", finalCount(status, () -> deletedDocuments(task, nodes)));
      default:
        return details;
    }
  }

  /** The counter's value for {@code status}: computed on success, 0 on failure or cancelation, null before. */
  private static Object finalCount(String status, Supplier<Object> onSuccess) {
    if (SUCCEEDED.equals(status)) {
      return onSuccess.get();
    }
    return FAILED.equals(status) || CANCELED.equals(status) ? 0 : null;
  }

  /**
   * Each document lives on {@code meta.copies} of the task's nodes (replicas), so each node counts it once: the sum
   * over nodes divided by the copies is the number of distinct documents deleted.
   */
  private static long deletedDocuments(TaskRecord task, List<NodeView> nodes) {
    long sum = 0;
    for (NodeView n : nodes) {
      Object v = n.details() == null ? null : n.details().getValue("deletedDocuments");
      if (v instanceof Number number) {
        sum += number.longValue();
      }
    }
    int copies = Math.max(1, task.meta().getInteger("copies", 1));
    return Math.round((double) sum / copies);
  }
}
