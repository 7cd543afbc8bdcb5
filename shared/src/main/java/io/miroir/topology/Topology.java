package io.miroir.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable, versioned snapshot of the fleet: nodes with their states, replica groups with theirs, and the
 * replication factor. Every routing decision is taken against one snapshot, so a request never sees half a change.
 */
public final class Topology {
  private final long version;
  private final int replicationFactor;
  private final List<Node> nodes;
  private final Map<String, Node> byId;
  private final Map<Integer, GroupState> groupStates;
  /** Placed node ids per group, in configuration order; derived once. */
  private final Map<Integer, List<String>> placedByGroup;
  private final List<Integer> queryGroups;

  public Topology(long version, int replicationFactor, List<Node> nodes, Map<Integer, GroupState> groupStates) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor must be at least 1, got [" + replicationFactor + "]");
    }
    this.version = version;
    this.replicationFactor = replicationFactor;
    this.nodes = List.copyOf(nodes);
    Map<String, Node> ids = new LinkedHashMap<>();
    Map<Integer, List<String>> placed = new TreeMap<>();
    Map<Integer, GroupState> groups = new TreeMap<>(groupStates);
    for (Node node : nodes) {
      if (ids.put(node.id(), node) != null) {
        throw new IllegalArgumentException("duplicate node id [" + node.id() + "]");
      }
      groups.putIfAbsent(node.replicaGroup(), GroupState.ACTIVE);
      if (node.state().placed()) {
        placed.computeIfAbsent(node.replicaGroup(), g -> new ArrayList<>()).add(node.id());
      }
    }
    this.byId = Collections.unmodifiableMap(ids);
    this.groupStates = Collections.unmodifiableMap(groups);
    Map<Integer, List<String>> frozen = new TreeMap<>();
    placed.forEach((g, list) -> frozen.put(g, List.copyOf(list)));
    this.placedByGroup = Collections.unmodifiableMap(frozen);
    List<Integer> serving = new ArrayList<>();
    groups.forEach((g, state) -> {
      if (state.servesQueries() && frozen.containsKey(g)) {
        serving.add(g);
      }
    });
    this.queryGroups = List.copyOf(serving);
  }

  public long version() {
    return version;
  }

  public int replicationFactor() {
    return replicationFactor;
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Optional<Node> node(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Groups that hold placed nodes, ascending. */
  public List<Integer> groups() {
    return List.copyOf(placedByGroup.keySet());
  }

  public GroupState groupState(int group) {
    return groupStates.getOrDefault(group, GroupState.ACTIVE);
  }

  public Map<Integer, GroupState> groupStates() {
    return groupStates;
  }

  /** Node ids that take part in placement inside {@code group}. */
  public List<String> placedNodes(int group) {
    return placedByGroup.getOrDefault(group, List.of());
  }

  /** Groups that serve queries, ascending: the round-robin ring of SPEC §1.2. */
  public List<Integer> queryGroups() {
    return queryGroups;
  }

  /** A copy with one node's state changed and the version bumped. */
  public Topology withNodeState(String nodeId, NodeState state, String reason) {
    List<Node> changed = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      changed.add(n.id().equals(nodeId) ? n.withState(state, reason) : n);
    }
    return new Topology(version + 1, replicationFactor, changed, groupStates);
  }
}
