package io.miroir.tasks;

import io.miroir.config.MiroirConfig;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.node.Fleet;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.miroir.store.NewTask;
import io.miroir.store.TaskRecord;
import io.miroir.store.TaskStore;
import io.miroir.topology.Node;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Miroir's task ledger (SPEC §2.3, D1): records one integer-uid task per client write with the node tasks it stands
 * for, refreshes unfinished tasks from the nodes (on demand and in the background) and runs each type's completion
 * step once a task succeeds (for example recording an index rename).
 *
 * <p>A task may hold, besides its main node task per node, earlier node tasks enqueued for the same request (a
 * primary-key update, the reserved-field setting of a new index) under {@code meta.followUps}; a node's outcome is
 * the combination of all of its tasks. Node tasks of a node currently marked failed are left out of the aggregation
 * while it is failed, so a write acknowledged by a quorum completes without waiting for the dead replica.
 */
public final class TaskService {
  private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);
  private final Vertx vertx;
  private final TaskStore store;
  private final Fleet fleet;
  private final MiroirConfig.TasksConfig config;
  private final Map<String, Function<TaskRecord, Future<TaskRecord>>> onSucceeded = new ConcurrentHashMap<>();
  private final Map<Long, Future<TaskRecord>> refreshing = new ConcurrentHashMap<>();
  private long pollTimer = -1;

  private final io.miroir.metrics.MiroirMetrics metrics;

  public TaskService(Vertx vertx, TaskStore store, Fleet fleet, MiroirConfig.TasksConfig config,
      io.miroir.metrics.MiroirMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.fleet = fleet;
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * Registers the step run when a task of {@code type} has succeeded on every node; it may turn the task into a
   * failure (for example when settings read back differ between nodes).
   */
  public void onSucceeded(String type, Function<TaskRecord, Future<TaskRecord>> step) {
    onSucceeded.put(type, step);
  }

  public void start() {
    pollTimer = vertx.setPeriodic(config.pollIntervalMs(), id -> pollUnfinished());
  }

  public void stop() {
    vertx.cancelTimer(pollTimer);
  }

  /** Records an enqueued task standing for {@code nodeTasks}. */
  public Future<TaskRecord> enqueue(String indexUid, String type, JsonObject details, Map<String, Long> nodeTasks,
      JsonObject meta) {
    metrics.taskRecorded("enqueued");
    return store.createTask(new NewTask(indexUid, type, "enqueued", details, null, Instant.now(), null, nodeTasks,
        meta));
  }

  /** Records a task that failed before reaching any node (D10). */
  public Future<TaskRecord> recordFailed(String indexUid, String type, JsonObject details, JsonObject error) {
    Instant now = Instant.now();
    metrics.taskRecorded("failed");
    return store.createTask(new NewTask(indexUid, type, "failed", details, error, now, now, Map.of(),
        new JsonObject()));
  }

  /** Records a task Miroir completed itself without node work. */
  public Future<TaskRecord> recordSucceeded(String indexUid, String type, JsonObject details) {
    Instant now = Instant.now();
    metrics.taskRecorded("succeeded");
    return store.createTask(new NewTask(indexUid, type, "succeeded", details, null, now, now, Map.of(),
        new JsonObject()));
  }

  /** The task, refreshed from the nodes first when unfinished. */
  public Future<TaskRecord> get(long uid) {
    return store.getTask(uid).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new MeiliException(ErrorCode.TASK_NOT_FOUND, "Task `" + uid + "` not found."));
      }
      TaskRecord task = found.get();
      return task.finished() ? Future.succeededFuture(task) : refresh(task);
    });
  }

  /** Brings an unfinished task up to date with its node tasks; concurrent calls share one refresh. */
  public Future<TaskRecord> refresh(TaskRecord task) {
    if (task.finished() || task.nodeTasks().isEmpty()) {
      return Future.succeededFuture(task);
    }
    return refreshing.computeIfAbsent(task.uid(), uid -> doRefresh(task)
        .onComplete(ar -> refreshing.remove(uid)));
  }

  private Future<TaskRecord> doRefresh(TaskRecord task) {
    Map<String, List<Long>> perNode = nodeTaskLists(task);
    List<String> nodes = new ArrayList<>();
    List<Future<JsonObject>> calls = new ArrayList<>();
    perNode.forEach((nodeId, uids) -> {
      boolean failedNode = fleet.topology().node(nodeId).map(Node::failed).orElse(true);
      if (!failedNode) {
        nodes.add(nodeId);
        calls.add(combinedNodeTask(fleet.client(nodeId), uids));
      }
    });
    if (nodes.isEmpty()) {
      return Future.succeededFuture(task);
    }
    return Future.join(calls).transform(ignored -> {
      Map<String, JsonObject> known = new LinkedHashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        if (calls.get(i).succeeded() && calls.get(i).result() != null) {
          known.put(nodes.get(i), calls.get(i).result());
        }
      }
      if (known.size() < nodes.size()) {
        return Future.succeededFuture(task);
      }
      TaskRecord aggregated = TaskAggregator.aggregate(restrictTo(task, known.keySet()), known);
      TaskRecord merged = notBeforeEnqueued(withNodeDetails(withNodeTasks(aggregated, task), known));
      return complete(merged).compose(done -> {
        if (done.equals(task)) {
          return Future.succeededFuture(done);
        }
        if (done.finished()) {
          metrics.taskRecorded(done.status());
        }
        return store.updateTask(done).map(done);
      });
    });
  }

  private Future<TaskRecord> complete(TaskRecord task) {
    if (!"succeeded".equals(task.status())) {
      return Future.succeededFuture(task);
    }
    Function<TaskRecord, Future<TaskRecord>> step = onSucceeded.get(task.type());
    if (step == null) {
      return Future.succeededFuture(task);
    }
    return step.apply(task).recover(err -> {
      LOG.warn("completion step of task [{}] failed: {}", task.uid(), err.getMessage());
      return Future.succeededFuture(task);
    });
  }

  /** Every node task of the task per node: follow-ups first (they were enqueued first), then the main one. */
  private static Map<String, List<Long>> nodeTaskLists(TaskRecord task) {
    Map<String, List<Long>> perNode = new LinkedHashMap<>();
    JsonObject followUps = task.meta().getJsonObject("followUps", new JsonObject());
    for (String nodeId : followUps.fieldNames()) {
      JsonArray uids = followUps.getJsonArray(nodeId);
      List<Long> list = perNode.computeIfAbsent(nodeId, n -> new ArrayList<>());
      uids.forEach(u -> list.add(((Number) u).longValue()));
    }
    task.nodeTasks().forEach((nodeId, uid) -> perNode.computeIfAbsent(nodeId, n -> new ArrayList<>()).add(uid));
    return perNode;
  }

  /**
   * Fetches a node's tasks and folds them into one: the main (last) task's object, with the status of the
   * earliest task that failed or is still unfinished.
   */
  private static Future<JsonObject> combinedNodeTask(NodeClient node, List<Long> uids) {
    List<Future<NodeResponse>> calls = new ArrayList<>();
    for (long uid : uids) {
      calls.add(node.call(HttpMethod.GET, "/tasks/" + uid, null));
    }
    return Future.all(calls).map(all -> {
      JsonObject main = null;
      JsonObject blocking = null;
      for (Future<NodeResponse> f : calls) {
        NodeResponse r = f.result();
        if (!r.ok()) {
          return null;
        }
        JsonObject t = r.json();
        main = t;
        String status = t.getString("status");
        if (blocking == null && !"succeeded".equals(status)) {
          blocking = t;
        }
      }
      if (blocking == null || blocking == main) {
        return main;
      }
      JsonObject combined = main.copy();
      String status = blocking.getString("status");
      combined.put("status", "enqueued".equals(status) && !"enqueued".equals(main.getString("status"))
          ? "processing" : status);
      if ("failed".equals(status)) {
        combined.put("error", blocking.getValue("error"));
        combined.put("status", "failed");
      }
      return combined;
    });
  }

  private static TaskRecord restrictTo(TaskRecord task, java.util.Set<String> nodes) {
    Map<String, Long> kept = new LinkedHashMap<>();
    task.nodeTasks().forEach((n, uid) -> {
      if (nodes.contains(n)) {
        kept.put(n, uid);
      }
    });
    for (String n : nodes) {
      kept.putIfAbsent(n, -1L);
    }
    return new TaskRecord(task.uid(), task.batchUid(), task.indexUid(), task.status(), task.type(),
        task.canceledBy(), task.details(), task.error(), task.enqueuedAt(), task.startedAt(), task.finishedAt(), kept,
        task.meta());
  }

  private static TaskRecord withNodeTasks(TaskRecord aggregated, TaskRecord original) {
    return new TaskRecord(aggregated.uid(), aggregated.batchUid(), aggregated.indexUid(), aggregated.status(),
        aggregated.type(), aggregated.canceledBy(), aggregated.details(), aggregated.error(), aggregated.enqueuedAt(),
        aggregated.startedAt(), aggregated.finishedAt(), original.nodeTasks(), aggregated.meta());
  }

  /**
   * For broadcast tasks whose details only the nodes know (a settings update's normalized settings), the details of
   * the first node's task, with Miroir's own fields removed.
   */
  private static TaskRecord withNodeDetails(TaskRecord task, Map<String, JsonObject> nodeTasks) {
    boolean fromNode = task.meta().getBoolean("detailsFromNode", false);
    if (!fromNode || (task.details() != null && !task.details().isEmpty()) || nodeTasks.isEmpty()) {
      return task;
    }
    JsonObject details = nodeTasks.values().iterator().next().getJsonObject("details");
    if (details == null) {
      return task;
    }
    return new TaskRecord(task.uid(), task.batchUid(), task.indexUid(), task.status(), task.type(),
        task.canceledBy(), io.miroir.merge.ReservedFields.stripSettings(details.copy()), task.error(),
        task.enqueuedAt(), task.startedAt(), task.finishedAt(), task.nodeTasks(), task.meta());
  }

  /**
   * A node may start a task a moment before Miroir records it as enqueued (the record follows the nodes' ACKs); the
   * client must never see a task start before it was enqueued.
   */
  private static TaskRecord notBeforeEnqueued(TaskRecord t) {
    if (t.startedAt() == null || !t.startedAt().isBefore(t.enqueuedAt())) {
      return t;
    }
    Instant finished = t.finishedAt() != null && t.finishedAt().isBefore(t.enqueuedAt()) ? t.enqueuedAt()
        : t.finishedAt();
    return new TaskRecord(t.uid(), t.batchUid(), t.indexUid(), t.status(), t.type(), t.canceledBy(), t.details(),
        t.error(), t.enqueuedAt(), t.enqueuedAt(), finished, t.nodeTasks(), t.meta());
  }

  private void pollUnfinished() {
    store.unfinishedTasks(100).onSuccess(tasks -> {
      long oldest = tasks.isEmpty() ? 0
          : java.time.Duration.between(tasks.get(0).enqueuedAt(), Instant.now()).toSeconds();
      store.listTasks(io.miroir.store.TaskQuery.all(1))
          .onSuccess(page -> metrics.taskBacklog(oldest, page.total()));
      for (TaskRecord task : tasks) {
        refresh(task).onFailure(err -> LOG.debug("refresh of task [{}] failed: {}", task.uid(), err.getMessage()));
      }
    });
  }

  public TaskStore store() {
    return store;
  }
}
