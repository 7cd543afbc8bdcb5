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

/** Placements while the fleet moves between two topologies (SPEC §3.2): joining, draining, new groups. */
class TransitionPlacementTest {
  private static final int S = 64;

  private static Topology three() {
    return PlacementTest.topology(1, "a", "b", "c");
  }

  @Test
  void aJoiningNodeTakesTargetOwnershipOnlyOfTheShardsItWillOwn() {
    Topology before = three();
    Topology joining = before.withAddedNode(new Node("d", "http://d", 0, Membership.JOINING, Health.HEALTHY, ""));
    Topology after = PlacementTest.topology(1, "a", "b", "c", "d");
    ShardPlacement old = new ShardPlacement(before, S);
    ShardPlacement moving = new ShardPlacement(joining, S);
    ShardPlacement done = new ShardPlacement(after, S);
    int moved = 0;
    for (int s = 0; s < S; s++) {
      assertEquals(old.owners(s, 0), moving.owners(s, 0), "reads stay on the old owners");
      assertEquals(done.owners(s, 0), moving.targetOwners(s, 0), "the target is the final placement");
      boolean moves = !moving.owners(s, 0).equals(moving.targetOwners(s, 0));
      if (moves) {
        moved++;
        assertEquals(List.of("d"), moving.targetOwners(s, 0), "only the new node gains shards");
        assertEquals(Set.of(moving.owners(s, 0).get(0), "d"), moving.writeTargets(s), "dual write");
      } else {
        assertEquals(Set.copyOf(moving.owners(s, 0)), moving.writeTargets(s));
      }
    }
    assertEquals(moving.targetShardsOf("d").size(), moved);
    assertTrue(moved > 0 && moved <= S / 2, "about S/4 shards move, got " + moved);
    assertTrue(moving.shardsOf("d").isEmpty(), "a joining node answers for nothing yet");
    assertEquals(NodeState.JOINING, joining.node("d").orElseThrow().state());
    assertTrue(joining.inTransition());
    assertFalse(after.inTransition());
  }

  @Test
  void aDrainingNodeKeepsServingUntilItsShardsHaveNewOwners() {
    Topology draining = three().withNode("c", n -> n.withMembership(Membership.DRAINING, "removal"));
    ShardPlacement p = new ShardPlacement(draining, S);
    ShardPlacement done = new ShardPlacement(PlacementTest.topology(1, "a", "b"), S);
    for (int s = 0; s < S; s++) {
      assertEquals(done.owners(s, 0), p.targetOwners(s, 0));
      assertTrue(p.writeTargets(s).containsAll(p.owners(s, 0)));
    }
    assertFalse(p.shardsOf("c").isEmpty());
    assertTrue(p.targetShardsOf("c").isEmpty());
    Node c = draining.node("c").orElseThrow();
    assertTrue(c.servesReads() && c.receivesWrites());
    CoveringSet cover = CoveringSet.build(p, 0);
    assertTrue(cover.complete());
    assertEquals(p.shardsOf("c"), cover.shardsByNode().get("c"));
  }

  @Test
  void anInitializingGroupTakesWritesButNeverReadsNorFallback() {
    Topology t = PlacementTest.topology(1, "a@0", "b@0", "x@1", "y@1").withGroupState(1, GroupState.INITIALIZING)
        .withNodeHealth("a", Health.FAILED, "probe");
    assertEquals(List.of(0), t.queryGroups());
    ShardPlacement p = new ShardPlacement(t, S);
    for (int s = 0; s < S; s++) {
      assertEquals(2, p.writeTargets(s).size());
    }
    CoveringSet cover = CoveringSet.build(p, 3);
    assertFalse(cover.complete(), "the failed node's shards are not read from a group still being filled");
    assertTrue(cover.shardsByNode().keySet().equals(Set.of("b")));
  }

  @Test
  void aFailedJoiningNodeStaysOutOfTheCurrentPlacement() {
    Topology t = three().withAddedNode(new Node("d", "http://d", 0, Membership.JOINING, Health.HEALTHY, ""))
        .withNodeHealth("d", Health.FAILED, "probe");
    ShardPlacement p = new ShardPlacement(t, S);
    assertTrue(p.shardsOf("d").isEmpty());
    assertEquals(NodeState.FAILED, t.node("d").orElseThrow().state());
    WritePlan plan = WritePlan.of(p, new int[] {p.targetShardsOf("d").get(0)});
    assertEquals(Set.of("d"), plan.skippedNodes());
  }

  @Test
  void snapshotsRoundTripThroughJson() {
    Topology t = PlacementTest.topology(2, "a@0", "b@0", "c@1", "d@1")
        .withAddedNode(new Node("e", "http://e", 1, Membership.JOINING, Health.HEALTHY, "added"))
        .withNode("a", n -> n.withMembership(Membership.DRAINING, "drain"))
        .withNodeHealth("c", Health.RECOVERING, "back")
        .withGroupState(1, GroupState.INITIALIZING);
    Topology back = Topology.fromJson(new io.vertx.core.json.JsonObject(t.toJson().encode()));
    assertEquals(t, back);
    assertEquals(t.version(), back.version());
    assertEquals(Map.of(0, GroupState.ACTIVE, 1, GroupState.INITIALIZING), back.groupStates());
  }
}
