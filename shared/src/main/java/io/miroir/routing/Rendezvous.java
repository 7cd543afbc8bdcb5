package io.miroir.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Highest-random-weight placement inside one replica group (SPEC §1.2): nodes sorted by score descending,
 * compared unsigned, ties broken by node id ascending; the first RF own the shard.
 */
public final class Rendezvous {
  private Rendezvous() {
  }

  /** The {@code rf} owners of {@code shard} among {@code nodeIds}, best first. */
  public static List<String> assignShardInGroup(int shard, List<String> nodeIds, int rf) {
    List<String> ranked = rank(shard, nodeIds);
    return List.copyOf(ranked.subList(0, Math.min(rf, ranked.size())));
  }

  /** Every node of the group ordered by preference for {@code shard}, best first. */
  public static List<String> rank(int shard, List<String> nodeIds) {
    record Scored(String id, long score) {
    }
    List<Scored> scored = new ArrayList<>(nodeIds.size());
    for (String id : nodeIds) {
      scored.add(new Scored(id, ShardHasher.score(shard, id)));
    }
    scored.sort((a, b) -> {
      int byScore = Long.compareUnsigned(b.score, a.score);
      return byScore != 0 ? byScore : a.id.compareTo(b.id);
    });
    List<String> ids = new ArrayList<>(scored.size());
    for (Scored s : scored) {
      ids.add(s.id);
    }
    return ids;
  }
}
