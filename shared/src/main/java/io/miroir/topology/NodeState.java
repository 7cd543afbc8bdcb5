package io.miroir.topology;

/**
 * The state of a node as operators see it (SPEC §3.1): its {@link Membership}, unless its {@link Health} says
 * failed or recovering, or it is removed. Derived by {@link Node#state()}; routing decisions use the two underlying
 * dimensions.
 */
public enum NodeState {
  JOINING,
  ACTIVE,
  DRAINING,
  REMOVED,
  FAILED,
  RECOVERING;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
