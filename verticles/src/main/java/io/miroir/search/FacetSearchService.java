package io.miroir.search;

import io.miroir.cluster.Addresses;
import io.miroir.cluster.MergeRequest;
import io.miroir.merge.FacetSearchMerger;
import io.miroir.merge.IndexView;
import io.miroir.merge.SearchableFields;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.miroir.routing.CoveringSet;
import io.miroir.router.Reply;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@code POST /indexes/{uid}/facet-search} over a covering set, facet values merged by value (D3). */
public final class FacetSearchService {
  private final Services services;

  public FacetSearchService(Services services) {
    this.services = services;
  }

  public Future<Reply> search(String indexUid, JsonObject body, String token, SearchService.Verdict original) {
    return services.indexes().shardsForSearch(indexUid).compose(shards -> SearchService.settings(services, indexUid, 2)
        .compose(settings -> {
          CoveringSet cover = CoveringSet.build(services.fleet().placement(shards), services.fleet().nextQuerySeq());
          IndexView view = services.settings().view(indexUid, settings);
          // A q that could match _miroir_shard is restricted to the nodes' own fields (SearchableFields).
          Future<Collection<String>> fields = SearchableFields.needed(body, view)
              ? NodeFields.of(services, indexUid, cover.shardsByNode().keySet()) : Future.succeededFuture(null);
          return fields.compose(held -> scatter(indexUid, body, token, settings, view, cover, held));
        }))
        .recover(err -> NodeFields.judged(original));
  }

  private Future<Reply> scatter(String indexUid, JsonObject body, String token, JsonObject settings,
      IndexView view, CoveringSet cover, Collection<String> fields) {
    List<Future<NodeResponse>> calls = new ArrayList<>();
    String path = "/indexes/" + NodeClient.encodePath(indexUid) + "/facet-search";
    cover.shardsByNode().forEach((nodeId, nodeShards) -> calls.add(services.fleet().client(nodeId)
        .send(HttpMethod.POST, path, FacetSearchMerger.nodeRequest(body, nodeShards, fields, view), token,
            services.config().scatter().nodeTimeoutMs())));
    return Future.all(calls).compose(all -> {
      List<JsonObject> answers = new ArrayList<>();
      for (Future<NodeResponse> f : calls) {
        if (!f.result().ok()) {
          // A node refused the planned request: the recover in search() lets a node judge the original one.
          return Future.failedFuture(new IllegalStateException("a node refused the planned facet search"));
        }
        answers.add(f.result().json());
      }
      return services.bus().merge(Addresses.MERGER_FACET_SEARCH, new MergeRequest(body, settings, answers))
          .map(merged -> Reply.ok(merged).withFanOut(answers.size()));
    });
  }
}
