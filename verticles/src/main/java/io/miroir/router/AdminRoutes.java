package io.miroir.router;

import static io.miroir.router.RouterVerticle.handle;

import io.miroir.routing.CoveringSet;
import io.miroir.routing.ShardPlacement;
import io.miroir.runtime.Services;
import io.miroir.store.IndexMeta;
import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;

/** The admin API of SPEC §2.7 that this version serves: topology, shard placement and readiness. */
final class AdminRoutes {
  private final Services services;

  AdminRoutes(Services services) {
    this.services = services;
  }

  void mount(Router router, Auth auth) {
    router.get("/_miroir/topology").handler(handle(auth, Auth.Scope.ADMIN, null, req -> topology()));
    router.get("/_miroir/shards").handler(handle(auth, Auth.Scope.ADMIN, null, req -> shards()));
    router.get("/_miroir/ready").handler(handle(auth, Auth.Scope.PUBLIC, null, req -> ready()));
    router.get("/_miroir/metrics").handler(handle(auth, Auth.Scope.ADMIN, null, req -> Future.succeededFuture(
        new Reply(200, io.vertx.core.buffer.Buffer.buffer(services.metrics().scrape()),
            java.util.Map.of("content-type", "text/plain; version=0.0.4; charset=utf-8"), 0))));
  }

  /**
   * SPEC §8.1's shape, with group states, the reason behind each node's state, and the orchestrator cluster:
   * its members, the verticles each runs, and the leader of each scope with its epoch.
   */
  private Future<Reply> topology() {
    return orchestrator().compose(cluster -> rebalanceStatus().map(rebalance -> {
      Reply reply = fleetTopology();
      JsonObject body = (JsonObject) reply.body();
      body.put("orchestrator", cluster);
      body.put("rebalance_in_progress", "running".equals(rebalance.getString("state")));
      body.put("rebalance", rebalance);
      return reply;
    }));
  }

  private Future<JsonObject> orchestrator() {
    var shared = services.vertx().sharedData();
    List<String> live = services.ownership().members();
    return shared.<String, String>getAsyncMap("miroir.members").compose(members -> members.entries())
        .compose(members -> shared.<String, String>getAsyncMap("miroir.leaders").compose(l -> l.entries())
            .map(leaders -> {
              JsonArray memberList = new JsonArray();
              for (String id : live) {
                JsonObject entry = members.containsKey(id) ? new JsonObject(members.get(id)) : new JsonObject();
                memberList.add(entry.put("id", id).put("self", id.equals(services.ownership().self())));
              }
              JsonObject leaderMap = new JsonObject();
              leaders.forEach((scope, value) -> {
                JsonObject leader = new JsonObject(value);
                if (live.contains(leader.getString("holder"))) {
                  leaderMap.put(scope, leader);
                }
              });
              return new JsonObject().put("members", memberList).put("leaders", leaderMap);
            }));
  }

  private Future<JsonObject> rebalanceStatus() {
    return services.store().getValue(io.miroir.rebalance.Rebalancer.STATUS_KEY)
        .map(v -> v.map(JsonObject::new).orElseGet(() -> new JsonObject().put("state", "idle")));
  }

  private Reply fleetTopology() {
    Topology t = services.fleet().topology();
    ShardPlacement placement = services.fleet().placement(t, services.config().shards());
    JsonArray nodes = new JsonArray();
    int degraded = 0;
    for (Node n : t.nodes()) {
      JsonObject node = new JsonObject()
          .put("id", n.id())
          .put("address", n.address())
          .put("replica_group", n.replicaGroup())
          .put("status", n.state().wireName())
          .put("membership", n.membership().wireName())
          .put("health", n.health().wireName())
          .put("healthy", n.servesReads())
          .put("shard_count", placement.shardsOf(n.id()).size())
          .put("target_shard_count", placement.targetShardsOf(n.id()).size())
          .put("last_seen_ms", services.fleet().lastSeen(n.id()).orElse(null));
      if (!n.reason().isEmpty()) {
        node.put("reason", n.reason());
      }
      services.fleet().lastError(n.id()).ifPresent(err -> node.put("error", err));
      if (n.health() != io.miroir.topology.Health.HEALTHY && !n.removed()) {
        degraded++;
      }
      nodes.add(node);
    }
    JsonArray groups = new JsonArray();
    t.groups().forEach(g -> groups.add(new JsonObject().put("id", g).put("status", t.groupState(g).wireName())));
    JsonObject body = new JsonObject()
        .put("version", t.version())
        .put("shards", services.config().shards())
        .put("replication_factor", t.replicationFactor())
        .put("replica_groups", t.groups().size())
        .put("nodes", nodes)
        .put("groups", groups)
        .put("degraded_node_count", degraded)
        .put("in_transition", t.inTransition())
        .put("fully_covered", CoveringSet.build(placement, 0).complete());
    return Reply.ok(body);
  }

  /** Owners of every shard of every index, per group, with each owner's state. */
  private Future<Reply> shards() {
    Topology t = services.fleet().topology();
    return services.store().listIndexes().map(indexes -> {
      JsonArray out = new JsonArray();
      for (IndexMeta meta : indexes) {
        out.add(new JsonObject().put("index", meta.uid()).put("shards", meta.shards())
            .put("placement", placement(t, meta.shards())));
      }
      return Reply.ok(new JsonObject().put("default_shards", services.config().shards())
          .put("default_placement", placement(t, services.config().shards())).put("indexes", out));
    });
  }

  private JsonArray placement(Topology t, int shards) {
    ShardPlacement placement = services.fleet().placement(t, shards);
    JsonArray rows = new JsonArray();
    for (int s = 0; s < shards; s++) {
      JsonObject groups = new JsonObject();
      JsonObject moving = new JsonObject();
      for (int g : t.groups()) {
        JsonArray owners = new JsonArray();
        List<String> ids = placement.owners(s, g);
        for (String id : ids) {
          owners.add(new JsonObject().put("node", id)
              .put("status", t.node(id).map(n -> n.state().wireName()).orElse("unknown")));
        }
        groups.put(String.valueOf(g), owners);
        List<String> target = placement.targetOwners(s, g);
        if (!target.equals(ids)) {
          moving.put(String.valueOf(g), new JsonArray(new java.util.ArrayList<>(target)));
        }
      }
      JsonObject row = new JsonObject().put("shard", s).put("owners", groups);
      if (!moving.isEmpty()) {
        row.put("moving_to", moving);
      }
      rows.add(row);
    }
    return rows;
  }

  /** Ready when the store answers and every shard has a serving copy. */
  private Future<Reply> ready() {
    boolean covered = CoveringSet.build(services.fleet().placement(services.config().shards()), 0).complete();
    return services.store().getValue("miroir.ready-probe").map(v -> covered
        ? Reply.ok(new JsonObject().put("status", "ready"))
        : Reply.of(503, new JsonObject().put("status", "not_ready").put("reason", "some shard has no serving copy")));
  }
}
