package io.miroir.merge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * K-way merge of the ranked hit lists of several nodes into the order one node would give (SPEC §1.4 step 4, D3).
 *
 * <p>Each node's list is already in that node's order, which agrees with {@link HitKey#compare}; the merge only
 * compares list heads. Hits one node could not tell apart keep their node's relative order, and heads of different
 * nodes that tie go by {@code _miroir_shard} (then by node position), so the order depends neither on which replica
 * answered nor on the order of the node answers. Because the result's first n hits depend only on the nodes' first n
 * hits, asking 5 pages of 10 gives the same hits as 1 page of 50.
 *
 * <p>{@code distinct}: each node already keeps its best hit per distinct value; across nodes the first occurrence in
 * merged order wins (milli's rule: a hit is dropped when any of its values was seen, and all its values are then
 * marked). Since every global winner is within its node's first offset+limit distinct hits, this is exact.
 *
 * <p>Keys are built only for hits that reach the head of their list, so at most offset+limit+k keys are made.
 */
final class HitMerger {
  private HitMerger() {
  }

  /** A position in one node's hit list. */
  private static final class Cursor {
    final List<Object> hits;
    final int node;
    int position;
    Map<String, Object> hit;
    HitKey key;

    Cursor(List<Object> hits, int node) {
      this.hits = hits;
      this.node = node;
    }
  }

  /**
   * Merges and windows the hit lists.
   *
   * @param lists each node's {@code hits}, in node answer order
   * @param useDetails compare {@code _rankingScoreDetails} rule by rule
   * @param hybridRatio semantic ratio of a hybrid search, NaN otherwise
   * @param distinct the distinct attribute, or null
   * @param skip hits to skip after distinct (the offset)
   * @param take hits to return (the limit)
   * @return the hits of the window, in order (the nodes' own hit maps)
   */
  static List<Map<String, Object>> merge(List<List<Object>> lists, boolean useDetails, double hybridRatio,
      String distinct, int skip, int take) {
    List<Map<String, Object>> out = new ArrayList<>(Math.max(0, Math.min(take, 1024)));
    if (take <= 0) {
      return out;
    }
    PriorityQueue<Cursor> heads = new PriorityQueue<>(Math.max(1, lists.size()), HitMerger::compareHeads);
    for (int i = 0; i < lists.size(); i++) {
      Cursor c = new Cursor(lists.get(i), i);
      if (advance(c, useDetails, hybridRatio)) {
        heads.add(c);
      }
    }
    Set<Object> seen = distinct == null ? null : new HashSet<>();
    int skipped = 0;
    while (!heads.isEmpty() && out.size() < take) {
      Cursor c = heads.poll();
      Map<String, Object> hit = c.hit;
      if (advance(c, useDetails, hybridRatio)) {
        heads.add(c);
      }
      if (seen != null && !DistinctValues.admit(hit, distinct, seen)) {
        continue;
      }
      if (skipped < skip) {
        skipped++;
      } else {
        out.add(hit);
      }
    }
    return out;
  }

  private static boolean advance(Cursor c, boolean useDetails, double hybridRatio) {
    while (c.position < c.hits.size()) {
      Map<String, Object> hit = MeiliOrder.asMap(c.hits.get(c.position++));
      if (hit != null) {
        c.hit = hit;
        c.key = HitKey.of(hit, useDetails, hybridRatio);
        return true;
      }
    }
    c.hit = null;
    c.key = null;
    return false;
  }

  private static int compareHeads(Cursor a, Cursor b) {
    int c = HitKey.compare(a.key, b.key);
    if (c != 0) {
      return c;
    }
    if (a.key.shard >= 0 && b.key.shard >= 0 && a.key.shard != b.key.shard) {
      return Integer.compare(a.key.shard, b.key.shard);
    }
    return Integer.compare(a.node, b.node);
  }
}
