package io.miroir.documents;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.merge.ReservedFields;
import io.miroir.merge.ShardFilter;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.miroir.node.NodeUnreachableException;
import io.miroir.routing.CoveringSet;
import io.miroir.routing.ShardHasher;
import io.miroir.routing.ShardPlacement;
import io.miroir.router.ApiRequest;
import io.miroir.router.Reply;
import io.miroir.runtime.Services;
import io.miroir.topology.Node;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Document reads (SPEC §2.1): one document from one replica of its shard, and listings scattered over a covering
 * set. A listing's global order is shard ascending, then each shard's own order on the replica that serves it;
 * {@code total} is exact (every shard counted once).
 */
public final class DocumentReader {
  private final Services services;

  public DocumentReader(Services services) {
    this.services = services;
  }

  /** {@code GET /indexes/{uid}/documents/{id}}: the owners of the id's shard, tried in order. */
  public Future<Reply> getOne(ApiRequest req) {
    String uid = req.indexUid();
    String id = req.param("documentId");
    return services.indexes().shardsFor(uid).compose(shards -> {
      ShardPlacement placement = services.fleet().placement(shards);
      int shard = ShardHasher.shardForKey(id, shards);
      List<String> candidates = new ArrayList<>();
      for (int group : placement.topology().queryGroups()) {
        for (String owner : placement.owners(shard, group)) {
          if (placement.topology().node(owner).map(Node::servesReads).orElse(false)) {
            candidates.add(owner);
          }
        }
      }
      String path = documentsPath(uid) + "/" + NodeClient.encodePath(id) + req.rawQuery();
      return tryInOrder(candidates, 0, path, req.credential().nodeToken());
    });
  }

  private Future<Reply> tryInOrder(List<String> nodes, int index, String path, String token) {
    if (index >= nodes.size()) {
      return Future.failedFuture(new MeiliException(ErrorCode.MIROIR_SHARD_UNAVAILABLE,
          "No reachable node holds the shard of this document."));
    }
    NodeClient node = services.fleet().client(nodes.get(index));
    return node.send(HttpMethod.GET, path, null, token, services.config().scatter().nodeTimeoutMs())
        .map(r -> r.ok() ? Reply.ok(ReservedFields.stripDocument(r.json())) : Reply.of(r.status(), r.body()))
        .recover(err -> err instanceof NodeUnreachableException
            ? tryInOrder(nodes, index + 1, path, token) : Future.failedFuture(err));
  }

  /** {@code GET /indexes/{uid}/documents}: the query parameters turned into a fetch body. */
  public Future<Reply> list(ApiRequest req) {
    JsonObject body = new JsonObject();
    try {
      for (Map.Entry<String, String> e : req.query().entries()) {
        String v = e.getValue();
        switch (e.getKey()) {
          case "offset", "limit" -> body.put(e.getKey(), Long.parseLong(v));
          case "fields" -> body.put("fields", csv(v));
          case "ids" -> body.put("ids", csv(v));
          case "sort" -> body.put("sort", csv(v));
          case "retrieveVectors" -> body.put("retrieveVectors", parseBool(v));
          case "filter" -> body.put("filter", filterValue(v));
          default -> throw new IllegalArgumentException(e.getKey());
        }
      }
    } catch (RuntimeException e) {
      return verdict(req, HttpMethod.GET, documentsPath(req.indexUid()) + req.rawQuery(), null);
    }
    return scatter(req, body, HttpMethod.GET, documentsPath(req.indexUid()) + req.rawQuery(), null);
  }

  /** {@code POST /indexes/{uid}/documents/fetch}. */
  public Future<Reply> fetch(ApiRequest req) {
    JsonObject body = req.jsonObject();
    return scatter(req, body, HttpMethod.POST, documentsPath(req.indexUid()) + "/fetch", req.body());
  }

  private Future<Reply> scatter(ApiRequest req, JsonObject body, HttpMethod originalMethod, String originalPath,
      Object originalBody) {
    String uid = req.indexUid();
    long offset = body.getLong("offset", 0L);
    long limit = body.getLong("limit", 20L);
    if (offset < 0 || limit < 0) {
      return verdict(req, originalMethod, originalPath, originalBody);
    }
    return services.indexes().shardsFor(uid).compose(shards -> {
      ShardPlacement placement = services.fleet().placement(shards);
      CoveringSet cover = CoveringSet.build(placement, 0);
      List<String> nodes = new ArrayList<>(cover.shardsByNode().keySet());
      List<Future<NodeResponse>> calls = new ArrayList<>();
      for (String nodeId : nodes) {
        JsonObject nodeBody = body.copy().put("offset", 0).put("limit", offset + limit)
            .put("filter", ShardFilter.and(body.getValue("filter"), cover.shardsByNode().get(nodeId)));
        if (body.getValue("fields") instanceof JsonArray fields && !fields.contains("*")) {
          nodeBody.put("fields", fields.copy().add(ReservedFields.SHARD));
        }
        calls.add(services.fleet().client(nodeId).send(HttpMethod.POST, documentsPath(uid) + "/fetch", nodeBody,
            req.credential().nodeToken(), services.config().scatter().nodeTimeoutMs()));
      }
      return Future.all(calls).compose(all -> {
        for (Future<NodeResponse> f : calls) {
          if (!f.result().ok()) {
            return verdict(req, originalMethod, originalPath, originalBody);
          }
        }
        return Future.succeededFuture(Reply.ok(merge(calls, offset, limit)));
      });
    });
  }

  private static JsonObject merge(List<Future<NodeResponse>> calls, long offset, long limit) {
    record Doc(int shard, int node, int position, JsonObject body) {
    }
    List<Doc> docs = new ArrayList<>();
    long total = 0;
    for (int n = 0; n < calls.size(); n++) {
      JsonObject answer = calls.get(n).result().json();
      total += answer.getLong("total", 0L);
      JsonArray results = answer.getJsonArray("results");
      for (int p = 0; p < results.size(); p++) {
        JsonObject doc = results.getJsonObject(p);
        docs.add(new Doc(doc.getInteger(ReservedFields.SHARD, -1), n, p, doc));
      }
    }
    docs.sort(Comparator.comparingInt(Doc::shard).thenComparingInt(Doc::node).thenComparingInt(Doc::position));
    JsonArray page = new JsonArray();
    for (long i = offset; i < Math.min(docs.size(), offset + limit); i++) {
      page.add(ReservedFields.stripDocument(docs.get((int) i).body()));
    }
    return new JsonObject().put("results", page).put("offset", offset).put("limit", limit).put("total", total);
  }

  /** Lets a node answer a request Miroir cannot plan: for an invalid one it phrases Meilisearch's exact error. */
  private Future<Reply> verdict(ApiRequest req, HttpMethod method, String path, Object body) {
    return services.fleet().onReader(node -> node.send(method, path, body, req.credential().nodeToken(),
            services.config().scatter().nodeTimeoutMs()))
        .map(r -> Reply.of(r.status(), r.ok() ? stripPage(r.json()) : r.body()));
  }

  private static JsonObject stripPage(JsonObject page) {
    JsonArray results = page.getJsonArray("results");
    if (results != null) {
      results.forEach(d -> ReservedFields.stripDocument((JsonObject) d));
    }
    return page;
  }

  private static JsonArray csv(String value) {
    JsonArray out = new JsonArray();
    for (String part : value.split(",")) {
      out.add(part.trim());
    }
    return out;
  }

  private static boolean parseBool(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException(v);
  }

  private static Object filterValue(String v) {
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(v);
      return parsed instanceof JsonArray ? parsed : v;
    } catch (RuntimeException e) {
      return v;
    }
  }

  public static String documentsPath(String indexUid) {
    return "/indexes/" + NodeClient.encodePath(indexUid) + "/documents";
  }
}
