package io.miroir.merge;

import java.util.Map;

/**
 * The ranking key of one hit, read from the {@code _rankingScoreDetails} and {@code _rankingScore} a node returned
 * (SPEC §1.4 step 4, D3).
 *
 * <p>One Meilisearch node ranks by bucket sort: the ranking rules are applied in order and a document goes before
 * another at the first rule where its bucket is better. The score details list those rules in that order, so comparing
 * two hits rule by rule reproduces the node's order across nodes:
 * <ul>
 *   <li>rank rules (words, typo, proximity, attribute, exactness, …) carry a {@code score} = rank / max rank, with the
 *       same max rank on every node for one query, so the higher score is the better bucket; {@code attribute} and
 *       {@code exactness} show the merged score of their two inner rules, which orders like the pair;</li>
 *   <li>sort rules ({@code attr:asc|desc}) carry the normalized {@code value}; they compare as milli's
 *       {@code compare_sort_values} (numbers before strings, missing last);</li>
 *   <li>geo sort rules ({@code _geoPoint(lat, lng):asc|desc}) carry {@code distance} (null = no location = last);</li>
 *   <li>{@code vectorSort} carries {@code similarity}; {@code skipped} counts as rank 0.</li>
 * </ul>
 * Sources: milli {@code score_details.rs} (ScoreDetails, Rank, compare_sort_values, GeoSort::partial_cmp, to_json_map)
 * and meilisearch {@code search/federated/weighted_scores.rs} (how Meilisearch itself compares hits of different
 * indexes and remotes rule by rule). Hits without details compare by {@code _rankingScore}, which is the merged rank of
 * all rank rules and so orders like them.
 */
final class HitKey {
  static final byte RANK = 0;
  static final byte SORT = 1;
  static final byte GEO = 2;

  /** No details: the key is {@code _rankingScore} only. */
  private static final byte[] NO_KINDS = new byte[0];

  private final byte[] kinds;
  private final boolean[] ascending;
  /** Rank score, or geo distance (NaN when the document has no location). */
  private final double[] numbers;
  /** Sort rule values (Double, String or null); null array when the key has no sort rule. */
  private final Object[] values;
  /** {@code _rankingScore}, weighted by the hybrid ratio when the plan is hybrid. */
  final double global;
  /** {@code _miroir_shard} of the hit, for a tie-break that does not depend on which replica answered; -1 unknown. */
  final int shard;

  private HitKey(byte[] kinds, boolean[] ascending, double[] numbers, Object[] values, double global, int shard) {
    this.kinds = kinds;
    this.ascending = ascending;
    this.numbers = numbers;
    this.values = values;
    this.global = global;
    this.shard = shard;
  }

  /**
   * Reads the key of a hit.
   *
   * @param useDetails compare the details rule by rule (else only {@code _rankingScore})
   * @param hybridRatio for a hybrid search, the semantic ratio (semantic hits weigh ratio, keyword hits 1 - ratio,
   *     as milli's hybrid merge); NaN otherwise
   */
  static HitKey of(Map<String, Object> hit, boolean useDetails, double hybridRatio) {
    double global = number(hit.get("_rankingScore"), 0.0);
    int shard = (int) number(hit.get(ReservedFields.SHARD), -1);
    Map<String, Object> details = MeiliOrder.asMap(hit.get("_rankingScoreDetails"));
    if (!Double.isNaN(hybridRatio)) {
      boolean semantic = details != null && details.containsKey("vectorSort");
      return new HitKey(NO_KINDS, null, null, null, global * (semantic ? hybridRatio : 1.0 - hybridRatio), shard);
    }
    if (!useDetails || details == null || details.isEmpty()) {
      return new HitKey(NO_KINDS, null, null, null, global, shard);
    }
    return fromDetails(details, global, shard);
  }

  private static HitKey fromDetails(Map<String, Object> details, double global, int shard) {
    int n = details.size();
    byte[] kinds = new byte[n];
    boolean[] ascending = new boolean[n];
    double[] numbers = new double[n];
    Object[] values = null;
    int i = 0;
    // Node JSON lists the rules in their "order"; insertion order is kept by the decoder's LinkedHashMap.
    for (Map.Entry<String, Object> e : details.entrySet()) {
      String rule = e.getKey();
      Map<String, Object> d = MeiliOrder.asMap(e.getValue());
      if (d == null) {
        d = Map.of();
      }
      if (rule.startsWith("_geoPoint(") || d.containsKey("distance")) {
        kinds[i] = GEO;
        ascending[i] = rule.endsWith(":asc");
        numbers[i] = number(d.get("distance"), Double.NaN);
      } else if (d.containsKey("value")) {
        kinds[i] = SORT;
        ascending[i] = rule.endsWith(":asc");
        if (values == null) {
          values = new Object[n];
        }
        values[i] = sortValue(d.get("value"));
      } else if ("vectorSort".equals(rule)) {
        numbers[i] = number(d.get("similarity"), 0.0);
      } else {
        // Rank rules, and "skipped" (no score: rank 0 of 1).
        numbers[i] = number(d.get("score"), 0.0);
      }
      i++;
    }
    return new HitKey(kinds, ascending, numbers, values, global, shard);
  }

  /**
   * Negative when {@code a} ranks before {@code b}, zero when one node could not tell them apart.
   */
  static int compare(HitKey a, HitKey b) {
    int n = Math.min(a.kinds.length, b.kinds.length);
    for (int i = 0; i < n; i++) {
      byte kind = a.kinds[i];
      if (kind != b.kinds[i] || (kind != RANK && a.ascending[i] != b.ascending[i])) {
        // Different rule lists (a node cut its ranking short): only the global score is comparable.
        break;
      }
      int c = switch (kind) {
        case RANK -> Double.compare(b.numbers[i], a.numbers[i]);
        case SORT -> -MeiliOrder.compareSortValues(a.ascending[i], a.values[i], b.values[i]);
        default -> compareDistance(a.ascending[i], a.numbers[i], b.numbers[i]);
      };
      if (c != 0) {
        return c;
      }
    }
    if (Math.abs(a.global - b.global) <= Math.ulp(1.0)) {
      // Equal up to f64::EPSILON, as milli's hybrid merge and the federated merge treat scores.
      return 0;
    }
    return Double.compare(b.global, a.global);
  }

  private static int compareDistance(boolean ascending, double a, double b) {
    boolean missingA = Double.isNaN(a);
    boolean missingB = Double.isNaN(b);
    if (missingA || missingB) {
      return missingA == missingB ? 0 : (missingA ? 1 : -1);
    }
    int order = Double.compare(a, b);
    return ascending ? order : -order;
  }

  private static Object sortValue(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return v instanceof String ? v : null;
  }

  private static double number(Object o, double fallback) {
    return o instanceof Number n ? n.doubleValue() : fallback;
  }
}
