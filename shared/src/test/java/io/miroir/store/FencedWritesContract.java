package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link FencedWrites} backend must do (SPEC §5 Mode B, D12): a write carrying an epoch older than one
 * that already wrote in its scope changes nothing and fails with {@link StaleEpochException}, across restarts too.
 */
abstract class FencedWritesContract {
  private static final String SCOPE = "reshard:movies";

  @TempDir
  Path dir;
  Vertx vertx;
  TaskStore store;
  FencedWrites fenced;

  /** Opens (not yet initialised) a store over the durable state identified by {@code dir}, as in the task contract. */
  protected abstract TaskStore newStore(Vertx vertx, Path dir);

  /** Fenced writes into {@code store}, initialised. */
  protected abstract FencedWrites fencedWrites(TaskStore store);

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    store = newStore(vertx, dir);
    await(store.init());
    fenced = fencedWrites(store);
  }

  @AfterEach
  void close() {
    await(store.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new StoreCallFailed(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("store call did not complete", e);
    }
  }

  /** A failed store call, with its cause, for tests that expect the failure. */
  static final class StoreCallFailed extends RuntimeException {
    StoreCallFailed(Throwable cause) {
      super(cause);
    }
  }

  private StaleEpochException stale(Future<?> f) {
    StoreCallFailed failed = assertThrows(StoreCallFailed.class, () -> await(f));
    return assertInstanceOf(StaleEpochException.class, failed.getCause());
  }

  @Test
  void aWriteWithAnOldEpochIsRejectedOnceANewerEpochWrote() {
    Fence old = new Fence(SCOPE, "pod-a", 1);
    Fence newer = new Fence(SCOPE, "pod-b", 2);
    await(fenced.put(old, "reshard:movies:phase", "copying"));
    await(fenced.put(newer, "reshard:movies:phase", "cutover"));

    StaleEpochException e = stale(fenced.put(old, "reshard:movies:phase", "copying-more"));
    assertEquals(old, e.rejected());
    assertEquals(newer, e.current());
    assertEquals(Optional.of("cutover"), await(store.getValue("reshard:movies:phase")));
    // The stale leader may not touch any other key of the scope either.
    stale(fenced.put(old, "reshard:movies:other", "x"));
    assertEquals(Optional.empty(), await(store.getValue("reshard:movies:other")));
  }

  @Test
  void theLeaderOfTheCurrentEpochWritesAgainButNoOtherHolderWithIt() {
    Fence leader = new Fence(SCOPE, "pod-a", 7);
    await(fenced.put(leader, "k", "1"));
    await(fenced.put(leader, "k", "2"));
    stale(fenced.put(new Fence(SCOPE, "pod-b", 7), "k", "3"));
    assertEquals(Optional.of("2"), await(store.getValue("k")));
    assertEquals(Optional.of(leader), await(fenced.current(SCOPE)));
  }

  @Test
  void aNewerEpochNeedsNoPriorWriteAndAdvancesTheFence() {
    assertEquals(Optional.empty(), await(fenced.current(SCOPE)));
    await(fenced.put(new Fence(SCOPE, "pod-a", 3), "k", "a"));
    await(fenced.put(new Fence(SCOPE, "pod-c", 10), "k", "c"));
    assertEquals(Optional.of(new Fence(SCOPE, "pod-c", 10)), await(fenced.current(SCOPE)));
    stale(fenced.put(new Fence(SCOPE, "pod-b", 9), "k", "b"));
    assertEquals(Optional.of("c"), await(store.getValue("k")));
  }

  @Test
  void scopesAreFencedIndependently() {
    await(fenced.put(new Fence("alias_flip:books", "pod-a", 50), "books", "v50"));
    await(fenced.put(new Fence(SCOPE, "pod-b", 1), "movies", "v1"));
    assertEquals(Optional.of("v1"), await(store.getValue("movies")));
    assertEquals(50, await(fenced.current("alias_flip:books")).orElseThrow().epoch());
    assertEquals(1, await(fenced.current(SCOPE)).orElseThrow().epoch());
  }

  @Test
  void racingWritersLeaveTheValueOfTheNewestEpoch() {
    List<Long> epochs = LongStream.rangeClosed(1, 60).boxed().collect(Collectors.toCollection(ArrayList::new));
    Collections.shuffle(epochs, new java.util.Random(42));
    List<Future<Void>> writes = new ArrayList<>();
    for (long epoch : epochs) {
      writes.add(fenced.put(new Fence(SCOPE, "pod-" + epoch, epoch), "k", "v" + epoch));
    }
    for (Future<Void> w : writes) {
      try {
        await(w);
      } catch (StoreCallFailed e) {
        assertInstanceOf(StaleEpochException.class, e.getCause());
      }
    }
    assertEquals(Optional.of("v60"), await(store.getValue("k")));
    assertEquals(Optional.of(new Fence(SCOPE, "pod-60", 60)), await(fenced.current(SCOPE)));
    assertTrue(writes.get(epochs.indexOf(60L)).succeeded(), "the newest epoch is never refused");
  }

  @Test
  void theFenceSurvivesARestart() {
    await(fenced.put(new Fence(SCOPE, "pod-b", 2), "k", "b"));
    await(store.close());
    store = newStore(vertx, dir);
    await(store.init());
    fenced = fencedWrites(store);
    stale(fenced.put(new Fence(SCOPE, "pod-a", 1), "k", "a"));
    assertEquals(Optional.of("b"), await(store.getValue("k")));
  }

  @Test
  void epochsOutsideWhatEveryBackendComparesExactlyAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Fence(SCOPE, "pod-a", -1));
    assertThrows(IllegalArgumentException.class, () -> new Fence(SCOPE, "pod-a", Fence.MAX_EPOCH + 1));
    // The largest allowed epoch still compares exactly against its neighbour.
    await(fenced.put(new Fence(SCOPE, "pod-a", Fence.MAX_EPOCH), "k", "max"));
    stale(fenced.put(new Fence(SCOPE, "pod-b", Fence.MAX_EPOCH - 1), "k", "below"));
    assertEquals(Optional.of("max"), await(store.getValue("k")));
  }
}
