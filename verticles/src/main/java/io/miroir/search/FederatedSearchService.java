package io.miroir.search;

import io.miroir.cluster.Addresses;
import io.miroir.cluster.MergeRequest;
import io.miroir.config.MiroirConfig.UnavailableShardPolicy;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.merge.FederatedPlan;
import io.miroir.merge.IndexView;
import io.miroir.node.NodeResponse;
import io.miroir.node.NodeUnreachableException;
import io.miroir.routing.CoveringSet;
import io.miroir.router.Reply;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Federated {@code POST /multi-search} (SPEC §13.11, §1.4, D2, D3): one covering set per index named by the request,
 * every node of their union asked the federated search over its own shards ({@link FederatedPlan}), the answers
 * merged as one node gives them. A request Miroir cannot plan, or that a node refuses, is answered with the error a
 * node gives for the client's original request.
 */
public final class FederatedSearchService {
  private final Services services;

  public FederatedSearchService(Services services) {
    this.services = services;
  }

  public Future<Reply> search(JsonObject body, String token, SearchService.Verdict original) {
    Set<String> indexes = FederatedPlan.indexes(body);
    Map<String, Integer> shards = new LinkedHashMap<>();
    Map<String, JsonObject> settings = new LinkedHashMap<>();
    List<Future<?>> reads = new ArrayList<>();
    for (String index : indexes) {
      reads.add(services.indexes().shardsFor(index).map(s -> shards.put(index, s)));
      reads.add(SearchService.settings(services, index, 2).map(s -> settings.put(index, s)));
    }
    return Future.all(reads).recover(err -> Future.failedFuture(new Judge()))
        .compose(ignored -> {
          FederatedPlan plan;
          Map<String, IndexView> views = new HashMap<>();
          settings.forEach((index, s) -> views.put(index, services.settings().view(index, s)));
          try {
            plan = FederatedPlan.of(body, views);
          } catch (RuntimeException e) {
            return Future.failedFuture(new Judge());
          }
          JsonObject allSettings = new JsonObject();
          settings.forEach(allSettings::put);
          return scatter(body, plan, shards, allSettings, SearchService.stableSeq("", unpaged(body)), token, 1);
        })
        .recover(err -> err instanceof Judge ? NodeFields.judged(original) : Future.failedFuture(err));
  }

  /** The request without the federation's window, so all pages of one search read the same copies. */
  private static JsonObject unpaged(JsonObject body) {
    JsonObject copy = body.copy();
    if (copy.getValue("federation") instanceof JsonObject federation) {
      federation.remove("offset");
      federation.remove("limit");
    }
    return copy;
  }

  private Future<Reply> scatter(JsonObject body, FederatedPlan plan, Map<String, Integer> shards,
      JsonObject settings, long seq, String token, int retries) {
    // node -> index -> shards; the union of the covering sets of every index.
    Map<String, Map<String, List<Integer>>> byNode = new TreeMap<>();
    Map<String, Set<String>> nodesByIndex = new HashMap<>();
    TreeSet<String> missing = new TreeSet<>();
    shards.forEach((index, count) -> {
      CoveringSet cover = CoveringSet.build(services.fleet().placement(count), seq);
      cover.shardsByNode().forEach((node, list) -> {
        byNode.computeIfAbsent(node, n -> new HashMap<>()).put(index, list);
        nodesByIndex.computeIfAbsent(index, i -> new TreeSet<>()).add(node);
      });
      cover.uncovered().forEach(s -> missing.add(index + ":" + s));
    });
    if (!missing.isEmpty()
        && services.config().scatter().unavailableShardPolicy() == UnavailableShardPolicy.ERROR) {
      return Future.failedFuture(unavailable(missing));
    }
    // Queries whose words could match _miroir_shard are restricted to the fields the nodes hold (SearchableFields).
    List<String> queryIndexes = plan.queryIndexes();
    Map<String, Future<Collection<String>>> fieldReads = new LinkedHashMap<>();
    for (int i = 0; i < queryIndexes.size(); i++) {
      String index = queryIndexes.get(i);
      if (plan.needsFields(i) && !fieldReads.containsKey(index)) {
        fieldReads.put(index, NodeFields.of(services, index, nodesByIndex.getOrDefault(index, Set.of())));
      }
    }
    return Future.all(new ArrayList<>(fieldReads.values())).compose(ignored -> {
      Map<String, Collection<String>> fields = new HashMap<>();
      fieldReads.forEach((index, f) -> fields.put(index, f.result()));
      return send(body, plan, shards, settings, seq, token, retries, byNode, missing, fields);
    });
  }

  private Future<Reply> send(JsonObject body, FederatedPlan plan, Map<String, Integer> shards, JsonObject settings,
      long seq, String token, int retries, Map<String, Map<String, List<Integer>>> byNode, TreeSet<String> missing,
      Map<String, Collection<String>> fields) {
    List<String> nodes = new ArrayList<>(byNode.keySet());
    List<Future<NodeResponse>> calls = new ArrayList<>(nodes.size());
    long timeout = services.config().scatter().nodeTimeoutMs();
    for (String node : nodes) {
      calls.add(services.fleet().client(node).send(HttpMethod.POST, "/multi-search",
          plan.nodeRequest(byNode.get(node), fields), token, timeout));
    }
    return Future.join(calls).transform(ignored -> {
      List<JsonObject> answers = new ArrayList<>(nodes.size());
      TreeSet<String> lost = new TreeSet<>(missing);
      boolean refused = false;
      for (int i = 0; i < nodes.size(); i++) {
        Future<NodeResponse> call = calls.get(i);
        if (call.succeeded() && call.result().ok()) {
          answers.add(call.result().json());
        } else if (call.succeeded()) {
          return Future.failedFuture(new Judge());
        } else {
          if (call.cause() instanceof NodeUnreachableException u && u.refused()) {
            services.health().markFailed(nodes.get(i), "connection refused");
            refused = true;
          }
          byNode.get(nodes.get(i)).forEach((index, list) -> list.forEach(s -> lost.add(index + ":" + s)));
        }
      }
      if (refused && retries > 0) {
        services.metrics().scatterRetried();
        return scatter(body, plan, shards, settings, seq, token, retries - 1);
      }
      services.metrics().scattered(nodes.size(), !lost.isEmpty());
      if (!lost.isEmpty()
          && services.config().scatter().unavailableShardPolicy() == UnavailableShardPolicy.ERROR) {
        return Future.failedFuture(unavailable(lost));
      }
      if (plan.facetOrderConflict(answers)) {
        return Future.failedFuture(new Judge());
      }
      int fanOut = nodes.size();
      return services.bus().merge(Addresses.MERGER_FEDERATED, new MergeRequest(body, settings, answers))
          .map(merged -> {
            Reply reply = Reply.ok(merged).withFanOut(fanOut);
            return lost.isEmpty() ? reply : reply.withHeader("X-Miroir-Degraded", "shards=" + String.join(",", lost));
          });
    });
  }

  private static MeiliException unavailable(TreeSet<String> shards) {
    return new MeiliException(ErrorCode.MIROIR_SHARD_UNAVAILABLE, "No reachable node holds shards ["
        + String.join(",", shards) + "] (index:shard); the answer would be incomplete.");
  }

  /** Signals that the client's original request must be judged by a node. */
  private static final class Judge extends RuntimeException {
    Judge() {
      super(null, null, false, false);
    }
  }
}
