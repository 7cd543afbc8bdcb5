package io.miroir.cluster;

import io.miroir.routing.ShardHasher;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Mode A ownership (SPEC §5): the owner of a key (a shard, a task id, a canary id) is the live cluster member with
 * the highest rendezvous score {@code XXH64(key ‖ 0xFF ‖ member ‖ 0xFF)}. Recomputed from the member list whenever
 * it changes; when a member leaves only its keys move. Without a cluster the single process owns everything.
 */
public final class Ownership {
  private final String self;
  private final AtomicReference<List<String>> members;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private Ownership(String self, List<String> members) {
    this.self = self;
    this.members = new AtomicReference<>(List.copyOf(members));
  }

  /** Ownership for a process that runs alone. */
  public static Ownership single(String self) {
    return new Ownership(self, List.of(self));
  }

  /** Ownership over the members of {@code cluster}, kept current by its node listener. */
  public static Ownership of(ClusterManager cluster) {
    Ownership ownership = new Ownership(cluster.getNodeId(), cluster.getNodes());
    cluster.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String nodeId) {
        ownership.update(cluster.getNodes());
      }

      @Override
      public void nodeLeft(String nodeId) {
        ownership.update(cluster.getNodes());
      }
    });
    return ownership;
  }

  private void update(List<String> current) {
    members.set(List.copyOf(current));
    listeners.forEach(Runnable::run);
  }

  public String self() {
    return self;
  }

  public List<String> members() {
    return members.get();
  }

  /** The member owning {@code key}: the highest unsigned score, ties to the smaller id. */
  public static String ownerOf(String key, List<String> members) {
    String best = null;
    long bestScore = 0;
    for (String member : members) {
      long score = ShardHasher.ownershipScore(key, member);
      int cmp = best == null ? 1 : Long.compareUnsigned(score, bestScore);
      if (cmp > 0 || (cmp == 0 && member.compareTo(best) < 0)) {
        best = member;
        bestScore = score;
      }
    }
    return best;
  }

  public boolean owns(String key) {
    return self.equals(ownerOf(key, members.get()));
  }

  /** Runs {@code listener} after every membership change. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }
}
