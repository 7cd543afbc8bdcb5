package io.miroir.topology;

/** What the health probes and the request path have seen of a node (SPEC §3.1, D4). */
public enum Health {
  HEALTHY,
  /** Failed its probes or refused a connection: sent no reads and no writes. */
  FAILED,
  /** Answers again after {@link #FAILED}: receives writes, serves no reads until resynced from a live copy. */
  RECOVERING;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Health fromWire(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
