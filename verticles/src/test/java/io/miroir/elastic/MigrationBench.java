package io.miroir.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miroir.testing.ApiClient;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Migration throughput and the write-latency cost of a move (not part of the test run: {@code scripts/bench
 * --migration}). Loads {@code -Dmiroir.bench.docs} documents (default 50,000) into 3 nodes, measures the latency of
 * acknowledged writes (202) without a move, then adds a 4th node and measures them again during the move, and the
 * documents copied per second. Prints a JSON line and writes it under {@code .data/bench/}.
 */
@Tag("bench")
class MigrationBench {
  private static final int SHARDS = 32;

  @Test
  void migrationThroughputAndDualWriteLatency() throws Exception {
    int docs = Integer.getInteger("miroir.bench.docs", 50_000);
    List<MeiliNode> pool = MeiliNodes.shared().nodes(4);
    try (MiroirHarness miroir = MiroirHarness.start(pool.subList(0, 3), 1, 1, SHARDS,
        Map.of("rebalancer", Map.of("cleanup_delay_ms", 300)))) {
      ApiClient api = miroir.client();
      ApiClient admin = miroir.admin();
      api.writeAndWait("POST", "/indexes", new JsonObject().put("uid", "bench").put("primaryKey", "id"));
      for (int from = 0; from < docs; from += 5000) {
        JsonArray batch = new JsonArray();
        for (int i = from; i < Math.min(docs, from + 5000); i++) {
          batch.add(Workload.baseDocument(i).put("body", "lorem ipsum dolor sit amet " + i));
        }
        api.writeAndWait("POST", "/indexes/bench/documents", batch);
      }
      List<Long> quiet = writeLatencies(api, () -> false, Duration.ofSeconds(15));

      AtomicBoolean moving = new AtomicBoolean(true);
      List<Long> during = new ArrayList<>();
      Thread writer = new Thread(() -> during.addAll(writeLatencies(api, () -> !moving.get(), Duration.ofMinutes(30))));
      writer.start();
      MeiliNode added = pool.get(3);
      Instant start = Instant.now();
      assertEquals(202, admin.post("/_miroir/nodes", new JsonObject().put("id", added.id())
          .put("address", added.address())).status());
      JsonObject status = Fleets.awaitSettled(admin, Duration.ofMinutes(30));
      double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
      moving.set(false);
      writer.join();
      JsonObject last = status.getJsonObject("last_run");
      long copied = 0;
      for (Object o : last.getJsonArray("moves")) {
        copied += ((JsonObject) o).getLong("documents_written");
      }
      JsonObject result = new JsonObject().put("documents", docs).put("shards", SHARDS)
          .put("shards_moved", last.getJsonObject("totals").getInteger("shards"))
          .put("documents_written_to_new_node", copied).put("move_seconds", seconds)
          .put("migration_docs_per_sec", Math.round(copied / seconds))
          .put("write_p50_ms_quiet", pct(quiet, 50)).put("write_p95_ms_quiet", pct(quiet, 95))
          .put("write_p50_ms_moving", pct(during, 50)).put("write_p95_ms_moving", pct(during, 95))
          .put("writes_quiet", quiet.size()).put("writes_moving", during.size());
      System.out.println("MIGRATION-BENCH " + result.encode());
      Path dir = MeiliNodes.repositoryRoot().resolve(".data/bench");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("migration-" + Instant.now().toString().replace(':', '-') + ".json"),
          result.encodePrettily());
    }
  }

  /** Latencies (ms) of 5-document writes until 202, one after the other, until {@code stop} or {@code max}. */
  private static List<Long> writeLatencies(ApiClient api, java.util.function.BooleanSupplier stop, Duration max) {
    List<Long> out = new ArrayList<>();
    Instant end = Instant.now().plus(max);
    int id = 10_000_000 + (int) (System.nanoTime() % 1_000_000) * 10;
    while (!stop.getAsBoolean() && Instant.now().isBefore(end)) {
      JsonArray batch = new JsonArray();
      for (int k = 0; k < 5; k++) {
        batch.add(new JsonObject().put("id", id++).put("title", "live").put("kind", "live"));
      }
      long t0 = System.nanoTime();
      ApiClient.Response r = api.post("/indexes/bench/documents", batch);
      if (r.status() == 202) {
        out.add((System.nanoTime() - t0) / 1_000_000);
      }
      ApiClient.sleep(20);
    }
    return out;
  }

  private static double pct(List<Long> values, int p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
