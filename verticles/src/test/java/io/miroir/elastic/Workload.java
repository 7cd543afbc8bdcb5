package io.miroir.elastic;

import io.miroir.testing.ApiClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The traffic of an online topology change: a fixed base corpus that a reader searches continuously and compares
 * with a reference node, and a writer that keeps adding and updating other documents, remembering every write
 * Miroir acknowledged (its task succeeded) so none can go missing unnoticed.
 */
final class Workload {
  static final String INDEX = "fleet";
  static final String[] WORDS = {"amber", "basil", "cedar", "delta", "ember", "fable", "grove", "harbor", "indigo",
      "jasper", "kelp", "lumen", "maple", "nectar", "onyx", "pebble", "quartz", "raven", "sable", "tundra",
      "umber", "velvet", "willow", "xenon", "yarrow", "zephyr", "acorn", "birch", "clover", "dune"};
  private final ApiClient miroir;
  private final ApiClient reference;
  /** Acknowledged live documents: id → version. */
  final Map<Integer, Integer> acknowledged = new ConcurrentHashMap<>();
  final List<String> readerFailures = new CopyOnWriteArrayList<>();
  final List<String> writerErrors = new CopyOnWriteArrayList<>();
  final AtomicInteger searches = new AtomicInteger();
  final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger nextLive = new AtomicInteger(100_000);
  private volatile boolean running;
  private final List<Thread> threads = new ArrayList<>();

  Workload(ApiClient miroir, ApiClient reference) {
    this.miroir = miroir;
    this.reference = reference;
  }

  static JsonObject baseDocument(int i) {
    return new JsonObject().put("id", i).put("title", WORDS[i % WORDS.length] + " " + WORDS[(i * 7 + 3) % 29])
        .put("kind", "base").put("n", i).put("bucket", i % 50);
  }

  /** Creates the index on Miroir and the reference with the same settings and {@code base} documents. */
  void load(int base) {
    JsonObject settings = new JsonObject().put("filterableAttributes", new JsonArray().add("kind").add("bucket"))
        .put("sortableAttributes", new JsonArray().add("n"));
    for (ApiClient api : List.of(miroir, reference)) {
      api.writeAndWait("POST", "/indexes", new JsonObject().put("uid", INDEX).put("primaryKey", "id"));
      api.writeAndWait("PATCH", "/indexes/" + INDEX + "/settings", settings);
      for (int from = 0; from < base; from += 5000) {
        JsonArray docs = new JsonArray();
        for (int i = from; i < Math.min(base, from + 5000); i++) {
          docs.add(baseDocument(i));
        }
        api.writeAndWait("POST", "/indexes/" + INDEX + "/documents", docs);
      }
    }
  }

  void start() {
    running = true;
    threads.add(new Thread(this::write, "workload-writer"));
    threads.add(new Thread(this::read, "workload-reader"));
    threads.forEach(Thread::start);
  }

  void stop() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(90_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
  }

  private void write() {
    int round = 0;
    while (running) {
      round++;
      JsonArray docs = new JsonArray();
      Map<Integer, Integer> versions = new java.util.HashMap<>();
      for (int k = 0; k < 5; k++) {
        int id = nextLive.getAndIncrement();
        versions.put(id, 1);
      }
      List<Integer> known = new ArrayList<>(acknowledged.keySet());
      for (int k = 0; k < 5 && !known.isEmpty(); k++) {
        int id = known.get((round * 31 + k * 17) % known.size());
        versions.put(id, acknowledged.getOrDefault(id, 0) + 1);
      }
      versions.forEach((id, v) -> docs.add(new JsonObject().put("id", id).put("title", "live " + WORDS[id % 30])
          .put("kind", "live").put("n", 1_000_000 + id).put("version", v)));
      try {
        ApiClient.Response r = miroir.post("/indexes/" + INDEX + "/documents", docs);
        if (r.status() != 202) {
          writerErrors.add(r.toString());
          ApiClient.sleep(100);
          continue;
        }
        JsonObject task = miroir.waitTask(r.json().getLong("taskUid"));
        if ("succeeded".equals(task.getString("status"))) {
          versions.forEach((id, v) -> acknowledged.merge(id, v, Math::max));
          writes.incrementAndGet();
        } else {
          writerErrors.add(task.encode());
        }
      } catch (RuntimeException | AssertionError e) {
        writerErrors.add(String.valueOf(e));
      }
    }
  }

  /** Searches that must be complete: the base corpus does not change, so Miroir must answer as the reference. */
  private static List<JsonObject> queries() {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      out.add(new JsonObject().put("q", WORDS[i * 5]).put("filter", "kind = base AND bucket < " + (3 + i))
          .put("limit", 1000)
          .put("attributesToRetrieve", new JsonArray().add("id")));
    }
    out.add(new JsonObject().put("filter", "kind = base AND bucket = 7").put("sort", new JsonArray().add("n:asc"))
        .put("limit", 1000).put("attributesToRetrieve", new JsonArray().add("id")));
    out.add(new JsonObject().put("filter", "kind = base").put("sort", new JsonArray().add("n:desc"))
        .put("offset", 300).put("limit", 40).put("attributesToRetrieve", new JsonArray().add("id")));
    out.add(new JsonObject().put("filter", "kind = base").put("facets", new JsonArray().add("bucket"))
        .put("limit", 0));
    return out;
  }

  private void read() {
    List<JsonObject> queries = queries();
    List<JsonObject> expected = new ArrayList<>();
    for (JsonObject q : queries) {
      expected.add(reference.post("/indexes/" + INDEX + "/search", q).json());
    }
    int i = 0;
    while (running) {
      int k = i++ % queries.size();
      try {
        ApiClient.Response r = miroir.post("/indexes/" + INDEX + "/search", queries.get(k));
        searches.incrementAndGet();
        if (r.status() != 200 && readerFailures.size() < 20) {
          readerFailures.add("query " + k + ": " + r);
          continue;
        }
        String diff = compare(expected.get(k), r.json(), queries.get(k).containsKey("sort"));
        if (diff != null && readerFailures.size() < 20) {
          readerFailures.add("query " + k + ": " + diff);
        }
      } catch (RuntimeException e) {
        readerFailures.add("query " + k + ": " + e);
      }
    }
  }

  private static String compare(JsonObject want, JsonObject got, boolean ordered) {
    if (!want.getValue("estimatedTotalHits").equals(got.getValue("estimatedTotalHits"))) {
      return "estimatedTotalHits " + got.getValue("estimatedTotalHits") + " instead of "
          + want.getValue("estimatedTotalHits");
    }
    List<Object> a = ids(want);
    List<Object> b = ids(got);
    if (ordered ? !a.equals(b) : !new TreeSet<>(a.stream().map(String::valueOf).toList())
        .equals(new TreeSet<>(b.stream().map(String::valueOf).toList()))) {
      return "hits differ: " + b.size() + " ids instead of " + a.size();
    }
    Object wf = want.getValue("facetDistribution");
    Object gf = got.getValue("facetDistribution");
    if (wf != null && !wf.equals(gf)) {
      return "facets differ";
    }
    return null;
  }

  private static List<Object> ids(JsonObject response) {
    List<Object> out = new ArrayList<>();
    for (Object o : response.getJsonArray("hits")) {
      out.add(((JsonObject) o).getValue("id"));
    }
    return out;
  }

  /** Every acknowledged live document, read through Miroir, has its acknowledged version (or a later one). */
  List<String> missingWrites() {
    List<String> missing = new ArrayList<>();
    Set<Integer> ids = new TreeSet<>(acknowledged.keySet());
    List<Integer> list = new ArrayList<>(ids);
    for (int from = 0; from < list.size(); from += 500) {
      List<Integer> chunk = list.subList(from, Math.min(list.size(), from + 500));
      JsonObject body = new JsonObject().put("ids", new JsonArray(new ArrayList<>(chunk))).put("limit", 500)
          .put("fields", new JsonArray().add("id").add("version"));
      JsonArray found = miroir.post("/indexes/" + INDEX + "/documents/fetch", body).json().getJsonArray("results");
      Map<Integer, Integer> got = new java.util.HashMap<>();
      for (Object o : found) {
        JsonObject d = (JsonObject) o;
        got.put(d.getInteger("id"), d.getInteger("version"));
      }
      for (int id : chunk) {
        Integer v = got.get(id);
        if (v == null || v < acknowledged.get(id)) {
          missing.add(id + " (acknowledged version " + acknowledged.get(id) + ", found " + v + ")");
        }
      }
    }
    return missing;
  }
}
