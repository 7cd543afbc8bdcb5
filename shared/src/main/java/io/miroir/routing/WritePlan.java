package io.miroir.routing;

import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A shard-routed write split into one batch per target node (SPEC §1.3 step 4). Items are positions in the
 * client's batch; a node's batch may mix shards. Targets that are {@code failed} are left out and listed in
 * {@link #skippedNodes()} so the quorum step can report the write as degraded.
 */
public final class WritePlan {
  private final ShardPlacement placement;
  private final Map<String, List<Integer>> itemsByNode;
  private final Set<Integer> touchedShards;
  private final Set<String> skippedNodes;

  private WritePlan(ShardPlacement placement, Map<String, List<Integer>> itemsByNode, Set<Integer> touchedShards,
      Set<String> skippedNodes) {
    this.placement = placement;
    this.itemsByNode = itemsByNode;
    this.touchedShards = touchedShards;
    this.skippedNodes = skippedNodes;
  }

  /** Plans a batch whose item {@code i} belongs to shard {@code shardOfItem[i]}. */
  public static WritePlan of(ShardPlacement placement, int[] shardOfItem) {
    Topology topology = placement.topology();
    Map<String, List<Integer>> byNode = new LinkedHashMap<>();
    Set<Integer> shards = new TreeSet<>();
    Set<String> skipped = new TreeSet<>();
    List<List<String>> liveTargets = new ArrayList<>(placement.shards());
    for (int s = 0; s < placement.shards(); s++) {
      liveTargets.add(null);
    }
    for (int item = 0; item < shardOfItem.length; item++) {
      int shard = shardOfItem[item];
      shards.add(shard);
      List<String> targets = liveTargets.get(shard);
      if (targets == null) {
        targets = new ArrayList<>();
        for (String id : placement.writeTargets(shard)) {
          boolean receives = topology.node(id).map(Node::receivesWrites).orElse(false);
          if (receives) {
            targets.add(id);
          } else {
            skipped.add(id);
          }
        }
        liveTargets.set(shard, targets);
      }
      for (String node : targets) {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(item);
      }
    }
    Map<String, List<Integer>> frozen = new LinkedHashMap<>();
    byNode.forEach((n, items) -> frozen.put(n, Collections.unmodifiableList(items)));
    return new WritePlan(placement, Collections.unmodifiableMap(frozen), Collections.unmodifiableSet(shards),
        Collections.unmodifiableSet(skipped));
  }

  public ShardPlacement placement() {
    return placement;
  }

  /** Batch positions per target node, in batch order. */
  public Map<String, List<Integer>> itemsByNode() {
    return itemsByNode;
  }

  public Set<Integer> touchedShards() {
    return touchedShards;
  }

  /** Owners that were not sent the write because they are failed. */
  public Set<String> skippedNodes() {
    return skippedNodes;
  }
}
