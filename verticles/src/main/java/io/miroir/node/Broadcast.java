package io.miroir.node;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sends one call to many nodes in parallel and collects every outcome, success or failure, by node id. */
public final class Broadcast {
  private Broadcast() {
  }

  /** Outcome per node: a response, or the failure that prevented one. */
  public record Outcomes(Map<String, NodeResponse> responses, Map<String, Throwable> failures) {
    public boolean allOk() {
      return failures.isEmpty() && responses.values().stream().allMatch(NodeResponse::ok);
    }

    /** Nodes that answered with a 2xx. */
    public List<String> okNodes() {
      List<String> ok = new ArrayList<>();
      responses.forEach((id, r) -> {
        if (r.ok()) {
          ok.add(id);
        }
      });
      return ok;
    }

    /** The first non-2xx answer in node order, if any. */
    public NodeResponse firstRejection() {
      return responses.values().stream().filter(r -> !r.ok()).findFirst().orElse(null);
    }

    /** Node task uids of the 2xx answers that enqueued a task. */
    public Map<String, Long> taskUids() {
      Map<String, Long> uids = new LinkedHashMap<>();
      responses.forEach((id, r) -> {
        if (r.ok() && r.json().containsKey("taskUid")) {
          uids.put(id, r.taskUid());
        }
      });
      return uids;
    }
  }

  public static Future<Outcomes> send(List<NodeClient> nodes, HttpMethod method, String path, Object body,
      String token, long timeoutMs) {
    List<Future<NodeResponse>> calls = new ArrayList<>(nodes.size());
    for (NodeClient node : nodes) {
      calls.add(node.send(method, path, body, token, timeoutMs));
    }
    return Future.join(calls).transform(ignored -> {
      Map<String, NodeResponse> responses = new LinkedHashMap<>();
      Map<String, Throwable> failures = new LinkedHashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        Future<NodeResponse> f = calls.get(i);
        if (f.succeeded()) {
          responses.put(nodes.get(i).nodeId(), f.result());
        } else {
          failures.put(nodes.get(i).nodeId(), f.cause());
        }
      }
      return Future.succeededFuture(new Outcomes(responses, failures));
    });
  }
}
