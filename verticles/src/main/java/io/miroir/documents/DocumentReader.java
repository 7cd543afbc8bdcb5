package io.miroir.documents;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.config.MiroirConfig.UnavailableShardPolicy;
import io.miroir.merge.DocumentOrder;
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
import java.util.List;
import java.util.Map;

/**
 * Document reads (SPEC §2.1, D2, D3): one document from one replica of its shard, and listings scattered over a
 * covering set (the same one for every page: query sequence 0). A listing's global order is the covering set's nodes
 * one after the other (node id order), each in its own internal-id order, or, with {@code sort}, the nodes' sorted
 * lists merged ({@link DocumentOrder}); {@code total} is exact (every shard counted once). The first page asks each
 * node for {@code limit} documents; a later one asks the nodes' totals, then each node only for its part of the page,
 * so paging through a large index does not read the skipped documents again.
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
          case "sort" -> body.put("sort", io.miroir.search.SearchParams.sort(v));
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
    String path = documentsPath(req.indexUid()) + "/fetch";
    Object body;
    try {
      body = req.json();
    } catch (RuntimeException e) {
      return verdict(req, HttpMethod.POST, path, req.body());
    }
    return body instanceof JsonObject object ? scatter(req, object, HttpMethod.POST, path, req.body())
        : verdict(req, HttpMethod.POST, path, req.body());
  }

  private Future<Reply> scatter(ApiRequest req, JsonObject body, HttpMethod originalMethod, String originalPath,
      Object originalBody) {
    String uid = req.indexUid();
    long offset = pagination(body, "offset", 0);
    long limit = pagination(body, "limit", 20);
    List<String> sort = sortRules(body.getValue("sort"));
    if (offset < 0 || limit < 0 || (body.getValue("sort") != null && sort == null)) {
      return verdict(req, originalMethod, originalPath, originalBody);
    }
    return services.indexes().shardsFor(uid).compose(shards -> {
      CoveringSet cover = CoveringSet.build(services.fleet().placement(shards), 0);
      if (!cover.complete()
          && services.config().scatter().unavailableShardPolicy() == UnavailableShardPolicy.ERROR) {
        return Future.failedFuture(new MeiliException(ErrorCode.MIROIR_SHARD_UNAVAILABLE, "No reachable node "
            + "holds shards " + cover.uncovered() + "; the listing would be incomplete."));
      }
      Listing listing = new Listing(req, body, originalMethod, originalPath, originalBody, cover);
      Future<Reply> page;
      if (sort != null) {
        page = listing.sorted(sort, offset, limit);
      } else if (offset == 0) {
        page = listing.first(limit);
      } else {
        page = listing.ranged(offset, limit);
      }
      return page.map(reply -> cover.complete() || reply.status() != 200 ? reply
          : reply.withHeader("X-Miroir-Degraded", "shards=" + String.join(",",
              cover.uncovered().stream().map(String::valueOf).toList())));
    });
  }

  /**
   * One listing over a covering set. The global order is the nodes' lists one after the other, in node id order,
   * each in that node's own (internal id) order; with {@code sort}, the nodes' sorted lists merged by the sort values
   * ({@link DocumentOrder}). Both are stable from page to page while the documents and the topology do not change.
   */
  private final class Listing {
    final ApiRequest req;
    final JsonObject body;
    final HttpMethod originalMethod;
    final String originalPath;
    final Object originalBody;
    final CoveringSet cover;
    final List<String> nodes;

    Listing(ApiRequest req, JsonObject body, HttpMethod originalMethod, String originalPath, Object originalBody,
        CoveringSet cover) {
      this.req = req;
      this.body = body;
      this.originalMethod = originalMethod;
      this.originalPath = originalPath;
      this.originalBody = originalBody;
      this.cover = cover;
      this.nodes = new ArrayList<>(cover.shardsByNode().keySet());
    }

    JsonObject nodeBody(String node, long offset, long limit) {
      return body.copy().put("offset", offset).put("limit", limit)
          .put("filter", ShardFilter.and(body.getValue("filter"), cover.shardsByNode().get(node)));
    }

    Future<NodeResponse> fetch(String node, JsonObject nodeBody) {
      return services.fleet().client(node).send(HttpMethod.POST, documentsPath(req.indexUid()) + "/fetch", nodeBody,
          req.credential().nodeToken(), services.config().scatter().nodeTimeoutMs());
    }

    /** Every node's answer; fails with {@link Refused} when a node refused the planned request. */
    Future<List<JsonObject>> all(List<Future<NodeResponse>> calls) {
      return Future.all(calls).compose(ignored -> {
        List<JsonObject> out = new ArrayList<>(calls.size());
        for (Future<NodeResponse> f : calls) {
          if (!f.result().ok()) {
            return Future.failedFuture(new Refused());
          }
          out.add(f.result().json());
        }
        return Future.succeededFuture(out);
      });
    }

    /** A refused planned request is answered with the node's verdict on the client's own request. */
    Future<Reply> judged(Throwable err) {
      return err instanceof Refused ? verdict(req, originalMethod, originalPath, originalBody)
          : Future.failedFuture(err);
    }

    /** The first page: each node's first {@code limit}, concatenated. */
    Future<Reply> first(long limit) {
      List<Future<NodeResponse>> calls = new ArrayList<>();
      nodes.forEach(node -> calls.add(fetch(node, nodeBody(node, 0, limit))));
      return all(calls).map(answers -> page(answers, DocumentOrder.window(results(answers), 0, limit), 0, limit))
          .recover(this::judged);
    }

    /** A later page: the nodes' totals first, then from each node only its part of the page. */
    Future<Reply> ranged(long offset, long limit) {
      List<Future<NodeResponse>> counts = new ArrayList<>();
      nodes.forEach(node -> counts.add(fetch(node, nodeBody(node, 0, 0))));
      return all(counts).compose(totals -> {
        List<Long> perNode = new ArrayList<>();
        totals.forEach(t -> perNode.add(t.getLong("total", 0L)));
        List<long[]> ranges = DocumentOrder.ranges(perNode, offset, limit);
        List<Future<NodeResponse>> calls = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
          long[] range = ranges.get(i);
          if (range != null) {
            calls.add(fetch(nodes.get(i), nodeBody(nodes.get(i), range[0], range[1])));
          }
        }
        return all(calls).map(parts -> {
          List<Object> docs = new ArrayList<>();
          parts.forEach(p -> docs.addAll(p.getJsonArray("results", new JsonArray()).getList()));
          return page(totals, docs, offset, limit);
        });
      }).recover(this::judged);
    }

    /** A sorted page: each node's first offset+limit in sort order, merged by the sort values. */
    Future<Reply> sorted(List<String> sort, long offset, long limit) {
      List<String> added = new ArrayList<>();
      if (body.getValue("fields") instanceof JsonArray fields && !fields.contains("*")) {
        for (String attribute : DocumentOrder.sortAttributes(sort)) {
          if (!fields.contains(attribute) && !added.contains(attribute)) {
            added.add(attribute);
          }
        }
      }
      List<Future<NodeResponse>> calls = new ArrayList<>();
      for (String node : nodes) {
        JsonObject nodeBody = nodeBody(node, 0, offset + limit);
        if (!added.isEmpty()) {
          JsonArray fields = nodeBody.getJsonArray("fields").copy();
          added.forEach(fields::add);
          nodeBody.put("fields", fields);
        }
        calls.add(fetch(node, nodeBody));
      }
      return all(calls).map(answers -> {
        List<Object> docs = DocumentOrder.mergeSorted(results(answers), sort, offset, limit);
        for (Object d : docs) {
          added.forEach(((JsonObject) d)::remove);
        }
        return page(answers, docs, offset, limit);
      }).recover(this::judged);
    }

    private List<List<Object>> results(List<JsonObject> answers) {
      List<List<Object>> lists = new ArrayList<>(answers.size());
      answers.forEach(a -> lists.add(a.getJsonArray("results", new JsonArray()).getList()));
      return lists;
    }

    @SuppressWarnings("unchecked")
    private Reply page(List<JsonObject> answers, List<Object> docs, long offset, long limit) {
      long total = 0;
      for (JsonObject a : answers) {
        total += a.getLong("total", 0L);
      }
      JsonArray results = new JsonArray();
      for (Object d : docs) {
        JsonObject doc = d instanceof JsonObject j ? j : new JsonObject((Map<String, Object>) d);
        results.add(ReservedFields.stripDocument(doc));
      }
      return Reply.ok(new JsonObject().put("results", results).put("offset", offset).put("limit", limit)
          .put("total", total)).withFanOut(answers.size());
    }
  }

  /** A node refused the planned listing. */
  private static final class Refused extends RuntimeException {
    Refused() {
      super(null, null, false, false);
    }
  }

  /** The value of offset/limit: the default when absent, -1 when it is not a non-negative integer. */
  private static long pagination(JsonObject body, String key, long fallback) {
    if (!body.containsKey(key)) {
      return fallback;
    }
    Object v = body.getValue(key);
    return (v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0 ? ((Number) v).longValue()
        : -1;
  }

  /** The sort rules when {@code sort} is a list of strings, else null. */
  private static List<String> sortRules(Object sort) {
    if (!(sort instanceof JsonArray array)) {
      return null;
    }
    List<String> rules = new ArrayList<>(array.size());
    for (Object o : array) {
      if (!(o instanceof String s)) {
        return null;
      }
      rules.add(s);
    }
    return rules;
  }

  /** Lets a node answer a request Miroir cannot plan: for an invalid one it phrases Meilisearch's exact error. */
  private Future<Reply> verdict(ApiRequest req, HttpMethod method, String path, Object body) {
    return services.fleet().onReader(node -> node.send(method, path, body, req.credential().nodeToken(),
            services.config().scatter().nodeTimeoutMs()))
        .map(r -> Reply.of(r.status(), r.ok() ? stripPage(r.json()) : withoutReservedNames(r)));
  }

  /**
   * A node's error with {@code _miroir_*} names removed from its message: a node lists the available filterable
   * attributes in some errors, and {@code _miroir_shard} is one of them on every node (D13).
   */
  private static Object withoutReservedNames(NodeResponse r) {
    try {
      JsonObject error = r.json();
      if (error.getValue("message") instanceof String message && message.contains(ReservedFields.PREFIX)) {
        return error.put("message", ReservedFields.stripErrorMessage(message));
      }
    } catch (RuntimeException notJson) {
      // passed on as it is
    }
    return r.body();
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
