package io.miroir.metrics;

import io.micrometer.core.instrument.Tags;
import io.miroir.node.Fleet;
import io.miroir.routing.CoveringSet;
import io.miroir.routing.ShardPlacement;
import io.miroir.topology.Node;
import io.miroir.topology.Topology;

/**
 * The gauges of SPEC §8.2 read from the fleet at scrape time: node health, shard coverage and distribution for
 * the default shard count. Capabilities that run elsewhere report their own state: a single process is its own
 * leader and only peer, and runs no rebalance or background queue yet.
 */
public final class CoreGauges {
  private CoreGauges() {
  }

  public static void register(MiroirMetrics metrics, Fleet fleet, int defaultShards) {
    for (Node node : fleet.topology().nodes()) {
      String id = node.id();
      metrics.gauge("miroir_node_healthy", "1 when the node serves reads", Tags.of("node_id", id),
          () -> fleet.topology().node(id).map(n -> n.state().servesReads() ? 1 : 0).orElse(0));
      metrics.gauge("miroir_shard_distribution", "Shards a node owns (default shard count)",
          Tags.of("node_id", id), () -> fleet.placement(defaultShards).shardsOf(id).size());
    }
    metrics.gauge("miroir_shard_coverage", "Fraction of shards some serving copy can answer for", Tags.empty(),
        () -> coverage(fleet, defaultShards));
    // SPEC §8.2 names it degraded_shards_total; Prometheus reserves the _total suffix for counters.
    metrics.gauge("miroir_degraded_shards", "Shards with at least one copy not serving", Tags.empty(),
        () -> degradedShards(fleet.placement(defaultShards)));
    metrics.gauge("miroir_leader", "1 while this process leads background work", Tags.empty(), () -> 1);
    metrics.gauge("miroir_peer_pod_count", "Miroir processes this one sees, itself included", Tags.empty(),
        () -> 1);
    metrics.gauge("miroir_background_queue_depth", "Queued background jobs", Tags.empty(), () -> 0);
    metrics.gauge("miroir_rebalance_in_progress", "1 while shards are being moved", Tags.empty(), () -> 0);
    metrics.registry().counter("miroir_rebalance_documents_migrated_total");
    metrics.registry().timer("miroir_rebalance_duration_seconds");
  }

  private static double coverage(Fleet fleet, int shards) {
    CoveringSet cover = CoveringSet.build(fleet.placement(shards), 0);
    return (shards - cover.uncovered().size()) / (double) shards;
  }

  private static int degradedShards(ShardPlacement placement) {
    Topology t = placement.topology();
    int degraded = 0;
    for (int s = 0; s < placement.shards(); s++) {
      for (String owner : placement.writeTargets(s)) {
        if (!t.node(owner).map(n -> n.state().servesReads()).orElse(false)) {
          degraded++;
          break;
        }
      }
    }
    return degraded;
  }
}
