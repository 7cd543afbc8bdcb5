package io.miroir.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.store.TaskRecord;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TaskAggregatorTest {
  private static final Instant ENQ = Instant.parse("2026-11-22T13:00:00Z");
  private static final String MISSING = "missing";
  private static final List<String> STATES = List.of("enqueued", "processing", "succeeded", "failed", "canceled",
      MISSING);

  private static TaskRecord task(String type, JsonObject details, JsonObject meta, String... nodes) {
    Map<String, Long> nodeTasks = new TreeMap<>();
    for (int i = 0; i < nodes.length; i++) {
      nodeTasks.put(nodes[i], 100L + i);
    }
    return new TaskRecord(42, null, "movies", "enqueued", type, null, details, null, ENQ, null, null, nodeTasks,
        meta);
  }

  private static Instant at(int seconds) {
    return ENQ.plusSeconds(seconds);
  }

  /** A node's own task object, shaped as Meilisearch answers {@code GET /tasks/{uid}}. */
  private static JsonObject node(String status, Instant started, Instant finished) {
    JsonObject o = new JsonObject().put("uid", 7).put("batchUid", "enqueued".equals(status) ? null : 3)
        .put("indexUid", "movies").put("status", status).put("type", "documentAdditionOrUpdate")
        .put("canceledBy", "canceled".equals(status) ? 8 : null)
        .put("details", new JsonObject().put("receivedDocuments", 5).put("indexedDocuments", 5))
        .put("error", "failed".equals(status) ? error("node says no") : null).put("duration", null)
        .put("enqueuedAt", TaskJson.timestamp(ENQ)).put("startedAt", TaskJson.timestamp(started))
        .put("finishedAt", TaskJson.timestamp(finished));
    return o;
  }

  /** A node object in {@code state} with plausible timestamps: started at {@code i+1}, finished at {@code i+10}. */
  private static JsonObject node(String state, int i) {
    return switch (state) {
      case "enqueued" -> node(state, null, null);
      case "processing" -> node(state, at(i + 1), null);
      default -> node(state, at(i + 1), at(i + 10));
    };
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("message", message).put("code", "internal").put("type", "internal")
        .put("link", "https://docs.meilisearch.com/errors#internal");
  }

  private static JsonObject deletedDocs(String status, Object deleted) {
    JsonObject o = node(status, at(1), "processing".equals(status) ? null : at(2));
    o.put("details", new JsonObject().put("providedIds", 3).put("deletedDocuments", deleted));
    return o;
  }

  private static String aggregateStatus(String... states) {
    String[] nodes = new String[states.length];
    Map<String, JsonObject> objects = new HashMap<>();
    for (int i = 0; i < states.length; i++) {
      nodes[i] = "n" + i;
      if (!MISSING.equals(states[i])) {
        objects.put(nodes[i], node(states[i], i));
      }
    }
    return TaskAggregator.aggregate(task("settingsUpdate", null, null, nodes), objects).status();
  }

  // ---------------------------------------------------------------- status

  @Test
  void taskWithoutNodeTasksIsReturnedAsIs() {
    TaskRecord rejected = new TaskRecord(3, null, "movies", "failed", "documentAdditionOrUpdate", null,
        new JsonObject().put("receivedDocuments", 1).put("indexedDocuments", 0), error("missing id"), ENQ, null,
        at(1), Map.of(), null);
    assertSame(rejected, TaskAggregator.aggregate(rejected, Map.of("n1", node("succeeded", 0))));
  }

  @Test
  void statusTable() {
    assertEquals("enqueued", aggregateStatus("enqueued"));
    assertEquals("processing", aggregateStatus("processing"));
    assertEquals("succeeded", aggregateStatus("succeeded"));
    assertEquals("failed", aggregateStatus("failed"));
    assertEquals("canceled", aggregateStatus("canceled"));
    assertEquals("enqueued", aggregateStatus(MISSING));

    assertEquals("enqueued", aggregateStatus("enqueued", "enqueued"));
    assertEquals("processing", aggregateStatus("enqueued", "processing"));
    assertEquals("processing", aggregateStatus("enqueued", "succeeded"), "some finished, others not");
    assertEquals("processing", aggregateStatus("succeeded", MISSING), "an unseen node is not finished");
    assertEquals("processing", aggregateStatus("processing", "succeeded"));
    assertEquals("succeeded", aggregateStatus("succeeded", "succeeded"));
    assertEquals("failed", aggregateStatus("succeeded", "failed"));
    assertEquals("failed", aggregateStatus("processing", "failed"), "failure wins even before the rest ends");
    assertEquals("failed", aggregateStatus("enqueued", "failed"));
    assertEquals("failed", aggregateStatus("canceled", "failed"), "failed outranks canceled");
    assertEquals("canceled", aggregateStatus("succeeded", "canceled"));
    assertEquals("canceled", aggregateStatus("processing", "canceled"));
    assertEquals("canceled", aggregateStatus(MISSING, "canceled"));
    assertEquals("succeeded", aggregateStatus("succeeded", "succeeded", "succeeded"));
    assertEquals("processing", aggregateStatus("succeeded", "succeeded", "enqueued"));
  }

  @Test
  void everyCombinationOfThreeNodesFollowsThePriorityRules() {
    int checked = 0;
    for (String a : STATES) {
      for (String b : STATES) {
        for (String c : STATES) {
          List<String> s = List.of(a, b, c);
          assertEquals(expected(s), aggregateStatus(a, b, c), s.toString());
          checked++;
        }
      }
    }
    assertEquals(216, checked);
  }

  /** SPEC §2.3 written as counts, independently of the implementation's order of checks. */
  private static String expected(List<String> states) {
    long failed = states.stream().filter("failed"::equals).count();
    long canceled = states.stream().filter("canceled"::equals).count();
    long succeeded = states.stream().filter("succeeded"::equals).count();
    long processing = states.stream().filter("processing"::equals).count();
    if (failed > 0) {
      return "failed";
    }
    if (canceled > 0) {
      return "canceled";
    }
    if (succeeded == states.size()) {
      return "succeeded";
    }
    return processing + succeeded > 0 ? "processing" : "enqueued";
  }

  @Test
  void unknownNodeStatusCountsAsNotStarted() {
    Map<String, JsonObject> objects = Map.of("a", node("succeeded", 0), "b", node("enqueued", 1).put("status",
        "paused"));
    assertEquals("processing", TaskAggregator.aggregate(task("indexCreation", null, null, "a", "b"), objects)
        .status());
  }

  // ---------------------------------------------------------------- error, timestamps, batch uid

  @Test
  void failedTaskTakesTheErrorOfTheFirstFailingNodeById() {
    Map<String, JsonObject> objects = new LinkedHashMap<>();
    objects.put("zeta", node("failed", at(1), at(2)).put("error", error("from zeta")));
    objects.put("beta", node("failed", at(1), at(3)).put("error", error("from beta")));
    objects.put("alpha", node("succeeded", at(1), at(4)));
    TaskRecord r = TaskAggregator.aggregate(task("indexCreation", null, null, "zeta", "beta", "alpha"), objects);
    assertEquals("failed", r.status());
    assertEquals(error("from beta"), r.error());
    r.error().put("message", "changed");
    assertEquals("from beta", objects.get("beta").getJsonObject("error").getString("message"),
        "the node's object must not be shared");
  }

  @Test
  void errorIsClearedWhenTheNodesNoLongerFail() {
    TaskRecord stale = new TaskRecord(42, 42L, "movies", "failed", "indexCreation", null, null, error("old"), ENQ,
        at(1), at(2), Map.of("a", 1L), null);
    TaskRecord r = TaskAggregator.aggregate(stale, Map.of("a", node("succeeded", 0)));
    assertEquals("succeeded", r.status());
    assertNull(r.error());
  }

  @Test
  void startIsTheEarliestNodeStartAndFinishTheLatestFinishOnceFinished() {
    Map<String, JsonObject> objects = Map.of(
        "a", node("succeeded", at(5), at(9)),
        "b", node("succeeded", Instant.parse("2026-11-22T13:00:02.000000007Z"), at(20)),
        "c", node("succeeded", at(3), Instant.parse("2026-11-22T13:00:20.5Z")));
    TaskRecord r = TaskAggregator.aggregate(task("indexCreation", null, null, "a", "b", "c"), objects);
    assertEquals(Instant.parse("2026-11-22T13:00:02.000000007Z"), r.startedAt());
    assertEquals(Instant.parse("2026-11-22T13:00:20.5Z"), r.finishedAt());
    assertEquals("PT18.499999993S", TaskJson.duration(r));
  }

  @Test
  void unfinishedTaskHasNoFinishEvenIfSomeNodesFinished() {
    Map<String, JsonObject> objects = Map.of("a", node("succeeded", at(5), at(9)), "b", node("processing", at(4),
        null));
    TaskRecord r = TaskAggregator.aggregate(task("indexCreation", null, null, "a", "b"), objects);
    assertEquals("processing", r.status());
    assertEquals(at(4), r.startedAt());
    assertNull(r.finishedAt());
    assertEquals(42L, r.batchUid());
  }

  @Test
  void failedWhileOthersRunFinishesAtTheLatestKnownFinish() {
    Map<String, JsonObject> objects = Map.of("a", node("failed", at(1), at(2)), "b", node("processing", at(1), null),
        "c", node("succeeded", at(1), at(6)));
    TaskRecord r = TaskAggregator.aggregate(task("indexCreation", null, null, "a", "b", "c"), objects);
    assertEquals("failed", r.status());
    assertEquals(at(6), r.finishedAt());
  }

  @Test
  void enqueuedTaskHasNoBatchNorStart() {
    TaskRecord r = TaskAggregator.aggregate(task("indexCreation", null, null, "a", "b"),
        Map.of("a", node("enqueued", 0), "b", node("enqueued", 1)));
    assertEquals("enqueued", r.status());
    assertNull(r.batchUid());
    assertNull(r.startedAt());
    assertNull(r.finishedAt());
  }

  @Test
  void batchUidIsTheTasksOwnUidOnceItLeftTheQueue() {
    for (String s : List.of("processing", "succeeded", "failed", "canceled")) {
      TaskRecord r = TaskAggregator.aggregate(task("indexCreation", null, null, "a"), Map.of("a", node(s, 0)));
      assertEquals(42L, r.batchUid(), s);
    }
  }

  @Test
  void identityFieldsAreKept() {
    JsonObject meta = new JsonObject().put("copies", 2).put("settings", new JsonObject().put("x", 1));
    TaskRecord t = new TaskRecord(42, null, "movies", "enqueued", "settingsUpdate", 17L,
        new JsonObject().put("rankingRules", "x"), null, ENQ, null, null, Map.of("a", 5L, "b", 6L), meta);
    TaskRecord r = TaskAggregator.aggregate(t, Map.of("a", node("canceled", 0), "b", node("succeeded", 1),
        "stranger", node("failed", 2)));
    assertEquals("canceled", r.status(), "objects of nodes outside nodeTasks are ignored");
    assertEquals(42, r.uid());
    assertEquals("movies", r.indexUid());
    assertEquals("settingsUpdate", r.type());
    assertEquals(17L, r.canceledBy(), "Miroir's canceledBy, never a node's uid");
    assertEquals(ENQ, r.enqueuedAt());
    assertEquals(t.nodeTasks(), r.nodeTasks());
    assertEquals(meta, r.meta());
    assertEquals(new JsonObject().put("rankingRules", "x"), r.details(), "other types keep their details");
  }

  @Test
  void unreadableNodeTimestampsAreIgnored() {
    JsonObject a = node("succeeded", at(1), at(2)).put("startedAt", "yesterday");
    TaskRecord r = TaskAggregator.aggregate(task("indexCreation", null, null, "a", "b"),
        Map.of("a", a, "b", node("succeeded", at(3), at(4))));
    assertEquals(at(3), r.startedAt());
    assertEquals(at(4), r.finishedAt());
  }

  // ---------------------------------------------------------------- details counters

  private static JsonObject addition(int received) {
    return new JsonObject().put("receivedDocuments", received).put("indexedDocuments", (Object) null)
        .put("miroirNote", "kept");
  }

  @Test
  void indexedDocumentsFollowTheOutcome() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("succeeded", 7);
    expected.put("failed", 0);
    expected.put("canceled", 0);
    expected.put("processing", null);
    expected.put("enqueued", null);
    for (Map.Entry<String, Object> e : expected.entrySet()) {
      TaskRecord t = task("documentAdditionOrUpdate", addition(7), null, "a", "b");
      String other = "processing".equals(e.getKey()) || "enqueued".equals(e.getKey()) ? "enqueued" : "succeeded";
      TaskRecord r = TaskAggregator.aggregate(t, Map.of("a", node(e.getKey(), 0), "b", node(other, 1)));
      assertEquals(e.getKey(), r.status());
      assertTrue(r.details().containsKey("indexedDocuments"), e.getKey());
      assertEquals(e.getValue(), r.details().getValue("indexedDocuments"), e.getKey());
      assertEquals(7, r.details().getInteger("receivedDocuments"));
      assertEquals("kept", r.details().getString("miroirNote"));
    }
  }

  @Test
  void aggregationNeverMutatesTheStoredTask() {
    TaskRecord t = task("documentAdditionOrUpdate", addition(7), null, "a");
    TaskAggregator.aggregate(t, Map.of("a", node("succeeded", 0)));
    assertNull(t.details().getValue("indexedDocuments"));
    assertEquals("enqueued", t.status());
  }

  @Test
  void additionWithoutDetailsStaysWithoutDetails() {
    TaskRecord r = TaskAggregator.aggregate(task("documentAdditionOrUpdate", null, null, "a"),
        Map.of("a", node("succeeded", 0)));
    assertNull(r.details());
  }

  @Test
  void deletedDocumentsAreTheNodeSumDividedByTheCopiesRounded() {
    JsonObject details = new JsonObject().put("providedIds", 3).put("deletedDocuments", (Object) null)
        .put("originalFilter", (Object) null);
    Map<String, JsonObject> objects = Map.of("a", deletedDocs("succeeded", 3), "b", deletedDocs("succeeded", 4),
        "c", deletedDocs("succeeded", 4));
    TaskRecord two = TaskAggregator.aggregate(task("documentDeletion", details,
        new JsonObject().put("copies", 2), "a", "b", "c"), objects);
    assertEquals(6L, two.details().getLong("deletedDocuments"), "11 / 2 = 5.5 rounds to 6");
    assertEquals(3, two.details().getInteger("providedIds"));
    assertTrue(two.details().containsKey("originalFilter"));

    TaskRecord one = TaskAggregator.aggregate(task("documentDeletion", details, null, "a", "b", "c"), objects);
    assertEquals(11L, one.details().getLong("deletedDocuments"), "copies defaults to 1");

    TaskRecord three = TaskAggregator.aggregate(task("documentDeletion", details,
        new JsonObject().put("copies", 3), "a", "b", "c"), objects);
    assertEquals(4L, three.details().getLong("deletedDocuments"), "11 / 3 = 3.67 rounds to 4");

    TaskRecord zero = TaskAggregator.aggregate(task("documentDeletion", details,
        new JsonObject().put("copies", 0), "a", "b", "c"), objects);
    assertEquals(11L, zero.details().getLong("deletedDocuments"), "a nonsensical copies counts as 1");
  }

  @Test
  void nodesWithoutACountAddNothing() {
    Map<String, JsonObject> objects = Map.of("a", deletedDocs("succeeded", null), "b",
        node("succeeded", at(1), at(2)).put("details", (Object) null), "c", deletedDocs("succeeded", 5));
    TaskRecord r = TaskAggregator.aggregate(task("documentDeletion", new JsonObject(), null, "a", "b", "c"),
        objects);
    assertEquals(5L, r.details().getLong("deletedDocuments"));
  }

  @Test
  void deletedDocumentsFollowTheOutcome() {
    JsonObject details = new JsonObject().put("deletedDocuments", (Object) null);
    TaskRecord processing = TaskAggregator.aggregate(task("documentDeletion", details, null, "a", "b"),
        Map.of("a", deletedDocs("succeeded", 4), "b", deletedDocs("processing", null)));
    assertEquals("processing", processing.status());
    assertTrue(processing.details().containsKey("deletedDocuments"));
    assertNull(processing.details().getValue("deletedDocuments"));

    TaskRecord failed = TaskAggregator.aggregate(task("documentDeletion", details, null, "a", "b"),
        Map.of("a", deletedDocs("succeeded", 4), "b", deletedDocs("failed", 0)));
    assertEquals("failed", failed.status());
    assertEquals(0, failed.details().getInteger("deletedDocuments"), "Meilisearch reports 0 for a failed task");

    TaskRecord canceled = TaskAggregator.aggregate(task("documentDeletion", details, null, "a", "b"),
        Map.of("a", deletedDocs("succeeded", 4), "b", deletedDocs("canceled", 0)));
    assertEquals(0, canceled.details().getInteger("deletedDocuments"));
  }

  @Test
  void indexDeletionAlwaysShowsDeletedDocuments() {
    TaskRecord r = TaskAggregator.aggregate(task("indexDeletion", null, new JsonObject().put("copies", 2), "a", "b"),
        Map.of("a", deletedDocs("succeeded", 10), "b", deletedDocs("succeeded", 10)));
    assertEquals(new JsonObject().put("deletedDocuments", 10L), r.details());

    TaskRecord pending = TaskAggregator.aggregate(task("indexDeletion", null, null, "a"),
        Map.of("a", deletedDocs("processing", null)));
    assertTrue(pending.details().containsKey("deletedDocuments"));
    assertNull(pending.details().getValue("deletedDocuments"));
  }

  @Test
  void manyNodesAggregateTheSameWhateverTheMapOrder() {
    List<String> ids = new ArrayList<>();
    Map<String, JsonObject> forward = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      ids.add("node-" + i);
      forward.put("node-" + i, node(i == 13 ? "failed" : "succeeded", i).put("error",
          i == 13 ? error("thirteen") : null));
    }
    Map<String, JsonObject> backward = new LinkedHashMap<>();
    for (int i = 19; i >= 0; i--) {
      backward.put("node-" + i, forward.get("node-" + i));
    }
    TaskRecord t = task("indexCreation", null, null, ids.toArray(String[]::new));
    assertEquals(TaskAggregator.aggregate(t, forward), TaskAggregator.aggregate(t, backward));
    assertEquals(error("thirteen"), TaskAggregator.aggregate(t, forward).error());
  }
}
