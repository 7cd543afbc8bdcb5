package io.miroir.rebalance;

import io.miroir.merge.ReservedFields;
import io.miroir.node.NodeClient;
import io.miroir.routing.ShardHasher;
import io.miroir.routing.ShardPlacement;
import io.miroir.runtime.Services;
import io.miroir.store.IndexMeta;
import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks placement against the data ({@code miroir-ctl verify}): every document on a node sits in the shard its
 * primary key hashes to and on a node that owns that shard (in the current or target placement), and every serving
 * owner of a shard holds the same documents as the others. Reads every document id of every live node; meant for
 * operators after a change, not for the request path.
 */
public final class Verifier {
  private static final int PAGE = 1000;
  private static final int EXAMPLES = 20;
  private final Services services;

  public Verifier(Services services) {
    this.services = services;
  }

  public Future<JsonObject> verify() {
    Topology t = services.fleet().topology();
    return services.store().listIndexes().compose(indexes -> {
      JsonArray reports = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (IndexMeta meta : indexes) {
        chain = chain.compose(v -> index(t, meta).map(r -> {
          reports.add(r);
          return null;
        }));
      }
      return chain.map(v -> {
        long problems = 0;
        for (Object o : reports) {
          problems += ((JsonObject) o).getLong("problems");
        }
        return new JsonObject().put("ok", problems == 0).put("problems", problems)
            .put("topology_version", t.version()).put("indexes", reports);
      });
    });
  }

  private Future<JsonObject> index(Topology t, IndexMeta meta) {
    JsonObject report = new JsonObject().put("index", meta.uid()).put("shards", meta.shards());
    if (meta.primaryKey() == null) {
      return Future.succeededFuture(report.put("documents", 0).put("problems", 0));
    }
    ShardPlacement placement = services.fleet().placement(t, meta.shards());
    Map<String, Map<Integer, Set<String>>> byNode = new TreeMap<>();
    JsonArray skipped = new JsonArray();
    List<Future<Void>> reads = new ArrayList<>();
    List<String> readNodes = new ArrayList<>();
    for (Node n : t.nodes()) {
      if (n.removed()) {
        continue;
      }
      if (n.failed()) {
        skipped.add(new JsonObject().put("node", n.id()).put("reason", n.state().wireName()));
        continue;
      }
      Map<Integer, Set<String>> shards = new HashMap<>();
      byNode.put(n.id(), shards);
      readNodes.add(n.id());
      reads.add(readAll(services.fleet().client(n.id()), meta, 0, shards));
    }
    return Future.join(reads).transform(ignored -> {
      JsonArray wrongShard = new JsonArray();
      JsonArray misplaced = new JsonArray();
      JsonArray missing = new JsonArray();
      long[] counts = new long[3];
      Set<String> all = new HashSet<>();
      for (int i = 0; i < reads.size(); i++) {
        if (reads.get(i).failed()) {
          String node = readNodes.get(i);
          byNode.remove(node);
          skipped.add(new JsonObject().put("node", node).put("reason", reads.get(i).cause().getMessage()));
        }
      }
      byNode.forEach((nodeId, shards) -> {
        Node node = t.node(nodeId).orElseThrow();
        shards.forEach((shard, ids) -> {
          for (String id : ids) {
            all.add(id);
            int expected = ShardHasher.shardForKey(id, meta.shards());
            if (expected != shard) {
              counts[0]++;
              example(wrongShard, nodeId, id, "in shard " + shard + ", hashes to " + expected);
            }
            int g = node.replicaGroup();
            if (!placement.owners(expected, g).contains(nodeId)
                && !placement.targetOwners(expected, g).contains(nodeId)) {
              counts[1]++;
              example(misplaced, nodeId, id, "shard " + expected + " belongs to " + placement.owners(expected, g));
            }
          }
        });
      });
      for (int s = 0; s < meta.shards(); s++) {
        Set<String> union = new HashSet<>();
        List<String> serving = new ArrayList<>();
        for (int g : t.groups()) {
          for (String owner : placement.owners(s, g)) {
            if (t.node(owner).map(Node::servesReads).orElse(false) && byNode.containsKey(owner)) {
              serving.add(owner);
              union.addAll(byNode.get(owner).getOrDefault(s, Set.of()));
            }
          }
        }
        for (String owner : serving) {
          Set<String> held = byNode.get(owner).getOrDefault(s, Set.of());
          for (String id : union) {
            if (!held.contains(id)) {
              counts[2]++;
              example(missing, owner, id, "shard " + s + " copy lacks it");
            }
          }
        }
      }
      long problems = counts[0] + counts[1] + counts[2];
      return Future.succeededFuture(report.put("documents", all.size()).put("problems", problems)
          .put("wrong_shard", new JsonObject().put("count", counts[0]).put("examples", wrongShard))
          .put("misplaced", new JsonObject().put("count", counts[1]).put("examples", misplaced))
          .put("missing_copies", new JsonObject().put("count", counts[2]).put("examples", missing))
          .put("nodes_checked", new JsonArray(new ArrayList<>(byNode.keySet())))
          .put("nodes_skipped", skipped));
    });
  }

  private static void example(JsonArray list, String node, String id, String why) {
    if (list.size() < EXAMPLES) {
      list.add(new JsonObject().put("node", node).put("id", id).put("detail", why));
    }
  }

  private Future<Void> readAll(NodeClient node, IndexMeta meta, int offset, Map<Integer, Set<String>> into) {
    JsonObject body = new JsonObject().put("fields", new JsonArray().add(meta.primaryKey()).add(ReservedFields.SHARD))
        .put("offset", offset).put("limit", PAGE);
    String path = "/indexes/" + NodeClient.encodePath(meta.uid()) + "/documents/fetch";
    return node.call(HttpMethod.POST, path, body).compose(r -> {
      if (r.status() == 404) {
        return Future.succeededFuture();
      }
      if (!r.ok()) {
        return Future.failedFuture(r.error());
      }
      JsonArray docs = r.json().getJsonArray("results", new JsonArray());
      for (Object o : docs) {
        JsonObject doc = (JsonObject) o;
        Integer shard = doc.getInteger(ReservedFields.SHARD, -1);
        into.computeIfAbsent(shard, k -> new HashSet<>()).add(String.valueOf(doc.getValue(meta.primaryKey())));
      }
      return docs.size() < PAGE ? Future.succeededFuture() : readAll(node, meta, offset + PAGE, into);
    });
  }
}
