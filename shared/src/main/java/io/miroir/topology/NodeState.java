package io.miroir.topology;

/** Lifecycle of a Meilisearch node as Miroir sees it (SPEC §3.1, D4). */
public enum NodeState {
  /** Registered, receiving migrated shards; serves no reads yet. */
  JOINING,
  /** Serves reads and writes. */
  ACTIVE,
  /** Leaving: no new writes, shards being copied away. */
  DRAINING,
  /** Gone for good; its id is never reused. */
  REMOVED,
  /** Failed its health probes: no reads, no writes. */
  FAILED,
  /** Back from {@link #FAILED}: receives writes, serves no reads until resynced. */
  RECOVERING;

  /** Whether a write addressed to this node is sent to it. */
  public boolean receivesWrites() {
    return this == ACTIVE || this == JOINING || this == RECOVERING;
  }

  /** Whether the node may answer for its shards in a covering set. */
  public boolean servesReads() {
    return this == ACTIVE;
  }

  /** Whether the node counts in rendezvous placement of its group. */
  public boolean placed() {
    return this != REMOVED && this != JOINING;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
