package io.miroir.routing;

import io.miroir.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where every shard of an S-shard index lives under one topology snapshot: the RF owners of each shard in each
 * group (SPEC §1.2). Computed once per (topology version, S) and shared by every request routed on it.
 */
public final class ShardPlacement {
  private final Topology topology;
  private final int shards;
  /** owners[group index][shard] = owner ids, best first. */
  private final Map<Integer, List<List<String>>> ownersByGroup;

  public ShardPlacement(Topology topology, int shards) {
    if (shards <= 0) {
      throw new IllegalArgumentException("shard count must be positive, got [" + shards + "]");
    }
    this.topology = topology;
    this.shards = shards;
    Map<Integer, List<List<String>>> owners = new TreeMap<>();
    for (int group : topology.groups()) {
      List<String> members = topology.placedNodes(group);
      List<List<String>> perShard = new ArrayList<>(shards);
      for (int s = 0; s < shards; s++) {
        perShard.add(Rendezvous.assignShardInGroup(s, members, topology.replicationFactor()));
      }
      owners.put(group, List.copyOf(perShard));
    }
    this.ownersByGroup = Map.copyOf(owners);
  }

  public Topology topology() {
    return topology;
  }

  public int shards() {
    return shards;
  }

  /** The RF owners of {@code shard} inside {@code group}, best first. */
  public List<String> owners(int shard, int group) {
    List<List<String>> perShard = ownersByGroup.get(group);
    return perShard == null ? List.of() : perShard.get(shard);
  }

  /** {@code write_targets(shard)}: the owners in every group, RG×RF nodes. */
  public Set<String> writeTargets(int shard) {
    Set<String> targets = new LinkedHashSet<>();
    for (List<List<String>> perShard : ownersByGroup.values()) {
      targets.addAll(perShard.get(shard));
    }
    return targets;
  }

  /** Shards owned by {@code nodeId} in its group, ascending. */
  public List<Integer> shardsOf(String nodeId) {
    List<Integer> owned = new ArrayList<>();
    topology.node(nodeId).ifPresent(node -> {
      List<List<String>> perShard = ownersByGroup.get(node.replicaGroup());
      if (perShard != null) {
        for (int s = 0; s < shards; s++) {
          if (perShard.get(s).contains(nodeId)) {
            owned.add(s);
          }
        }
      }
    });
    return owned;
  }
}
