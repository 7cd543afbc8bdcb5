package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the {@link TaskStoreContract} against a real Redis (SPEC §6), plus what only the Redis backend promises. One
 * server serves the class; the durable state a test directory stands for is the server's data, emptied when a test
 * opens its first store and kept when it reopens one.
 */
class RedisTaskStoreTest extends TaskStoreContract {
  @RegisterExtension
  static final RedisServer REDIS = new RedisServer();

  @Override
  protected TaskStore newStore(Vertx vertx, Path dir) {
    return REDIS.store(vertx, dir);
  }

  // ---------------------------------------------------------------- what only the Redis backend promises

  @Test
  void uidsAreUniqueAndIncreasingAcrossProcessesSharingTheRedis() {
    // A second Vert.x instance with its own client stands for another pod.
    Vertx otherVertx = Vertx.vertx();
    RedisTaskStore other = new RedisTaskStore(otherVertx, REDIS.url());
    try {
      await(other.init());
      List<Future<TaskRecord>> created = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        created.add(store.createTask(newTask("a", "indexCreation", T0)));
        created.add(other.createTask(newTask("b", "indexCreation", T0)));
      }
      await(Future.all(created));
      Set<Long> uids = created.stream().map(f -> f.result().uid()).collect(Collectors.toSet());
      assertEquals(LongStream.range(0, 200).boxed().collect(Collectors.toSet()), uids);
      assertEquals(200, create("c", "indexCreation", T0).uid());
      assertEquals(201, await(other.createTask(newTask("c", "indexCreation", T0))).uid());
    } finally {
      await(other.close());
      await(otherVertx.close());
    }
  }

  @Test
  void keyspaceIsTheOneSection6Names() {
    TaskRecord t = create("movies", "indexCreation", T0);
    await(store.putIndex(new IndexMeta("movies", "id", 4, 0, T0, T0)));
    await(store.putValue("topology", "v1"));

    assertEquals("string", REDIS.command("TYPE", "miroir:tasks:0"));
    assertEquals(List.of("0"), REDIS.command("ZRANGE", "miroir:tasks:_index", "0", "-1"));
    assertEquals("1", REDIS.command("GET", "miroir:tasks:_seq"), "INCR minus one: the counter is one ahead");
    assertEquals(List.of("0"), REDIS.command("ZRANGE", "miroir:tasks:_status:enqueued", "0", "-1"));
    assertEquals(List.of("0"), REDIS.command("ZRANGE", "miroir:tasks:_indexUid:movies", "0", "-1"));
    assertEquals("string", REDIS.command("TYPE", "miroir:indexes:movies"));
    assertEquals(List.of("movies"), REDIS.command("ZRANGE", "miroir:indexes", "0", "-1"));
    assertEquals("v1", REDIS.command("GET", "miroir:kv:topology"));
    assertTrue(((String) REDIS.command("GET", "miroir:tasks:" + t.uid())).contains("\"enqueuedAt\":\"" + T0 + "\""),
        "instants are stored as ISO-8601 text, exact to the nanosecond");
  }

  @Test
  void secondarySetsFollowUpdatesAndDeletes() {
    fixture();
    assertEquals(List.of("0", "5"), REDIS.command("ZRANGE", "miroir:tasks:_status:succeeded", "0", "-1"));
    assertEquals(List.of("4"), REDIS.command("ZRANGE", "miroir:tasks:_status:enqueued", "0", "-1"));
    assertEquals(List.of("0", "1", "2", "5"), REDIS.command("ZRANGE", "miroir:tasks:_finished", "0", "-1"));

    TaskRecord four = await(store.getTask(4)).orElseThrow();
    update(four, t -> new TaskRecord(t.uid(), 4L, "books", "succeeded", t.type(), null, null, null, t.enqueuedAt(),
        at(5), at(6), t.nodeTasks(), t.meta()));
    assertEquals(0L, REDIS.command("EXISTS", "miroir:tasks:_status:enqueued"), "an emptied set disappears");
    assertEquals(List.of("0", "4", "5"), REDIS.command("ZRANGE", "miroir:tasks:_status:succeeded", "0", "-1"));
    assertEquals(List.of("0", "1"), REDIS.command("ZRANGE", "miroir:tasks:_indexUid:movies", "0", "-1"));
    assertEquals(List.of("2", "3", "4"), REDIS.command("ZRANGE", "miroir:tasks:_indexUid:books", "0", "-1"));

    await(store.deleteTasks(List.of(0L, 4L)));
    assertEquals(List.of("5"), REDIS.command("ZRANGE", "miroir:tasks:_status:succeeded", "0", "-1"));
    assertEquals(List.of("1"), REDIS.command("ZRANGE", "miroir:tasks:_indexUid:movies", "0", "-1"));
    assertEquals(List.of("1", "2", "5"), REDIS.command("ZRANGE", "miroir:tasks:_finished", "0", "-1"));
    assertEquals(List.of("1", "2", "3", "5"), REDIS.command("ZRANGE", "miroir:tasks:_index", "0", "-1"));
  }

  @Test
  void pagesWalkAcrossChunkBoundariesOfEveryListingPath() {
    // More tasks than one uid chunk (5000) and many document chunks (500): every cursor must resume exactly.
    int n = 5_321;
    for (int start = 0; start < n; start += 1000) {
      // In batches: the client's waiting queue is bounded on purpose (RedisTaskStore.options).
      List<Future<TaskRecord>> created = new ArrayList<>();
      for (int i = start; i < Math.min(n, start + 1000); i++) {
        created.add(store.createTask(newTask(i % 2 == 0 ? "even" : "odd", i % 3 == 0 ? "indexCreation"
            : "documentAdditionOrUpdate", T0.plusNanos(i))));
      }
      await(Future.all(created));
    }

    assertEquals(n, walkAll(query().limit(700).build(), false).size()); // _index, no document filter
    assertEquals((n + 1) / 2, walkAll(query().indexUids("even").limit(613).build(), true).size()); // one set
    assertEquals(n, walkAll(query().indexUids("even", "odd").limit(999).build(), false).size()); // union of sets
    long thirds = LongStream.range(0, n).filter(i -> i % 3 == 0).count();
    assertEquals(thirds, walkAll(query().types("indexCreation").limit(400).build(), true).size()); // scanned
    long evenThirds = LongStream.range(0, n).filter(i -> i % 6 == 0).count();
    assertEquals(evenThirds, walkAll(query().types("indexCreation").indexUids("even").statuses("enqueued")
        .limit(97).build(), false).size()); // sets intersected, then scanned
    assertEquals(n, await(store.matchTasks(query().build())).size());
    assertEquals(List.of(0L, 1L, 2L), uids(await(store.unfinishedTasks(3))));
  }

  /** Follows {@code next} to the end; asserts every page's total and order, and that no uid comes twice. */
  private List<Long> walkAll(TaskQuery first, boolean reverse) {
    List<Long> seen = new ArrayList<>();
    Long from = null;
    long total = -1;
    do {
      TaskQuery q = new TaskQuery(first.uids(), first.batchUids(), first.canceledBy(), first.types(),
          first.statuses(), first.indexUids(), null, null, null, null, null, null, first.limit(), from, reverse);
      TaskPage page = await(store.listTasks(q));
      if (total >= 0) {
        assertEquals(total, page.total(), "total does not depend on from");
      }
      total = page.total();
      List<Long> uids = uids(page.results());
      assertTrue(page.next() == null ? uids.size() <= first.limit() : uids.size() == first.limit());
      seen.addAll(uids);
      from = page.next();
    } while (from != null);
    assertEquals(total, seen.size());
    assertEquals(seen.size(), new HashSet<>(seen).size());
    List<Long> sorted = new ArrayList<>(seen);
    sorted.sort(reverse ? null : java.util.Comparator.reverseOrder());
    assertEquals(sorted, seen);
    return seen;
  }

  @Test
  void pruneComparesFinishTimesToTheNanosecondWithinTheCutoffsMillisecond() {
    Instant cutoff = Instant.parse("2026-11-22T13:51:59.312838246Z");
    TaskRecord before = finishedAt(cutoff.minusNanos(1));
    TaskRecord exactly = finishedAt(cutoff);
    TaskRecord after = finishedAt(cutoff.plusNanos(1));
    TaskRecord earlierMilli = finishedAt(cutoff.minusMillis(1));
    assertEquals(2, await(store.pruneFinishedBefore(cutoff)));
    assertEquals(Optional.empty(), await(store.getTask(before.uid())));
    assertEquals(Optional.empty(), await(store.getTask(earlierMilli.uid())));
    assertTrue(await(store.getTask(exactly.uid())).isPresent());
    assertTrue(await(store.getTask(after.uid())).isPresent());
    assertEquals(List.of(String.valueOf(exactly.uid()), String.valueOf(after.uid())),
        REDIS.command("ZRANGE", "miroir:tasks:_finished", "0", "-1"));
  }

  private TaskRecord finishedAt(Instant finished) {
    TaskRecord t = create("a", "indexCreation", T0);
    return update(t, x -> with(x, "succeeded", x.uid(), null, T0, finished));
  }

  @Test
  void indexUidsThatLookLikeInternalKeysAreOrdinaryIndexes() {
    IndexMeta underscore = new IndexMeta("_index", "id", 2, 0, T0, T0);
    IndexMeta seq = new IndexMeta("_seq", null, 1, 0, T0, T0);
    await(store.putIndex(underscore));
    await(store.putIndex(seq));
    assertEquals(List.of(underscore, seq), await(store.listIndexes()));
    await(store.deleteIndex("_index"));
    assertEquals(List.of(seq), await(store.listIndexes()));
  }

  @Test
  void scriptsForgottenByTheServerAreSentAgain() {
    create("a", "indexCreation", T0);
    assertEquals("OK", REDIS.command("SCRIPT", "FLUSH"));
    TaskRecord next = create("a", "indexCreation", T0);
    assertEquals(1, next.uid());
    await(store.updateTask(with(next, "succeeded", 1L, null, T0, T0)));
    assertEquals("succeeded", await(store.getTask(1)).orElseThrow().status());
    assertEquals(List.of(1L), uids(await(store.listTasks(query().statuses("succeeded").build())).results()));
  }

  @Test
  void aPageFromTheSetsSkipsNothingWhenLimitIsHuge() {
    fixture();
    TaskPage all = await(store.listTasks(query().statuses("succeeded", "enqueued").limit(Integer.MAX_VALUE)
        .build()));
    assertEquals(List.of(5L, 4L, 0L), uids(all.results()));
    assertEquals(3, all.total());
    assertNull(all.next());
  }
}
