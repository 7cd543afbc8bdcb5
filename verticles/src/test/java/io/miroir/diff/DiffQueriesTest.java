package io.miroir.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The query corpus covers what issue 3 asks (SPEC §0 principle 1): at least 150 queries, every search parameter of
 * Meilisearch 1.21, both request forms, bad requests and facet search; every accepted difference is documented.
 */
class DiffQueriesTest {
  /** Every search parameter of Meilisearch 1.21 the suite must exercise in a search. */
  static final List<String> PARAMETERS = List.of("q", "filter", "sort", "distinct", "facets", "offset", "limit",
      "page", "hitsPerPage", "attributesToRetrieve", "attributesToHighlight", "highlightPreTag", "highlightPostTag",
      "attributesToCrop", "cropLength", "cropMarker", "showMatchesPosition", "showRankingScore",
      "showRankingScoreDetails", "rankingScoreThreshold", "matchingStrategy", "attributesToSearchOn", "locales",
      "hybrid", "vector", "retrieveVectors");
  /** Every parameter of federated multi-search ({@code federation} and per query). */
  static final List<String> FEDERATION_PARAMETERS = List.of("offset", "limit", "facetsByIndex", "mergeFacets",
      "weight");
  /** Every parameter of similar documents. */
  static final List<String> SIMILAR_PARAMETERS = List.of("id", "embedder", "offset", "limit", "filter",
      "attributesToRetrieve", "retrieveVectors", "showRankingScore", "showRankingScoreDetails",
      "rankingScoreThreshold");

  @Test
  void theCorpusCoversEveryParameterInBothForms() {
    List<DiffQuery> all = DiffQueries.all();
    Map<String, Integer> counts = parameterCounts(all);
    System.out.println("diff corpus: " + all.size() + " queries; per parameter " + counts);
    assertTrue(all.size() >= 150, "at least 150 queries: " + all.size());
    for (String parameter : PARAMETERS) {
      assertTrue(counts.getOrDefault(parameter, 0) > 0, "no query uses " + parameter);
    }
    long searches = all.stream().filter(q -> q.kind() == DiffQuery.Kind.SEARCH).count();
    long getOnly = all.stream().filter(DiffQuery::get).count();
    long bothForms = all.stream().filter(q -> q.kind() == DiffQuery.Kind.SEARCH && !q.get()
        && GetForm.convertible(q.json())).count();
    System.out.println("diff corpus: " + searches + " searches, " + getOnly + " in the GET form only, " + bothForms
        + " in both forms");
    assertTrue(getOnly >= 20, "some searches exist only in the GET form: " + getOnly);
    assertTrue(bothForms * 2 >= searches, "most searches also run in the GET form: " + bothForms);
    assertTrue(all.stream().filter(q -> q.kind() == DiffQuery.Kind.FACET_SEARCH).count() >= 10);
    assertTrue(all.stream().filter(q -> q.name().startsWith("bad-") || q.name().startsWith("fs-bad-")).count() >= 30);
    assertTrue(all.stream().anyMatch(q -> q.json() != null && q.json().getValue("filter") instanceof String));
    assertTrue(all.stream().anyMatch(q -> q.json() != null
        && q.json().getValue("filter") instanceof io.vertx.core.json.JsonArray));
    assertTrue(all.stream().anyMatch(q -> q.json() != null
        && String.valueOf(q.json().getValue("sort")).contains("_geoPoint(")));
  }

  @Test
  void federatedSearchAndSimilarDocumentsAreCovered() {
    List<DiffQuery> all = DiffQueries.all();
    java.util.Set<String> federation = new java.util.TreeSet<>();
    for (DiffQuery q : all) {
      if (q.federated()) {
        federation.addAll(q.json().getJsonObject("federation").fieldNames());
        for (Object query : q.json().getJsonArray("queries")) {
          JsonObject options = ((JsonObject) query).getJsonObject("federationOptions");
          if (options != null) {
            federation.addAll(options.fieldNames());
          }
        }
      }
    }
    assertTrue(federation.containsAll(FEDERATION_PARAMETERS), "federated parameters used: " + federation);
    long federated = all.stream().filter(DiffQuery::federated).count();
    assertTrue(federated >= 30, "federated requests: " + federated);
    assertTrue(all.stream().filter(q -> q.federated() && q.name().startsWith("fed-bad-")).count() >= 8);
    assertTrue(all.stream().filter(q -> q.kind() == DiffQuery.Kind.MULTI_SEARCH && !q.federated())
        .allMatch(q -> q.name().startsWith("ms-bad-")), "non-federated multi-search requests here are errors");
    java.util.Set<String> similar = new java.util.TreeSet<>();
    all.stream().filter(q -> q.kind() == DiffQuery.Kind.SIMILAR).forEach(q -> similar.addAll(q.json().fieldNames()));
    assertTrue(similar.containsAll(SIMILAR_PARAMETERS), "similar parameters used: " + similar);
    assertTrue(all.stream().anyMatch(q -> q.kind() == DiffQuery.Kind.SIMILAR && q.get()));
  }

  @Test
  void theGetFormCarriesListsAndFilterArrays() {
    assertEquals("?q=river&sort=year%3Adesc%2Cprice%3Aasc&filter=%5B%22a+%3D+1%22%5D",
        GetForm.query(DiffQueries.o("{'q':'river','sort':['year:desc','price:asc'],'filter':['a = 1']}")));
    assertEquals("", GetForm.query(new JsonObject()));
  }

  @Test
  void everyAcceptedDifferenceIsDocumented() throws IOException {
    String doc = Files.readString(repositoryRoot().resolve("docs/search-merge.md"));
    for (AcceptedDifferences.Accepted a : AcceptedDifferences.ALL) {
      assertTrue(doc.contains("**" + a.id() + "**"), a.id() + " (" + a.summary() + ") is not in docs/search-merge.md");
    }
  }

  private static Map<String, Integer> parameterCounts(List<DiffQuery> all) {
    Map<String, Integer> counts = new TreeMap<>();
    for (DiffQuery q : all) {
      if (q.json() != null) {
        q.json().fieldNames().forEach(name -> counts.merge(name, 1, Integer::sum));
      }
    }
    return counts;
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/search-merge.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("docs/search-merge.md not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
