package io.miroir.topology;

import java.util.Objects;

/**
 * One Meilisearch node: a stable id that is never reused, its base address, its replica group, its membership and
 * its health.
 *
 * @param reason why the node is in its state, shown by {@code /_miroir/topology}; empty when none
 */
public record Node(String id, String address, int replicaGroup, Membership membership, Health health,
    String reason) {
  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(health, "health");
    reason = reason == null ? "" : reason;
  }

  public Node(String id, String address, int replicaGroup) {
    this(id, address, replicaGroup, Membership.ACTIVE, Health.HEALTHY, "");
  }

  public Node withHealth(Health newHealth, String why) {
    return new Node(id, address, replicaGroup, membership, newHealth, why);
  }

  public Node withMembership(Membership newMembership, String why) {
    return new Node(id, address, replicaGroup, newMembership, health, why);
  }

  /** The one state shown to operators: removed, failed and recovering outrank the membership. */
  public NodeState state() {
    if (membership == Membership.REMOVED) {
      return NodeState.REMOVED;
    }
    if (health == Health.FAILED) {
      return NodeState.FAILED;
    }
    if (health == Health.RECOVERING) {
      return NodeState.RECOVERING;
    }
    return switch (membership) {
      case JOINING -> NodeState.JOINING;
      case DRAINING -> NodeState.DRAINING;
      default -> NodeState.ACTIVE;
    };
  }

  /** Whether a write addressed to this node is sent to it. */
  public boolean receivesWrites() {
    return membership != Membership.REMOVED && health != Health.FAILED;
  }

  /** Whether the node may answer for its shards in a covering set. */
  public boolean servesReads() {
    return membership.inCurrentPlacement() && health == Health.HEALTHY;
  }

  public boolean failed() {
    return health == Health.FAILED;
  }

  public boolean removed() {
    return membership == Membership.REMOVED;
  }
}
