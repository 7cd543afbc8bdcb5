package io.miroir.metrics;

import io.micrometer.core.instrument.Tags;
import io.miroir.cluster.Ownership;
import io.miroir.node.Fleet;
import io.miroir.routing.CoveringSet;
import io.miroir.routing.ShardPlacement;
import io.miroir.topology.Node;
import io.miroir.topology.Topology;

/**
 * The gauges of SPEC §8.2 read from the fleet at scrape time: node health, shard coverage and distribution for
 * the default shard count. Capabilities that run elsewhere report their own state: a single process is its own
 * leader and only peer, and runs no background queue yet; the rebalancer registers its own metrics.
 */
public final class CoreGauges {
  private CoreGauges() {
  }

  public static void register(MiroirMetrics metrics, Fleet fleet, int defaultShards, Ownership ownership,
      int maxConcurrentRequests) {
    metrics.preRegister(fleet.topology().nodes().stream().map(Node::id).toList());
    for (Node node : fleet.topology().nodes()) {
      String id = node.id();
      metrics.gauge("miroir_node_healthy", "1 when the node serves reads", Tags.of("node_id", id),
          () -> fleet.topology().node(id).map(n -> n.servesReads() ? 1 : 0).orElse(0));
      metrics.gauge("miroir_shard_distribution", "Shards a node owns (default shard count)",
          Tags.of("node_id", id), () -> fleet.placement(defaultShards).shardsOf(id).size());
    }
    metrics.gauge("miroir_shard_coverage", "Fraction of shards some serving copy can answer for", Tags.empty(),
        () -> coverage(fleet, defaultShards));
    // SPEC §8.2 names it degraded_shards_total; Prometheus reserves the _total suffix for counters.
    metrics.gauge("miroir_degraded_shards", "Shards with at least one copy not serving", Tags.empty(),
        () -> degradedShards(fleet.placement(defaultShards)));
    metrics.gauge("miroir_peer_pod_count", "Miroir processes this one sees, itself included", Tags.empty(),
        () -> ownership.members().size());
    metrics.gauge("miroir_owned_shards_count", "Shards whose Mode A work this process owns", Tags.empty(),
        () -> ownedShards(ownership, defaultShards));
    metrics.gauge("miroir_memory_pressure", "0 below 75% of the heap, 1 above, 2 above 90%", Tags.empty(),
        CoreGauges::memoryPressure);
    metrics.gauge("miroir_request_queue_depth", "Requests in flight beyond server.max_concurrent_requests",
        Tags.empty(), () -> Math.max(0, metrics.inFlight() - maxConcurrentRequests));
    io.micrometer.core.instrument.FunctionCounter.builder("miroir_cpu_throttled_seconds", "cgroup",
            c -> throttledSeconds())
        .description("CPU time the container was throttled (cgroup v2 cpu.stat)").register(metrics.registry());
    metrics.gauge("miroir_background_queue_depth", "Queued background jobs", Tags.empty(), () -> 0);
  }

  private static long ownedShards(Ownership ownership, int shards) {
    long owned = 0;
    for (int s = 0; s < shards; s++) {
      if (ownership.owns("shard:" + s)) {
        owned++;
      }
    }
    return owned;
  }

  private static int memoryPressure() {
    Runtime rt = Runtime.getRuntime();
    double used = (rt.totalMemory() - rt.freeMemory()) / (double) rt.maxMemory();
    return used > 0.9 ? 2 : used > 0.75 ? 1 : 0;
  }

  /** Seconds throttled according to cgroup v2, 0 where the file does not exist (not in a container). */
  private static double throttledSeconds() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/sys/fs/cgroup/cpu.stat"))) {
        if (line.startsWith("throttled_usec ")) {
          return Long.parseLong(line.substring("throttled_usec ".length()).trim()) / 1e6;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
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
        if (!t.node(owner).map(n -> n.servesReads()).orElse(false)) {
          degraded++;
          break;
        }
      }
    }
    return degraded;
  }
}
