package io.miroir.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.topology.GroupState;
import io.miroir.topology.Health;
import io.miroir.topology.Membership;
import io.miroir.topology.Node;
import io.miroir.topology.NodeState;
import io.miroir.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a rebalance run copies and switches (SPEC §3.2, D4). */
class MovePlanTest {
  private static final List<MovePlan.IndexShards> TWO = List.of(new MovePlan.IndexShards("books", 16),
      new MovePlan.IndexShards("movies", 8));

  private static Node joining(String id, int group) {
    return new Node(id, "http://" + id, group, Membership.JOINING, Health.HEALTHY, "");
  }

  @Test
  void aSteadyFleetHasNothingToDo() {
    MovePlan plan = MovePlan.of(PlacementTest.topology(2, "a", "b", "c"), TWO, true);
    assertTrue(plan.isEmpty());
    assertTrue(plan.blocked().isEmpty());
  }

  @Test
  void addingANodeCopiesExactlyTheShardsItWillOwnFromTheirOldOwners() {
    Topology t = PlacementTest.topology(1, "a", "b", "c").withAddedNode(joining("d", 0));
    MovePlan plan = MovePlan.of(t, TWO, true);
    int expected = 0;
    for (MovePlan.IndexShards index : TWO) {
      ShardPlacement p = new ShardPlacement(t, index.shards());
      expected += p.targetShardsOf("d").size();
      for (MovePlan.Copy c : plan.copies()) {
        if (c.index().equals(index.uid())) {
          assertEquals("d", c.target());
          assertEquals(p.owners(c.shard(), 0), c.sources(), "read from the shard's current owner");
        }
      }
    }
    assertEquals(expected, plan.copies().size());
    assertEquals(Set.of("d"), plan.joiningToActivate());
    Topology after = plan.cutover(t, Set.of());
    assertEquals(NodeState.ACTIVE, after.node("d").orElseThrow().state());
    assertFalse(after.inTransition());
    Map<String, Map<MovePlan.IndexShards, List<Integer>>> leftovers = MovePlan.leftovers(t, after, TWO);
    int moved = leftovers.values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).sum();
    assertEquals(expected, moved, "every moved shard is deleted from exactly its old owner");
    assertFalse(leftovers.containsKey("d"));
  }

  @Test
  void drainingMovesTheNodesShardsAndThenRemovesIt() {
    Topology t = PlacementTest.topology(2, "a", "b", "c", "d")
        .withNode("d", n -> n.withMembership(Membership.DRAINING, ""));
    MovePlan plan = MovePlan.of(t, TWO, true);
    assertFalse(plan.copies().isEmpty());
    for (MovePlan.Copy c : plan.copies()) {
      assertFalse(c.target().equals("d"));
      ShardPlacement p = new ShardPlacement(t, c.shards());
      assertTrue(p.owners(c.shard(), 0).contains("d"), "only shards of the draining node move");
    }
    assertEquals(Set.of("d"), plan.drainingToRemove());
    Topology after = plan.cutover(t, Set.of());
    assertEquals(NodeState.REMOVED, after.node("d").orElseThrow().state());
    assertTrue(MovePlan.leftovers(t, after, TWO).isEmpty(), "a removed node is left alone");
  }

  @Test
  void aRecoveringNodeIsResyncedOnlyWhenAsked() {
    Topology t = PlacementTest.topology(2, "a", "b", "c").withNodeHealth("b", Health.RECOVERING, "back");
    assertTrue(MovePlan.of(t, TWO, false).isEmpty());
    MovePlan plan = MovePlan.of(t, TWO, true);
    ShardPlacement p = new ShardPlacement(t, 16);
    long books = plan.copies().stream().filter(c -> c.index().equals("books")).count();
    assertEquals(p.shardsOf("b").size(), books);
    plan.copies().forEach(c -> assertFalse(c.sources().contains("b")));
    assertEquals(Set.of("b"), plan.recoveringToHeal());
    assertEquals(Health.HEALTHY, plan.cutover(t, Set.of()).node("b").orElseThrow().health());
    assertEquals(Health.RECOVERING, plan.cutover(t, Set.of("b")).node("b").orElseThrow().health(),
        "a node that failed during the run is not trusted");
  }

  @Test
  void aNewGroupIsFilledFromTheServingGroup() {
    Topology t = PlacementTest.topology(1, "a@0", "b@0", "x@1", "y@1").withGroupState(1, GroupState.INITIALIZING);
    MovePlan plan = MovePlan.of(t, List.of(new MovePlan.IndexShards("books", 16)), true);
    assertEquals(16, plan.copies().size());
    for (MovePlan.Copy c : plan.copies()) {
      assertEquals(1, c.group());
      assertTrue(Set.of("x", "y").contains(c.target()));
      assertTrue(Set.of("a", "b").containsAll(c.sources()));
    }
    assertEquals(Set.of(1), plan.groupsToActivate());
    assertEquals(List.of(0, 1), plan.cutover(t, Set.of()).queryGroups());
  }

  @Test
  void aCopyWithoutALiveSourceBlocksItsNodeOnly() {
    Topology t = PlacementTest.topology(1, "a", "b", "c").withAddedNode(joining("d", 0))
        .withNodeHealth("a", Health.FAILED, "probe");
    MovePlan plan = MovePlan.of(t, List.of(new MovePlan.IndexShards("books", 16)), true);
    ShardPlacement p = new ShardPlacement(t, 16);
    boolean fromA = p.targetShardsOf("d").stream().anyMatch(s -> p.owners(s, 0).contains("a"));
    if (fromA) {
      assertFalse(plan.blocked().isEmpty());
      assertTrue(plan.joiningToActivate().isEmpty(), "d is not activated with a shard missing");
    }
    plan.copies().forEach(c -> assertFalse(c.sources().contains("a")));
  }
}
