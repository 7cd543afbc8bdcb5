package io.miroir.health;

import io.miroir.config.MiroirConfig;
import io.miroir.node.Fleet;
import io.miroir.node.NodeClient;
import io.miroir.topology.Node;
import io.miroir.topology.Health;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every node's {@code /health} (SPEC §3.1): {@code unhealthy_threshold} consecutive failures mark it
 * {@code failed}; {@code recovery_threshold} consecutive successes bring it back as {@code recovering} (writes
 * only, D4) until the rebalancer has resynced it, or straight to healthy when no other copy of its shards could
 * have taken a write while it was away (RF=1 and a single group). Every process probes; the decisions are shared
 * through the topology.
 */
public final class HealthMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
  public static final String RECOVERING_REASON =
      "back after failure; may have missed writes, serves no reads until resynced from a replica";
  private final Vertx vertx;
  private final Fleet fleet;
  private final MiroirConfig.HealthConfig config;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Map<String, Integer> successes = new ConcurrentHashMap<>();
  private final Consumer<String> onRecovered;
  private long timerId = -1;

  /** {@code onRecovered} runs with the node id when a failed node answers again (key re-sync, D5). */
  public HealthMonitor(Vertx vertx, Fleet fleet, MiroirConfig.HealthConfig config, Consumer<String> onRecovered) {
    this.vertx = vertx;
    this.fleet = fleet;
    this.config = config;
    this.onRecovered = onRecovered;
  }

  public void start() {
    timerId = vertx.setPeriodic(config.intervalMs(), config.intervalMs(), id -> probeAll());
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private void probeAll() {
    for (Node node : fleet.topology().nodes()) {
      if (!node.removed()) {
        probe(node.id());
      }
    }
  }

  private void probe(String nodeId) {
    NodeClient client = fleet.client(nodeId);
    client.probe(config.timeoutMs()).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        succeeded(nodeId);
      } else {
        failed(nodeId, ar.failed() ? ar.cause().getMessage() : "health probe did not answer 200");
      }
    });
  }

  private void succeeded(String nodeId) {
    fleet.recordSeen(nodeId, System.currentTimeMillis());
    failures.remove(nodeId);
    int streak = successes.merge(nodeId, 1, Integer::sum);
    Node node = fleet.topology().node(nodeId).orElse(null);
    if (node == null || !node.failed() || streak < config.recoveryThreshold()) {
      return;
    }
    boolean singleCopy = fleet.topology().replicationFactor() == 1 && fleet.topology().groups().size() == 1;
    if (singleCopy) {
      LOG.info("node [{}] is back; sole copy of its shards, so it is healthy again", nodeId);
      fleet.setHealth(nodeId, Health.HEALTHY, "");
    } else {
      LOG.info("node [{}] is back; recovering: receives writes, serves no reads until resynced", nodeId);
      fleet.setHealth(nodeId, Health.RECOVERING, RECOVERING_REASON);
    }
    onRecovered.accept(nodeId);
  }

  private void failed(String nodeId, String error) {
    fleet.recordError(nodeId, error);
    successes.remove(nodeId);
    int streak = failures.merge(nodeId, 1, Integer::sum);
    if (streak >= config.unhealthyThreshold()) {
      markFailed(nodeId, streak + " consecutive failed health probes: " + error);
    }
  }

  /**
   * Marks a node failed now. Used by probes and by the request path when a connection is refused, which is certain
   * evidence that no process listens.
   */
  public void markFailed(String nodeId, String reason) {
    Node node = fleet.topology().node(nodeId).orElse(null);
    if (node != null && !node.failed() && !node.removed()) {
      LOG.warn("node [{}] marked failed: {}", nodeId, reason);
      successes.remove(nodeId);
      fleet.markFailed(nodeId, reason);
    }
  }
}
