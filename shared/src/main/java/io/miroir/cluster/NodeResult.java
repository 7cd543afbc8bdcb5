package io.miroir.cluster;

import io.vertx.core.buffer.Buffer;

/**
 * The outcome of a {@link NodeCall}: the node's status and body, or why it did not answer. {@code refused} tells a
 * certain absence (nothing listens) from a timeout.
 */
public record NodeResult(String nodeId, int status, Buffer body, String failure, boolean refused) {
  public static NodeResult answered(String nodeId, int status, Buffer body) {
    return new NodeResult(nodeId, status, body, null, false);
  }

  public static NodeResult unreachable(String nodeId, String failure, boolean refused) {
    return new NodeResult(nodeId, -1, null, failure, refused);
  }

  public boolean answered() {
    return failure == null;
  }
}
