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
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;

/**
 * Merges node answers into one Meilisearch response (SPEC §1.4, D3): {@link Addresses#MERGER_SEARCH} and
 * {@link Addresses#MERGER_FACET_SEARCH}. The plan is rebuilt from the client request and the settings it was made
 * with, so the merger holds no state; a merge that throws fails the message with code 500.
 *
 * <p>Being stateless, a merge is also run in place by a sender in the same process ({@link #direct}): the event-bus
 * hop to the merger's event loop and back costs more than most merges.
 */
public final class MergerVerticle extends VerticleBase {
  /** The merges by address, for {@link #direct}. */
  private static final Map<String, Function<MergeRequest, JsonObject>> MERGES = Map.of(
      Addresses.MERGER_SEARCH, MergerVerticle::search,
      Addresses.MERGER_FACET_SEARCH, MergerVerticle::facetSearch);

  private MessageConsumer<MergeRequest> search;
  private MessageConsumer<MergeRequest> facetSearch;

  @Override
  public Future<?> start() {
    search = vertx.eventBus().consumer(Addresses.MERGER_SEARCH, this::mergeSearch);
    facetSearch = vertx.eventBus().consumer(Addresses.MERGER_FACET_SEARCH, this::mergeFacetSearch);
    return Future.all(search.completion(), facetSearch.completion());
  }

  /**
   * The merge consumed at {@code address}, run on the caller's thread, or null when this verticle has none. It fails
   * as the message would: a {@link ReplyException} with code 500 and the same text.
   */
  public static Function<MergeRequest, Future<JsonObject>> direct(String address) {
    Function<MergeRequest, JsonObject> merge = MERGES.get(address);
    if (merge == null) {
      return null;
    }
    return request -> {
      try {
        return Future.succeededFuture(merge.apply(request));
      } catch (RuntimeException e) {
        return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, failure(address, e)));
      }
    };
  }

  private static JsonObject search(MergeRequest request) {
    SearchPlan plan = SearchPlan.of(request.clientRequest(), IndexView.fromSettings(request.settings()));
    return plan.merge(request.answers(), request.distinctCounts());
  }

  private static JsonObject facetSearch(MergeRequest request) {
    return FacetSearchMerger.merge(request.clientRequest(), request.answers(),
        IndexView.fromSettings(request.settings()));
  }

  private static String failure(String address, RuntimeException e) {
    return (Addresses.MERGER_SEARCH.equals(address) ? "search" : "facet-search") + " merge failed: " + e;
  }

  private void mergeSearch(Message<MergeRequest> message) {
    consume(Addresses.MERGER_SEARCH, message);
  }

  private void mergeFacetSearch(Message<MergeRequest> message) {
    consume(Addresses.MERGER_FACET_SEARCH, message);
  }

  private static void consume(String address, Message<MergeRequest> message) {
    try {
      message.reply(new Merged(MERGES.get(address).apply(message.body())));
    } catch (RuntimeException e) {
      message.fail(500, failure(address, e));
    }
  }

  @Override
  public Future<?> stop() {
    return Future.all(search.unregister(), facetSearch.unregister());
  }
}
