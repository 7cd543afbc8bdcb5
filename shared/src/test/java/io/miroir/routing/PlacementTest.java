package io.miroir.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.topology.Node;
import io.miroir.topology.Health;
import io.miroir.topology.Topology;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Placement balance, movement bounds, write plans and covering sets (SPEC §1.2, §8.5). */
class PlacementTest {
  static Topology topology(int rf, String... groupedIds) {
    List<Node> nodes = new java.util.ArrayList<>();
    for (String spec : groupedIds) {
      String[] parts = spec.split("@");
      nodes.add(new Node(parts[0], "http://127.0.0.1:1", parts.length > 1 ? Integer.parseInt(parts[1]) : 0));
    }
    return new Topology(1, rf, nodes, Map.of());
  }

  @Test
  void sixtyFourShardsOverThreeNodesAreBalanced() {
    ShardPlacement placement = new ShardPlacement(topology(1, "node-a", "node-b", "node-c"), 64);
    Map<String, Integer> counts = new HashMap<>();
    for (int s = 0; s < 64; s++) {
      counts.merge(placement.owners(s, 0).get(0), 1, Integer::sum);
    }
    assertEquals(64, counts.values().stream().mapToInt(Integer::intValue).sum());
    counts.values().forEach(c -> assertTrue(c >= 17 && c <= 26, "count " + c + " in " + counts));
  }

  @Test
  void addingAFourthNodeMovesAtMostHalfOfPlacements() {
    ShardPlacement three = new ShardPlacement(topology(1, "n0", "n1", "n2"), 64);
    ShardPlacement four = new ShardPlacement(topology(1, "n0", "n1", "n2", "n3"), 64);
    int moved = 0;
    for (int s = 0; s < 64; s++) {
      if (!three.owners(s, 0).equals(four.owners(s, 0))) {
        moved++;
        assertEquals("n3", four.owners(s, 0).get(0), "a shard only moves to the new node");
      }
    }
    assertTrue(moved > 0 && moved <= 2 * 64 / 4, "moved " + moved);
  }

  @Test
  void rf2PlacementsAreStableAndDistinct() {
    ShardPlacement placement = new ShardPlacement(topology(2, "n0", "n1", "n2"), 32);
    ShardPlacement again = new ShardPlacement(topology(2, "n2", "n0", "n1"), 32);
    for (int s = 0; s < 32; s++) {
      List<String> owners = placement.owners(s, 0);
      assertEquals(2, new HashSet<>(owners).size());
      assertEquals(owners, again.owners(s, 0), "configuration order does not matter");
    }
  }

  @Test
  void writeTargetsSpanEveryGroup() {
    ShardPlacement placement = new ShardPlacement(topology(1, "a@0", "b@0", "c@1", "d@1"), 16);
    for (int s = 0; s < 16; s++) {
      Set<String> targets = placement.writeTargets(s);
      assertEquals(2, targets.size());
      assertTrue(targets.stream().anyMatch(t -> t.equals("a") || t.equals("b")));
      assertTrue(targets.stream().anyMatch(t -> t.equals("c") || t.equals("d")));
    }
  }

  @Test
  void writePlanSendsOneBatchPerNodeAndSkipsFailedOwners() {
    Topology t = topology(2, "n0", "n1", "n2").withNodeHealth("n1", Health.FAILED, "probe");
    ShardPlacement placement = new ShardPlacement(t, 8);
    int[] shardOfItem = {0, 1, 2, 3, 4, 5, 6, 7, 0, 1};
    WritePlan plan = WritePlan.of(placement, shardOfItem);
    assertFalse(plan.itemsByNode().containsKey("n1"));
    assertEquals(Set.of("n1"), plan.skippedNodes());
    for (int item = 0; item < shardOfItem.length; item++) {
      int shard = shardOfItem[item];
      for (String owner : placement.owners(shard, 0)) {
        if (!owner.equals("n1")) {
          assertTrue(plan.itemsByNode().get(owner).contains(item), "item " + item + " reaches " + owner);
        }
      }
    }
  }

  @Test
  void coveringSetCountsEveryShardExactlyOnce() {
    for (int rf = 1; rf <= 3; rf++) {
      ShardPlacement placement = new ShardPlacement(topology(rf, "a@0", "b@0", "c@0", "d@1", "e@1", "f@1"), 64);
      for (long seq = 0; seq < 6; seq++) {
        CoveringSet cover = CoveringSet.build(placement, seq);
        int[] seen = new int[64];
        cover.shardsByNode().values().forEach(shards -> shards.forEach(s -> seen[s]++));
        for (int s = 0; s < 64; s++) {
          assertEquals(1, seen[s], "shard " + s + " rf " + rf + " seq " + seq);
        }
        assertTrue(cover.complete());
        int group = cover.group();
        assertEquals((int) (seq % 2), group);
        cover.shardsByNode().keySet().forEach(n -> assertEquals(group, placement.topology().node(n).get()
            .replicaGroup()));
      }
    }
  }

  @Test
  void onlySeveralGroupsOrReplicasMakeTheCoveringSetDependOnTheQuery() {
    ShardPlacement single = new ShardPlacement(topology(1, "a@0", "b@0", "c@0"), 32);
    assertFalse(CoveringSet.choosesByQuery(single));
    for (long seq = 1; seq < 5; seq++) {
      assertEquals(CoveringSet.build(single, 0), CoveringSet.build(single, seq));
    }
    assertTrue(CoveringSet.choosesByQuery(new ShardPlacement(topology(2, "a@0", "b@0", "c@0"), 32)));
    assertTrue(CoveringSet.choosesByQuery(new ShardPlacement(topology(1, "a@0", "b@1"), 32)));
  }

  @Test
  void coveringSetAvoidsFailedAndRecoveringReplicasAndFallsBackToAnotherGroup() {
    Topology t = topology(1, "a@0", "b@0", "c@1", "d@1")
        .withNodeHealth("a", Health.FAILED, "probe")
        .withNodeHealth("b", Health.RECOVERING, "back");
    ShardPlacement placement = new ShardPlacement(t, 16);
    CoveringSet cover = CoveringSet.build(placement, 0);
    assertTrue(cover.complete());
    assertFalse(cover.shardsByNode().containsKey("a"));
    assertFalse(cover.shardsByNode().containsKey("b"));
  }

  @Test
  void shardsWithoutAnyServingCopyAreUncovered() {
    Topology t = topology(1, "a", "b").withNodeHealth("a", Health.FAILED, "probe");
    ShardPlacement placement = new ShardPlacement(t, 16);
    CoveringSet cover = CoveringSet.build(placement, 0);
    assertEquals(placement.shardsOf("a"), cover.uncovered());
    assertFalse(cover.complete());
  }
}
