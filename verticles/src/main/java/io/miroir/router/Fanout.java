package io.miroir.router;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.node.Broadcast;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.miroir.routing.Quorum;
import io.miroir.routing.ShardPlacement;
import io.miroir.routing.WritePlan;
import io.miroir.runtime.Services;
import io.miroir.store.TaskRecord;
import io.miroir.tasks.TaskJson;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The recurring shapes of talking to the fleet on a client's behalf: forwarding a read to the node that answers
 * instance-wide reads, and broadcasting a write to every node as one Miroir task.
 */
final class Fanout {
  private final Services services;

  Fanout(Services services) {
    this.services = services;
  }

  long timeout() {
    return services.config().scatter().nodeTimeoutMs();
  }

  /** Sends the client's request to the reading node with the client's own token; answers the node's response. */
  Future<NodeResponse> forward(ApiRequest req, HttpMethod method, String pathAndQuery, Object body) {
    return services.fleet().onReader(node -> node.send(method, pathAndQuery, body, req.credential().nodeToken(),
        timeout()));
  }

  /** Like {@link #forward} and passes the node's status and body through unchanged. */
  Future<Reply> passThrough(ApiRequest req, HttpMethod method, String pathAndQuery, Object body) {
    return forward(req, method, pathAndQuery, body).map(r -> Reply.of(r.status(), r.body()));
  }

  /**
   * Broadcasts an index-wide write to every node and records one task for it. Every node must be reachable, so no
   * node silently misses a change that is not shard-routed. A request every node rejects synchronously is answered
   * with the nodes' error.
   */
  Future<Reply> broadcastTask(HttpMethod method, String path, Object body, String indexUid, String type,
      JsonObject meta) {
    List<NodeClient> nodes = services.fleet().allNodes();
    if (services.fleet().writableNodes().size() < nodes.size()) {
      return Future.failedFuture(new MeiliException(ErrorCode.MIROIR_NODE_UNREACHABLE,
          "This change must reach every node and a node is unreachable: " + failedNodes() + "."));
    }
    return Broadcast.send(nodes, method, path, body, null, timeout()).compose(out -> {
      if (out.okNodes().isEmpty() && out.firstRejection() != null) {
        return Future.failedFuture(out.firstRejection().error());
      }
      if (!out.failures().isEmpty()) {
        return Future.failedFuture(out.failures().values().iterator().next());
      }
      JsonObject taskMeta = (meta == null ? new JsonObject() : meta).put("detailsFromNode", true);
      return services.tasks().enqueue(indexUid, type, null, out.taskUids(), taskMeta).map(Fanout::accepted);
    });
  }

  /**
   * Broadcasts a document-wide change (delete by filter, delete all) to every node that takes writes, judging
   * success by the per-group quorum of every shard of the index as a shard-routed write would.
   */
  Future<Reply> broadcastDocumentTask(HttpMethod method, String path, Object body, String indexUid, int shards,
      String type, JsonObject details) {
    ShardPlacement placement = services.fleet().placement(shards);
    WritePlan plan = WritePlan.of(placement, IntStream.range(0, shards).toArray());
    List<NodeClient> targets = plan.itemsByNode().keySet().stream().map(services.fleet()::client).toList();
    return Broadcast.send(targets, method, path, body, null, timeout()).compose(out -> {
      if (out.okNodes().isEmpty() && out.firstRejection() != null) {
        return Future.failedFuture(out.firstRejection().error());
      }
      markRefused(out);
      Quorum.Outcome outcome = Quorum.evaluate(plan, Set.copyOf(out.okNodes()));
      if (!outcome.succeeded()) {
        return Future.failedFuture(noQuorum(outcome));
      }
      JsonObject meta = new JsonObject().put("copies", copies(placement));
      return services.tasks().enqueue(indexUid, type, details, out.taskUids(), meta)
          .map(task -> accepted(task).withHeader("X-Miroir-Degraded", outcome.header()));
    });
  }

  /** Marks failed at once every node whose connection was refused: no process listens there. */
  void markRefused(Broadcast.Outcomes out) {
    out.failures().forEach((nodeId, err) -> {
      if (err instanceof io.miroir.node.NodeUnreachableException u && u.refused()) {
        services.health().markFailed(nodeId, "connection refused");
      }
    });
  }

  /** How many copies of each document the fleet holds: RF in each group. */
  int copies(ShardPlacement placement) {
    return placement.topology().replicationFactor() * placement.topology().groups().size();
  }

  static MeiliException noQuorum(Quorum.Outcome outcome) {
    return new MeiliException(ErrorCode.MIROIR_NO_QUORUM, "The write reached no replica group at quorum for shards "
        + outcome.shardsWithoutQuorum() + "; it may have been applied partially and is not acknowledged.");
  }

  static Reply accepted(TaskRecord task) {
    return Reply.accepted(TaskJson.summarized(task));
  }

  private String failedNodes() {
    return services.fleet().topology().nodes().stream()
        .filter(n -> !n.receivesWrites() && !n.removed())
        .map(n -> n.id()).toList().toString();
  }

  static String indexPath(String uid) {
    return "/indexes/" + NodeClient.encodePath(uid);
  }

  static Map<String, Long> none() {
    return Map.of();
  }
}
