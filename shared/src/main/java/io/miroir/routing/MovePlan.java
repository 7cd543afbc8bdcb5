package io.miroir.routing;

import io.miroir.topology.GroupState;
import io.miroir.topology.Health;
import io.miroir.topology.Membership;
import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a rebalance run must copy to bring the data in line with a topology snapshot (SPEC §3.2, D4), and what it
 * may switch once the copies are complete.
 *
 * <p>A target node needs shard {@code s} of an index when it owns {@code s} in the target placement and either does
 * not own it in the current placement (it is joining, or inherits it from a draining node), or is recovering (it may
 * have missed writes and deletions while failed), or belongs to a group still being filled. Each copy names the
 * nodes it may read from: live owners of the shard in the current placement, serving groups first.
 *
 * <p>A node or group is promoted at cutover only when every copy it needs is in the plan: a copy without a source
 * (its only copies are down) or to a failed target keeps its node or group where it is until a later run.
 */
public final class MovePlan {
  /** One index as the planner needs it. */
  public record IndexShards(String uid, int shards) {
  }

  /** Copy shard {@code shard} of {@code index} to {@code target}, reading from the first live {@code sources}. */
  public record Copy(String index, int shards, int shard, int group, String target, List<String> sources) {
  }

  private final Topology topology;
  private final List<Copy> copies;
  private final Set<String> joiningToActivate;
  private final Set<String> drainingToRemove;
  private final Set<String> recoveringToHeal;
  private final Set<Integer> groupsToActivate;
  private final List<String> blocked;

  private MovePlan(Topology topology, List<Copy> copies, Set<String> joining, Set<String> draining,
      Set<String> recovering, Set<Integer> groups, List<String> blocked) {
    this.topology = topology;
    this.copies = List.copyOf(copies);
    this.joiningToActivate = Collections.unmodifiableSet(joining);
    this.drainingToRemove = Collections.unmodifiableSet(draining);
    this.recoveringToHeal = Collections.unmodifiableSet(recovering);
    this.groupsToActivate = Collections.unmodifiableSet(groups);
    this.blocked = List.copyOf(blocked);
  }

  /**
   * The plan for {@code topology}. With {@code resync} false, recovering nodes are left alone (they keep taking
   * writes and serve no reads until a run that resyncs them).
   */
  public static MovePlan of(Topology topology, List<IndexShards> indexes, boolean resync) {
    List<Copy> copies = new ArrayList<>();
    Set<String> blockedNodes = new TreeSet<>();
    Set<Integer> blockedGroups = new TreeSet<>();
    List<String> blocked = new ArrayList<>();
    for (IndexShards index : indexes) {
      ShardPlacement placement = new ShardPlacement(topology, index.shards());
      for (int group : topology.groups()) {
        boolean filling = topology.groupState(group) == GroupState.INITIALIZING;
        for (int s = 0; s < index.shards(); s++) {
          List<String> current = placement.owners(s, group);
          for (String target : placement.targetOwners(s, group)) {
            Node node = topology.node(target).orElseThrow();
            boolean needs = !current.contains(target) || filling
                || (resync && node.health() == Health.RECOVERING);
            if (!needs) {
              continue;
            }
            List<String> sources = sources(topology, placement, s, target);
            if (node.failed() || sources.isEmpty()) {
              blockedNodes.add(target);
              blockedGroups.add(group);
              // A draining owner of this shard cannot leave until the shard has its new copy.
              current.stream().filter(o -> isDraining(topology, o)).forEach(blockedNodes::add);
              blocked.add(index.uid() + " shard " + s + " to " + target + ": "
                  + (node.failed() ? "the target is failed" : "no live copy to read from"));
              continue;
            }
            copies.add(new Copy(index.uid(), index.shards(), s, group, target, sources));
          }
        }
      }
    }
    Set<String> joining = new LinkedHashSet<>();
    Set<String> draining = new LinkedHashSet<>();
    Set<String> recovering = new LinkedHashSet<>();
    for (Node n : topology.nodes()) {
      if (blockedNodes.contains(n.id()) || n.failed()) {
        continue;
      }
      if (n.membership() == Membership.JOINING) {
        joining.add(n.id());
      } else if (n.membership() == Membership.DRAINING) {
        draining.add(n.id());
      }
      if (resync && n.health() == Health.RECOVERING && !n.removed()) {
        recovering.add(n.id());
      }
    }
    Set<Integer> groups = new TreeSet<>();
    topology.groupStates().forEach((g, state) -> {
      if (state == GroupState.INITIALIZING && !blockedGroups.contains(g)) {
        groups.add(g);
      }
    });
    return new MovePlan(topology, copies, joining, draining, recovering, groups, blocked);
  }

  private static boolean isDraining(Topology topology, String id) {
    return topology.node(id).map(n -> n.membership() == Membership.DRAINING).orElse(false);
  }

  /**
   * Live readers of shard {@code s} for {@code target}: current owners that serve reads, in the serving groups
   * first (target's own group first among them), then in other groups that are not being filled.
   */
  private static List<String> sources(Topology topology, ShardPlacement placement, int s, String target) {
    int home = topology.node(target).orElseThrow().replicaGroup();
    List<Integer> order = new ArrayList<>();
    if (topology.queryGroups().contains(home)) {
      order.add(home);
    }
    for (int g : topology.queryGroups()) {
      if (!order.contains(g)) {
        order.add(g);
      }
    }
    for (int g : topology.groups()) {
      if (!order.contains(g) && topology.groupState(g) != GroupState.INITIALIZING) {
        order.add(g);
      }
    }
    List<String> out = new ArrayList<>();
    for (int g : order) {
      for (String owner : placement.owners(s, g)) {
        boolean serves = topology.node(owner).map(Node::servesReads).orElse(false);
        if (serves && !owner.equals(target) && !out.contains(owner)) {
          out.add(owner);
        }
      }
    }
    return out;
  }

  /** The snapshot the plan was made from. */
  public Topology topology() {
    return topology;
  }

  public List<Copy> copies() {
    return copies;
  }

  public Set<String> joiningToActivate() {
    return joiningToActivate;
  }

  public Set<String> drainingToRemove() {
    return drainingToRemove;
  }

  public Set<String> recoveringToHeal() {
    return recoveringToHeal;
  }

  public Set<Integer> groupsToActivate() {
    return groupsToActivate;
  }

  /** Copies that cannot run now, with the reason. */
  public List<String> blocked() {
    return blocked;
  }

  /** Whether the run has anything to copy or to switch. */
  public boolean isEmpty() {
    return copies.isEmpty() && joiningToActivate.isEmpty() && drainingToRemove.isEmpty()
        && recoveringToHeal.isEmpty() && groupsToActivate.isEmpty();
  }

  /**
   * The cutover: applied to the newest snapshot, it switches the nodes and groups this plan filled, and only those
   * still in the state the plan saw; nodes in {@code failedMeanwhile} (failed at some point during the run, so they
   * may have missed writes after their copy) are left for a later run.
   */
  public Topology cutover(Topology latest, Set<String> failedMeanwhile) {
    Topology t = latest;
    for (String id : joiningToActivate) {
      if (stillAsPlanned(latest, id) && !failedMeanwhile.contains(id)) {
        t = t.withNode(id, n -> n.withMembership(Membership.ACTIVE, ""));
      }
    }
    for (String id : drainingToRemove) {
      if (latest.node(id).map(n -> n.membership() == Membership.DRAINING).orElse(false)) {
        t = t.withNode(id, n -> n.withMembership(Membership.REMOVED, "drained"));
      }
    }
    for (String id : recoveringToHeal) {
      if (stillAsPlanned(latest, id) && !failedMeanwhile.contains(id)) {
        t = t.withNode(id, n -> n.withHealth(Health.HEALTHY, ""));
      }
    }
    for (int g : groupsToActivate) {
      if (latest.groupState(g) == GroupState.INITIALIZING) {
        t = t.withGroupState(g, GroupState.ACTIVE);
      }
    }
    return t;
  }

  private boolean stillAsPlanned(Topology latest, String id) {
    Node before = topology.node(id).orElse(null);
    Node now = latest.node(id).orElse(null);
    return before != null && now != null && before.membership() == now.membership()
        && before.health() == now.health();
  }

  /**
   * Shards to delete from nodes that owned them before {@code from} and own them no more in {@code to}, in either
   * placement: per node, per index, the shard numbers. Removed nodes are left alone.
   */
  public static Map<String, Map<IndexShards, List<Integer>>> leftovers(Topology from, Topology to,
      List<IndexShards> indexes) {
    Map<String, Map<IndexShards, List<Integer>>> out = new LinkedHashMap<>();
    for (IndexShards index : indexes) {
      ShardPlacement before = new ShardPlacement(from, index.shards());
      ShardPlacement after = new ShardPlacement(to, index.shards());
      for (int group : from.groups()) {
        for (int s = 0; s < index.shards(); s++) {
          for (String owner : before.owners(s, group)) {
            Node node = to.node(owner).orElse(null);
            if (node == null || node.removed()) {
              continue;
            }
            int g = node.replicaGroup();
            if (!after.owners(s, g).contains(owner) && !after.targetOwners(s, g).contains(owner)) {
              out.computeIfAbsent(owner, k -> new LinkedHashMap<>())
                  .computeIfAbsent(index, k -> new ArrayList<>()).add(s);
            }
          }
        }
      }
    }
    return out;
  }
}
