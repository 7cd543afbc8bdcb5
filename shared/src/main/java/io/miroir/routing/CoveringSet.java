package io.miroir.routing;

import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The nodes a read is sent to and, for each, exactly the shards it answers for (SPEC §0 principle 2, §1.2, §1.4):
 * every shard appears under exactly one node, so replicas never count a document twice. Shards no reachable copy
 * holds are listed in {@link #uncovered()}.
 */
public record CoveringSet(Map<String, List<Integer>> shardsByNode, List<Integer> uncovered, int group) {
  public CoveringSet {
    Map<String, List<Integer>> copy = new TreeMap<>();
    shardsByNode.forEach((node, list) -> copy.put(node, List.copyOf(list)));
    shardsByNode = Collections.unmodifiableMap(copy);
    uncovered = List.copyOf(uncovered);
  }

  /**
   * Builds the covering set for query number {@code querySeq}: the group is {@code querySeq mod |query groups|};
   * for each shard the replica {@code querySeq mod RF} of that group, or the next one that serves reads, or else a
   * serving replica of another group (group fallback, §1.4 step 6).
   */
  /** True when {@link #build} can choose differently by query number (several query groups, or RF above 1). */
  public static boolean choosesByQuery(ShardPlacement placement) {
    Topology topology = placement.topology();
    return topology.queryGroups().size() > 1 || topology.replicationFactor() > 1;
  }

  public static CoveringSet build(ShardPlacement placement, long querySeq) {
    Topology topology = placement.topology();
    List<Integer> ring = topology.queryGroups();
    List<Integer> groupsInOrder = new ArrayList<>(ring);
    int group = -1;
    if (!ring.isEmpty()) {
      int start = (int) Math.floorMod(querySeq, (long) ring.size());
      group = ring.get(start);
      Collections.rotate(groupsInOrder, -start);
    }
    // Fallback may use a draining group, which still holds its data, after the serving ones; never a group that
    // is still being filled.
    for (int g : topology.groups()) {
      if (!groupsInOrder.contains(g) && topology.groupState(g) != io.miroir.topology.GroupState.INITIALIZING) {
        groupsInOrder.add(g);
      }
    }
    int rf = topology.replicationFactor();
    int rotation = (int) Math.floorMod(querySeq, (long) rf);
    Map<String, List<Integer>> byNode = new TreeMap<>();
    List<Integer> uncovered = new ArrayList<>();
    for (int shard = 0; shard < placement.shards(); shard++) {
      String chosen = null;
      for (int g : groupsInOrder) {
        chosen = firstServing(topology, placement.owners(shard, g), rotation);
        if (chosen != null) {
          break;
        }
      }
      if (chosen == null) {
        uncovered.add(shard);
      } else {
        byNode.computeIfAbsent(chosen, n -> new ArrayList<>()).add(shard);
      }
    }
    return new CoveringSet(byNode, uncovered, group);
  }

  private static String firstServing(Topology topology, List<String> owners, int rotation) {
    int size = owners.size();
    for (int i = 0; i < size; i++) {
      String candidate = owners.get((rotation + i) % size);
      if (topology.node(candidate).map(Node::servesReads).orElse(false)) {
        return candidate;
      }
    }
    return null;
  }

  public boolean complete() {
    return uncovered.isEmpty();
  }
}
