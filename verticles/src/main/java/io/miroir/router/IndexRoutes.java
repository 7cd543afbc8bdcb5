package io.miroir.router;

import static io.miroir.router.Fanout.indexPath;
import static io.miroir.router.RouterVerticle.handle;

import io.miroir.merge.StatsMerger;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.node.Broadcast;
import io.miroir.node.NodeClient;
import io.miroir.runtime.Services;
import io.miroir.store.IndexMeta;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Index lifecycle (SPEC §2.1): create, get, list, update, delete, stats. */
final class IndexRoutes {
  /** Request header choosing the shard count of a new index (D8); the configured default otherwise. */
  static final String SHARDS_HEADER = "X-Miroir-Shards";
  private final Services services;
  private final Fanout fanout;

  IndexRoutes(Services services) {
    this.services = services;
    this.fanout = new Fanout(services);
  }

  void mount(Router router, Auth auth) {
    router.get("/indexes").handler(handle(auth, Auth.Scope.FORWARDED, "indexes.get",
        req -> fanout.passThrough(req, HttpMethod.GET, "/indexes" + req.rawQuery(), null)));
    router.post("/indexes").handler(handle(auth, Auth.Scope.ENFORCED, "indexes.create", this::create));
    router.get("/indexes/:indexUid").handler(handle(auth, Auth.Scope.FORWARDED, "indexes.get",
        req -> fanout.passThrough(req, HttpMethod.GET, indexPath(req.indexUid()) + req.rawQuery(), null)));
    router.patch("/indexes/:indexUid").handler(handle(auth, Auth.Scope.ENFORCED, "indexes.update", this::update));
    router.delete("/indexes/:indexUid").handler(handle(auth, Auth.Scope.ENFORCED, "indexes.delete", this::delete));
    router.get("/indexes/:indexUid/stats").handler(handle(auth, Auth.Scope.FORWARDED, "stats.get", this::stats));
  }

  private Future<Reply> create(ApiRequest req) {
    Object parsed = req.json();
    if (!(parsed instanceof JsonObject body) || !(body.getValue("uid") instanceof String uid)) {
      // Let a node phrase the rejection of a body Miroir cannot route; an invalid body changes nothing there.
      return fanout.passThrough(req, HttpMethod.POST, "/indexes", req.body());
    }
    int shards = shardsHeader(req);
    String primaryKey = body.getValue("primaryKey") instanceof String pk ? pk : null;
    return services.indexes().serialized(uid, () -> services.indexes().create(uid, primaryKey, shards, req.body())
        .compose(creation -> services.tasks().enqueue(uid, "indexCreation",
            new JsonObject().put("primaryKey", primaryKey), creation.mainTasks(),
            new JsonObject().put("followUps", creation.followUps())))).map(Fanout::accepted);
  }

  private int shardsHeader(ApiRequest req) {
    String header = req.header(SHARDS_HEADER);
    if (header == null) {
      return services.indexes().defaultShards();
    }
    try {
      int shards = Integer.parseInt(header.trim());
      if (shards >= 1 && shards <= 65_536) {
        return shards;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error
    }
    throw new MeiliException(ErrorCode.BAD_REQUEST, "Invalid value in header `" + SHARDS_HEADER + "`: expected an "
        + "integer between 1 and 65536, got `" + header + "`.");
  }

  private Future<Reply> update(ApiRequest req) {
    String uid = req.indexUid();
    Object parsed = req.json();
    JsonObject meta = new JsonObject();
    if (parsed instanceof JsonObject body) {
      meta.put("primaryKey", body.getValue("primaryKey")).put("newUid", body.getValue("uid"));
    }
    return fanout.broadcastTask(HttpMethod.PATCH, indexPath(uid), req.body(), uid, "indexUpdate", meta);
  }

  private Future<Reply> delete(ApiRequest req) {
    String uid = req.indexUid();
    services.settings().invalidate(uid);
    return services.indexes().find(uid).compose(meta -> {
      int shards = meta.map(IndexMeta::shards).orElse(services.indexes().defaultShards());
      JsonObject taskMeta = new JsonObject().put("copies", fanout.copies(services.fleet().placement(shards)));
      return fanout.broadcastTask(HttpMethod.DELETE, indexPath(uid), null, uid, "indexDeletion", taskMeta);
    });
  }

  /** {@code GET /indexes/{uid}/stats}: every serving node's stats, merged counting each document once. */
  private Future<Reply> stats(ApiRequest req) {
    List<NodeClient> nodes = services.fleet().servingNodes();
    return Broadcast.send(nodes, HttpMethod.GET, indexPath(req.indexUid()) + "/stats", null,
        req.credential().nodeToken(), fanout.timeout()).compose(out -> {
          if (out.okNodes().isEmpty()) {
            return out.firstRejection() != null ? Future.failedFuture(out.firstRejection().error())
                : Future.failedFuture(out.failures().values().iterator().next());
          }
          Map<String, JsonObject> perNode = new LinkedHashMap<>();
          out.okNodes().forEach(id -> perNode.put(id, out.responses().get(id).json()));
          Map<String, Integer> groups = new LinkedHashMap<>();
          services.fleet().topology().nodes().forEach(n -> groups.put(n.id(), n.replicaGroup()));
          return Future.succeededFuture(Reply.ok(StatsMerger.mergeIndexStats(perNode, groups,
              services.fleet().topology().replicationFactor())));
        });
  }
}
