package io.miroir.topology;

import java.util.Objects;

/**
 * One Meilisearch node: a stable id that is never reused, its base address and its replica group.
 *
 * @param reason why the node is in its state, shown by {@code /_miroir/topology}; empty when none
 */
public record Node(String id, String address, int replicaGroup, NodeState state, String reason) {
  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(state, "state");
    reason = reason == null ? "" : reason;
  }

  public Node(String id, String address, int replicaGroup) {
    this(id, address, replicaGroup, NodeState.ACTIVE, "");
  }

  public Node withState(NodeState newState, String why) {
    return new Node(id, address, replicaGroup, newState, why);
  }
}
