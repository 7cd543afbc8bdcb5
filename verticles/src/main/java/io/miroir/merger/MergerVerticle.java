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
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Merges node answers into one Meilisearch response (SPEC §1.4, D3): {@link Addresses#MERGER_SEARCH},
 * {@link Addresses#MERGER_FACET_SEARCH}, {@link Addresses#MERGER_FEDERATED} and {@link Addresses#MERGER_SIMILAR}.
 * The plan is rebuilt from the client request and the settings it was made with, so the merger holds no state; a
 * merge that throws fails the message with code 500.
 *
 * <p>Being stateless, a merge is also run in place by a sender in the same process ({@link #direct}): the event-bus
 * hop to the merger's event loop and back costs more than most merges.
 */
public final class MergerVerticle extends VerticleBase {
  /** The merges by address, for the consumers and for {@link #direct}. */
  private static final Map<String, Function<MergeRequest, JsonObject>> MERGES = Map.of(
      Addresses.MERGER_SEARCH, MergerVerticle::search,
      Addresses.MERGER_FACET_SEARCH, MergerVerticle::facetSearch,
      Addresses.MERGER_FEDERATED, MergerVerticle::federated,
      Addresses.MERGER_SIMILAR, MergerVerticle::similar);
  private static final Map<String, String> NAMES = Map.of(Addresses.MERGER_SEARCH, "search",
      Addresses.MERGER_FACET_SEARCH, "facet-search", Addresses.MERGER_FEDERATED, "federated",
      Addresses.MERGER_SIMILAR, "similar");

  private final java.util.List<MessageConsumer<MergeRequest>> consumers = new java.util.ArrayList<>();

  @Override
  public Future<?> start() {
    List<Future<Void>> ready = new java.util.ArrayList<>();
    for (String address : MERGES.keySet()) {
      MessageConsumer<MergeRequest> consumer = vertx.eventBus().consumer(address, msg -> consume(address, msg));
      consumers.add(consumer);
      ready.add(consumer.completion());
    }
    return Future.all(ready);
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

  /** {@code settings} maps each index uid of the federated request to its settings. */
  private static JsonObject federated(MergeRequest request) {
    Map<String, IndexView> views = new HashMap<>();
    request.settings().forEach(e -> views.put(e.getKey(), IndexView.fromSettings((JsonObject) e.getValue())));
    return FederatedPlan.of(request.clientRequest(), views).merge(request.answers());
  }

  private static JsonObject similar(MergeRequest request) {
    return SimilarPlan.of(request.clientRequest(), IndexView.fromSettings(request.settings()))
        .merge(request.answers());
  }

  private static String failure(String address, RuntimeException e) {
    return NAMES.get(address) + " merge failed: " + e;
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
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
