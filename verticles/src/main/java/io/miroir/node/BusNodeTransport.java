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
 * runs a scatter verticle the call is made in place by a {@link HttpNodeTransport} of this process, on the caller's
 * event loop: a bus hop to the scatter verticle's event loop and back costs two thread wake-ups per node call, more
 * CPU than the call itself. Otherwise the call goes to a scatter verticle elsewhere in the cluster.
 */
public final class BusNodeTransport implements NodeTransport {
  /** Time the bus hop may add on top of the node call's own timeout before the call counts as lost. */
  private static final long HOP_MARGIN_MS = 1_000;
  private final EventBus bus;
  private final boolean localScatter;
  private final NodeTransport local;

  public BusNodeTransport(EventBus bus, boolean localScatter) {
    this.bus = bus;
    this.localScatter = localScatter;
    this.local = null;
  }

  /** {@code local} (this process's scatter side) makes every call when not null; else a remote scatter verticle. */
  public BusNodeTransport(EventBus bus, NodeTransport local) {
    this.bus = bus;
    this.localScatter = local != null;
    this.local = local;
  }

  @Override
  public Future<NodeResult> send(NodeCall call) {
    if (local != null) {
      return local.send(call);
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(call.timeoutMs() + HOP_MARGIN_MS)
        .setLocalOnly(localScatter);
    return bus.<NodeResult>request(Addresses.SCATTER_CALL, call, options)
        .map(Message::body)
        .otherwise(failure -> NodeResult.unreachable(call.nodeId(), "scatter verticle did not answer: "
            + failure.getMessage(), false));
  }
}
