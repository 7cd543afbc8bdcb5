package io.miroir.router;

import static io.miroir.router.Fanout.indexPath;
import static io.miroir.router.RouterVerticle.handle;

import io.miroir.merge.ReservedFields;
import io.miroir.runtime.Services;
import io.miroir.search.FacetSearchService;
import io.miroir.search.SearchParams;
import io.miroir.search.SearchService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;

/** Search routes (SPEC §1.4, §13.11): single-index search in both forms, facet search and multi-search. */
final class SearchRoutes {
  private final Services services;
  private final Fanout fanout;
  private final SearchService search;
  private final FacetSearchService facetSearch;

  SearchRoutes(Services services) {
    this.services = services;
    this.fanout = new Fanout(services);
    this.search = new SearchService(services);
    this.facetSearch = new FacetSearchService(services);
  }

  void mount(Router router, Auth auth) {
    router.post("/indexes/:indexUid/search").handler(handle(auth, Auth.Scope.FORWARDED, "search", this::post));
    router.get("/indexes/:indexUid/search").handler(handle(auth, Auth.Scope.FORWARDED, "search", this::get));
    router.post("/indexes/:indexUid/facet-search").handler(handle(auth, Auth.Scope.FORWARDED, "search",
        this::facetSearch));
    router.post("/multi-search").handler(handle(auth, Auth.Scope.FORWARDED, "search", this::multiSearch));
  }

  private Future<Reply> post(ApiRequest req) {
    String path = indexPath(req.indexUid()) + "/search";
    return withJsonObject(req, path, query -> search.search(req.indexUid(), query, req.credential().nodeToken(),
        () -> verdict(req, HttpMethod.POST, path, req.body())));
  }

  /**
   * Runs {@code planned} on the request's JSON object body; a body Miroir cannot plan (not JSON, not an object) is
   * answered by a node, which phrases Meilisearch's exact error.
   */
  private Future<Reply> withJsonObject(ApiRequest req, String path,
      java.util.function.Function<JsonObject, Future<Reply>> planned) {
    Object body;
    try {
      body = req.json();
    } catch (RuntimeException e) {
      return verdict(req, HttpMethod.POST, path, req.body());
    }
    return body instanceof JsonObject query ? planned.apply(query) : verdict(req, HttpMethod.POST, path, req.body());
  }

  private Future<Reply> get(ApiRequest req) {
    String path = indexPath(req.indexUid()) + "/search" + req.rawQuery();
    JsonObject body;
    try {
      body = SearchParams.fromQuery(req.query());
    } catch (RuntimeException e) {
      return verdict(req, HttpMethod.GET, path, null);
    }
    return search.search(req.indexUid(), body, req.credential().nodeToken(),
        () -> verdict(req, HttpMethod.GET, path, null));
  }

  private Future<Reply> facetSearch(ApiRequest req) {
    String path = indexPath(req.indexUid()) + "/facet-search";
    return withJsonObject(req, path, query -> facetSearch.search(req.indexUid(), query,
        req.credential().nodeToken(), () -> verdict(req, HttpMethod.POST, path, req.body())));
  }

  /**
   * Independent multi-search: each query runs through the full search pipeline; results come back in input
   * order. A request Miroir does not plan (federation, malformed queries) is judged by a node first.
   */
  private Future<Reply> multiSearch(ApiRequest req) {
    return withJsonObject(req, "/multi-search", multi -> multiSearch(req, multi));
  }

  private Future<Reply> multiSearch(ApiRequest req, JsonObject multi) {
    if (!(multi.getValue("queries") instanceof JsonArray queries)) {
      return verdict(req, HttpMethod.POST, "/multi-search", req.body());
    }
    if (multi.getValue("federation") != null) {
      // One node holds only its shards: its federated answer would be silently incomplete.
      return Future.failedFuture(new io.miroir.meili.MeiliException(io.miroir.meili.ErrorCode.MIROIR_UNSUPPORTED,
          "Federated multi-search is not supported by this version of Miroir yet; send the queries without "
              + "`federation` and merge them client-side."));
    }
    List<Future<Reply>> results = new ArrayList<>();
    for (Object q : queries) {
      if (!(q instanceof JsonObject query) || !(query.getValue("indexUid") instanceof String indexUid)) {
        return verdict(req, HttpMethod.POST, "/multi-search", req.body());
      }
      JsonObject single = query.copy();
      single.remove("indexUid");
      single.remove("federationOptions");
      results.add(search.search(indexUid, single, req.credential().nodeToken(),
          () -> verdict(req, HttpMethod.POST, "/multi-search", req.body())));
    }
    return Future.all(results).map(all -> {
      JsonArray out = new JsonArray();
      for (int i = 0; i < results.size(); i++) {
        Reply r = results.get(i).result();
        if (r.status() != 200) {
          // A failing query fails the request, with the error the node phrased for it.
          return r;
        }
        JsonObject result = new JsonObject().put("indexUid", queries.getJsonObject(i).getString("indexUid"));
        ((JsonObject) r.body()).forEach(e -> result.put(e.getKey(), e.getValue()));
        out.add(result);
      }
      return Reply.ok(new JsonObject().put("results", out));
    });
  }

  /** The node's answer to the client's exact request (for invalid requests: Meilisearch's exact error). */
  private Future<Reply> verdict(ApiRequest req, HttpMethod method, String path, Object body) {
    return fanout.forward(req, method, path, body).map(r -> {
      if (!r.ok()) {
        return Reply.of(r.status(), r.body());
      }
      return Reply.of(r.status(), ReservedFields.stripKeys(r.json()));
    });
  }
}
