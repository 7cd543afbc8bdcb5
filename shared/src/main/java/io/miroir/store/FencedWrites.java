package io.miroir.store;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Writes of a Mode B leader, fenced by epoch (SPEC §5, D12): leadership itself comes from a Hazelcast lock, but a
 * paused or partitioned old leader may still believe it leads, so every leader write carries its {@link Fence} and
 * the store applies it only if no newer epoch has written in the scope, in the same atomic step as the write.
 *
 * <p>The values written are the store's named values ({@link TaskStore#getValue}), where phase machines keep the
 * state a new leader resumes from. The fence record of a scope never expires: an expired one would let a stale
 * leader write again.
 */
public interface FencedWrites {

  /**
   * Sets {@code key} to {@code value} if {@code fence} is {@linkplain Fence#admittedAfter admitted} after the last
   * fence that wrote in its scope, and records {@code fence} as that last one; otherwise fails with
   * {@link StaleEpochException} and writes nothing.
   */
  Future<Void> put(Fence fence, String key, String value);

  /** The last fence that wrote in {@code scope}, if any did. */
  Future<Optional<Fence>> current(String scope);
}
