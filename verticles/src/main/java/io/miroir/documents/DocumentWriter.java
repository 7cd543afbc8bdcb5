package io.miroir.documents;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.miroir.node.NodeUnreachableException;
import io.miroir.routing.Quorum;
import io.miroir.routing.ShardPlacement;
import io.miroir.routing.WritePlan;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Sends a planned shard-routed write (SPEC §1.3 steps 4–5): one batch per target node, all in parallel, then the
 * per-group quorum. A refused connection marks its node failed at once, so the quorum is judged against the owners
 * that can still answer (D4).
 */
public final class DocumentWriter {
  private final Services services;

  public DocumentWriter(Services services) {
    this.services = services;
  }

  /** Node answers of one write: the enqueued node tasks and the quorum outcome. */
  public record Sent(Map<String, Long> nodeTasks, Quorum.Outcome outcome) {
  }

  /**
   * Sends {@code batchFor(node, items)} to each target of {@code plan} at {@code method path}. Fails with
   * {@code miroir_no_quorum} when some shard reached no group, or with the nodes' own error when every node
   * rejected the batch synchronously.
   */
  public Future<Sent> send(WritePlan plan, HttpMethod method, String path,
      BiFunction<String, List<Integer>, Object> batchFor) {
    List<String> nodes = new ArrayList<>(plan.itemsByNode().keySet());
    List<Future<NodeResponse>> calls = new ArrayList<>(nodes.size());
    long timeout = services.config().scatter().nodeTimeoutMs();
    for (String nodeId : nodes) {
      Object batch = batchFor.apply(nodeId, plan.itemsByNode().get(nodeId));
      calls.add(services.fleet().client(nodeId).send(method, path, batch, null, timeout));
    }
    return Future.join(calls).transform(ignored -> {
      Map<String, Long> tasks = new LinkedHashMap<>();
      Set<String> refused = new TreeSet<>();
      NodeResponse rejection = null;
      for (int i = 0; i < nodes.size(); i++) {
        Future<NodeResponse> call = calls.get(i);
        if (call.succeeded() && call.result().ok()) {
          tasks.put(nodes.get(i), call.result().taskUid());
        } else if (call.succeeded()) {
          rejection = rejection == null ? call.result() : rejection;
        } else if (call.cause() instanceof NodeUnreachableException u && u.refused()) {
          refused.add(nodes.get(i));
          services.health().markFailed(nodes.get(i), "connection refused");
        }
      }
      if (tasks.isEmpty() && rejection != null) {
        return Future.failedFuture(rejection.error());
      }
      Quorum.Outcome outcome = Quorum.evaluate(plan, tasks.keySet(), refused);
      if (!outcome.succeeded()) {
        return Future.failedFuture(new MeiliException(ErrorCode.MIROIR_NO_QUORUM, "The write reached no replica "
            + "group at quorum for shards " + outcome.shardsWithoutQuorum()
            + "; it may have been applied partially and is not acknowledged."));
      }
      return Future.succeededFuture(new Sent(tasks, outcome));
    });
  }

  /** The elements of {@code all} at {@code positions}, as a JSON array body. */
  public static JsonArray select(List<?> all, List<Integer> positions) {
    JsonArray out = new JsonArray(new ArrayList<>(positions.size()));
    for (int p : positions) {
      out.add(all.get(p));
    }
    return out;
  }

  public static String documentsPath(String indexUid) {
    return "/indexes/" + NodeClient.encodePath(indexUid) + "/documents";
  }

  /** Copies of each document the write's placement keeps (RF per group). */
  public static int copies(ShardPlacement placement) {
    return placement.topology().replicationFactor() * placement.topology().groups().size();
  }
}
