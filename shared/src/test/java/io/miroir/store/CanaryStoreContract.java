package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.canary.Canary;
import io.miroir.canary.CanaryRun;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link CanaryStore} backend must do (SPEC §6 {@code canaries} / {@code canary_runs}): definitions by
 * name, runs newest first, the history trimmed to the newest runs, and everything durable across a reopen.
 */
abstract class CanaryStoreContract {
  static final Instant T0 = Instant.parse("2026-11-22T13:00:00Z");

  @TempDir
  Path dir;
  Vertx vertx;
  TaskStore store;
  CanaryStore canaries;

  /** Opens (not yet initialised) a task store over the durable state identified by {@code dir}. */
  protected abstract TaskStore newStore(Vertx vertx, Path dir);

  /** The canary store beside {@code store}, not yet initialised. */
  protected abstract CanaryStore canaryStore(TaskStore store);

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    openStores();
  }

  private void openStores() {
    store = newStore(vertx, dir);
    await(store.init());
    canaries = canaryStore(store);
    await(canaries.init());
  }

  @AfterEach
  void close() {
    await(store.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store call failed", e);
    }
  }

  static Canary canary(String name, String q) {
    return Canary.fromJson(new JsonObject().put("name", name).put("index", "movies").put("interval_s", 30)
        .put("query", new JsonObject().put("q", q).put("limit", 5).put("filter", new JsonArray().add("year > 1")))
        .put("assertions", new JsonArray().add(new JsonObject().put("type", "top_hit_id").put("value", "7"))));
  }

  static CanaryRun run(String canary, int second, CanaryRun.Status status) {
    List<CanaryRun.Failure> failures = status == CanaryRun.Status.FAIL
        ? List.of(new CanaryRun.Failure("top_hit_id", "7", "3")) : List.of();
    List<String> hits = status == CanaryRun.Status.FAIL ? List.of("3", "7") : List.of();
    return new CanaryRun(canary, T0.plusSeconds(second), status, 10 + second, failures, hits,
        status == CanaryRun.Status.ERROR ? "node down" : null, "pod-" + second % 3);
  }

  @Test
  void definitionsAreStoredByNameAndReplacedWhole() {
    assertEquals(List.of(), await(canaries.listCanaries()));
    await(canaries.putCanary(canary("b-second", "matrix")));
    await(canaries.putCanary(canary("a-first", "batman")));
    assertEquals(List.of("a-first", "b-second"), await(canaries.listCanaries()).stream().map(Canary::name).toList());
    assertEquals(Optional.of(canary("a-first", "batman")), await(canaries.getCanary("a-first")));
    await(canaries.putCanary(canary("a-first", "joker")));
    assertEquals("joker", await(canaries.getCanary("a-first")).orElseThrow().q());
    assertEquals(2, await(canaries.listCanaries()).size());
    assertEquals(Optional.empty(), await(canaries.getCanary("missing")));
  }

  @Test
  void runsComeBackNewestFirstWithEveryField() {
    await(canaries.recordRun(run("c", 1, CanaryRun.Status.PASS), 100));
    await(canaries.recordRun(run("c", 3, CanaryRun.Status.ERROR), 100));
    await(canaries.recordRun(run("c", 2, CanaryRun.Status.FAIL), 100));
    await(canaries.recordRun(run("other", 9, CanaryRun.Status.PASS), 100));
    List<CanaryRun> runs = await(canaries.runs("c", 10));
    assertEquals(List.of(run("c", 3, CanaryRun.Status.ERROR).toJson(), run("c", 2, CanaryRun.Status.FAIL).toJson(),
        run("c", 1, CanaryRun.Status.PASS).toJson()), runs.stream().map(CanaryRun::toJson).toList());
    assertEquals(2, await(canaries.runs("c", 2)).size());
    assertEquals(List.of(), await(canaries.runs("nobody", 10)));
  }

  @Test
  void theHistoryIsTrimmedToTheNewestRuns() {
    for (int i = 0; i < 105; i++) {
      await(canaries.recordRun(run("c", i, CanaryRun.Status.PASS), 100));
    }
    List<CanaryRun> runs = await(canaries.runs("c", 1000));
    assertEquals(100, runs.size());
    assertEquals(T0.plusSeconds(104), runs.get(0).startedAt());
    assertEquals(T0.plusSeconds(5), runs.get(99).startedAt());
    await(canaries.recordRun(run("c", 200, CanaryRun.Status.PASS), 3));
    assertEquals(3, await(canaries.runs("c", 1000)).size(), "a smaller history setting trims at the next run");
  }

  @Test
  void deletingACanaryDeletesItsRuns() {
    await(canaries.putCanary(canary("c", "batman")));
    await(canaries.recordRun(run("c", 1, CanaryRun.Status.PASS), 100));
    assertTrue(await(canaries.deleteCanary("c")));
    assertFalse(await(canaries.deleteCanary("c")));
    assertEquals(List.of(), await(canaries.listCanaries()));
    assertEquals(List.of(), await(canaries.runs("c", 10)));
  }

  @Test
  void definitionsAndRunsSurviveAReopen() {
    await(canaries.putCanary(canary("c", "batman")));
    await(canaries.recordRun(run("c", 1, CanaryRun.Status.FAIL), 100));
    await(store.close());
    openStores();
    assertEquals(List.of(canary("c", "batman")), await(canaries.listCanaries()));
    assertEquals(run("c", 1, CanaryRun.Status.FAIL).toJson(), await(canaries.runs("c", 1)).get(0).toJson());
  }
}
