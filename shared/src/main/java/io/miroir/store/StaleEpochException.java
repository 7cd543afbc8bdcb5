package io.miroir.store;

/**
 * A fenced write refused because a newer leader already wrote in the scope (SPEC §5 Mode B, D12). The leader that
 * gets it has lost its leadership, whatever it believes, and must stop its phase machine.
 */
public final class StaleEpochException extends RuntimeException {
  private final transient Fence rejected;
  private final transient Fence current;

  public StaleEpochException(Fence rejected, Fence current) {
    super("stale epoch [" + rejected.epoch() + "] of [" + rejected.holder() + "] in scope [" + rejected.scope()
        + "]: epoch [" + current.epoch() + "] of [" + current.holder() + "] already wrote", null, false, false);
    this.rejected = rejected;
    this.current = current;
  }

  public Fence rejected() {
    return rejected;
  }

  /** The fence that wrote last in the scope. */
  public Fence current() {
    return current;
  }
}
