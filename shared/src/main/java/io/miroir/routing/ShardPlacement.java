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
 * group (SPEC §1.2), in the current placement (reads, quorums) and in the target placement the rebalancer is
 * filling. Computed once per (topology version, S) and shared by every request routed on it.
 */
public final class ShardPlacement {
  private final Topology topology;
  private final int shards;
  /** owners[group][shard] = owner ids, best first. */
  private final Map<Integer, List<List<String>>> currentByGroup;
  private final Map<Integer, List<List<String>>> targetByGroup;

  public ShardPlacement(Topology topology, int shards) {
    if (shards <= 0) {
      throw new IllegalArgumentException("shard count must be positive, got [" + shards + "]");
    }
    this.topology = topology;
    this.shards = shards;
    Map<Integer, List<List<String>>> current = new TreeMap<>();
    Map<Integer, List<List<String>>> target = new TreeMap<>();
    for (int group : topology.groups()) {
      current.put(group, assign(topology.placedNodes(group), topology.replicationFactor()));
      List<String> targetMembers = topology.targetNodes(group);
      target.put(group, targetMembers.equals(topology.placedNodes(group)) ? current.get(group)
          : assign(targetMembers, topology.replicationFactor()));
    }
    this.currentByGroup = Map.copyOf(current);
    this.targetByGroup = Map.copyOf(target);
  }

  private List<List<String>> assign(List<String> members, int rf) {
    List<List<String>> perShard = new ArrayList<>(shards);
    for (int s = 0; s < shards; s++) {
      perShard.add(members.isEmpty() ? List.of() : Rendezvous.assignShardInGroup(s, members, rf));
    }
    return List.copyOf(perShard);
  }

  public Topology topology() {
    return topology;
  }

  public int shards() {
    return shards;
  }

  /** The RF owners of {@code shard} inside {@code group} in the current placement, best first. */
  public List<String> owners(int shard, int group) {
    List<List<String>> perShard = currentByGroup.get(group);
    return perShard == null ? List.of() : perShard.get(shard);
  }

  /** The RF owners of {@code shard} inside {@code group} once the rebalancer has finished, best first. */
  public List<String> targetOwners(int shard, int group) {
    List<List<String>> perShard = targetByGroup.get(group);
    return perShard == null ? List.of() : perShard.get(shard);
  }

  /**
   * {@code write_targets(shard)}: the current owners in every group, RG×RF nodes, then the target owners that are
   * not current ones (a shard on the move is written to both).
   */
  public Set<String> writeTargets(int shard) {
    Set<String> targets = new LinkedHashSet<>();
    for (List<List<String>> perShard : currentByGroup.values()) {
      targets.addAll(perShard.get(shard));
    }
    for (List<List<String>> perShard : targetByGroup.values()) {
      targets.addAll(perShard.get(shard));
    }
    return targets;
  }

  /** Shards owned by {@code nodeId} in its group in the current placement, ascending. */
  public List<Integer> shardsOf(String nodeId) {
    return shardsOf(nodeId, currentByGroup);
  }

  /** Shards {@code nodeId} owns in the target placement, ascending. */
  public List<Integer> targetShardsOf(String nodeId) {
    return shardsOf(nodeId, targetByGroup);
  }

  private List<Integer> shardsOf(String nodeId, Map<Integer, List<List<String>>> byGroup) {
    List<Integer> owned = new ArrayList<>();
    topology.node(nodeId).ifPresent(node -> {
      List<List<String>> perShard = byGroup.get(node.replicaGroup());
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
