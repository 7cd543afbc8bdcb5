package io.miroir.store;

import java.util.Objects;

/**
 * A leader's credentials for Mode B writes (SPEC §5, D12): the scope it leads (for example {@code reshard:movies}),
 * who it is, and the epoch its leadership was granted under (a cluster-wide counter, higher for every new term).
 *
 * @param epoch from 0 to {@link #MAX_EPOCH}
 */
public record Fence(String scope, String holder, long epoch) {
  /** Redis scripts compare epochs as Lua numbers (doubles), exact up to 2^53. */
  public static final long MAX_EPOCH = (1L << 53) - 1;

  public Fence {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(holder, "holder");
    if (epoch < 0 || epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("epoch out of range [" + epoch + "]");
    }
  }

  /**
   * Whether this fence may write where {@code stored} wrote last: a newer epoch, or the same term's own holder again.
   * Equal epochs with another holder mean two leaders were given one epoch, which must never write both.
   */
  public boolean admittedAfter(Fence stored) {
    return epoch > stored.epoch || (epoch == stored.epoch && holder.equals(stored.holder));
  }
}
