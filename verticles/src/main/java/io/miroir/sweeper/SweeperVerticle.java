package io.miroir.sweeper;

import io.miroir.cluster.Ownership;
import io.miroir.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expiry work (SPEC §2.3, §5 Mode A): prunes finished tasks older than the retention. The pruning is owned, by
 * rendezvous over the live cluster members, by exactly one process; when it dies the next owner takes over at its
 * next tick, and the work is idempotent so a short overlap during membership changes is harmless.
 */
public final class SweeperVerticle extends VerticleBase {
  /** The Mode A key of task pruning. */
  public static final String TASK_PRUNING = "sweeper:tasks";
  private static final Logger LOG = LoggerFactory.getLogger(SweeperVerticle.class);
  private final TaskStore store;
  private final Ownership ownership;
  private final int retentionDays;
  private final long intervalMs;
  private long timer = -1;

  public SweeperVerticle(TaskStore store, Ownership ownership, int retentionDays, long intervalMs) {
    this.store = store;
    this.ownership = ownership;
    this.retentionDays = retentionDays;
    this.intervalMs = intervalMs;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(intervalMs, intervalMs, id -> sweep());
    return Future.succeededFuture();
  }

  private void sweep() {
    if (!ownership.owns(TASK_PRUNING)) {
      return;
    }
    Instant cutoff = Instant.now().minus(retentionDays, ChronoUnit.DAYS);
    store.pruneFinishedBefore(cutoff)
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("pruned {} finished tasks older than {} days", n, retentionDays);
          }
        })
        .onFailure(err -> LOG.warn("task pruning failed: {}", err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
