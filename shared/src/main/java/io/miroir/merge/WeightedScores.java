package io.miroir.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How Meilisearch 1.21 orders the hits of different queries of a federated multi-search (SPEC §13.11, §0 principle
 * 1): each hit's score details become a list of <em>weighted score values</em> (milli
 * {@code ScoreDetails::weighted_score_values}) and two hits compare value by value (meilisearch
 * {@code search/federated/weighted_scores.rs}).
 *
 * <p>Values: consecutive ranking rules (words, typo, proximity, attribute, exactness, …) merge into one rank whose
 * local score is multiplied by the query's weight; a sort rule gives its value; a geo sort its distance; a vector
 * sort its similarity × weight. Comparison, as the 1.21 binary does it (verified): scores within f64::EPSILON are
 * equal; sort values compare with {@code compare_sort_values}, and sort rules of opposite directions fall back to the
 * weighted global score; geo distances compare <em>larger first whatever the direction</em> (a 1.21 quirk: two
 * queries sorted by {@code _geoPoint(…):asc} interleave farthest first); values of different kinds compare by how many
 * values each side has left, then by the weighted global score.
 *
 * <p>The merged score of a group of rules is exact when Meilisearch reports it: the first group's is the hit's
 * {@code _rankingScore} (1.21 reports the first score value as the ranking score), and a later group made of one rule
 * is that rule's {@code score}. A later group of several rules needs the rules' maximum ranks, which the details give
 * for {@code words} and {@code typo} only; the others are estimated from the query's word count (docs/search-merge.md,
 * A8).
 */
final class WeightedScores {
  static final byte SCORE = 0;
  static final byte SORT = 1;
  static final byte GEO = 2;
  static final byte VECTOR = 3;

  /** One weighted score value. */
  record Value(byte kind, double number, boolean ascending, Object sortValue) {
  }

  private WeightedScores() {
  }

  /**
   * The weighted score values of a hit.
   *
   * @param details the hit's {@code _rankingScoreDetails} (null or empty: one value, the score)
   * @param rankingScore the hit's {@code _rankingScore}
   * @param weight the query's {@code federationOptions.weight}
   */
  static List<Value> of(Map<String, Object> details, double rankingScore, double weight) {
    List<Value> out = new ArrayList<>(4);
    if (details == null || details.isEmpty()) {
      out.add(new Value(SCORE, rankingScore * weight, false, null));
      return out;
    }
    List<Map.Entry<String, Map<String, Object>>> group = new ArrayList<>(6);
    boolean firstScoreSeen = false;
    int words = wordCount(details);
    for (Map.Entry<String, Object> e : details.entrySet()) {
      String rule = e.getKey();
      Map<String, Object> d = MeiliOrder.asMap(e.getValue());
      if (d == null) {
        d = Map.of();
      }
      if (isRank(rule, d)) {
        group.add(Map.entry(rule, d));
        continue;
      }
      if (!group.isEmpty()) {
        out.add(new Value(SCORE, (firstScoreSeen ? merged(group, words) : rankingScore) * weight, false, null));
        firstScoreSeen = true;
        group.clear();
      }
      if (rule.startsWith("_geoPoint(") || d.containsKey("distance")) {
        out.add(new Value(GEO, d.get("distance") instanceof Number n ? n.doubleValue() : Double.NaN,
            rule.endsWith(":asc"), null));
      } else if ("vectorSort".equals(rule)) {
        double similarity = d.get("similarity") instanceof Number n ? n.doubleValue() : 0.0;
        out.add(new Value(VECTOR, (firstScoreSeen ? similarity : rankingScore) * weight, false, null));
        firstScoreSeen = true;
      } else {
        Object v = d.get("value");
        out.add(new Value(SORT, 0, rule.endsWith(":asc"), v instanceof Number n ? (Object) n.doubleValue()
            : v instanceof String ? v : null));
      }
    }
    if (!group.isEmpty()) {
      out.add(new Value(SCORE, (firstScoreSeen ? merged(group, words) : rankingScore) * weight, false, null));
    }
    return out;
  }

  private static boolean isRank(String rule, Map<String, Object> d) {
    return !rule.startsWith("_geoPoint(") && !d.containsKey("distance") && !d.containsKey("value")
        && !"vectorSort".equals(rule);
  }

  /** The number of query words the ranking saw (the {@code words} rule's count), at least 1. */
  private static int wordCount(Map<String, Object> details) {
    Map<String, Object> words = MeiliOrder.asMap(details.get("words"));
    if (words != null && words.get("matchingWords") instanceof Number n && n.intValue() > 0) {
      return n.intValue();
    }
    return 1;
  }

  /**
   * The local score of a group of consecutive rank rules, merged as {@code Rank::merge} does: rank = (rank − 1) ×
   * inner max + inner rank, max = max × inner max.
   */
  static double merged(List<Map.Entry<String, Map<String, Object>>> group, int words) {
    if (group.size() == 1) {
      return score(group.get(0).getValue());
    }
    double rank = 1;
    double max = 1;
    for (Map.Entry<String, Map<String, Object>> e : group) {
      Map<String, Object> d = e.getValue();
      double[] rm = rankOf(e.getKey(), d, words);
      rank = (rank - 1) * rm[1] + rm[0];
      max = max * rm[1];
    }
    return rank / max;
  }

  /** {rank, max rank} of one rule: read from its details where Meilisearch shows them, else estimated. */
  private static double[] rankOf(String rule, Map<String, Object> d, int words) {
    switch (rule) {
      case "words" -> {
        double m = number(d.get("maxMatchingWords"), 1);
        return new double[] {number(d.get("matchingWords"), m), Math.max(1, m)};
      }
      case "typo" -> {
        double m = number(d.get("maxTypoCount"), 0) + 1;
        return new double[] {m - number(d.get("typoCount"), 0), m};
      }
      case "exactness" -> {
        if (d.containsKey("maxMatchingWords")) {
          double m = number(d.get("maxMatchingWords"), 0) + 1;
          return new double[] {number(d.get("matchingWords"), 0) + 1, 3 * m};
        }
        return estimated(score(d), 3);
      }
      case "skipped" -> {
        return new double[] {0, 1};
      }
      // proximity: 7 per gap between consecutive words; attribute: position (10 per word) × field (equal weights).
      case "proximity" -> {
        return estimated(score(d), 7.0 * (words - 1) + 1);
      }
      case "attribute", "attributePosition" -> {
        return estimated(score(d), 10.0 * words + 1);
      }
      default -> {
        return estimated(score(d), 1);
      }
    }
  }

  private static double[] estimated(double score, double max) {
    return new double[] {Math.rint(score * max), max};
  }

  private static double score(Map<String, Object> d) {
    return number(d.get("score"), 0);
  }

  private static double number(Object o, double fallback) {
    return o instanceof Number n ? n.doubleValue() : fallback;
  }

  /**
   * Compares two hits' values as Meilisearch 1.21 does; positive when {@code left} ranks first.
   *
   * @param leftGlobal the left hit's weighted ranking score ({@code _rankingScore × weight})
   */
  static int compare(List<Value> left, double leftGlobal, List<Value> right, double rightGlobal) {
    int n = Math.max(left.size(), right.size());
    for (int i = 0; i < n; i++) {
      if (i >= left.size()) {
        return -1;
      }
      if (i >= right.size()) {
        return 1;
      }
      Value l = left.get(i);
      Value r = right.get(i);
      boolean lScore = l.kind() == SCORE || l.kind() == VECTOR;
      boolean rScore = r.kind() == SCORE || r.kind() == VECTOR;
      if (lScore && rScore) {
        if (Math.abs(l.number() - r.number()) <= Math.ulp(1.0)) {
          continue;
        }
        return Double.compare(l.number(), r.number());
      }
      if (l.kind() == SORT && r.kind() == SORT) {
        if (l.ascending() != r.ascending()) {
          return Double.compare(leftGlobal, rightGlobal);
        }
        int c = MeiliOrder.compareSortValues(l.ascending(), l.sortValue(), r.sortValue());
        if (c != 0) {
          return c;
        }
        continue;
      }
      if (l.kind() == GEO && r.kind() == GEO) {
        if (l.ascending() != r.ascending()) {
          continue;
        }
        boolean lMissing = Double.isNaN(l.number());
        boolean rMissing = Double.isNaN(r.number());
        if (lMissing || rMissing) {
          if (lMissing && rMissing) {
            continue;
          }
          return lMissing ? -1 : 1;
        }
        if (Math.abs(l.number() - r.number()) <= Math.ulp(1.0)) {
          continue;
        }
        return Double.compare(l.number(), r.number());
      }
      int c = Integer.compare(left.size() - i - 1, right.size() - i - 1);
      return c != 0 ? c : Double.compare(leftGlobal, rightGlobal);
    }
    return 0;
  }
}
