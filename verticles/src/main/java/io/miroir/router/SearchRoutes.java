package io.miroir.router;

import static io.miroir.router.Fanout.indexPath;
import static io.miroir.router.RouterVerticle.handle;

import io.miroir.merge.ReservedFields;
import io.miroir.runtime.Services;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.search.FacetSearchService;
import io.miroir.search.FederatedSearchService;
import io.miroir.search.SearchParams;
import io.miroir.search.SearchService;
import io.miroir.search.SimilarService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;

/** Search routes (SPEC §1.4, §13.11, D7): search in both forms, facet search, multi-search and similar documents. */
final class SearchRoutes {
  private final Services services;
  private final Fanout fanout;
  private final SearchService search;
  private final FacetSearchService facetSearch;
  private final FederatedSearchService federated;
  private final SimilarService similar;

  SearchRoutes(Services services) {
    this.services = services;
    this.fanout = new Fanout(services);
    this.search = new SearchService(services);
    this.facetSearch = new FacetSearchService(services);
    this.federated = new FederatedSearchService(services);
    this.similar = new SimilarService(services);
  }

  void mount(Router router, Auth auth) {
    router.post("/indexes/:indexUid/search").handler(handle(auth, Auth.Scope.FORWARDED, "search", this::post));
    router.get("/indexes/:indexUid/search").handler(handle(auth, Auth.Scope.FORWARDED, "search", this::get));
    router.post("/indexes/:indexUid/facet-search").handler(handle(auth, Auth.Scope.FORWARDED, "search",
        this::facetSearch));
    router.post("/multi-search").handler(handle(auth, Auth.Scope.FORWARDED, "search", this::multiSearch));
    router.post("/indexes/:indexUid/similar").handler(handle(auth, Auth.Scope.FORWARDED, "search",
        this::similarPost));
    router.get("/indexes/:indexUid/similar").handler(handle(auth, Auth.Scope.FORWARDED, "search", this::similarGet));
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

  private Future<Reply> similarPost(ApiRequest req) {
    String path = indexPath(req.indexUid()) + "/similar";
    return withJsonObject(req, path, body -> similar.similar(req.indexUid(), body, req.credential().nodeToken(),
        () -> verdict(req, HttpMethod.POST, path, req.body())));
  }

  private Future<Reply> similarGet(ApiRequest req) {
    String path = indexPath(req.indexUid()) + "/similar" + req.rawQuery();
    JsonObject body;
    try {
      body = SearchParams.similarFromQuery(req.query());
    } catch (RuntimeException e) {
      return verdict(req, HttpMethod.GET, path, null);
    }
    return similar.similar(req.indexUid(), body, req.credential().nodeToken(),
        () -> verdict(req, HttpMethod.GET, path, null));
  }

  private Future<Reply> facetSearch(ApiRequest req) {
    String path = indexPath(req.indexUid()) + "/facet-search";
    return withJsonObject(req, path, query -> facetSearch.search(req.indexUid(), query,
        req.credential().nodeToken(), () -> verdict(req, HttpMethod.POST, path, req.body())));
  }

  /**
   * {@code POST /multi-search}. Independent queries each run through the full search pipeline and come back in
   * input order; as on a Meilisearch 1.21 node, a failing query fails the whole request with the node's error, which
   * names the query ({@code Inside `.queries[1]`: …}). With {@code federation} the queries are merged into one list
   * ({@link FederatedSearchService}). At most {@code multi_search.max_queries_per_batch} queries per request.
   */
  private Future<Reply> multiSearch(ApiRequest req) {
    return withJsonObject(req, "/multi-search", multi -> multiSearch(req, multi));
  }

  private Future<Reply> multiSearch(ApiRequest req, JsonObject multi) {
    if (!(multi.getValue("queries") instanceof JsonArray queries)) {
      return verdict(req, HttpMethod.POST, "/multi-search", req.body());
    }
    int max = services.config().multiSearch().maxQueriesPerBatch();
    if (queries.size() > max) {
      return Future.failedFuture(new MeiliException(ErrorCode.MIROIR_TOO_MANY_QUERIES, "The multi-search has "
          + queries.size() + " queries; this cluster accepts at most " + max + " per request "
          + "(`multi_search.max_queries_per_batch`). Split the queries over several requests."));
    }
    if (multi.getValue("federation") != null) {
      if (queries.isEmpty()) {
        // No query, no hits: any node gives the exact answer (or the error for a bad federation).
        return verdict(req, HttpMethod.POST, "/multi-search", req.body());
      }
      return federated.search(multi, req.credential().nodeToken(),
          () -> verdict(req, HttpMethod.POST, "/multi-search", req.body()));
    }
    List<Future<Reply>> results = new ArrayList<>();
    for (Object q : queries) {
      if (!(q instanceof JsonObject query) || !(query.getValue("indexUid") instanceof String indexUid)) {
        return verdict(req, HttpMethod.POST, "/multi-search", req.body());
      }
      JsonObject single = query.copy();
      single.remove("indexUid");
      if (single.containsKey("federationOptions") && single.getValue("federationOptions") == null) {
        // An explicit null is accepted by a node; anything else is refused without federation (a single search
        // refuses the unknown field, and the node then judges the whole request).
        single.remove("federationOptions");
      }
      results.add(search.search(indexUid, single, req.credential().nodeToken(),
          () -> verdict(req, HttpMethod.POST, "/multi-search", req.body())));
    }
    return Future.all(results).map(all -> {
      JsonArray out = new JsonArray();
      for (int i = 0; i < results.size(); i++) {
        Reply r = results.get(i).result();
        if (r.status() != 200) {
          // A failing query fails the request, with the error the node phrased for the whole request.
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
