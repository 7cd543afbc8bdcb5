package io.miroir.rebalance;

import io.miroir.node.NodeClient;
import io.miroir.runtime.Services;
import io.miroir.store.IndexMeta;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * Brings a node that is about to receive shards in line with the fleet before any document is copied: the same
 * API keys (D5), and each index with its primary key and the settings of a live node, {@code _miroir_shard}
 * filterable included.
 */
final class TargetPreparer {
  private final Services services;
  private final NodeTasks tasks;

  TargetPreparer(Services services, NodeTasks tasks) {
    this.services = services;
    this.tasks = tasks;
  }

  Future<Void> keys(String nodeId) {
    return services.keys().synchronize(nodeId);
  }

  /** Creates {@code index} on {@code target} if missing and copies the settings of {@code source} when they differ. */
  Future<Void> index(IndexMeta index, String source, String target) {
    NodeClient from = services.fleet().client(source);
    NodeClient to = services.fleet().client(target);
    String path = "/indexes/" + NodeClient.encodePath(index.uid());
    return to.call(HttpMethod.GET, path, null).compose(found -> {
      if (found.ok()) {
        return Future.succeededFuture();
      }
      if (found.status() != 404) {
        return Future.failedFuture(found.error());
      }
      JsonObject create = new JsonObject().put("uid", index.uid());
      if (index.primaryKey() != null) {
        create.put("primaryKey", index.primaryKey());
      }
      return to.call(HttpMethod.POST, "/indexes", create).compose(r -> r.status() == 202
          ? tasks.awaitSuccess(to, r.taskUid()).mapEmpty() : Future.failedFuture(r.error()));
    }).compose(v -> from.call(HttpMethod.GET, path + "/settings", null)).compose(wanted -> {
      if (!wanted.ok()) {
        return Future.failedFuture(wanted.error());
      }
      return to.call(HttpMethod.GET, path + "/settings", null).compose(present -> {
        if (present.ok() && present.json().equals(wanted.json())) {
          return Future.succeededFuture();
        }
        return to.call(HttpMethod.PATCH, path + "/settings", wanted.json()).compose(r -> r.status() == 202
            ? tasks.awaitSuccess(to, r.taskUid()).mapEmpty() : Future.failedFuture(r.error()));
      });
    });
  }
}
