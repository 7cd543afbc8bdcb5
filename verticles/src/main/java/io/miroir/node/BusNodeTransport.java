package io.miroir.node;

import io.miroir.cluster.Addresses;
import io.miroir.cluster.NodeCall;
import io.miroir.cluster.NodeResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * Node calls sent to the scatter verticle over the event bus ({@link Addresses#SCATTER_CALL}). When this process
 * runs a scatter verticle the message stays in the JVM (and is not encoded); otherwise it goes to a scatter
 * verticle elsewhere in the cluster.
 */
public final class BusNodeTransport implements NodeTransport {
  /** Time the bus hop may add on top of the node call's own timeout before the call counts as lost. */
  private static final long HOP_MARGIN_MS = 1_000;
  private final EventBus bus;
  private final boolean localScatter;

  public BusNodeTransport(EventBus bus, boolean localScatter) {
    this.bus = bus;
    this.localScatter = localScatter;
  }

  @Override
  public Future<NodeResult> send(NodeCall call) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(call.timeoutMs() + HOP_MARGIN_MS)
        .setLocalOnly(localScatter);
    return bus.<NodeResult>request(Addresses.SCATTER_CALL, call, options)
        .map(Message::body)
        .otherwise(failure -> NodeResult.unreachable(call.nodeId(), "scatter verticle did not answer: "
            + failure.getMessage(), false));
  }
}
