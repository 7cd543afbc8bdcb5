package io.miroir.routing;

import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-group write quorum (SPEC §1.3 step 5, D4): in each group a shard needs a majority of its owners that are not
 * {@code failed}, and at least one ACK. The write succeeds when every shard reached quorum in some group.
 */
public final class Quorum {
  private Quorum() {
  }

  /** The outcome of one write against its touched shards. */
  public record Outcome(boolean succeeded, List<Integer> shardsWithoutQuorum, List<Integer> groupsBelowQuorum,
      List<Integer> shardsBelowQuorumInSomeGroup, Set<String> skippedNodes) {
    /** True when some group missed quorum for some shard, or a failed owner was skipped. */
    public boolean degraded() {
      return !groupsBelowQuorum.isEmpty() || !skippedNodes.isEmpty();
    }

    /** The {@code X-Miroir-Degraded} value for a write, or null when the write is not degraded. */
    public String header() {
      if (!degraded()) {
        return null;
      }
      StringBuilder b = new StringBuilder();
      if (!groupsBelowQuorum.isEmpty()) {
        b.append("groups=").append(join(groupsBelowQuorum)).append("; shards=")
            .append(join(shardsBelowQuorumInSomeGroup));
      }
      if (!skippedNodes.isEmpty()) {
        if (b.length() > 0) {
          b.append("; ");
        }
        b.append("skipped=").append(String.join(",", skippedNodes));
      }
      return b.toString();
    }

    private static String join(List<Integer> values) {
      StringBuilder b = new StringBuilder();
      for (int v : values) {
        if (b.length() > 0) {
          b.append(',');
        }
        b.append(v);
      }
      return b.toString();
    }
  }

  /** {@code floor(n/2)+1}: the majority of {@code n} live owners. */
  public static int majority(int liveOwners) {
    return liveOwners / 2 + 1;
  }

  /**
   * Evaluates a write: {@code acked} holds the nodes whose batch was enqueued.
   */
  public static Outcome evaluate(WritePlan plan, Set<String> acked) {
    return evaluate(plan, acked, Set.of());
  }

  /**
   * Evaluates a write whose targets {@code failedNow} turned out to be down while it was sent (a refused
   * connection): they count as failed owners, as if the plan had skipped them.
   */
  public static Outcome evaluate(WritePlan plan, Set<String> acked, Set<String> failedNow) {
    ShardPlacement placement = plan.placement();
    Topology topology = placement.topology();
    List<Integer> noQuorum = new ArrayList<>();
    Set<Integer> groupsBelow = new TreeSet<>();
    Set<Integer> shardsBelow = new TreeSet<>();
    for (int shard : plan.touchedShards()) {
      boolean anyGroup = false;
      for (int group : topology.groups()) {
        List<String> owners = placement.owners(shard, group);
        int live = 0;
        int acks = 0;
        for (String owner : owners) {
          boolean failed = topology.node(owner).map(Node::failed).orElse(true);
          if (!failed && !failedNow.contains(owner)) {
            live++;
          }
          if (acked.contains(owner)) {
            acks++;
          }
        }
        boolean reached = acks >= 1 && acks >= majority(live);
        if (reached) {
          anyGroup = true;
        } else {
          groupsBelow.add(group);
          shardsBelow.add(shard);
        }
      }
      if (!anyGroup) {
        noQuorum.add(shard);
      }
    }
    Set<String> skipped = new TreeSet<>(plan.skippedNodes());
    skipped.addAll(failedNow);
    return new Outcome(noQuorum.isEmpty(), noQuorum, List.copyOf(groupsBelow), List.copyOf(shardsBelow),
        java.util.Collections.unmodifiableSet(skipped));
  }
}
