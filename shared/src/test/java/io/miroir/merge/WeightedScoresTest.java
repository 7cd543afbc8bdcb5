package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The weighted score values of federated search (Meilisearch 1.21 weighted_scores.rs), on real detail shapes. */
class WeightedScoresTest {
  private static Map<String, Object> details(String json) {
    return new JsonObject(json).getMap();
  }

  private static final String RELEVANCY = "'words':{'order':0,'matchingWords':1,'maxMatchingWords':1,'score':1.0},"
      + "'typo':{'order':1,'typoCount':0,'maxTypoCount':1,'score':1.0},'proximity':{'order':2,'score':1.0},"
      + "'attribute':{'order':3,'attributeRankingOrderScore':1.0,'queryWordDistanceScore':1.0,'score':1.0}";

  @Test
  void oneGroupOfRankingRulesIsTheRankingScoreTimesTheWeight() {
    List<WeightedScores.Value> v = WeightedScores.of(details(("{" + RELEVANCY
        + ",'exactness':{'order':4,'matchType':'matchesStart','score':0.6666666666666666}}").replace('\'', '"')),
        0.9848484848484849, 0.5);
    assertEquals(1, v.size());
    assertEquals(0.9848484848484849 * 0.5, v.get(0).number());
  }

  @Test
  void aSortRuleSplitsTheGroupsAndLaterSingleRulesKeepTheirScore() {
    // Captured on 1.21: q "night", sort year:asc; _rankingScore is the first group's score (1.0).
    List<WeightedScores.Value> v = WeightedScores.of(details(("{" + RELEVANCY
        + ",'year:asc':{'order':4,'value':1906.0},'exactness':{'order':5,'matchType':'matchesStart',"
        + "'score':0.6666666666666666},'popularity:desc':{'order':6,'value':12.0}}").replace('\'', '"')), 1.0, 2.0);
    assertEquals(4, v.size());
    assertEquals(WeightedScores.SCORE, v.get(0).kind());
    assertEquals(2.0, v.get(0).number());
    assertEquals(WeightedScores.SORT, v.get(1).kind());
    assertTrue(v.get(1).ascending());
    assertEquals(1906.0, v.get(1).sortValue());
    assertEquals(0.6666666666666666 * 2.0, v.get(2).number());
    assertEquals(12.0, v.get(3).sortValue());
  }

  @Test
  void aLaterGroupOfSeveralRulesMergesTheirRanks() {
    // words 2 of 3, typo 1 of max 2: Rank::merge gives ((2 - 1) * 3 + 2) / (3 * 3).
    Map<String, Object> d = details(("{'year:asc':{'order':0,'value':1.0},'x':{'order':1,'value':2.0},"
        + "'words':{'order':2,'matchingWords':2,'maxMatchingWords':3,'score':0.6666666666666666},"
        + "'typo':{'order':3,'typoCount':1,'maxTypoCount':2,'score':0.6666666666666666}}").replace('\'', '"'));
    List<WeightedScores.Value> first = WeightedScores.of(d, 0.3, 1.0);
    assertEquals(0.3, first.get(2).number(), "the first group is the ranking score");
    Map<String, Object> later = details(("{'words':{'order':0,'matchingWords':1,'maxMatchingWords':1,'score':1.0},"
        + "'year:asc':{'order':1,'value':1.0},"
        + "'words2':{'order':2,'score':1.0},"
        + "'typo':{'order':3,'typoCount':1,'maxTypoCount':2,'score':0.6666666666666666}}").replace('\'', '"'));
    List<WeightedScores.Value> v = WeightedScores.of(later, 1.0, 1.0);
    assertEquals(3, v.size());
    assertEquals(((1 - 1) * 3 + 2) / 3.0, v.get(2).number(), 1e-12);
  }

  @Test
  void comparisonFollowsTheNode() {
    List<WeightedScores.Value> high = List.of(new WeightedScores.Value(WeightedScores.SCORE, 0.9, false, null));
    List<WeightedScores.Value> low = List.of(new WeightedScores.Value(WeightedScores.SCORE, 0.8, false, null));
    assertTrue(WeightedScores.compare(high, 0.9, low, 0.8) > 0);
    List<WeightedScores.Value> almost = List.of(new WeightedScores.Value(WeightedScores.SCORE, 0.9 + 1e-17, false,
        null));
    assertEquals(0, WeightedScores.compare(high, 0.9, almost, 0.9), "equal within f64::EPSILON");
    // Sort values: ascending, smaller first; numbers before strings.
    List<WeightedScores.Value> one = List.of(new WeightedScores.Value(WeightedScores.SORT, 0, true, 1.0));
    List<WeightedScores.Value> two = List.of(new WeightedScores.Value(WeightedScores.SORT, 0, true, 2.0));
    List<WeightedScores.Value> text = List.of(new WeightedScores.Value(WeightedScores.SORT, 0, true, "a"));
    assertTrue(WeightedScores.compare(one, 0, two, 0) > 0);
    assertTrue(WeightedScores.compare(two, 0, text, 0) > 0);
    // Opposite directions: the weighted ranking score decides.
    List<WeightedScores.Value> desc = List.of(new WeightedScores.Value(WeightedScores.SORT, 0, false, 9.0));
    assertTrue(WeightedScores.compare(one, 0.2, desc, 0.7) < 0);
    // Geo: the larger distance first, whatever the direction (the 1.21 binary does so); no location last.
    List<WeightedScores.Value> near = List.of(new WeightedScores.Value(WeightedScores.GEO, 10, true, null));
    List<WeightedScores.Value> far = List.of(new WeightedScores.Value(WeightedScores.GEO, 5000, true, null));
    List<WeightedScores.Value> nowhere = List.of(new WeightedScores.Value(WeightedScores.GEO, Double.NaN, true,
        null));
    assertTrue(WeightedScores.compare(far, 1, near, 1) > 0);
    assertTrue(WeightedScores.compare(nowhere, 1, near, 1) < 0);
    // Different kinds: more remaining values first, then the weighted ranking score.
    List<WeightedScores.Value> scoreThenSort = List.of(new WeightedScores.Value(WeightedScores.SCORE, 0.5, false,
        null), new WeightedScores.Value(WeightedScores.SORT, 0, true, 1.0));
    assertTrue(WeightedScores.compare(scoreThenSort, 0.5, one, 1.0) > 0);
    // A shorter list that agrees so far ranks after.
    assertTrue(WeightedScores.compare(scoreThenSort, 0.5, List.of(scoreThenSort.get(0)), 0.5) > 0);
  }
}
