package io.miroir.router;

import static io.miroir.router.RouterVerticle.handle;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.node.Broadcast;
import io.miroir.runtime.Services;
import io.miroir.store.TaskQuery;
import io.miroir.store.TaskRecord;
import io.miroir.tasks.TaskJson;
import io.miroir.tasks.TaskQueryParser;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task API (SPEC §2.3, D1), answered from Miroir's own ledger: get, list, cancel and delete. Cancelling and
 * deleting act on the node tasks behind the matched Miroir tasks.
 */
final class TaskRoutes {
  private final Services services;

  TaskRoutes(Services services) {
    this.services = services;
  }

  void mount(Router router, Auth auth) {
    router.get("/tasks").handler(handle(auth, Auth.Scope.ENFORCED, "tasks.get", this::list));
    router.get("/tasks/:taskUid").handler(handle(auth, Auth.Scope.ENFORCED, "tasks.get", this::getOne));
    router.post("/tasks/cancel").handler(handle(auth, Auth.Scope.ENFORCED, "tasks.cancel", this::cancel));
    router.delete("/tasks").handler(handle(auth, Auth.Scope.ENFORCED, "tasks.delete", this::delete));
  }

  private Future<Reply> getOne(ApiRequest req) {
    String raw = req.param("taskUid");
    long uid;
    try {
      uid = Long.parseLong(raw);
      if (uid < 0 || uid > 0xFFFF_FFFFL) {
        throw new NumberFormatException(raw);
      }
    } catch (NumberFormatException e) {
      return Future.failedFuture(new MeiliException(ErrorCode.INVALID_TASK_UIDS, "Invalid value in parameter "
          + "`taskUid`: could not parse `" + raw + "` as a positive integer"));
    }
    return services.tasks().get(uid).map(task -> Reply.ok(TaskJson.task(task)));
  }

  private Future<Reply> list(ApiRequest req) {
    TaskQuery query = TaskQueryParser.parseList(req.query());
    return services.store().listTasks(query).map(page -> Reply.ok(TaskJson.page(page, query.limit())));
  }

  /**
   * Cancels the matched unfinished tasks by cancelling their node tasks on every node, recorded as one
   * {@code taskCancelation} task whose node tasks are the nodes' cancelations.
   */
  private Future<Reply> cancel(ApiRequest req) {
    TaskQuery query = TaskQueryParser.parseCancelation(req.query());
    return services.store().matchTasks(query).compose(matched -> {
      List<TaskRecord> cancelable = matched.stream().filter(t -> !t.finished()).toList();
      Map<String, List<Long>> perNode = nodeTasksOf(cancelable);
      JsonObject details = new JsonObject().put("matchedTasks", matched.size())
          .putNull("canceledTasks").put("originalFilter", originalFilter(req));
      return sendPerNode(HttpMethod.POST, "/tasks/cancel", perNode).compose(nodeTasks -> nodeTasks.isEmpty()
          ? services.tasks().recordSucceeded(null, "taskCancelation", details.put("canceledTasks", 0))
          : services.tasks().enqueue(null, "taskCancelation", details, nodeTasks,
              new JsonObject().put("canceledTasks", cancelable.size())));
    }).map(task -> Reply.ok(TaskJson.summarized(task)));
  }

  /** Deletes finished matched tasks from the ledger and their node tasks from the nodes. */
  private Future<Reply> delete(ApiRequest req) {
    TaskQuery query = TaskQueryParser.parseDeletion(req.query());
    return services.store().matchTasks(query).compose(matched -> {
      List<TaskRecord> deletable = matched.stream().filter(TaskRecord::finished).toList();
      List<Long> uids = deletable.stream().map(TaskRecord::uid).toList();
      JsonObject details = new JsonObject().put("matchedTasks", matched.size())
          .put("deletedTasks", uids.size()).put("originalFilter", originalFilter(req));
      return services.store().deleteTasks(uids)
          .compose(n -> sendPerNode(HttpMethod.DELETE, "/tasks", nodeTasksOf(deletable)))
          .compose(nodeTasks -> services.tasks().recordSucceeded(null, "taskDeletion", details));
    }).map(task -> Reply.ok(TaskJson.summarized(task)));
  }

  private static String originalFilter(ApiRequest req) {
    return TaskQueryParser.originalFilter(req.ctx().request().query());
  }

  private static Map<String, List<Long>> nodeTasksOf(List<TaskRecord> tasks) {
    Map<String, List<Long>> perNode = new LinkedHashMap<>();
    for (TaskRecord t : tasks) {
      t.nodeTasks().forEach((node, uid) -> perNode.computeIfAbsent(node, n -> new ArrayList<>()).add(uid));
      JsonObject followUps = t.meta().getJsonObject("followUps", new JsonObject());
      followUps.forEach(e -> ((io.vertx.core.json.JsonArray) e.getValue())
          .forEach(u -> perNode.computeIfAbsent(e.getKey(), n -> new ArrayList<>()).add(((Number) u).longValue())));
    }
    return perNode;
  }

  /** Sends {@code ?uids=…} to each node that has matched node tasks; answers the node tasks it enqueued. */
  private Future<Map<String, Long>> sendPerNode(HttpMethod method, String path, Map<String, List<Long>> perNode) {
    List<Future<Broadcast.Outcomes>> calls = new ArrayList<>();
    perNode.forEach((node, uids) -> {
      StringBuilder q = new StringBuilder("?uids=");
      for (int i = 0; i < uids.size(); i++) {
        q.append(i == 0 ? "" : ",").append(uids.get(i));
      }
      calls.add(Broadcast.send(List.of(services.fleet().client(node)), method, path + q, null, null,
          services.config().scatter().nodeTimeoutMs()));
    });
    return Future.join(calls).transform(ignored -> {
      Map<String, Long> tasks = new LinkedHashMap<>();
      for (Future<Broadcast.Outcomes> f : calls) {
        if (f.succeeded()) {
          tasks.putAll(f.result().taskUids());
        }
      }
      return Future.succeededFuture(tasks);
    });
  }
}
