package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import java.util.List;

/**
 * The covering-set filter (SPEC §0 principle 2, D2): a node is asked only for its assigned shards by ANDing
 * {@code _miroir_shard IN [...]} with the client filter.
 *
 * <p>The array form is used because Meilisearch ANDs array items and parses each string item on its own: the client's
 * expression is passed byte for byte (never re-parenthesized), so its meaning and the positions quoted in its syntax
 * errors are those of one node. A client filter of a type Meilisearch rejects is left as it is, without the shard
 * clause, so the node answers the same {@code invalid_search_filter} as one node would.
 */
public final class ShardFilter {
  private ShardFilter() {
  }

  /** The {@code _miroir_shard IN [a, b]} clause. */
  static String clause(List<Integer> shards) {
    StringBuilder b = new StringBuilder(ReservedFields.SHARD.length() + 8 + shards.size() * 4);
    b.append(ReservedFields.SHARD).append(" IN [");
    for (int i = 0; i < shards.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(shards.get(i).intValue());
    }
    return b.append(']').toString();
  }

  /** True when {@code filter} is a type Meilisearch accepts (absent, a string or an array). */
  static boolean acceptable(Object filter) {
    return filter == null || filter instanceof String || MeiliOrder.asList(filter) != null;
  }

  /** The node filter for a client filter (null, a string or an array of items); see the class comment. */
  public static Object and(Object clientFilter, List<Integer> shards) {
    if (!acceptable(clientFilter)) {
      return clientFilter;
    }
    JsonArray out = new JsonArray().add(clause(shards));
    if (clientFilter instanceof String s) {
      out.add(s);
    } else if (clientFilter != null) {
      for (Object item : MeiliOrder.asList(clientFilter)) {
        out.add(item);
      }
    }
    return out;
  }
}
