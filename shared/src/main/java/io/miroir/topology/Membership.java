package io.miroir.topology;

/**
 * Where a node stands in the fleet's membership (SPEC §3.1), set by operators and the rebalancer. Independent of
 * its {@link Health}: a joining node can fail, a failed node can be drained.
 */
public enum Membership {
  /** Registered; receives the writes of the shards it will own and is being filled; serves no reads. */
  JOINING,
  /** A full member: owns shards, serves reads. */
  ACTIVE,
  /** Leaving: still owns and serves its shards (and takes their writes) until their new owners have them. */
  DRAINING,
  /** Gone for good; its id is never reused. */
  REMOVED;

  /** Whether the node counts in the placement reads and quorums use now. */
  public boolean inCurrentPlacement() {
    return this == ACTIVE || this == DRAINING;
  }

  /** Whether the node counts in the placement the fleet is moving to. */
  public boolean inTargetPlacement() {
    return this == ACTIVE || this == JOINING;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Membership fromWire(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
