package io.miroir.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Index and global stats over replicated groups (SPEC §1.1, D13; MEILISEARCH-1.21-API §3.11). */
class StatsMergerTest {
  /** Group 0: a, b, c; group 1: d, e. RF = 2. */
  private static final Map<String, Integer> GROUPS = Map.of("a", 0, "b", 0, "c", 0, "d", 1, "e", 1);

  private static JsonObject stats(int docs, int raw, int avg, boolean indexing, int titles) {
    return new JsonObject().put("numberOfDocuments", docs).put("rawDocumentDbSize", raw).put("avgDocumentSize", avg)
        .put("isIndexing", indexing).put("numberOfEmbeddings", 0).put("numberOfEmbeddedDocuments", 0)
        .put("fieldDistribution", new JsonObject().put("_miroir_shard", docs).put("id", docs).put("title", titles));
  }

  @Test
  void countsComeFromOneCompleteGroupDividedByRf() {
    Map<String, JsonObject> byNode = new LinkedHashMap<>();
    byNode.put("a", stats(40, 4000, 100, false, 40));
    byNode.put("b", stats(30, 6000, 200, false, 28));
    byNode.put("c", stats(30, 3000, 100, false, 30));
    byNode.put("d", stats(55, 5500, 100, true, 55));
    byNode.put("e", stats(45, 4500, 100, false, 43));
    JsonObject merged = StatsMerger.mergeIndexStats(byNode, GROUPS, 2);
    assertEquals(50, merged.getInteger("numberOfDocuments"), "(40 + 30 + 30) / 2 from group 0");
    assertEquals(6500, merged.getInteger("rawDocumentDbSize"));
    assertEquals(130, merged.getInteger("avgDocumentSize"), "(40*100 + 30*200 + 30*100) / 100");
    assertTrue(merged.getBoolean("isIndexing"), "any node indexing");
    assertEquals(new JsonObject().put("id", 50).put("title", 49), merged.getJsonObject("fieldDistribution"));
    assertEquals(List.of("numberOfDocuments", "rawDocumentDbSize", "avgDocumentSize", "isIndexing",
        "numberOfEmbeddings", "numberOfEmbeddedDocuments", "fieldDistribution"), new ArrayList<>(merged.fieldNames()));
  }

  @Test
  void anIncompleteGroupIsSkipped() {
    Map<String, JsonObject> byNode = new LinkedHashMap<>();
    byNode.put("a", stats(40, 4000, 100, false, 40));
    byNode.put("b", stats(30, 3000, 100, false, 30));
    byNode.put("d", stats(60, 6000, 100, false, 60));
    byNode.put("e", stats(40, 4000, 100, false, 40));
    assertEquals(50, StatsMerger.mergeIndexStats(byNode, GROUPS, 2).getInteger("numberOfDocuments"),
        "group 0 lacks c: (60 + 40) / 2 from group 1");
  }

  @Test
  void aGroupSmallerThanRfHoldsOneCopyPerNode() {
    Map<String, JsonObject> byNode = Map.of("solo", stats(70, 700, 10, false, 70));
    assertEquals(70, StatsMerger.mergeIndexStats(byNode, Map.of("solo", 0), 3).getInteger("numberOfDocuments"));
  }

  @Test
  void embeddingCountersAppearOnlyWhenNodesReportThem() {
    JsonObject old = new JsonObject().put("numberOfDocuments", 2).put("rawDocumentDbSize", 10)
        .put("avgDocumentSize", 5).put("isIndexing", false).put("fieldDistribution", new JsonObject());
    JsonObject merged = StatsMerger.mergeIndexStats(Map.of("a", old), Map.of("a", 0), 1);
    assertFalse(merged.containsKey("numberOfEmbeddings"));
  }

  @Test
  void oneRealNodeMergesToItsOwnStatsWithoutTheReservedField() {
    JsonObject real = Fixtures.load("stats-nodes.json").getJsonObject("31701").getJsonObject("index");
    JsonObject expected = real.copy();
    expected.getJsonObject("fieldDistribution").remove("_miroir_shard");
    JsonObject merged = StatsMerger.mergeIndexStats(Map.of("n1", real.copy()), Map.of("n1", 0), 1);
    assertEquals(expected, merged);
    assertEquals(new ArrayList<>(real.fieldNames()), new ArrayList<>(merged.fieldNames()), "Meilisearch's key order");
  }

  @Test
  void globalStatsSumSizesTakeTheLatestUpdateAndMergeIndexes() {
    JsonObject fixture = Fixtures.load("stats-nodes.json");
    Map<String, JsonObject> byNode = new LinkedHashMap<>();
    byNode.put("n1", fixture.getJsonObject("31701").getJsonObject("global"));
    byNode.put("n2", fixture.getJsonObject("31702").getJsonObject("global"));
    JsonObject merged = StatsMerger.mergeGlobalStats(byNode, Map.of("n1", 0, "n2", 0), 1, uid -> !uid.equals("big"));
    long sum = byNode.values().stream().mapToLong(s -> s.getLong("databaseSize")).sum();
    assertEquals(sum, merged.getLong("databaseSize"));
    String latest = byNode.values().stream().map(s -> s.getString("lastUpdate")).max(String::compareTo).orElseThrow();
    assertEquals(latest, merged.getString("lastUpdate"));
    assertEquals(List.of("databaseSize", "usedDatabaseSize", "lastUpdate", "indexes"),
        new ArrayList<>(merged.fieldNames()));
    assertEquals(List.of("movies", "movies4"), new ArrayList<>(merged.getJsonObject("indexes").fieldNames()));
    int docs = byNode.values().stream()
        .mapToInt(s -> s.getJsonObject("indexes").getJsonObject("movies").getInteger("numberOfDocuments")).sum();
    assertEquals(docs, merged.getJsonObject("indexes").getJsonObject("movies").getInteger("numberOfDocuments"));
    assertFalse(merged.encode().contains("_miroir_"));
  }
}
