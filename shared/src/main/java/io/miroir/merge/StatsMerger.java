package io.miroir.merge;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Index and global stats from per-node stats (SPEC §1.1, D13; MEILISEARCH-1.21-API §3.11).
 *
 * <p>Every group holds all S shards, each on min(RF, group size) of its nodes, so one group's document counts summed
 * over its nodes count every document that many times. Counts are taken from one group: the lowest-numbered group
 * whose nodes all answered, its sums divided by its copy count (rounded, in case replicas briefly disagree). When no
 * group answered completely, the group giving the largest count is used (a lower bound). Shards being copied to an
 * incoming node during a migration are counted in that node too, so counts can briefly be high.
 *
 * <ul>
 *   <li>numberOfDocuments, numberOfEmbeddings, numberOfEmbeddedDocuments, fieldDistribution (without
 *       {@code _miroir_*}, names in byte order), rawDocumentDbSize: the chosen group's sum / copies, i.e. the size of
 *       one copy of the data as one node would hold it;</li>
 *   <li>avgDocumentSize: the chosen group's average weighted by document count;</li>
 *   <li>isIndexing: true when any node answering is indexing.</li>
 * </ul>
 * Global stats: databaseSize and usedDatabaseSize summed over all nodes (they are disk use), lastUpdate the latest,
 * indexes merged as above, uids in byte order.
 */
public final class StatsMerger {
  private StatsMerger() {
  }

  /**
   * Merges one index's stats.
   *
   * @param statsByNode node id to that node's {@code GET /indexes/{uid}/stats} answer (answering nodes only)
   * @param groupOfNode every node expected to answer, with its replica group
   * @param replicationFactor RF
   */
  public static JsonObject mergeIndexStats(Map<String, JsonObject> statsByNode, Map<String, Integer> groupOfNode,
      int replicationFactor) {
    Group group = chooseGroup(statsByNode, groupOfNode, replicationFactor);
    long documents = 0;
    long rawSize = 0;
    long weightedAverage = 0;
    long embeddings = 0;
    long embedded = 0;
    boolean hasEmbeddings = false;
    Map<String, Long> fields = new TreeMap<>(MeiliOrder::compareUtf8);
    for (JsonObject s : group.stats) {
      long n = number(s.getValue("numberOfDocuments"));
      documents += n;
      rawSize += number(s.getValue("rawDocumentDbSize"));
      weightedAverage += number(s.getValue("avgDocumentSize")) * n;
      hasEmbeddings |= s.containsKey("numberOfEmbeddings");
      embeddings += number(s.getValue("numberOfEmbeddings"));
      embedded += number(s.getValue("numberOfEmbeddedDocuments"));
      JsonObject distribution = s.getJsonObject("fieldDistribution");
      if (distribution != null) {
        distribution.getMap().forEach((field, count) -> {
          if (!ReservedFields.isReserved(field)) {
            fields.merge(field, number(count), Long::sum);
          }
        });
      }
    }
    boolean indexing = false;
    for (JsonObject s : statsByNode.values()) {
      indexing |= Boolean.TRUE.equals(s.getValue("isIndexing"));
    }
    Map<String, Object> out = new LinkedHashMap<>(16);
    out.put("numberOfDocuments", group.oneCopy(documents));
    out.put("rawDocumentDbSize", group.oneCopy(rawSize));
    out.put("avgDocumentSize", MeiliOrder.count(documents == 0 ? 0 : weightedAverage / documents));
    out.put("isIndexing", indexing);
    if (hasEmbeddings) {
      out.put("numberOfEmbeddings", group.oneCopy(embeddings));
      out.put("numberOfEmbeddedDocuments", group.oneCopy(embedded));
    }
    Map<String, Object> fieldDistribution = new LinkedHashMap<>(fields.size() * 2);
    fields.forEach((field, count) -> fieldDistribution.put(field, group.oneCopy(count)));
    out.put("fieldDistribution", new JsonObject(fieldDistribution));
    return new JsonObject(out);
  }

  /** {@link #mergeGlobalStats(Map, Map, int, Predicate)} showing every index. */
  public static JsonObject mergeGlobalStats(Map<String, JsonObject> globalStatsByNode, Map<String, Integer> groupOfNode,
      int replicationFactor) {
    return mergeGlobalStats(globalStatsByNode, groupOfNode, replicationFactor, uid -> true);
  }

  /**
   * Merges {@code GET /stats} answers.
   *
   * @param visible which index uids the client may see (Miroir's internal indexes, such as reshard shadows, or
   *     indexes the key may not read are left out of {@code indexes}; sizes still count them, as Meilisearch does)
   */
  public static JsonObject mergeGlobalStats(Map<String, JsonObject> globalStatsByNode, Map<String, Integer> groupOfNode,
      int replicationFactor, Predicate<String> visible) {
    long databaseSize = 0;
    long usedDatabaseSize = 0;
    String lastUpdate = null;
    Instant latest = null;
    TreeSet<String> uids = new TreeSet<>(MeiliOrder::compareUtf8);
    for (JsonObject s : globalStatsByNode.values()) {
      databaseSize += number(s.getValue("databaseSize"));
      usedDatabaseSize += number(s.getValue("usedDatabaseSize"));
      Instant at = instant(s.getValue("lastUpdate"));
      if (at != null && (latest == null || at.isAfter(latest))) {
        latest = at;
        lastUpdate = s.getString("lastUpdate");
      }
      JsonObject indexes = s.getJsonObject("indexes");
      if (indexes != null) {
        uids.addAll(indexes.fieldNames());
      }
    }
    Map<String, Object> indexes = new LinkedHashMap<>(uids.size() * 2);
    for (String uid : uids) {
      if (!visible.test(uid)) {
        continue;
      }
      Map<String, JsonObject> perNode = new LinkedHashMap<>();
      globalStatsByNode.forEach((node, s) -> {
        JsonObject idx = s.getJsonObject("indexes") == null ? null : s.getJsonObject("indexes").getJsonObject(uid);
        if (idx != null) {
          perNode.put(node, idx);
        }
      });
      indexes.put(uid, mergeIndexStats(perNode, groupOfNode, replicationFactor));
    }
    Map<String, Object> out = new LinkedHashMap<>(8);
    out.put("databaseSize", MeiliOrder.count(databaseSize));
    out.put("usedDatabaseSize", MeiliOrder.count(usedDatabaseSize));
    out.put("lastUpdate", lastUpdate);
    out.put("indexes", new JsonObject(indexes));
    return new JsonObject(out);
  }

  /** The stats of the group counts are read from, and its number of copies of each shard. */
  private record Group(List<JsonObject> stats, int copies) {
    Number oneCopy(long sum) {
      return MeiliOrder.count(copies <= 1 ? sum : Math.round(sum / (double) copies));
    }
  }

  private static Group chooseGroup(Map<String, JsonObject> statsByNode, Map<String, Integer> groupOfNode, int rf) {
    Map<Integer, List<String>> members = new TreeMap<>();
    groupOfNode.forEach((node, g) -> members.computeIfAbsent(g, k -> new ArrayList<>()).add(node));
    Group best = null;
    long bestCount = -1;
    for (Map.Entry<Integer, List<String>> e : members.entrySet()) {
      List<JsonObject> answered = new ArrayList<>();
      for (String node : e.getValue()) {
        JsonObject s = statsByNode.get(node);
        if (s != null) {
          answered.add(s);
        }
      }
      Group g = new Group(answered, Math.max(1, Math.min(rf, e.getValue().size())));
      if (answered.size() == e.getValue().size()) {
        return g;
      }
      long count = 0;
      for (JsonObject s : answered) {
        count += number(s.getValue("numberOfDocuments"));
      }
      if (g.oneCopy(count).longValue() > bestCount) {
        best = g;
        bestCount = g.oneCopy(count).longValue();
      }
    }
    return best != null ? best : new Group(List.of(), 1);
  }

  private static Instant instant(Object value) {
    if (!(value instanceof String s)) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }
}
