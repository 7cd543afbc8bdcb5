package io.miroir.search;

import io.miroir.cluster.Addresses;
import io.miroir.cluster.MergeRequest;
import io.miroir.config.MiroirConfig.UnavailableShardPolicy;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.merge.SimilarPlan;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.miroir.routing.CoveringSet;
import io.miroir.routing.ShardHasher;
import io.miroir.router.Reply;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code POST|GET /indexes/{uid}/similar} over a covering set (D7, {@link SimilarPlan}): the target document's
 * embedding is read from the node serving its shard, that node answers {@code similar} for its shards, every other
 * node the same nearest-neighbour search by vector for its own, and the lists merge by similarity. A target without
 * an embedding has no neighbours: the other nodes then only count their filtered documents. Any refusal is
 * answered with the error a node gives for the client's original request.
 */
public final class SimilarService {
  private final Services services;

  public SimilarService(Services services) {
    this.services = services;
  }

  public Future<Reply> similar(String indexUid, JsonObject body, String token, SearchService.Verdict original) {
    return services.indexes().shardsFor(indexUid).compose(shards -> SearchService.settings(services, indexUid, 2)
        .recover(err -> Future.failedFuture(new Judge()))
        .compose(settings -> {
          SimilarPlan plan;
          try {
            plan = SimilarPlan.of(body, services.settings().view(indexUid, settings));
          } catch (RuntimeException e) {
            return Future.failedFuture(new Judge());
          }
          CoveringSet cover = CoveringSet.build(services.fleet().placement(shards),
              SearchService.stableSeq(indexUid, body));
          int targetShard = ShardHasher.shardForKey(plan.id(), shards);
          String owner = null;
          for (Map.Entry<String, List<Integer>> e : cover.shardsByNode().entrySet()) {
            if (e.getValue().contains(targetShard)) {
              owner = e.getKey();
            }
          }
          if (owner == null) {
            return Future.failedFuture(new MeiliException(ErrorCode.MIROIR_SHARD_UNAVAILABLE, "No reachable node "
                + "holds shard [" + targetShard + "] of document `" + plan.id() + "`."));
          }
          if (!cover.complete()
              && services.config().scatter().unavailableShardPolicy() == UnavailableShardPolicy.ERROR) {
            return Future.failedFuture(unavailable(new TreeSet<>(cover.uncovered())));
          }
          String ownerNode = owner;
          String documentPath = "/indexes/" + NodeClient.encodePath(indexUid) + "/documents/"
              + NodeClient.encodePath(plan.id()) + "?retrieveVectors=true";
          return services.fleet().client(owner).send(HttpMethod.GET, documentPath, null, token,
                  services.config().scatter().nodeTimeoutMs())
              .compose(doc -> {
                if (!doc.ok()) {
                  // No such document (or an invalid id): a node phrases the error.
                  return Future.failedFuture(new Judge());
                }
                // A document without an embedding has no neighbours; the count is still the filtered documents.
                return scatter(indexUid, plan, settings, cover, ownerNode, plan.vectorOf(doc.json()), token);
              });
        }))
        .recover(err -> err instanceof Judge ? NodeFields.judged(original) : Future.failedFuture(err));
  }

  private Future<Reply> scatter(String indexUid, SimilarPlan plan, JsonObject settings, CoveringSet cover,
      String owner, Object vector, String token) {
    long timeout = services.config().scatter().nodeTimeoutMs();
    String encoded = NodeClient.encodePath(indexUid);
    List<String> nodes = new ArrayList<>();
    nodes.add(owner);
    cover.shardsByNode().keySet().stream().filter(n -> !n.equals(owner)).forEach(nodes::add);
    List<Future<NodeResponse>> calls = new ArrayList<>(nodes.size());
    for (String node : nodes) {
      List<Integer> shards = cover.shardsByNode().get(node);
      if (node.equals(owner)) {
        calls.add(services.fleet().client(node).send(HttpMethod.POST, "/indexes/" + encoded + "/similar",
            plan.ownerRequest(shards), token, timeout));
      } else if (vector == null) {
        calls.add(services.fleet().client(node).send(HttpMethod.POST, "/indexes/" + encoded + "/search",
            plan.countRequest(shards), token, timeout));
      } else {
        calls.add(services.fleet().client(node).send(HttpMethod.POST, "/multi-search",
            plan.otherRequest(indexUid, vector, shards), token, timeout));
      }
    }
    return Future.join(calls).transform(ignored -> {
      List<JsonObject> answers = new ArrayList<>(nodes.size());
      TreeSet<Integer> missing = new TreeSet<>(cover.uncovered());
      for (int i = 0; i < nodes.size(); i++) {
        Future<NodeResponse> call = calls.get(i);
        if (call.succeeded() && call.result().ok()) {
          answers.add(call.result().json());
        } else if (call.succeeded() || i == 0) {
          // A node refused the planned request, or the owner did not answer.
          return Future.failedFuture(call.succeeded() ? new Judge() : call.cause());
        } else {
          missing.addAll(cover.shardsByNode().get(nodes.get(i)));
        }
      }
      services.metrics().scattered(nodes.size(), !missing.isEmpty());
      if (!missing.isEmpty()
          && services.config().scatter().unavailableShardPolicy() == UnavailableShardPolicy.ERROR) {
        return Future.failedFuture(unavailable(missing));
      }
      int fanOut = nodes.size();
      return services.bus().merge(Addresses.MERGER_SIMILAR, new MergeRequest(plan.request(), settings, answers))
          .map(merged -> {
            Reply reply = Reply.ok(merged).withFanOut(fanOut);
            return missing.isEmpty() ? reply : reply.withHeader("X-Miroir-Degraded", "shards="
                + String.join(",", missing.stream().map(String::valueOf).toList()));
          });
    });
  }

  private static MeiliException unavailable(TreeSet<Integer> shards) {
    return new MeiliException(ErrorCode.MIROIR_SHARD_UNAVAILABLE, "No reachable node holds shards ["
        + String.join(",", shards.stream().map(String::valueOf).toList()) + "]; the answer would be incomplete.");
  }

  /** Signals that the client's original request must be judged by a node. */
  private static final class Judge extends RuntimeException {
    Judge() {
      super(null, null, false, false);
    }
  }
}
