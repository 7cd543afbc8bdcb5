package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link TaskStore} backend must show (SPEC §6, D1). A backend test extends this class and says
 * how to open a store over the durable state identified by a directory: opening the same directory again must show
 * the same state (that is the restart), a new directory an empty store.
 */
public abstract class TaskStoreContract {
  protected static final Instant T0 = Instant.parse("2026-11-22T13:51:59.312838246Z");

  @TempDir
  protected Path dir;
  protected Vertx vertx;
  protected TaskStore store;

  /** Opens (and does not yet {@code init}) a store over the durable state identified by {@code dir}. */
  protected abstract TaskStore newStore(Vertx vertx, Path dir);

  /** Opens the same durable state again after {@code close}, as a restarted process would. */
  protected TaskStore reopenStore(Vertx vertx, Path dir) {
    return newStore(vertx, dir);
  }

  @BeforeEach
  void openStore() {
    vertx = Vertx.vertx();
    store = newStore(vertx, dir);
    await(store.init());
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      await(store.close());
    }
    await(vertx.close());
  }

  protected static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store call failed", e);
    }
  }

  protected static NewTask newTask(String index, String type, Instant enqueuedAt) {
    return new NewTask(index, type, "enqueued", null, null, enqueuedAt, null, Map.of(), null);
  }

  protected TaskRecord create(String index, String type, Instant enqueuedAt) {
    return await(store.createTask(newTask(index, type, enqueuedAt)));
  }

  protected TaskRecord update(TaskRecord t, UnaryOperator<TaskRecord> change) {
    TaskRecord changed = change.apply(t);
    await(store.updateTask(changed));
    return changed;
  }

  protected static TaskRecord with(TaskRecord t, String status, Long batchUid, Long canceledBy, Instant startedAt,
      Instant finishedAt) {
    return new TaskRecord(t.uid(), batchUid, t.indexUid(), status, t.type(), canceledBy, t.details(), t.error(),
        t.enqueuedAt(), startedAt, finishedAt, t.nodeTasks(), t.meta());
  }

  protected static List<Long> uids(List<TaskRecord> tasks) {
    return tasks.stream().map(TaskRecord::uid).collect(Collectors.toList());
  }

  protected static TaskQueryBuilder query() {
    return new TaskQueryBuilder();
  }

  // ---------------------------------------------------------------- uid sequence, get, update

  @Test
  void firstUidIsZeroAndUidsIncreaseByOne() {
    assertEquals(0, create("movies", "indexCreation", T0).uid());
    assertEquals(1, create("movies", "documentAdditionOrUpdate", T0).uid());
    assertEquals(2, create(null, "dumpCreation", T0).uid());
  }

  @Test
  void uidsAreNeverReusedAfterDeletion() {
    create("a", "indexCreation", T0);
    TaskRecord last = create("a", "indexCreation", T0);
    assertEquals(1, await(store.deleteTasks(List.of(last.uid()))));
    assertEquals(2, create("a", "indexCreation", T0).uid());
    assertEquals(2, await(store.deleteTasks(List.of(0L, 2L))));
    assertEquals(3, create("a", "indexCreation", T0).uid());
  }

  @Test
  void createdTaskRoundTripsEveryField() {
    JsonObject details = new JsonObject().put("receivedDocuments", 3).put("indexedDocuments", (Object) null)
        .put("nested", new JsonObject().put("list", new JsonArray().add("x").add(2)));
    JsonObject meta = new JsonObject().put("copies", 2).put("note", "é✓");
    Map<String, Long> nodeTasks = Map.of("node-b", 7L, "node-a", 4_000_000_000L);
    TaskRecord created = await(store.createTask(new NewTask("movies", "documentAdditionOrUpdate", "enqueued",
        details, null, T0, null, nodeTasks, meta)));

    TaskRecord read = await(store.getTask(created.uid())).orElseThrow();
    assertEquals(created, read);
    assertEquals("movies", read.indexUid());
    assertEquals("documentAdditionOrUpdate", read.type());
    assertEquals("enqueued", read.status());
    assertNull(read.batchUid());
    assertNull(read.canceledBy());
    assertNull(read.startedAt());
    assertNull(read.finishedAt());
    assertNull(read.error());
    assertEquals(details, read.details());
    assertTrue(read.details().containsKey("indexedDocuments"), "an explicit null must survive");
    assertEquals(meta, read.meta());
    assertEquals(nodeTasks, read.nodeTasks());
    assertEquals(T0, read.enqueuedAt());
  }

  @Test
  void taskRejectedBeforeAnyNodeCallIsStoredFailedWithItsError() {
    JsonObject error = new JsonObject().put("message", "m").put("code", "missing_document_id")
        .put("type", "invalid_request").put("link", "https://docs.meilisearch.com/errors#missing_document_id");
    Instant finished = T0.plusNanos(1);
    TaskRecord t = await(store.createTask(new NewTask("movies", "documentAdditionOrUpdate", "failed", null, error,
        T0, finished, Map.of(), null)));
    TaskRecord read = await(store.getTask(t.uid())).orElseThrow();
    assertEquals("failed", read.status());
    assertEquals(error, read.error());
    assertEquals(finished, read.finishedAt());
    assertNull(read.details());
    assertEquals(new JsonObject(), read.meta());
  }

  @Test
  void instantsRoundTripWithNanosecondPrecision() {
    List<Instant> samples = List.of(Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-11-22T13:51:59.000000001Z"), Instant.parse("2026-11-22T13:51:59.999999999Z"),
        Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
        Instant.parse("2200-02-03T04:05:06.123456789Z"));
    for (Instant at : samples) {
      TaskRecord t = create("a", "indexCreation", at);
      update(t, x -> with(x, "succeeded", x.uid(), null, at.plusNanos(1), at.plusNanos(3)));
      TaskRecord read = await(store.getTask(t.uid())).orElseThrow();
      assertEquals(at, read.enqueuedAt());
      assertEquals(at.plusNanos(1), read.startedAt());
      assertEquals(at.plusNanos(3), read.finishedAt());
    }
  }

  @Test
  void getOfUnknownUidIsEmpty() {
    assertEquals(Optional.empty(), await(store.getTask(0)));
    create("a", "indexCreation", T0);
    assertEquals(Optional.empty(), await(store.getTask(1)));
    assertEquals(Optional.empty(), await(store.getTask(-1)));
  }

  @Test
  void updateReplacesEveryField() {
    TaskRecord t = await(store.createTask(new NewTask("a", "documentDeletion", "enqueued",
        new JsonObject().put("providedIds", 2).put("deletedDocuments", (Object) null), null, T0, null,
        Map.of("n1", 1L), new JsonObject().put("copies", 1))));
    JsonObject error = new JsonObject().put("message", "boom").put("code", "internal");
    TaskRecord changed = new TaskRecord(t.uid(), t.uid(), "b", "failed", "indexDeletion", 42L,
        new JsonObject().put("deletedDocuments", 0), error, T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3),
        Map.of("n2", 9L, "n3", 10L), new JsonObject().put("copies", 3));
    await(store.updateTask(changed));
    assertEquals(changed, await(store.getTask(t.uid())).orElseThrow());
  }

  @Test
  void updateCanClearNullableFields() {
    TaskRecord t = create("a", "indexCreation", T0);
    update(t, x -> with(x, "processing", 0L, 5L, T0, T0));
    TaskRecord cleared = new TaskRecord(t.uid(), null, null, "enqueued", "indexCreation", null, null, null, T0, null,
        null, Map.of(), null);
    await(store.updateTask(cleared));
    assertEquals(cleared, await(store.getTask(t.uid())).orElseThrow());
  }

  @Test
  void updateOfDeletedTaskDoesNotResurrectIt() {
    TaskRecord t = create("a", "indexCreation", T0);
    await(store.deleteTasks(List.of(t.uid())));
    await(store.updateTask(with(t, "succeeded", t.uid(), null, T0, T0)));
    assertEquals(Optional.empty(), await(store.getTask(t.uid())));
    assertEquals(0, await(store.listTasks(TaskQuery.all(20))).total());
  }

  @Test
  void storedTaskIsNotAliasedToTheCallersObjects() {
    JsonObject details = new JsonObject().put("receivedDocuments", 1);
    TaskRecord t = await(store.createTask(new NewTask("a", "documentAdditionOrUpdate", "enqueued", details, null,
        T0, null, Map.of(), null)));
    details.put("receivedDocuments", 99);
    t.details().put("receivedDocuments", 98);
    assertEquals(1, await(store.getTask(t.uid())).orElseThrow().details().getInteger("receivedDocuments"));
  }

  // ---------------------------------------------------------------- filters

  /**
   * Six tasks: 0 movies/indexCreation succeeded (batch 0), 1 movies/documentAdditionOrUpdate failed (batch 1),
   * 2 books/documentAdditionOrUpdate canceled by 5 (batch 1), 3 books/documentDeletion processing (batch 3),
   * 4 movies/settingsUpdate enqueued, 5 no index/taskCancelation succeeded (batch 5). Enqueued one second apart;
   * started one second after enqueue, finished two seconds after.
   */
  protected List<TaskRecord> fixture() {
    List<TaskRecord> out = new ArrayList<>();
    out.add(create("movies", "indexCreation", at(0)));
    out.add(create("movies", "documentAdditionOrUpdate", at(1)));
    out.add(create("books", "documentAdditionOrUpdate", at(2)));
    out.add(create("books", "documentDeletion", at(3)));
    out.add(create("movies", "settingsUpdate", at(4)));
    out.add(create(null, "taskCancelation", at(5)));
    out.set(0, update(out.get(0), t -> with(t, "succeeded", 0L, null, at(1), at(2))));
    out.set(1, update(out.get(1), t -> with(t, "failed", 1L, null, at(2), at(3))));
    out.set(2, update(out.get(2), t -> with(t, "canceled", 1L, 5L, at(3), at(4))));
    out.set(3, update(out.get(3), t -> with(t, "processing", 3L, null, at(4), null)));
    out.set(5, update(out.get(5), t -> with(t, "succeeded", 5L, null, at(6), at(7))));
    return out;
  }

  protected static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private List<Long> matching(TaskQuery q) {
    return uids(await(store.listTasks(q)).results());
  }

  @Test
  void noFilterMatchesEverythingNewestFirst() {
    fixture();
    TaskPage page = await(store.listTasks(TaskQuery.all(20)));
    assertEquals(List.of(5L, 4L, 3L, 2L, 1L, 0L), uids(page.results()));
    assertEquals(6, page.total());
    assertNull(page.next());
  }

  @Test
  void filterByUids() {
    fixture();
    assertEquals(List.of(3L, 1L), matching(query().uids(1, 3, 99).build()));
  }

  @Test
  void filterByBatchUids() {
    fixture();
    assertEquals(List.of(2L, 1L), matching(query().batchUids(1).build()));
    assertEquals(List.of(3L, 0L), matching(query().batchUids(0, 3).build()));
  }

  @Test
  void filterByCanceledBy() {
    fixture();
    assertEquals(List.of(2L), matching(query().canceledBy(5).build()));
    assertEquals(List.of(), matching(query().canceledBy(4).build()));
  }

  @Test
  void filterByTypes() {
    fixture();
    assertEquals(List.of(2L, 1L), matching(query().types("documentAdditionOrUpdate").build()));
    assertEquals(List.of(5L, 0L), matching(query().types("indexCreation", "taskCancelation").build()));
  }

  @Test
  void filterByStatuses() {
    fixture();
    assertEquals(List.of(5L, 0L), matching(query().statuses("succeeded").build()));
    assertEquals(List.of(4L, 3L), matching(query().statuses("enqueued", "processing").build()));
    assertEquals(List.of(2L, 1L), matching(query().statuses("failed", "canceled").build()));
  }

  @Test
  void filterByIndexUidsNeverMatchesTasksWithoutIndex() {
    fixture();
    assertEquals(List.of(4L, 1L, 0L), matching(query().indexUids("movies").build()));
    assertEquals(List.of(4L, 3L, 2L, 1L, 0L), matching(query().indexUids("movies", "books").build()));
  }

  @Test
  void enqueuedAtBoundsAreExclusive() {
    fixture();
    assertEquals(List.of(5L, 4L, 3L), matching(query().afterEnqueuedAt(at(2)).build()));
    assertEquals(List.of(1L, 0L), matching(query().beforeEnqueuedAt(at(2)).build()));
    assertEquals(List.of(3L, 2L), matching(query().afterEnqueuedAt(at(1)).beforeEnqueuedAt(at(4)).build()));
    assertEquals(List.of(2L), matching(query().afterEnqueuedAt(at(2).minusNanos(1))
        .beforeEnqueuedAt(at(2).plusNanos(1)).build()));
  }

  @Test
  void startedAtBoundsExcludeTasksNotStarted() {
    fixture();
    // Task 4 never started: no startedAt bound matches it, whatever the bound.
    assertEquals(List.of(5L, 3L, 2L), matching(query().afterStartedAt(at(2)).build()));
    assertEquals(List.of(1L, 0L), matching(query().beforeStartedAt(at(3)).build()));
    assertEquals(List.of(5L, 3L, 2L, 1L, 0L), matching(query().afterStartedAt(Instant.EPOCH).build()));
  }

  @Test
  void finishedAtBoundsExcludeUnfinishedTasks() {
    fixture();
    assertEquals(List.of(5L, 2L), matching(query().afterFinishedAt(at(3)).build()));
    assertEquals(List.of(1L, 0L), matching(query().beforeFinishedAt(at(4)).build()));
    assertEquals(List.of(5L, 2L, 1L, 0L), matching(query().beforeFinishedAt(Instant.parse("9999-12-31T00:00:00Z"))
        .build()));
  }

  @Test
  void boundsFarOutsideTheStoredRangeStillCompareCorrectly() {
    fixture();
    assertEquals(List.of(), matching(query().afterEnqueuedAt(Instant.parse("9999-12-31T00:00:00Z")).build()));
    assertEquals(6, matching(query().afterEnqueuedAt(Instant.parse("0000-01-02T00:00:00Z")).build()).size());
    assertEquals(List.of(), matching(query().beforeEnqueuedAt(Instant.parse("0000-01-02T00:00:00Z")).build()));
    assertEquals(6, matching(query().beforeEnqueuedAt(Instant.MAX).build()).size());
  }

  @Test
  void filtersCombineWithAnd() {
    fixture();
    assertEquals(List.of(1L), matching(query().indexUids("movies").types("documentAdditionOrUpdate").build()));
    assertEquals(List.of(), matching(query().indexUids("books").statuses("succeeded").build()));
    assertEquals(List.of(3L), matching(query().indexUids("books").afterStartedAt(at(3)).statuses("processing",
        "canceled").build()));
  }

  @Test
  void impossibleValuesMatchNothing() {
    // How TaskQueryParser says "an empty list" (`uids=`): a set holding a value no task can have.
    fixture();
    assertEquals(List.of(), matching(query().uids(-1).build()));
    assertEquals(List.of(), matching(query().statuses("").build()));
    assertEquals(List.of(), matching(query().indexUids("").build()));
    assertEquals(0, await(store.listTasks(query().types("").build())).total());
  }

  // ---------------------------------------------------------------- pagination

  @Test
  void pagesWalkNewestFirstWithNextAndTotal() {
    fixture();
    TaskPage p1 = await(store.listTasks(query().limit(2).build()));
    assertEquals(List.of(5L, 4L), uids(p1.results()));
    assertEquals(6, p1.total());
    assertEquals(3L, p1.next());
    TaskPage p2 = await(store.listTasks(query().limit(2).from(p1.next()).build()));
    assertEquals(List.of(3L, 2L), uids(p2.results()));
    assertEquals(6, p2.total(), "total ignores from");
    assertEquals(1L, p2.next());
    TaskPage p3 = await(store.listTasks(query().limit(2).from(p2.next()).build()));
    assertEquals(List.of(1L, 0L), uids(p3.results()));
    assertNull(p3.next());
  }

  @Test
  void reversePagesWalkOldestFirst() {
    fixture();
    TaskPage p1 = await(store.listTasks(query().limit(4).reverse(true).build()));
    assertEquals(List.of(0L, 1L, 2L, 3L), uids(p1.results()));
    assertEquals(4L, p1.next());
    TaskPage p2 = await(store.listTasks(query().limit(4).reverse(true).from(4L).build()));
    assertEquals(List.of(4L, 5L), uids(p2.results()));
    assertNull(p2.next());
    assertEquals(6, p2.total());
  }

  @Test
  void fromIsInclusiveAndMayNameAMissingUid() {
    fixture();
    await(store.deleteTasks(List.of(3L)));
    assertEquals(List.of(2L, 1L, 0L), matching(query().from(3L).build()));
    assertEquals(List.of(4L, 5L), matching(query().from(3L).reverse(true).build()));
    assertEquals(List.of(5L, 4L, 2L, 1L, 0L), matching(query().from(100L).build()));
    TaskPage beyond = await(store.listTasks(query().from(100L).reverse(true).build()));
    assertEquals(List.of(), uids(beyond.results()));
    assertEquals(5, beyond.total());
    assertNull(beyond.next());
  }

  @Test
  void nextAndTotalFollowTheFilters() {
    fixture();
    TaskPage p = await(store.listTasks(query().indexUids("movies").limit(1).build()));
    assertEquals(List.of(4L), uids(p.results()));
    assertEquals(3, p.total());
    assertEquals(1L, p.next());
    TaskPage p2 = await(store.listTasks(query().indexUids("movies").limit(1).from(3L).build()));
    assertEquals(List.of(1L), uids(p2.results()));
    assertEquals(0L, p2.next());
  }

  @Test
  void limitZeroReturnsNoTaskButNamesTheNextOne() {
    fixture();
    TaskPage p = await(store.listTasks(query().limit(0).build()));
    assertEquals(List.of(), p.results());
    assertEquals(6, p.total());
    assertEquals(5L, p.next());
    assertEquals(0L, await(store.listTasks(query().limit(0).reverse(true).build())).next());
  }

  @Test
  void pageExactlyAsLongAsTheRestHasNoNext() {
    fixture();
    TaskPage p = await(store.listTasks(query().limit(6).build()));
    assertEquals(6, p.results().size());
    assertNull(p.next());
  }

  // ---------------------------------------------------------------- matchTasks, unfinished, delete, prune

  @Test
  void matchTasksIgnoresPagingAndAnswersOldestFirst() {
    fixture();
    TaskQuery q = query().indexUids("movies", "books").limit(1).from(2L).reverse(false).build();
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), uids(await(store.matchTasks(q))));
    assertEquals(List.of(2L), uids(await(store.matchTasks(query().canceledBy(5).build()))));
  }

  @Test
  void unfinishedTasksAreEnqueuedOrProcessingOldestFirst() {
    fixture();
    TaskRecord six = create("c", "indexCreation", at(9));
    assertEquals(List.of(3L, 4L, six.uid()), uids(await(store.unfinishedTasks(10))));
    assertEquals(List.of(3L, 4L), uids(await(store.unfinishedTasks(2))));
  }

  @Test
  void deleteTasksCountsOnlyThoseThatExisted() {
    fixture();
    assertEquals(2, await(store.deleteTasks(List.of(1L, 2L, 2L, 77L))));
    assertEquals(List.of(5L, 4L, 3L, 0L), matching(TaskQuery.all(20)));
    assertEquals(0, await(store.deleteTasks(List.of())));
  }

  @Test
  void deleteTasksHandlesLargeBatches() {
    List<Long> all = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      all.add(create("a", "indexCreation", T0).uid());
    }
    assertEquals(1200, await(store.deleteTasks(all)));
    assertEquals(0, await(store.listTasks(TaskQuery.all(1))).total());
  }

  @Test
  void pruneDeletesOnlyFinishedTasksFinishedStrictlyBeforeTheCutoff() {
    fixture();
    // finishedAt: 0 → at(2), 1 → at(3), 2 → at(4), 5 → at(7); 3 and 4 unfinished.
    assertEquals(2, await(store.pruneFinishedBefore(at(4))));
    assertEquals(List.of(5L, 4L, 3L, 2L), matching(TaskQuery.all(20)));
    assertEquals(2, await(store.pruneFinishedBefore(Instant.parse("9999-01-01T00:00:00Z"))));
    assertEquals(List.of(4L, 3L), matching(TaskQuery.all(20)));
  }

  // ---------------------------------------------------------------- index metadata and values

  @Test
  void indexMetadataCrudAndOrdering() {
    IndexMeta movies = new IndexMeta("movies", null, 8, 0, T0, T0);
    IndexMeta books = new IndexMeta("books", "isbn", 4, 3, T0, T0.plusNanos(7));
    IndexMeta apps = new IndexMeta("Apps-1_x", "id", 1, 1, T0, T0);
    await(store.putIndex(movies));
    await(store.putIndex(books));
    await(store.putIndex(apps));
    assertEquals(Optional.of(books), await(store.getIndex("books")));
    assertEquals(Optional.empty(), await(store.getIndex("nope")));
    assertEquals(List.of(apps, books, movies), await(store.listIndexes()));

    IndexMeta keyed = movies.withPrimaryKey("id", T0.plusSeconds(1));
    await(store.putIndex(keyed));
    assertEquals(Optional.of(keyed), await(store.getIndex("movies")));
    assertEquals(3, await(store.listIndexes()).size());

    await(store.deleteIndex("books"));
    await(store.deleteIndex("never-existed"));
    assertEquals(List.of(apps, keyed), await(store.listIndexes()));
  }

  @Test
  void valuesAreStoredAndReplaced() {
    assertEquals(Optional.empty(), await(store.getValue("topology")));
    await(store.putValue("topology", "{\"v\":1}"));
    await(store.putValue("other", ""));
    assertEquals(Optional.of("{\"v\":1}"), await(store.getValue("topology")));
    assertEquals(Optional.of(""), await(store.getValue("other")));
    await(store.putValue("topology", "{\"v\":2}"));
    assertEquals(Optional.of("{\"v\":2}"), await(store.getValue("topology")));
  }

  @Test
  void compareAndSetReplacesOnlyTheExpectedValue() {
    assertEquals(true, await(store.compareAndSetValue("topology", null, "v1")));
    assertEquals(false, await(store.compareAndSetValue("topology", null, "other")));
    assertEquals(false, await(store.compareAndSetValue("topology", "v0", "other")));
    assertEquals(Optional.of("v1"), await(store.getValue("topology")));
    assertEquals(true, await(store.compareAndSetValue("topology", "v1", "v2")));
    assertEquals(Optional.of("v2"), await(store.getValue("topology")));
    assertEquals(false, await(store.compareAndSetValue("absent", "v2", "x")));
    assertEquals(Optional.empty(), await(store.getValue("absent")));
  }

  @Test
  void racingCompareAndSetsLetExactlyOneWriterWinEachStep() {
    await(store.putValue("counter", "0"));
    List<io.vertx.core.Future<Boolean>> racers = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      racers.add(store.compareAndSetValue("counter", "0", "winner-" + i));
    }
    await(io.vertx.core.Future.join(racers));
    long winners = racers.stream().filter(f -> f.result()).count();
    assertEquals(1, winners);
    String value = await(store.getValue("counter")).orElseThrow();
    int winner = -1;
    for (int i = 0; i < racers.size(); i++) {
      if (racers.get(i).result()) {
        winner = i;
      }
    }
    assertEquals("winner-" + winner, value);
  }

  // ---------------------------------------------------------------- concurrency and restart

  @Test
  void concurrentCreatesGetDistinctConsecutiveUids() throws Exception {
    int n = 200;
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<Future<TaskRecord>>> submitted = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        submitted.add(threads.submit(() -> store.createTask(newTask("idx" + (k % 7), "indexCreation", at(k)))));
      }
      Set<Long> seen = new HashSet<>();
      for (var s : submitted) {
        seen.add(await(s.get(30, TimeUnit.SECONDS)).uid());
      }
      assertEquals(LongStream.range(0, n).boxed().collect(Collectors.toSet()), seen);
    } finally {
      threads.shutdownNow();
    }
    // Calls issued from many event-loop contexts at once must not interfere either.
    List<Future<TaskRecord>> fromLoops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      io.vertx.core.Promise<TaskRecord> p = io.vertx.core.Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> store.createTask(newTask("x", "indexCreation", T0)).onComplete(p));
      fromLoops.add(p.future());
    }
    await(Future.all(fromLoops));
    Set<Long> second = fromLoops.stream().map(f -> f.result().uid()).collect(Collectors.toSet());
    assertEquals(n, second.size());
    assertTrue(second.stream().allMatch(u -> u >= n && u < 2L * n));
    assertEquals(2L * n, await(store.listTasks(TaskQuery.all(1))).total());
  }

  @Test
  void everythingSurvivesARestartAndUidsContinue() {
    List<TaskRecord> before = fixture();
    IndexMeta meta = new IndexMeta("movies", "id", 16, 2, T0, T0.plusNanos(1));
    await(store.putIndex(meta));
    await(store.putValue("topology", "v7"));
    await(store.deleteTasks(List.of(5L)));
    await(store.close());
    store = null;

    store = reopenStore(vertx, dir);
    await(store.init());
    Map<Long, TaskRecord> expected = new LinkedHashMap<>();
    before.stream().filter(t -> t.uid() != 5).forEach(t -> expected.put(t.uid(), t));
    for (TaskRecord t : expected.values()) {
      assertEquals(t, await(store.getTask(t.uid())).orElseThrow());
    }
    assertEquals(5, await(store.listTasks(TaskQuery.all(20))).total());
    assertEquals(Optional.of(meta), await(store.getIndex("movies")));
    assertEquals(Optional.of("v7"), await(store.getValue("topology")));
    assertEquals(6, create("a", "indexCreation", T0).uid(), "uid 5 was used before the restart");
  }

  @Test
  void initTwiceOnTheSameStateKeepsIt() {
    create("a", "indexCreation", T0);
    await(store.close());
    store = reopenStore(vertx, dir);
    await(store.init());
    await(store.close());
    store = reopenStore(vertx, dir);
    await(store.init());
    assertEquals(1, await(store.listTasks(TaskQuery.all(20))).total());
    assertEquals(1, create("a", "indexCreation", T0).uid());
    assertFalse(await(store.getTask(0)).isEmpty());
  }

  /** Builds {@link TaskQuery}s field by field; everything left out is "any". */
  protected static final class TaskQueryBuilder {
    private Set<Long> uids = Set.of();
    private Set<Long> batchUids = Set.of();
    private Set<Long> canceledBy = Set.of();
    private Set<String> types = Set.of();
    private Set<String> statuses = Set.of();
    private Set<String> indexUids = Set.of();
    private Instant afterEnqueuedAt;
    private Instant beforeEnqueuedAt;
    private Instant afterStartedAt;
    private Instant beforeStartedAt;
    private Instant afterFinishedAt;
    private Instant beforeFinishedAt;
    private int limit = 20;
    private Long from;
    private boolean reverse;

    private static Set<Long> longs(long... values) {
      return LongStream.of(values).boxed().collect(Collectors.toSet());
    }

    public TaskQueryBuilder uids(long... v) {
      uids = longs(v);
      return this;
    }

    public TaskQueryBuilder batchUids(long... v) {
      batchUids = longs(v);
      return this;
    }

    public TaskQueryBuilder canceledBy(long... v) {
      canceledBy = longs(v);
      return this;
    }

    public TaskQueryBuilder types(String... v) {
      types = Set.of(v);
      return this;
    }

    public TaskQueryBuilder statuses(String... v) {
      statuses = Set.of(v);
      return this;
    }

    public TaskQueryBuilder indexUids(String... v) {
      indexUids = Set.of(v);
      return this;
    }

    public TaskQueryBuilder afterEnqueuedAt(Instant v) {
      afterEnqueuedAt = v;
      return this;
    }

    public TaskQueryBuilder beforeEnqueuedAt(Instant v) {
      beforeEnqueuedAt = v;
      return this;
    }

    public TaskQueryBuilder afterStartedAt(Instant v) {
      afterStartedAt = v;
      return this;
    }

    public TaskQueryBuilder beforeStartedAt(Instant v) {
      beforeStartedAt = v;
      return this;
    }

    public TaskQueryBuilder afterFinishedAt(Instant v) {
      afterFinishedAt = v;
      return this;
    }

    public TaskQueryBuilder beforeFinishedAt(Instant v) {
      beforeFinishedAt = v;
      return this;
    }

    public TaskQueryBuilder limit(int v) {
      limit = v;
      return this;
    }

    public TaskQueryBuilder from(Long v) {
      from = v;
      return this;
    }

    public TaskQueryBuilder reverse(boolean v) {
      reverse = v;
      return this;
    }

    public TaskQuery build() {
      return new TaskQuery(uids, batchUids, canceledBy, types, statuses, indexUids, afterEnqueuedAt, beforeEnqueuedAt,
          afterStartedAt, beforeStartedAt, afterFinishedAt, beforeFinishedAt, limit, from, reverse);
    }
  }
}
