package io.miroir.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.merge.ReservedFields;
import io.miroir.routing.ShardHasher;
import io.miroir.routing.ShardPlacement;
import io.miroir.testing.ApiClient;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.topology.Topology;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks and waits shared by the topology-change tests. */
public final class Fleets {
  private Fleets() {
  }

  /** Waits until the rebalancer is idle with nothing left to move; answers the status with its last run. */
  static JsonObject awaitSettled(ApiClient admin, Duration timeout) {
    return awaitStatus(admin, timeout, "the rebalance to settle", status -> "idle".equals(status.getString("state"))
        && !status.getBoolean("in_transition", true) && status.containsKey("last_run"), 200);
  }

  /** Waits until the status shows a run in the given phase (prefix); answers it. */
  static JsonObject awaitPhase(ApiClient admin, String phase, Duration timeout) {
    return awaitStatus(admin, timeout, "a run in phase " + phase, status -> "running".equals(status.getString("state"))
        && status.getString("phase", "").startsWith(phase), 20);
  }

  private static JsonObject awaitStatus(ApiClient admin, Duration timeout, String what,
      java.util.function.Predicate<JsonObject> done, long pollMs) {
    Instant deadline = Instant.now().plus(timeout);
    JsonObject status = null;
    while (Instant.now().isBefore(deadline)) {
      ApiClient.Response r = admin.get("/_miroir/rebalance/status");
      if (r.status() == 200) {
        status = r.json();
        if (done.test(status)) {
          return status;
        }
      }
      ApiClient.sleep(pollMs);
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last status " + status);
  }

  /** Every document of every node sits in its hashed shard, on exactly the shard's owners, and nowhere else. */
  public static void assertExactPlacement(Topology topology, List<MeiliNode> nodes, String index, int shards) {
    ShardPlacement placement = new ShardPlacement(topology, shards);
    Map<String, Set<String>> held = new java.util.HashMap<>();
    Set<String> all = new TreeSet<>();
    for (MeiliNode node : nodes) {
      if (topology.node(node.id()).map(n -> n.removed()).orElse(true)) {
        continue;
      }
      Set<String> ids = new HashSet<>();
      ApiClient direct = new ApiClient(node.address(), MeiliNodes.MASTER_KEY);
      for (int offset = 0; ; offset += 1000) {
        JsonObject body = new JsonObject().put("offset", offset).put("limit", 1000)
            .put("fields", new JsonArray().add("id").add(ReservedFields.SHARD));
        JsonArray page = direct.post("/indexes/" + index + "/documents/fetch", body).json().getJsonArray("results");
        for (Object o : page) {
          JsonObject doc = (JsonObject) o;
          String id = String.valueOf(doc.getValue("id"));
          assertEquals(ShardHasher.shardForKey(id, shards), doc.getInteger(ReservedFields.SHARD), "shard of " + id);
          ids.add(id);
        }
        if (page.size() < 1000) {
          break;
        }
      }
      held.put(node.id(), ids);
      all.addAll(ids);
    }
    held.forEach((nodeId, ids) -> {
      int group = topology.node(nodeId).orElseThrow().replicaGroup();
      Set<String> expected = new HashSet<>();
      for (String id : all) {
        if (placement.owners(ShardHasher.shardForKey(id, shards), group).contains(nodeId)) {
          expected.add(id);
        }
      }
      Set<String> extra = new TreeSet<>(ids);
      extra.removeAll(expected);
      Set<String> lacking = new TreeSet<>(expected);
      lacking.removeAll(ids);
      assertTrue(extra.isEmpty(), () -> nodeId + " holds " + extra.size() + " documents it does not own, e.g. "
          + extra.iterator().next());
      assertTrue(lacking.isEmpty(), () -> nodeId + " lacks " + lacking.size() + " documents it owns, e.g. "
          + lacking.iterator().next());
    });
  }

  /** Shards whose owners differ between two snapshots in any group. */
  static int movedShards(Topology before, Topology after, int shards) {
    ShardPlacement a = new ShardPlacement(before, shards);
    ShardPlacement b = new ShardPlacement(after, shards);
    int moved = 0;
    for (int s = 0; s < shards; s++) {
      for (int g : after.groups()) {
        if (!new HashSet<>(a.owners(s, g)).equals(new HashSet<>(b.owners(s, g)))) {
          moved++;
        }
      }
    }
    return moved;
  }
}
