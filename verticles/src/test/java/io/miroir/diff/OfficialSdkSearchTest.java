package io.miroir.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meilisearch.sdk.Client;
import com.meilisearch.sdk.Config;
import com.meilisearch.sdk.FacetSearchRequest;
import com.meilisearch.sdk.Index;
import com.meilisearch.sdk.IndexSearchRequest;
import com.meilisearch.sdk.FederationOptions;
import com.meilisearch.sdk.MergeFacets;
import com.meilisearch.sdk.MultiSearchFederation;
import com.meilisearch.sdk.MultiSearchRequest;
import com.meilisearch.sdk.SearchRequest;
import com.meilisearch.sdk.SimilarDocumentRequest;
import com.meilisearch.sdk.exceptions.MeilisearchApiException;
import com.meilisearch.sdk.model.DocumentsQuery;
import com.meilisearch.sdk.model.FacetSearchResult;
import com.meilisearch.sdk.model.Faceting;
import com.meilisearch.sdk.model.MultiSearchResult;
import com.meilisearch.sdk.model.Results;
import com.meilisearch.sdk.model.SearchResult;
import com.meilisearch.sdk.model.SearchResultPaginated;
import com.meilisearch.sdk.model.SimilarDocumentsResults;
import com.meilisearch.sdk.model.Settings;
import com.meilisearch.sdk.model.Task;
import com.meilisearch.sdk.model.TaskInfo;
import com.meilisearch.sdk.model.TaskStatus;
import com.meilisearch.sdk.model.TasksQuery;
import com.meilisearch.sdk.model.TasksResults;
import io.miroir.testing.ApiClient;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The official Java SDK (meilisearch-java 0.15.0) pointed at Miroir, on 3 nodes with RF=2 (SPEC §0 principles 1
 * and 4): every call goes to Miroir and, unchanged, to the reference node; the SDK must parse Miroir's answers and
 * they must carry the reference's values. Covers search with filters, facets and sort, page mode, facet search,
 * non-federated and federated multi-search, similar documents, documents (one, a page, a filtered fetch) and tasks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialSdkSearchTest {
  private static final String INDEX = "sdk_books";
  private static final int DOCUMENTS = 400;
  private static final String VECTORS = "sdk_vectors";
  private MiroirHarness miroir;
  private Client viaMiroir;
  private Client reference;

  @BeforeAll
  void start() {
    MeiliNode ref = DifferentialSuite.loadedReference();
    miroir = MiroirHarness.start(MeiliNodes.shared().nodes(3), 2, 1, 8);
    viaMiroir = new Client(new Config(miroir.url(), MiroirHarness.MASTER_KEY));
    reference = new Client(new Config(ref.address(), MeiliNodes.MASTER_KEY));
    for (Client client : List.of(viaMiroir, reference)) {
      load(client);
    }
    for (ApiClient client : List.of(miroir.client(), MiroirHarness.direct(ref))) {
      loadVectors(client);
    }
  }

  /** A small index with a user-provided embedder, for similar documents (set up over HTTP, read with the SDK). */
  private static void loadVectors(ApiClient client) {
    List<Long> tasks = new ArrayList<>();
    tasks.add(client.post("/indexes", new io.vertx.core.json.JsonObject().put("uid", VECTORS).put("primaryKey", "id"))
        .json().getLong("taskUid"));
    tasks.add(client.patch("/indexes/" + VECTORS + "/settings", DiffCorpus.vectorSettings()).json()
        .getLong("taskUid"));
    tasks.add(client.post("/indexes/" + VECTORS + "/documents", new JsonArray(DiffCorpus.vectorDocuments().getList()
        .subList(0, 200))).json().getLong("taskUid"));
    for (long task : tasks) {
      assertEquals("succeeded", client.waitTask(task).getString("status"), "task " + task);
    }
  }

  @AfterAll
  void stop() {
    try {
      succeeded(reference, reference.deleteIndex(INDEX));
      succeeded(reference, reference.deleteIndex(VECTORS));
    } finally {
      miroir.close();
    }
  }

  /** Creation, settings and documents through the SDK, each task awaited and checked. */
  private static void load(Client client) {
    succeeded(client, client.createIndex(INDEX, "id"));
    Index index = client.index(INDEX);
    Settings settings = new Settings();
    settings.setFilterableAttributes(new String[] {"id", "genre", "format", "tags", "year", "price", "in_stock"});
    settings.setSortableAttributes(new String[] {"id", "year", "price"});
    Faceting faceting = new Faceting();
    faceting.setMaxValuesPerFacet(10);
    settings.setFaceting(faceting);
    succeeded(client, index.updateSettings(settings));
    JsonArray docs = new JsonArray(DiffCorpus.documents().getList().subList(0, DOCUMENTS));
    succeeded(client, index.addDocuments(docs.encode(), "id"));
  }

  /** Waits with a 60 s limit (the SDK's default of 5 s is short for a 2-core machine indexing on 4 processes). */
  private static void succeeded(Client client, TaskInfo info) {
    client.index(INDEX).waitForTask(info.getTaskUid(), 60_000, 50);
    Task task = client.getTask(info.getTaskUid());
    assertEquals(TaskStatus.SUCCEEDED, task.getStatus(), "task " + info.getTaskUid() + ": " + task.getError());
  }

  /** Runs the same SDK call on both and returns {reference, miroir}. */
  private <T> List<T> both(Function<Client, T> call) {
    return List.of(call.apply(reference), call.apply(viaMiroir));
  }

  @Test
  void searchWithFilterFacetsAndSortReadsAsOnTheReference() {
    SearchRequest request = SearchRequest.builder().q("river").filter(new String[] {"year > 1950"})
        .facets(new String[] {"genre", "format", "price"}).sort(new String[] {"price:asc", "id:asc"}).limit(15)
        .build();
    List<SearchResult> r = both(c -> (SearchResult) c.index(INDEX).search(request));
    assertFalse(r.get(0).getHits().isEmpty(), "the query matches something");
    assertEquals(ids(r.get(0).getHits()), ids(r.get(1).getHits()));
    assertEquals(r.get(0).getEstimatedTotalHits(), r.get(1).getEstimatedTotalHits());
    assertEquals(r.get(0).getFacetDistribution(), r.get(1).getFacetDistribution());
    assertEquals(r.get(0).getFacetStats().get("price").getMin(), r.get(1).getFacetStats().get("price").getMin());
    assertEquals(r.get(0).getFacetStats().get("price").getMax(), r.get(1).getFacetStats().get("price").getMax());
    assertTrue(r.get(1).getHits().stream().noneMatch(h -> h.keySet().stream().anyMatch(k -> k.startsWith("_miroir"))));
  }

  @Test
  void filterArrayAndPageModeReadAsOnTheReference() {
    SearchRequest request = SearchRequest.builder().filterArray(new String[][] {{"genre = poetry", "genre = travel"},
        {"in_stock = true"}}).sort(new String[] {"year:desc", "id:asc"}).page(2).hitsPerPage(7).build();
    List<SearchResultPaginated> r = both(c -> (SearchResultPaginated) c.index(INDEX).search(request));
    assertEquals(7, r.get(1).getHits().size());
    assertEquals(ids(r.get(0).getHits()), ids(r.get(1).getHits()));
    assertEquals(r.get(0).getTotalHits(), r.get(1).getTotalHits());
    assertEquals(r.get(0).getTotalPages(), r.get(1).getTotalPages());
    assertEquals(2, r.get(1).getPage());
  }

  @Test
  void facetSearchReadsAsOnTheReference() {
    FacetSearchRequest request = FacetSearchRequest.builder().facetName("tags").facetQuery("s").build();
    List<FacetSearchResult> r = both(c -> (FacetSearchResult) c.index(INDEX).facetSearch(request));
    assertFalse(r.get(0).getFacetHits().isEmpty());
    assertEquals(r.get(0).getFacetHits(), r.get(1).getFacetHits());
    assertEquals("s", r.get(1).getFacetQuery());
  }

  @Test
  void multiSearchAnswersEveryQueryInOrder() {
    List<Results<MultiSearchResult>> r = both(c -> c.multiSearch(new MultiSearchRequest()
        .addQuery(new IndexSearchRequest(INDEX).setQ("harbor").setSort(new String[] {"id:asc"}).setLimit(5))
        .addQuery(new IndexSearchRequest(INDEX).setFilter(new String[] {"genre = poetry"}).setFacets(
            new String[] {"format"}).setSort(new String[] {"id:desc"}).setLimit(3))));
    MultiSearchResult[] expected = r.get(0).getResults();
    MultiSearchResult[] actual = r.get(1).getResults();
    assertEquals(2, actual.length);
    for (int i = 0; i < 2; i++) {
      assertEquals(INDEX, actual[i].getIndexUid());
      assertEquals(ids(expected[i].getHits()), ids(actual[i].getHits()));
      assertEquals(expected[i].getEstimatedTotalHits(), actual[i].getEstimatedTotalHits());
    }
    assertEquals(expected[1].getFacetDistribution(), actual[1].getFacetDistribution());
  }

  @Test
  void federatedMultiSearchReadsAsOnTheReference() {
    MultiSearchRequest queries = new MultiSearchRequest()
        .addQuery(new IndexSearchRequest(INDEX).setQ("harbor").setSort(new String[] {"id:asc"})
            .setShowRankingScore(true))
        .addQuery(new IndexSearchRequest(INDEX).setQ("river").setSort(new String[] {"id:asc"})
            .setFederationOptions(new FederationOptions().setWeight(0.8)));
    Map<String, String[]> facets = new HashMap<>();
    facets.put(INDEX, new String[] {"genre", "format"});
    List<MultiSearchResult> r = both(c -> c.multiSearch(queries, new MultiSearchFederation().setLimit(12).setOffset(3)
        .setFacetsByIndex(facets)));
    assertFalse(r.get(0).getHits().isEmpty(), "the queries match something");
    assertEquals(ids(r.get(0).getHits()), ids(r.get(1).getHits()));
    assertEquals(federation(r.get(0).getHits()), federation(r.get(1).getHits()));
    assertEquals(r.get(0).getEstimatedTotalHits(), r.get(1).getEstimatedTotalHits());
    assertEquals(12, r.get(1).getLimit());
    assertEquals(3, r.get(1).getOffset());
    assertEquals(r.get(0).getFacetsByIndex().get(INDEX).getDistribution(),
        r.get(1).getFacetsByIndex().get(INDEX).getDistribution());

    List<MultiSearchResult> merged = both(c -> c.multiSearch(queries, new MultiSearchFederation().setLimit(5)
        .setFacetsByIndex(facets).setMergeFacets(new MergeFacets(3))));
    assertEquals(ids(merged.get(0).getHits()), ids(merged.get(1).getHits()));
    assertEquals(merged.get(0).getFacetDistribution(), merged.get(1).getFacetDistribution());
  }

  @Test
  void similarDocumentsReadAsOnTheReference() {
    // A filter keeps the neighbour search exhaustive on every node (A8: unfiltered, it is approximate).
    SimilarDocumentRequest request = new SimilarDocumentRequest().setId("7").setEmbedder(DiffCorpus.EMBEDDER)
        .setFilter("popularity < 40").setLimit(8).setShowRankingScore(true);
    List<SimilarDocumentsResults> r = both(c -> c.index(VECTORS).searchSimilarDocuments(request));
    assertEquals(8, r.get(1).getHits().size());
    assertEquals("7", r.get(1).getId());
    assertEquals(ids(r.get(0).getHits()), ids(r.get(1).getHits()));
    assertEquals(r.get(0).getEstimatedTotalHits(), r.get(1).getEstimatedTotalHits());
    assertEquals(r.get(0).getHits().get(0).get("_rankingScore"), r.get(1).getHits().get(0).get("_rankingScore"));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> federation(List<HashMap<String, Object>> hits) {
    List<Object> out = new ArrayList<>();
    hits.forEach(h -> out.add(((Map<String, Object>) h.get("_federation")).get("weightedRankingScore")));
    return out;
  }

  @Test
  void documentsAreReadOneByOneByPageAndByFilter() {
    List<Map<?, ?>> one = both(c -> c.index(INDEX).getDocument("42", HashMap.class));
    assertEquals(one.get(0), one.get(1));
    assertFalse(one.get(1).containsKey("_miroir_shard"));

    List<Results<HashMap>> page = both(c -> c.index(INDEX).getDocuments(new DocumentsQuery().setLimit(25)
        .setOffset(10).setFields(new String[] {"id", "title"}), HashMap.class));
    assertEquals(DOCUMENTS, page.get(1).getTotal());
    assertEquals(25, page.get(1).getResults().length);
    assertEquals(List.of("id", "title"), new ArrayList<>(new java.util.TreeSet<String>(
        castKeys(page.get(1).getResults()[0]))));

    List<Results<HashMap>> fetched = both(c -> c.index(INDEX).getDocuments(new DocumentsQuery().setLimit(1000)
        .setFilter(new String[] {"genre = poetry"}), HashMap.class));
    assertEquals(fetched.get(0).getTotal(), fetched.get(1).getTotal());
    assertEquals(idSet(fetched.get(0).getResults()), idSet(fetched.get(1).getResults()));
  }

  @Test
  void tasksAndErrorsAreMeilisearchs() {
    Index index = viaMiroir.index(INDEX);
    TaskInfo deletion = index.deleteDocument("7");
    succeeded(viaMiroir, deletion);
    TasksResults tasks = viaMiroir.getTasks(new TasksQuery().setIndexUids(new String[] {INDEX})
        .setTypes(new String[] {"documentDeletion"}));
    assertTrue(java.util.Arrays.stream(tasks.getResults()).anyMatch(t -> t.getUid() == deletion.getTaskUid()));
    MeilisearchApiException gone = assertThrows(MeilisearchApiException.class,
        () -> index.getDocument("7", HashMap.class));
    assertEquals("document_not_found", gone.getCode());
    MeilisearchApiException badFilter = assertThrows(MeilisearchApiException.class,
        () -> index.search(SearchRequest.builder().filter(new String[] {"isbn = 1"}).build()));
    assertEquals("invalid_search_filter", badFilter.getCode());
    assertFalse(badFilter.getMessage().contains("_miroir"), badFilter.getMessage());
    MeilisearchApiException missing = assertThrows(MeilisearchApiException.class,
        () -> viaMiroir.index("sdk_missing").search("x"));
    assertEquals("index_not_found", missing.getCode());
  }

  @SuppressWarnings("unchecked")
  private static java.util.Set<String> castKeys(HashMap<?, ?> map) {
    return (java.util.Set<String>) map.keySet();
  }

  private static List<Object> ids(List<HashMap<String, Object>> hits) {
    List<Object> out = new ArrayList<>();
    hits.forEach(h -> out.add(h.get("id")));
    return out;
  }

  private static java.util.Set<Object> idSet(HashMap<?, ?>[] docs) {
    java.util.Set<Object> out = new java.util.HashSet<>();
    for (HashMap<?, ?> d : docs) {
      out.add(d.get("id"));
    }
    return out;
  }
}
