package io.miroir.merger;

import io.miroir.cluster.Addresses;
import io.miroir.cluster.MergeRequest;
import io.miroir.cluster.Merged;
import io.miroir.merge.FacetSearchMerger;
import io.miroir.merge.IndexView;
import io.miroir.merge.SearchPlan;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Merges node answers into one Meilisearch response (SPEC §1.4, D3): {@link Addresses#MERGER_SEARCH} and
 * {@link Addresses#MERGER_FACET_SEARCH}. The plan is rebuilt from the client request and the settings it was made
 * with, so the merger holds no state; a merge that throws fails the message with code 500.
 */
public final class MergerVerticle extends VerticleBase {
  private MessageConsumer<MergeRequest> search;
  private MessageConsumer<MergeRequest> facetSearch;

  @Override
  public Future<?> start() {
    search = vertx.eventBus().consumer(Addresses.MERGER_SEARCH, this::mergeSearch);
    facetSearch = vertx.eventBus().consumer(Addresses.MERGER_FACET_SEARCH, this::mergeFacetSearch);
    return Future.all(search.completion(), facetSearch.completion());
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

  @Override
  public Future<?> stop() {
    return Future.all(search.unregister(), facetSearch.unregister());
  }
}
