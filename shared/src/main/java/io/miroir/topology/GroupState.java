package io.miroir.topology;

/** Lifecycle of a replica group (SPEC §3.1). */
public enum GroupState {
  /** Receives writes while being filled; serves no queries. */
  INITIALIZING,
  ACTIVE,
  /** Being removed: serves no queries. */
  DRAINING;

  public boolean servesQueries() {
    return this == ACTIVE;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static GroupState fromWire(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
