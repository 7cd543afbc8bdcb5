package io.miroir.reconciler;

import io.miroir.cluster.Leadership;
import io.miroir.rebalance.Rebalancer;
import io.miroir.store.Fence;
import io.miroir.store.FencedWrites;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds Mode B leadership of the background-work scopes (SPEC §3.3, §5): one process leads each scope, fenced by
 * an epoch. On election the leader advances the scope's fence in the store, so a deposed leader's late writes are
 * rejected there, and announces itself in the cluster-wide map {@code miroir.leaders}, which
 * {@code /_miroir/topology} shows. The {@link Rebalancer} (moves, resync) runs under this leadership with the
 * leader's fence.
 */
public final class ReconcilerVerticle extends VerticleBase {
  /** The scope the rebalancer and resync run under. */
  public static final String REBALANCER = "rebalancer";
  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerVerticle.class);
  private final String memberId;
  private final FencedWrites fences;
  private final java.util.concurrent.atomic.AtomicReference<Leadership> current;
  private final Rebalancer rebalancer;
  private Leadership leadership;

  /** {@code current} is set to this verticle's leadership once started, for metrics and status. */
  public ReconcilerVerticle(String memberId, FencedWrites fences,
      java.util.concurrent.atomic.AtomicReference<Leadership> current, Rebalancer rebalancer) {
    this.memberId = memberId;
    this.fences = fences;
    this.current = current;
    this.rebalancer = rebalancer;
  }

  @Override
  public Future<?> start() {
    leadership = new Leadership(vertx, REBALANCER, this::elected);
    current.set(leadership);
    leadership.start();
    return Future.succeededFuture();
  }

  private void elected(long epoch) {
    Fence fence = new Fence(REBALANCER, memberId, epoch);
    rebalancer.lead(fence);
    fences.put(fence, "miroir.leader." + REBALANCER, new JsonObject().put("holder", memberId)
            .put("epoch", epoch).encode())
        .compose(v -> vertx.sharedData().<String, String>getAsyncMap("miroir.leaders"))
        .compose(map -> map.put(REBALANCER, new JsonObject().put("holder", memberId).put("epoch", epoch).encode()))
        .onFailure(err -> LOG.warn("could not record leadership of [{}] at epoch {}: {}", REBALANCER, epoch,
            err.getMessage()));
  }

  public Leadership leadership() {
    return leadership;
  }

  @Override
  public Future<?> stop() {
    rebalancer.stop();
    leadership.stop();
    return Future.succeededFuture();
  }
}
