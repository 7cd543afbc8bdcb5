package io.miroir.rebalance;

import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Waiting on a node's own task queue: for one task, or for everything enqueued on one index so far. */
final class NodeTasks {
  private static final Set<String> FINISHED = Set.of("succeeded", "failed", "canceled");
  private static final long POLL_MS = 50;
  private final Vertx vertx;
  private final long timeoutMs;

  NodeTasks(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Completes once the node has processed every task enqueued on {@code indexUid} before this call, so a read that
   * follows sees all of them applied.
   */
  Future<Void> settle(NodeClient node, String indexUid) {
    String path = "/tasks?limit=1&indexUids=" + NodeClient.encodePath(indexUid);
    return node.call(HttpMethod.GET, path, null).compose(r -> {
      if (!r.ok()) {
        return Future.failedFuture(r.error());
      }
      JsonArray results = r.json().getJsonArray("results", new JsonArray());
      if (results.isEmpty()) {
        return Future.succeededFuture();
      }
      JsonObject last = results.getJsonObject(0);
      if (FINISHED.contains(last.getString("status"))) {
        return Future.succeededFuture();
      }
      return await(node, last.getLong("uid")).mapEmpty();
    });
  }

  /** The finished task; fails when it did not succeed or the wait timed out. */
  Future<JsonObject> awaitSuccess(NodeClient node, long taskUid) {
    return await(node, taskUid).compose(task -> "succeeded".equals(task.getString("status"))
        ? Future.succeededFuture(task)
        : Future.failedFuture(new IllegalStateException("task " + taskUid + " on node [" + node.nodeId() + "] "
            + task.getString("status") + ": " + task.getValue("error"))));
  }

  Future<JsonObject> await(NodeClient node, long taskUid) {
    Promise<JsonObject> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    poll(node, taskUid, deadline, done);
    return done.future();
  }

  private void poll(NodeClient node, long taskUid, long deadline, Promise<JsonObject> done) {
    node.call(HttpMethod.GET, "/tasks/" + taskUid, null).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      NodeResponse r = ar.result();
      if (!r.ok()) {
        done.fail(r.error());
        return;
      }
      JsonObject task = r.json();
      if (FINISHED.contains(task.getString("status"))) {
        done.complete(task);
      } else if (System.currentTimeMillis() > deadline) {
        done.fail(new IllegalStateException("task " + taskUid + " on node [" + node.nodeId()
            + "] did not finish within " + timeoutMs + " ms"));
      } else {
        vertx.setTimer(POLL_MS, id -> poll(node, taskUid, deadline, done));
      }
    });
  }
}
