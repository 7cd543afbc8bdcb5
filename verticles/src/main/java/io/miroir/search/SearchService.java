package io.miroir.search;

import io.miroir.cluster.Addresses;
import io.miroir.cluster.MergeRequest;
import io.miroir.config.MiroirConfig.UnavailableShardPolicy;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.merge.SearchPlan;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.miroir.node.NodeUnreachableException;
import io.miroir.routing.CoveringSet;
import io.miroir.routing.ShardPlacement;
import io.miroir.router.Reply;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The read path of SPEC §1.4: a covering set of one group, each node asked only for its shards, answers merged as
 * one node would give them. A node that refuses the connection is marked failed and the query is planned again on
 * the remaining copies; shards that no copy can serve follow {@code scatter.unavailable_shard_policy}. An
 * invalid request is answered with the error a node gives for the client's original request, so every error is
 * exactly Meilisearch's.
 */
public final class SearchService {
  private final Services services;

  public SearchService(Services services) {
    this.services = services;
  }

  /** The search answer for {@code body} (POST form); {@code original} re-asks a node when the request fails. */
  public Future<Reply> search(String indexUid, JsonObject body, String token, Verdict original) {
    return services.indexes().searchMeta(indexUid).compose(meta -> settings(services, indexUid, 2)
        .recover(err -> Future.failedFuture(new VerdictNeeded()))
        .compose(settings -> {
          SearchPlan plan;
          try {
            plan = SearchPlan.of(body, services.settings().view(indexUid, settings));
          } catch (RuntimeException e) {
            return Future.failedFuture(new VerdictNeeded());
          }
          Query query = new Query(indexUid, meta.shards(), plan, new MergeRequest(body, settings, null, null), token,
              plan.twoPhase() ? meta.primaryKey() : null);
          return scatter(query, 1);
        }))
        .recover(err -> err instanceof VerdictNeeded ? NodeFields.judged(original) : Future.failedFuture(err));
  }

  /**
   * The index settings. A node that just died can fail the read on a pooled connection without a refusal, which
   * does not fail the read over to another node; the read is then tried again (a new connection is refused, the
   * node marked failed and another one read), so a dead node does not turn into a node's verdict on the request.
   */
  static Future<JsonObject> settings(Services services, String indexUid, int retries) {
    return services.settings().get(indexUid).recover(err -> err instanceof NodeUnreachableException && retries > 0
        ? settings(services, indexUid, retries - 1) : Future.failedFuture(err));
  }

  /**
   * The query sequence number choosing group and replicas: a hash of the index and the query without its paging.
   * Hits tied on every ranking rule come back in each node's internal order, which differs between replicas, so
   * the pages of one query must be read from the same copies to stay consistent; distinct queries still spread
   * over groups and replicas.
   */
  static long stableSeq(String indexUid, JsonObject body) {
    JsonObject unpaged = body.copy();
    unpaged.remove("offset");
    unpaged.remove("limit");
    unpaged.remove("page");
    unpaged.remove("hitsPerPage");
    return io.miroir.routing.ShardHasher.hash(indexUid + '\n' + unpaged.encode()) >>> 1;
  }

  /**
   * One client search. {@code merge} carries the client request and settings (its answers are filled in once the
   * nodes replied); {@code twoPhaseKey} is the index's primary key when the plan fetches its window in two phases
   * ({@link SearchPlan#twoPhase}), else null.
   */
  private record Query(String indexUid, int shards, SearchPlan plan, MergeRequest merge, String token,
      String twoPhaseKey) {
    Query singlePhase() {
      return new Query(indexUid, shards, plan, merge, token, null);
    }
  }

  private Future<Reply> scatter(Query q, int retries) {
    String indexUid = q.indexUid();
    SearchPlan plan = q.plan();
    ShardPlacement placement = services.fleet().placement(q.shards());
    long seq = CoveringSet.choosesByQuery(placement) ? stableSeq(indexUid, q.merge().clientRequest()) : 0;
    CoveringSet cover = CoveringSet.build(placement, seq);
    if (!cover.complete()
        && services.config().scatter().unavailableShardPolicy() == UnavailableShardPolicy.ERROR) {
      return Future.failedFuture(unavailable(cover));
    }
    List<String> nodes = new ArrayList<>(cover.shardsByNode().keySet());
    // A query that could match _miroir_shard is restricted to the nodes' own fields (SearchableFields).
    Future<Collection<String>> fields = plan.needsFields() ? NodeFields.of(services, indexUid, nodes)
        : Future.succeededFuture(null);
    return fields.compose(held -> send(q, retries, cover, nodes, held));
  }

  private Future<Reply> send(Query q, int retries, CoveringSet cover, List<String> nodes,
      Collection<String> fields) {
    String indexUid = q.indexUid();
    SearchPlan plan = q.plan();
    String token = q.token();
    int shards = q.shards();
    List<Future<NodeResponse>> calls = new ArrayList<>(nodes.size());
    // One node holding every shard answers the client's own request: nothing to merge (SearchPlan.soleNodeRequest).
    boolean sole = nodes.size() == 1 && cover.complete() && cover.shardsByNode().get(nodes.get(0)).size() == shards;
    // Page mode under distinct: a light second request per node makes the total exact (SearchPlan).
    List<Future<NodeResponse>> counts = !sole && plan.needsDistinctCount() ? new ArrayList<>(nodes.size()) : null;
    String path = searchPath(indexUid);
    long timeout = services.config().scatter().nodeTimeoutMs();
    for (String nodeId : nodes) {
      List<Integer> nodeShards = cover.shardsByNode().get(nodeId);
      JsonObject body = sole ? plan.soleNodeRequest(nodeShards, fields)
          : q.twoPhaseKey() != null ? plan.rankingRequest(nodeShards, fields, q.twoPhaseKey())
          : plan.nodeRequest(nodeShards, fields);
      calls.add(services.fleet().client(nodeId).send(HttpMethod.POST, path, body, token, timeout));
      if (counts != null) {
        counts.add(services.fleet().client(nodeId).send(HttpMethod.POST, path,
            plan.distinctCountRequest(nodeShards, fields), token, timeout));
      }
    }
    List<Future<NodeResponse>> all = new ArrayList<>(calls);
    if (counts != null) {
      all.addAll(counts);
    }
    return Future.join(all).transform(ignored -> {
      List<JsonObject> answers = new ArrayList<>(nodes.size());
      List<String> answered = new ArrayList<>(nodes.size());
      TreeSet<Integer> missing = new TreeSet<>(cover.uncovered());
      boolean refused = false;
      for (int i = 0; i < nodes.size(); i++) {
        Future<NodeResponse> call = calls.get(i);
        if (call.succeeded() && call.result().ok()) {
          answers.add(call.result().searchJson());
          answered.add(nodes.get(i));
        } else if (call.succeeded()) {
          return Future.failedFuture(new VerdictNeeded());
        } else {
          if (call.cause() instanceof NodeUnreachableException u && u.refused()) {
            services.health().markFailed(nodes.get(i), "connection refused");
            refused = true;
          }
          missing.addAll(cover.shardsByNode().get(nodes.get(i)));
        }
      }
      if (refused && retries > 0) {
        services.metrics().scatterRetried();
        return scatter(q, retries - 1);
      }
      services.metrics().scattered(nodes.size(), !missing.isEmpty());
      if (!missing.isEmpty()
          && services.config().scatter().unavailableShardPolicy() == UnavailableShardPolicy.ERROR) {
        return Future.failedFuture(unavailable(missing));
      }
      int fanOut = nodes.size();
      if (sole && answers.size() == 1) {
        return Future.succeededFuture(Reply.ok(plan.soleNodeAnswer(answers.get(0))).withFanOut(fanOut));
      }
      List<JsonObject> distinctCounts = missing.isEmpty() ? okAnswers(counts) : null;
      Future<JsonObject> merged = followUps(indexUid, plan, answers, answered, cover, fields, token)
          .compose(ignoredToo -> services.bus().merge(Addresses.MERGER_SEARCH, new MergeRequest(
              q.merge().clientRequest(), q.merge().settings(), answers, distinctCounts)));
      boolean twoPhase = q.twoPhaseKey() != null && !sole;
      if (twoPhase) {
        merged = merged.compose(ranked -> window(q, ranked, answers, answered, cover, fields)
            .onSuccess(filled -> services.metrics().twoPhase(true)));
      }
      Future<Reply> replied = merged
          .map(mergedAnswer -> {
            Reply reply = Reply.ok(mergedAnswer).withFanOut(fanOut);
            return missing.isEmpty() ? reply : reply.withHeader("X-Miroir-Degraded", "shards=" + join(missing));
          });
      // The index changed between the phases, or a node could not give its run: the query is asked in one phase.
      return twoPhase ? replied.recover(err -> {
        if (!(err instanceof WindowMoved)) {
          return Future.failedFuture(err);
        }
        services.metrics().twoPhase(false);
        return scatter(q.singlePhase(), retries);
      }) : replied;
    });
  }

  private static String searchPath(String indexUid) {
    return "/indexes/" + NodeClient.encodePath(indexUid) + "/search";
  }

  /** Phase two failed: the window cannot be filled from the ranking of phase one. */
  private static final class WindowMoved extends RuntimeException {
    WindowMoved() {
      super(null, null, false, false);
    }
  }

  /**
   * Phase two of a two-phase search ({@link SearchPlan#twoPhase}): each answered node is asked for the run of its
   * hits that fills the merged window, and the window is filled with those documents.
   */
  private Future<JsonObject> window(Query q, JsonObject ranked, List<JsonObject> rankings, List<String> answered,
      CoveringSet cover, Collection<String> fields) {
    int[][] runs = SearchPlan.windowRuns(rankings, ranked, q.twoPhaseKey());
    if (runs == null) {
      return Future.failedFuture(new WindowMoved());
    }
    String path = searchPath(q.indexUid());
    long timeout = services.config().scatter().nodeTimeoutMs();
    List<Future<NodeResponse>> calls = new ArrayList<>(answered.size());
    for (int i = 0; i < answered.size(); i++) {
      calls.add(runs[i][1] == 0 ? Future.succeededFuture(null)
          : services.fleet().client(answered.get(i)).send(HttpMethod.POST, path, q.plan().windowRequest(
              cover.shardsByNode().get(answered.get(i)), fields, runs[i][0], runs[i][1], q.twoPhaseKey()), q.token(),
              timeout));
    }
    return Future.join(calls).transform(ignored -> {
      List<JsonObject> windows = new ArrayList<>(calls.size());
      for (Future<NodeResponse> call : calls) {
        if (call.failed() || call.result() != null && !call.result().ok()) {
          return Future.failedFuture(new WindowMoved());
        }
        windows.add(call.result() == null ? null : call.result().searchJson());
      }
      JsonObject filled = q.plan().withWindow(ranked, runs, windows, q.twoPhaseKey());
      return filled == null ? Future.failedFuture(new WindowMoved()) : Future.succeededFuture(filled);
    });
  }

  /**
   * Sends the plan's follow-ups (number facet values a node cut, see SearchPlan.numberFollowUps) to the nodes that
   * answered and folds their answers into {@code answers}; a follow-up that fails leaves the estimate.
   */
  private Future<Void> followUps(String indexUid, SearchPlan plan, List<JsonObject> answers, List<String> answered,
      CoveringSet cover, Collection<String> fields, String token) {
    List<List<Integer>> shardsOf = new ArrayList<>(answered.size());
    answered.forEach(nodeId -> shardsOf.add(cover.shardsByNode().get(nodeId)));
    List<SearchPlan.FollowUp> followUps = plan.numberFollowUps(answers, shardsOf, fields);
    if (followUps.isEmpty()) {
      return Future.succeededFuture();
    }
    String path = searchPath(indexUid);
    List<Future<NodeResponse>> calls = new ArrayList<>(followUps.size());
    for (SearchPlan.FollowUp f : followUps) {
      calls.add(services.fleet().client(answered.get(f.node())).send(HttpMethod.POST, path, f.body(), token,
          services.config().scatter().nodeTimeoutMs()));
    }
    return Future.join(calls).transform(ignored -> {
      List<JsonObject> results = new ArrayList<>(calls.size());
      for (Future<NodeResponse> call : calls) {
        results.add(call.succeeded() && call.result().ok() ? call.result().json() : null);
      }
      plan.applyFollowUps(answers, followUps, results);
      return Future.succeededFuture();
    });
  }

  /** The answers of {@code calls} when every one succeeded, else null (the merge then estimates). */
  private static List<JsonObject> okAnswers(List<Future<NodeResponse>> calls) {
    if (calls == null) {
      return null;
    }
    List<JsonObject> out = new ArrayList<>(calls.size());
    for (Future<NodeResponse> call : calls) {
      if (!call.succeeded() || !call.result().ok()) {
        return null;
      }
      out.add(call.result().searchJson());
    }
    return out;
  }

  private static MeiliException unavailable(CoveringSet cover) {
    return unavailable(new TreeSet<>(cover.uncovered()));
  }

  private static MeiliException unavailable(TreeSet<Integer> shards) {
    return new MeiliException(ErrorCode.MIROIR_SHARD_UNAVAILABLE, "No reachable node holds shards [" + join(shards)
        + "]; the answer would be incomplete.");
  }

  private static String join(Iterable<Integer> values) {
    StringBuilder b = new StringBuilder();
    for (int v : values) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(v);
    }
    return b.toString();
  }

  /** Asks one node the client's original request, for Meilisearch's own answer to a request Miroir cannot run. */
  @FunctionalInterface
  public interface Verdict {
    Future<Reply> ask();
  }

  /** Signals that the client's original request must be judged by a node. */
  private static final class VerdictNeeded extends RuntimeException {
    VerdictNeeded() {
      super(null, null, false, false);
    }
  }
}
