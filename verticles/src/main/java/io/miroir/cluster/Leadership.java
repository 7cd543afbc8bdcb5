package io.miroir.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mode B leadership of one scope (SPEC §5, D12): the cluster-wide lock {@code miroir.leader.<scope>} decides the
 * leader; on taking it the leader draws a fencing epoch from the cluster counter {@code miroir.epoch.<scope>},
 * which every leader write to the store carries so a deposed leader's late writes are rejected. Hazelcast releases
 * a dead member's lock when the member leaves the cluster (about 10 s), and a standby takes over with a higher
 * epoch. In a single process the lock is local and the process leads at once.
 */
public final class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
  private static final long ATTEMPT_MS = 2_000;
  private final Vertx vertx;
  private final String scope;
  private final LongConsumer onElected;
  private final AtomicLong epoch = new AtomicLong(-1);
  private final AtomicReference<Lock> lock = new AtomicReference<>();
  private volatile boolean stopped;

  /** {@code onElected} runs with the new epoch each time this process becomes leader. */
  public Leadership(Vertx vertx, String scope, LongConsumer onElected) {
    this.vertx = vertx;
    this.scope = scope;
    this.onElected = onElected;
  }

  public String scope() {
    return scope;
  }

  public void start() {
    campaign();
  }

  /** True while this process holds the scope's lock. */
  public boolean leading() {
    return lock.get() != null;
  }

  /** The fencing epoch of the current term, or -1 when not leading. */
  public long epoch() {
    return leading() ? epoch.get() : -1;
  }

  private void campaign() {
    if (stopped) {
      return;
    }
    vertx.sharedData().getLockWithTimeout("miroir.leader." + scope, ATTEMPT_MS)
        .compose(held -> {
          lock.set(held);
          return vertx.sharedData().getCounter("miroir.epoch." + scope).compose(c -> c.incrementAndGet());
        })
        .onSuccess(term -> {
          epoch.set(term);
          LOG.info("leading scope [{}] with epoch {}", scope, term);
          onElected.accept(term);
        })
        .onFailure(err -> {
          if (lock.get() == null && !stopped) {
            vertx.setTimer(100, id -> campaign());
          }
        });
  }

  /** Gives the lead up, for a graceful shutdown. */
  public void stop() {
    stopped = true;
    Lock held = lock.getAndSet(null);
    if (held != null) {
      held.release();
    }
  }
}
