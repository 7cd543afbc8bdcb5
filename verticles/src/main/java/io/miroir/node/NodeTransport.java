package io.miroir.node;

import io.miroir.cluster.NodeCall;
import io.miroir.cluster.NodeResult;
import io.vertx.core.Future;

/** How a {@link NodeCall} reaches its node: straight over HTTP, or through the scatter verticle on the bus. */
public interface NodeTransport {
  /** Never fails: a node that does not answer gives an unreachable {@link NodeResult}. */
  Future<NodeResult> send(NodeCall call);
}
