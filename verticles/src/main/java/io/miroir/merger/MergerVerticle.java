package io.miroir.merger;

import io.miroir.cluster.Addresses;
import io.miroir.cluster.MergeRequest;
import io.miroir.cluster.Merged;
import io.miroir.merge.FacetSearchMerger;
import io.miroir.merge.FederatedPlan;
import io.miroir.merge.IndexView;
import io.miroir.merge.SearchPlan;
import io.miroir.merge.SimilarPlan;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Merges node answers into one Meilisearch response (SPEC §1.4, D3): {@link Addresses#MERGER_SEARCH},
 * {@link Addresses#MERGER_FACET_SEARCH}, {@link Addresses#MERGER_FEDERATED} and {@link Addresses#MERGER_SIMILAR}.
 * The plan is rebuilt from the client request and the settings it was made with, so the merger holds no state; a
 * merge that throws fails the message with code 500.
 */
public final class MergerVerticle extends VerticleBase {
  private MessageConsumer<MergeRequest> search;
  private MessageConsumer<MergeRequest> facetSearch;
  private MessageConsumer<MergeRequest> federated;
  private MessageConsumer<MergeRequest> similar;

  @Override
  public Future<?> start() {
    search = vertx.eventBus().consumer(Addresses.MERGER_SEARCH, this::mergeSearch);
    facetSearch = vertx.eventBus().consumer(Addresses.MERGER_FACET_SEARCH, this::mergeFacetSearch);
    federated = vertx.eventBus().consumer(Addresses.MERGER_FEDERATED, this::mergeFederated);
    similar = vertx.eventBus().consumer(Addresses.MERGER_SIMILAR, this::mergeSimilar);
    return Future.all(search.completion(), facetSearch.completion(), federated.completion(), similar.completion());
  }

  private void mergeSearch(Message<MergeRequest> message) {
    MergeRequest request = message.body();
    try {
      SearchPlan plan = SearchPlan.of(request.clientRequest(), IndexView.fromSettings(request.settings()));
      message.reply(new Merged(plan.merge(request.answers(), request.distinctCounts())));
    } catch (RuntimeException e) {
      message.fail(500, "search merge failed: " + e);
    }
  }

  private void mergeFacetSearch(Message<MergeRequest> message) {
    MergeRequest request = message.body();
    try {
      message.reply(new Merged(FacetSearchMerger.merge(request.clientRequest(), request.answers(),
          IndexView.fromSettings(request.settings()))));
    } catch (RuntimeException e) {
      message.fail(500, "facet-search merge failed: " + e);
    }
  }

  private void mergeFederated(Message<MergeRequest> message) {
    MergeRequest request = message.body();
    try {
      Map<String, IndexView> views = new HashMap<>();
      request.settings().forEach(e -> views.put(e.getKey(), IndexView.fromSettings((JsonObject) e.getValue())));
      message.reply(new Merged(FederatedPlan.of(request.clientRequest(), views).merge(request.answers())));
    } catch (RuntimeException e) {
      message.fail(500, "federated merge failed: " + e);
    }
  }

  private void mergeSimilar(Message<MergeRequest> message) {
    MergeRequest request = message.body();
    try {
      message.reply(new Merged(SimilarPlan.of(request.clientRequest(), IndexView.fromSettings(request.settings()))
          .merge(request.answers())));
    } catch (RuntimeException e) {
      message.fail(500, "similar merge failed: " + e);
    }
  }

  @Override
  public Future<?> stop() {
    return Future.all(search.unregister(), facetSearch.unregister(), federated.unregister(), similar.unregister());
  }
}
