package io.miroir.topology;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * An immutable, versioned snapshot of the fleet: nodes with their membership and health, replica groups with their
 * states, and the replication factor. Every routing decision is taken against one snapshot, so a request never sees
 * half a change. Snapshots are shared by every process through the store ({@link #toJson()}); a higher version
 * always replaces a lower one.
 *
 * <p>Two placements derive from a snapshot: the <em>current</em> one (members {@code active} or {@code draining}),
 * which reads and quorums use, and the <em>target</em> one (members {@code active} or {@code joining}), which the
 * rebalancer fills. Writes go to the owners of both, so a shard on the move is written to its old and new owners.
 */
public final class Topology {
  private final long version;
  private final int replicationFactor;
  private final List<Node> nodes;
  private final Map<String, Node> byId;
  private final Map<Integer, GroupState> groupStates;
  private final Map<Integer, List<String>> currentByGroup;
  private final Map<Integer, List<String>> targetByGroup;
  private final List<Integer> queryGroups;

  public Topology(long version, int replicationFactor, List<Node> nodes, Map<Integer, GroupState> groupStates) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor must be at least 1, got [" + replicationFactor + "]");
    }
    this.version = version;
    this.replicationFactor = replicationFactor;
    this.nodes = List.copyOf(nodes);
    Map<String, Node> ids = new LinkedHashMap<>();
    Map<Integer, List<String>> current = new TreeMap<>();
    Map<Integer, List<String>> target = new TreeMap<>();
    Map<Integer, GroupState> groups = new TreeMap<>(groupStates);
    for (Node node : nodes) {
      if (ids.put(node.id(), node) != null) {
        throw new IllegalArgumentException("duplicate node id [" + node.id() + "]");
      }
      if (node.removed()) {
        continue;
      }
      groups.putIfAbsent(node.replicaGroup(), GroupState.ACTIVE);
      if (node.membership().inCurrentPlacement()) {
        current.computeIfAbsent(node.replicaGroup(), g -> new ArrayList<>()).add(node.id());
      }
      if (node.membership().inTargetPlacement()) {
        target.computeIfAbsent(node.replicaGroup(), g -> new ArrayList<>()).add(node.id());
      }
    }
    this.byId = Collections.unmodifiableMap(ids);
    this.groupStates = Collections.unmodifiableMap(groups);
    this.currentByGroup = freeze(current);
    this.targetByGroup = freeze(target);
    List<Integer> serving = new ArrayList<>();
    groups.forEach((g, state) -> {
      if (state.servesQueries() && currentByGroup.containsKey(g)) {
        serving.add(g);
      }
    });
    this.queryGroups = List.copyOf(serving);
  }

  private static Map<Integer, List<String>> freeze(Map<Integer, List<String>> byGroup) {
    Map<Integer, List<String>> frozen = new TreeMap<>();
    byGroup.forEach((g, list) -> frozen.put(g, List.copyOf(list)));
    return Collections.unmodifiableMap(frozen);
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

  /** Groups that hold current or target members, ascending. */
  public List<Integer> groups() {
    java.util.TreeSet<Integer> all = new java.util.TreeSet<>(currentByGroup.keySet());
    all.addAll(targetByGroup.keySet());
    return List.copyOf(all);
  }

  public GroupState groupState(int group) {
    return groupStates.getOrDefault(group, GroupState.ACTIVE);
  }

  public Map<Integer, GroupState> groupStates() {
    return groupStates;
  }

  /** Node ids of the current placement inside {@code group}, in registration order. */
  public List<String> placedNodes(int group) {
    return currentByGroup.getOrDefault(group, List.of());
  }

  /** Node ids of the target placement inside {@code group}, in registration order. */
  public List<String> targetNodes(int group) {
    return targetByGroup.getOrDefault(group, List.of());
  }

  /** Groups that serve queries, ascending: the round-robin ring of SPEC §1.2. */
  public List<Integer> queryGroups() {
    return queryGroups;
  }

  /** Whether the fleet is between two placements: some node joining or draining, or some group initializing. */
  public boolean inTransition() {
    return !currentByGroup.equals(targetByGroup) || groupStates.containsValue(GroupState.INITIALIZING);
  }

  /** A copy with one node changed by {@code change} and the version bumped; unknown ids change nothing. */
  public Topology withNode(String nodeId, UnaryOperator<Node> change) {
    if (!byId.containsKey(nodeId)) {
      return this;
    }
    List<Node> changed = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      changed.add(n.id().equals(nodeId) ? change.apply(n) : n);
    }
    return new Topology(version + 1, replicationFactor, changed, groupStates);
  }

  public Topology withNodeHealth(String nodeId, Health health, String reason) {
    return withNode(nodeId, n -> n.withHealth(health, reason));
  }

  /** A copy with {@code node} registered after the others (its id must be new) and the version bumped. */
  public Topology withAddedNode(Node node) {
    List<Node> more = new ArrayList<>(nodes);
    more.add(node);
    return new Topology(version + 1, replicationFactor, more, groupStates);
  }

  public Topology withGroupState(int group, GroupState state) {
    Map<Integer, GroupState> groups = new TreeMap<>(groupStates);
    groups.put(group, state);
    return new Topology(version + 1, replicationFactor, nodes, groups);
  }

  /** The same snapshot under another version number (to rebase a change on a newer stored snapshot). */
  public Topology withVersion(long newVersion) {
    return new Topology(newVersion, replicationFactor, nodes, groupStates);
  }

  public JsonObject toJson() {
    JsonArray nodeList = new JsonArray();
    for (Node n : nodes) {
      nodeList.add(new JsonObject().put("id", n.id()).put("address", n.address()).put("group", n.replicaGroup())
          .put("membership", n.membership().wireName()).put("health", n.health().wireName())
          .put("reason", n.reason()));
    }
    JsonObject groups = new JsonObject();
    groupStates.forEach((g, s) -> groups.put(Integer.toString(g), s.wireName()));
    return new JsonObject().put("version", version).put("replicationFactor", replicationFactor)
        .put("nodes", nodeList).put("groups", groups);
  }

  public static Topology fromJson(JsonObject json) {
    List<Node> nodes = new ArrayList<>();
    for (Object o : json.getJsonArray("nodes")) {
      JsonObject n = (JsonObject) o;
      nodes.add(new Node(n.getString("id"), n.getString("address"), n.getInteger("group"),
          Membership.fromWire(n.getString("membership")), Health.fromWire(n.getString("health")),
          n.getString("reason", "")));
    }
    Map<Integer, GroupState> groups = new TreeMap<>();
    json.getJsonObject("groups", new JsonObject())
        .forEach(e -> groups.put(Integer.parseInt(e.getKey()), GroupState.fromWire((String) e.getValue())));
    return new Topology(json.getLong("version"), json.getInteger("replicationFactor"), nodes, groups);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Topology t && t.version == version && t.replicationFactor == replicationFactor
        && t.nodes.equals(nodes) && t.groupStates.equals(groupStates);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + nodes.hashCode();
  }
}
