package io.miroir.diff;

import io.miroir.diff.DiffComparator.Difference;
import io.miroir.merge.SearchableFields;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The differences the suite accepts. Each is documented with its reason in docs/search-merge.md under the same id
 * ("Accepted differences"; {@code DiffQueriesTest} checks the ids are there) and applies only under the condition
 * that explains it, read from the query itself, never from a list of query names: a difference outside its
 * condition fails the suite. The first matching entry names the reason (A4 before A2: under distinct, a facet list
 * differs first because of which documents are kept).
 */
final class AcceptedDifferences {
  /** One accepted difference: documented id, short reason, and when it applies. */
  record Accepted(String id, String summary, BiPredicate<DiffQuery, Difference> covers) {
  }

  static final List<Accepted> ALL = List.of(
      new Accepted("A1", "document keys in a node's field order",
          (q, d) -> d.field().endsWith("key order")),
      new Accepted("A4", "facet counts under distinct",
          (q, d) -> (!q.federated() && DiffComparator.distinctOf(q) != null && (d.field().startsWith(
              "facetDistribution.") || d.field().startsWith("facetStats.")))
              || (q.federated() && federatedDistinctFacets(q, d.field()))),
      new Accepted("A2", "negative or _geo number facet values cut in text order by nodes below 3000 candidates",
          (q, d) -> d.field().startsWith("facetDistribution.") && fullNumberList(d.reference())
              && (d.field().startsWith("facetDistribution._geo.") || d.reference().contains("\"-"))),
      new Accepted("A3", "estimatedTotalHits under distinct, an estimate on one node too",
          (q, d) -> (!q.federated() && DiffComparator.distinctOf(q) != null
              && d.field().startsWith("estimatedTotalHits (the reference's is an estimate"))
              || (q.federated() && !distinctIndexes(q).isEmpty() && d.field().equals("estimatedTotalHits"))),
      new Accepted("A5", "a query word equal to a shard number ranks by _miroir_shard's position",
          (q, d) -> hasNumberWord(q) && d.field().startsWith("hits[") && d.field().contains("] ranking (id ")),
      new Accepted("A6", "estimatedTotalHits under rankingScoreThreshold is one node's estimate",
          (q, d) -> q.json() != null && q.json().containsKey("rankingScoreThreshold")
              && d.field().startsWith("estimatedTotalHits (the reference's is an estimate")),
      new Accepted("A7", "distinct on an array attribute across nodes",
          (q, d) -> isArrayDistinct(q) && d.field().startsWith("hits[") && d.field().contains("] ranking (id ")),
      new Accepted("A8", "approximate nearest neighbours: another semantic hit of true similarity",
          (q, d) -> (q.kind() == DiffQuery.Kind.SIMILAR && d.field().endsWith("] another neighbour"))
              || (q.kind() == DiffQuery.Kind.SEARCH && q.json() != null && q.json().containsKey("vector")
                  && d.field().startsWith("hits[") && d.field().contains("] ranking (id ")
                  && semantic(d.reference()) && semantic(d.miroir()))));

  private AcceptedDifferences() {
  }

  /** The documented id and summary covering {@code d} of query {@code q}, or null when nothing explains it. */
  static String reason(DiffQuery q, Difference d) {
    for (Accepted a : ALL) {
      if (a.covers().test(q, d)) {
        return a.id() + ": " + a.summary();
      }
    }
    return null;
  }

  /** A facet value list of number values holding maxValuesPerFacet entries (so nodes may have cut theirs). */
  private static boolean fullNumberList(String referenceJson) {
    if (referenceJson == null || !referenceJson.startsWith("{")) {
      return false;
    }
    JsonObject values = new JsonObject(referenceJson);
    return values.size() == DiffCorpus.MAX_VALUES_PER_FACET
        && values.fieldNames().stream().allMatch(v -> v.matches("-?[0-9]+(\\.[0-9]+)?"));
  }

  private static boolean hasNumberWord(DiffQuery q) {
    return q.json() != null && q.json().getValue("q") instanceof String text && SearchableFields.hasDigit(text);
  }

  /**
   * The indexes of a federated request with a query under {@code distinct} (its own or the index's): one node counts
   * their candidates and facets after a partial distinct pass, as in offset/limit mode (A3, A4).
   */
  static java.util.Set<String> distinctIndexes(DiffQuery q) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Object o : q.json().getJsonArray("queries")) {
      JsonObject query = (JsonObject) o;
      String index = query.getString("indexUid");
      if (query.getValue("distinct") instanceof String || DiffCorpus.DISTINCT.equals(index)) {
        out.add(index);
      }
    }
    return out;
  }

  /** A facet field of a federated answer computed over candidates under distinct (A4). */
  private static boolean federatedDistinctFacets(DiffQuery q, String field) {
    java.util.Set<String> indexes = distinctIndexes(q);
    if (indexes.isEmpty()) {
      return false;
    }
    if (field.startsWith("facetDistribution.") || field.startsWith("facetStats.")) {
      return true;
    }
    for (String index : indexes) {
      if (field.startsWith("facetsByIndex." + index + ".distribution.")
          || field.startsWith("facetsByIndex." + index + ".stats.")) {
        return true;
      }
    }
    return false;
  }

  /** Score details of a semantic hit (ranked by vector similarity alone). */
  private static boolean semantic(String details) {
    if (details == null || !details.startsWith("{")) {
      return false;
    }
    JsonObject d = new JsonObject(details);
    return d.size() == 1 && d.containsKey("vectorSort");
  }

  private static boolean isArrayDistinct(DiffQuery q) {
    return "tags".equals(DiffComparator.distinctOf(q));
  }
}
