package io.miroir.node;

/**
 * A node did not answer: connection refused or reset, or timed out. {@link #refused()} tells a certain absence (no
 * process listening) from a slow node, because only the former may mark the node failed at once.
 */
public final class NodeUnreachableException extends RuntimeException {
  private final String nodeId;
  private final boolean refused;

  public NodeUnreachableException(String nodeId, boolean refused, Throwable cause) {
    super("node [" + nodeId + "] unreachable: " + (cause == null ? "" : cause.getMessage()), cause, false, false);
    this.nodeId = nodeId;
    this.refused = refused;
  }

  public String nodeId() {
    return nodeId;
  }

  public boolean refused() {
    return refused;
  }
}
