package io.miroir.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.topology.Health;
import io.miroir.topology.Topology;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The quorum table of SPEC §1.3 with D4's treatment of failed owners. */
class QuorumTest {
  @Test
  void majorityTable() {
    assertEquals(1, Quorum.majority(1));
    assertEquals(2, Quorum.majority(2));
    assertEquals(2, Quorum.majority(3));
    assertEquals(3, Quorum.majority(4));
  }

  private static WritePlan planOneShard(Topology t, int shard) {
    return WritePlan.of(new ShardPlacement(t, 8), new int[] {shard});
  }

  @Test
  void allOwnersAckIsAFullSuccess() {
    Topology t = PlacementTest.topology(2, "n0", "n1", "n2");
    WritePlan plan = planOneShard(t, 3);
    Quorum.Outcome outcome = Quorum.evaluate(plan, plan.itemsByNode().keySet());
    assertTrue(outcome.succeeded());
    assertFalse(outcome.degraded());
    assertNull(outcome.header());
  }

  @Test
  void rf2WithOneAckIsBelowQuorumInThatGroupAndNoQuorumOverall() {
    Topology t = PlacementTest.topology(2, "n0", "n1", "n2");
    WritePlan plan = planOneShard(t, 3);
    List<String> owners = plan.placement().owners(3, 0);
    Quorum.Outcome outcome = Quorum.evaluate(plan, Set.of(owners.get(0)));
    assertFalse(outcome.succeeded());
    assertEquals(List.of(3), outcome.shardsWithoutQuorum());
  }

  @Test
  void rf2WithOneFailedOwnerNeedsOnlyTheLiveOneAndIsDegraded() {
    Topology base = PlacementTest.topology(2, "n0", "n1", "n2");
    List<String> owners = new ShardPlacement(base, 8).owners(3, 0);
    Topology t = base.withNodeHealth(owners.get(1), Health.FAILED, "probe");
    WritePlan plan = planOneShard(t, 3);
    Quorum.Outcome outcome = Quorum.evaluate(plan, Set.of(owners.get(0)));
    assertTrue(outcome.succeeded());
    assertTrue(outcome.degraded());
    assertEquals("skipped=" + owners.get(1), outcome.header());
  }

  @Test
  void rf3ToleratesOneMissingAck() {
    Topology t = PlacementTest.topology(3, "n0", "n1", "n2");
    WritePlan plan = planOneShard(t, 5);
    Set<String> acked = new HashSet<>(plan.placement().owners(5, 0).subList(0, 2));
    Quorum.Outcome outcome = Quorum.evaluate(plan, acked);
    assertTrue(outcome.succeeded());
    assertFalse(outcome.degraded());
  }

  @Test
  void oneGroupAtQuorumIsEnoughButTheOtherIsReported() {
    Topology t = PlacementTest.topology(1, "a@0", "b@0", "c@1", "d@1");
    WritePlan plan = planOneShard(t, 2);
    String groupZeroOwner = plan.placement().owners(2, 0).get(0);
    Quorum.Outcome outcome = Quorum.evaluate(plan, Set.of(groupZeroOwner));
    assertTrue(outcome.succeeded());
    assertEquals(List.of(1), outcome.groupsBelowQuorum());
    assertEquals("groups=1; shards=2", outcome.header());
  }

  @Test
  void allOwnersFailedMeansNoQuorum() {
    Topology t = PlacementTest.topology(1, "a", "b");
    List<String> owners = new ShardPlacement(t, 8).owners(1, 0);
    Topology failed = t.withNodeHealth(owners.get(0), Health.FAILED, "probe");
    WritePlan plan = planOneShard(failed, 1);
    assertTrue(plan.itemsByNode().isEmpty());
    assertFalse(Quorum.evaluate(plan, Set.of()).succeeded());
  }
}
