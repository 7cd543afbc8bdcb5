package io.miroir.search;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.merge.ReservedFields;
import io.miroir.merge.SearchableFields;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.miroir.router.Reply;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Small node reads the read path needs besides the search itself (SPEC §1.4, D13): the fields the covering set's
 * nodes hold, for {@link SearchableFields}, and errors worded as one node without reserved fields words them.
 */
final class NodeFields {
  private NodeFields() {
  }

  /**
   * The top-level fields the nodes hold, read from their stats with Miroir's node key (a search key may not read
   * stats). Read just before the search, so a field indexed a moment ago is searched too; a node that does not
   * answer contributes nothing (its search then fails the same way and the read path handles it).
   */
  static Future<Collection<String>> of(Services services, String indexUid, Collection<String> nodeIds) {
    String path = "/indexes/" + NodeClient.encodePath(indexUid) + "/stats";
    List<Future<NodeResponse>> calls = new ArrayList<>(nodeIds.size());
    for (String nodeId : nodeIds) {
      calls.add(services.fleet().client(nodeId).call(HttpMethod.GET, path, null));
    }
    return Future.join(calls).transform(ignored -> {
      List<JsonObject> stats = new ArrayList<>(calls.size());
      for (Future<NodeResponse> call : calls) {
        if (call.succeeded() && call.result().ok()) {
          stats.add(call.result().json());
        }
      }
      return Future.succeededFuture(SearchableFields.fromStats(stats));
    });
  }

  /**
   * A node's verdict on a client request Miroir could not plan, or that a node refused once planned: the node's
   * error, without reserved names. A node that <em>accepts</em> the client's request answers for its own shards
   * only, so that answer is never passed on (it would be silently incomplete and show {@code _miroir_shard}); the
   * client gets an internal error instead, which the differential suite would report.
   */
  static Future<Reply> judged(SearchService.Verdict original) {
    return original.ask().compose(reply -> reply.status() < 300
        ? Future.failedFuture(new MeiliException(ErrorCode.INTERNAL,
            "Miroir could not run this search over every shard, and one node accepted it as it is."))
        : Future.succeededFuture(withoutReservedNames(reply)));
  }

  /**
   * A node's verdict on a client request with {@code _miroir_*} names removed from the error message: a node lists
   * the available filterable attributes in some errors, and {@code _miroir_shard} is one of them on every node.
   */
  static Reply withoutReservedNames(Reply reply) {
    if (reply.status() < 400 || !(reply.body() instanceof Buffer buffer) || buffer.length() == 0) {
      return reply;
    }
    JsonObject error;
    try {
      error = buffer.toJsonObject();
    } catch (RuntimeException notJson) {
      return reply;
    }
    if (!(error.getValue("message") instanceof String message) || !message.contains(ReservedFields.PREFIX)) {
      return reply;
    }
    error.put("message", ReservedFields.stripErrorMessage(message));
    Reply cleaned = Reply.of(reply.status(), error);
    for (var header : reply.headers().entrySet()) {
      cleaned = cleaned.withHeader(header.getKey(), header.getValue());
    }
    return cleaned;
  }
}
