package io.miroir.runtime;

import io.miroir.cluster.MergeRequest;
import io.miroir.cluster.Merged;
import io.miroir.merger.MergerVerticle;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Requests from the router side to the other verticles. A verticle deployed in this process is always preferred:
 * its messages stay in the JVM and are not encoded; otherwise the cluster's instance answers. A merge the local
 * merger can run in place ({@link MergerVerticle#direct}) is run on the caller's thread, without the bus hop.
 */
public final class Bus {
  private final EventBus eventBus;
  private final boolean localMerger;
  private final long timeoutMs;

  public Bus(EventBus eventBus, boolean localMerger, long timeoutMs) {
    this.eventBus = eventBus;
    this.localMerger = localMerger;
    this.timeoutMs = timeoutMs;
  }

  /** The merged response for {@code request}, from the merger at {@code address}. */
  public Future<JsonObject> merge(String address, MergeRequest request) {
    Function<MergeRequest, Future<JsonObject>> direct = localMerger ? MergerVerticle.direct(address) : null;
    if (direct != null) {
      return direct.apply(request);
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(localMerger);
    return eventBus.<Merged>request(address, request, options).map(m -> m.body().response());
  }

  public EventBus eventBus() {
    return eventBus;
  }
}
