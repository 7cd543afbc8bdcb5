package io.miroir.router;

import static io.miroir.router.RouterVerticle.handle;

import io.miroir.merge.StatsMerger;
import io.miroir.node.Broadcast;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Instance-level routes: health, version, global stats, index swaps, experimental features, dumps, snapshots. */
final class InstanceRoutes {
  private final Services services;
  private final Fanout fanout;

  InstanceRoutes(Services services) {
    this.services = services;
    this.fanout = new Fanout(services);
  }

  void mount(Router router, Auth auth) {
    router.get("/health").handler(handle(auth, Auth.Scope.PUBLIC, null,
        req -> Future.succeededFuture(Reply.ok(new JsonObject().put("status", "available")))));
    router.get("/").handler(handle(auth, Auth.Scope.PUBLIC, null,
        req -> Future.succeededFuture(Reply.ok(new JsonObject().put("status", "Meilisearch is running")))));
    router.get("/version").handler(handle(auth, Auth.Scope.FORWARDED, "version",
        req -> fanout.passThrough(req, HttpMethod.GET, "/version", null)));
    router.get("/stats").handler(handle(auth, Auth.Scope.FORWARDED, "stats.get", this::globalStats));
    router.post("/swap-indexes").handler(handle(auth, Auth.Scope.ENFORCED, "indexes.swap", this::swap));
    router.get("/experimental-features").handler(handle(auth, Auth.Scope.FORWARDED, "experimental.get",
        req -> fanout.passThrough(req, HttpMethod.GET, "/experimental-features", null)));
    router.patch("/experimental-features").handler(handle(auth, Auth.Scope.ENFORCED, "experimental.update",
        this::updateExperimental));
    router.post("/dumps").handler(handle(auth, Auth.Scope.ENFORCED, "dumps.create",
        req -> fanout.broadcastTask(HttpMethod.POST, "/dumps", null, null, "dumpCreation", null)));
    router.post("/snapshots").handler(handle(auth, Auth.Scope.ENFORCED, "snapshots.create",
        req -> fanout.broadcastTask(HttpMethod.POST, "/snapshots", null, null, "snapshotCreation", null)));
  }

  /** {@code GET /stats}: every node's stats, each index merged counting every document once. */
  private Future<Reply> globalStats(ApiRequest req) {
    var nodes = services.fleet().servingNodes();
    return Broadcast.send(nodes, HttpMethod.GET, "/stats", null, req.credential().nodeToken(), fanout.timeout())
        .compose(out -> {
          if (out.okNodes().isEmpty()) {
            return out.firstRejection() != null ? Future.failedFuture(out.firstRejection().error())
                : Future.failedFuture(out.failures().values().iterator().next());
          }
          Map<String, JsonObject> perNode = new java.util.LinkedHashMap<>();
          out.okNodes().forEach(id -> perNode.put(id, out.responses().get(id).json()));
          return Future.succeededFuture(Reply.ok(StatsMerger.mergeGlobalStats(perNode, groupsOf(),
              services.fleet().topology().replicationFactor())));
        });
  }

  Map<String, Integer> groupsOf() {
    Map<String, Integer> groups = new java.util.LinkedHashMap<>();
    services.fleet().topology().nodes().forEach(n -> groups.put(n.id(), n.replicaGroup()));
    return groups;
  }

  /** Broadcast; the recorded shard counts follow the documents once the swap succeeded. */
  private Future<Reply> swap(ApiRequest req) {
    Object body = req.json();
    return fanout.broadcastTask(HttpMethod.POST, "/swap-indexes", req.body(), null, "indexSwap",
        new JsonObject().put("swaps", body));
  }

  private Future<Reply> updateExperimental(ApiRequest req) {
    var nodes = services.fleet().allNodes();
    return Broadcast.send(nodes, HttpMethod.PATCH, "/experimental-features", req.body(), null, fanout.timeout())
        .map(out -> {
          var first = out.responses().values().stream().findFirst().orElseThrow(
              () -> new io.miroir.meili.MeiliException(io.miroir.meili.ErrorCode.MIROIR_NODE_UNREACHABLE,
                  "No Meilisearch node is reachable."));
          return Reply.of(first.status(), first.body());
        });
  }

  /** The index pairs of a swap body, for the completion step. */
  static Set<String[]> swapPairs(JsonArray swaps) {
    Set<String[]> pairs = new HashSet<>();
    for (Object s : swaps) {
      JsonArray indexes = ((JsonObject) s).getJsonArray("indexes");
      pairs.add(new String[] {indexes.getString(0), indexes.getString(1)});
    }
    return pairs;
  }
}
