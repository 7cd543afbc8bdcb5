package io.miroir.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.miroir.store.TaskPage;
import io.miroir.store.TaskRecord;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are answers of a real Meilisearch 1.21.0, copied verbatim. */
class TaskJsonTest {

  private static Instant t(String s) {
    return Instant.parse(s);
  }

  private static TaskRecord record(long uid, Long batchUid, String index, String status, String type, Long canceledBy,
      JsonObject details, JsonObject error, String enqueued, String started, String finished) {
    return new TaskRecord(uid, batchUid, index, status, type, canceledBy, details, error, t(enqueued),
        started == null ? null : t(started), finished == null ? null : t(finished), Map.of("n1", 3L),
        new JsonObject().put("secret", "never shown"));
  }

  static final TaskRecord ADDITION = record(1, 1L, "movies", "succeeded", "documentAdditionOrUpdate", null,
      new JsonObject().put("receivedDocuments", 2).put("indexedDocuments", 2), null,
      "2026-11-22T13:51:59.335876285Z", "2026-11-22T13:51:59.337771720Z", "2026-11-22T13:52:00.643269581Z");

  @Test
  void finishedTaskIsRenderedFieldForFieldInMeilisearchOrder() {
    assertEquals("{\"uid\":1,\"batchUid\":1,\"indexUid\":\"movies\",\"status\":\"succeeded\","
        + "\"type\":\"documentAdditionOrUpdate\",\"canceledBy\":null,\"details\":{\"receivedDocuments\":2,"
        + "\"indexedDocuments\":2},\"error\":null,\"duration\":\"PT1.305497861S\","
        + "\"enqueuedAt\":\"2026-11-22T13:51:59.335876285Z\",\"startedAt\":\"2026-11-22T13:51:59.33777172Z\","
        + "\"finishedAt\":\"2026-11-22T13:52:00.643269581Z\"}", TaskJson.task(ADDITION).encode());
  }

  @Test
  void processingTaskHasNoDurationNorFinishedAt() {
    TaskRecord r = record(4, 3L, "movies", "processing", "documentDeletion", null,
        new JsonObject().put("providedIds", 0).put("deletedDocuments", (Object) null)
            .put("originalFilter", "\"id = 2\""), null,
        "2026-11-22T13:51:59.425052112Z", "2026-11-22T13:52:00.646496492Z", null);
    assertEquals("{\"uid\":4,\"batchUid\":3,\"indexUid\":\"movies\",\"status\":\"processing\","
        + "\"type\":\"documentDeletion\",\"canceledBy\":null,\"details\":{\"providedIds\":0,"
        + "\"deletedDocuments\":null,\"originalFilter\":\"\\\"id = 2\\\"\"},\"error\":null,\"duration\":null,"
        + "\"enqueuedAt\":\"2026-11-22T13:51:59.425052112Z\",\"startedAt\":\"2026-11-22T13:52:00.646496492Z\","
        + "\"finishedAt\":null}", TaskJson.task(r).encode());
  }

  @Test
  void taskWithoutDetailsOmitsTheField() {
    TaskRecord r = record(12, 10L, null, "succeeded", "snapshotCreation", null, null, null,
        "2026-11-22T13:54:29.102357311Z", "2026-11-22T13:54:29.103257258Z", "2026-11-22T13:54:29.114635123Z");
    assertEquals("{\"uid\":12,\"batchUid\":10,\"indexUid\":null,\"status\":\"succeeded\","
        + "\"type\":\"snapshotCreation\",\"canceledBy\":null,\"error\":null,\"duration\":\"PT0.011377865S\","
        + "\"enqueuedAt\":\"2026-11-22T13:54:29.102357311Z\",\"startedAt\":\"2026-11-22T13:54:29.103257258Z\","
        + "\"finishedAt\":\"2026-11-22T13:54:29.114635123Z\"}", TaskJson.task(r).encode());
  }

  @Test
  void failedAndCanceledTasksCarryErrorAndCanceledBy() {
    JsonObject error = new JsonObject().put("message", "The primary key inference failed as the engine did not find "
        + "any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` "
        + "query parameter.").put("code", "index_primary_key_no_candidate_found").put("type", "invalid_request")
        .put("link", "https://docs.meilisearch.com/errors#index_primary_key_no_candidate_found");
    TaskRecord failed = record(10, 8L, "nopk", "failed", "documentAdditionOrUpdate", null,
        new JsonObject().put("receivedDocuments", 1).put("indexedDocuments", 0), error,
        "2026-11-22T13:54:29.032946667Z", "2026-11-22T13:54:29.076818773Z", "2026-11-22T13:54:29.086281076Z");
    assertEquals("{\"uid\":10,\"batchUid\":8,\"indexUid\":\"nopk\",\"status\":\"failed\","
        + "\"type\":\"documentAdditionOrUpdate\",\"canceledBy\":null,\"details\":{\"receivedDocuments\":1,"
        + "\"indexedDocuments\":0},\"error\":{\"message\":\"The primary key inference failed as the engine did not "
        + "find any field ending with `id` in its name. Please specify the primary key manually using the "
        + "`primaryKey` query parameter.\",\"code\":\"index_primary_key_no_candidate_found\","
        + "\"type\":\"invalid_request\",\"link\":\"https://docs.meilisearch.com/errors#"
        + "index_primary_key_no_candidate_found\"},\"duration\":\"PT0.009462303S\","
        + "\"enqueuedAt\":\"2026-11-22T13:54:29.032946667Z\",\"startedAt\":\"2026-11-22T13:54:29.076818773Z\","
        + "\"finishedAt\":\"2026-11-22T13:54:29.086281076Z\"}", TaskJson.task(failed).encode());

    TaskRecord canceled = record(14, 11L, "big", "canceled", "documentAdditionOrUpdate", 15L,
        new JsonObject().put("receivedDocuments", 1).put("indexedDocuments", 0), null,
        "2026-11-22T13:54:34.576545928Z", "2026-11-22T13:54:35.162550565Z", "2026-11-22T13:54:35.162843363Z");
    assertEquals("{\"uid\":14,\"batchUid\":11,\"indexUid\":\"big\",\"status\":\"canceled\","
        + "\"type\":\"documentAdditionOrUpdate\",\"canceledBy\":15,\"details\":{\"receivedDocuments\":1,"
        + "\"indexedDocuments\":0},\"error\":null,\"duration\":\"PT0.000292798S\","
        + "\"enqueuedAt\":\"2026-11-22T13:54:34.576545928Z\",\"startedAt\":\"2026-11-22T13:54:35.162550565Z\","
        + "\"finishedAt\":\"2026-11-22T13:54:35.162843363Z\"}", TaskJson.task(canceled).encode());
  }

  @Test
  void renderingNeverLeaksMetaNorNodeTasksNorSharesMutableState() {
    JsonObject o = TaskJson.task(ADDITION);
    assertFalse(o.encode().contains("never shown"));
    assertFalse(o.containsKey("nodeTasks"));
    o.getJsonObject("details").put("indexedDocuments", 99);
    assertEquals(2, ADDITION.details().getInteger("indexedDocuments"));
  }

  @Test
  void summarizedTaskIsWhatEnqueuingRoutesAnswer() {
    TaskRecord r = record(0, null, "movies", "enqueued", "indexCreation", null, null, null,
        "2026-11-22T13:51:59.312838246Z", null, null);
    assertEquals("{\"taskUid\":0,\"indexUid\":\"movies\",\"status\":\"enqueued\",\"type\":\"indexCreation\","
        + "\"enqueuedAt\":\"2026-11-22T13:51:59.312838246Z\"}", TaskJson.summarized(r).encode());
    TaskRecord cancel = record(7, null, null, "enqueued", "taskCancelation", null, null, null,
        "2026-11-22T13:53:15.474449969Z", null, null);
    assertEquals("{\"taskUid\":7,\"indexUid\":null,\"status\":\"enqueued\",\"type\":\"taskCancelation\","
        + "\"enqueuedAt\":\"2026-11-22T13:53:15.474449969Z\"}", TaskJson.summarized(cancel).encode());
  }

  @Test
  void pageCarriesTotalLimitFromAndNext() {
    TaskRecord second = record(0, 0L, "movies", "succeeded", "indexCreation", null,
        new JsonObject().put("primaryKey", "id"), null, "2026-11-22T13:51:59.312838246Z",
        "2026-11-22T13:51:59.315282269Z", "2026-11-22T13:51:59.329158469Z");
    JsonObject page = TaskJson.page(new TaskPage(List.of(ADDITION, second), 13, 9L), 2);
    assertEquals(List.of("results", "total", "limit", "from", "next"), List.copyOf(page.fieldNames()));
    assertEquals(13L, page.getLong("total"));
    assertEquals(2, page.getInteger("limit"));
    assertEquals(1L, page.getLong("from"));
    assertEquals(9L, page.getLong("next"));
    assertEquals(TaskJson.task(second), page.getJsonArray("results").getJsonObject(1));
    assertEquals("PT0.013876200S", page.getJsonArray("results").getJsonObject(1).getString("duration"));
  }

  @Test
  void emptyPageHasNullFromAndNext() {
    assertEquals("{\"results\":[],\"total\":0,\"limit\":20,\"from\":null,\"next\":null}",
        TaskJson.page(new TaskPage(List.of(), 0, null), 20).encode());
    assertEquals("{\"results\":[],\"total\":10,\"limit\":0,\"from\":null,\"next\":9}",
        TaskJson.page(new TaskPage(List.of(), 10, 9L), 0).encode());
  }

  @Test
  void timestampsDropTrailingZerosOfTheFraction() {
    assertEquals("2026-11-22T13:51:59.33777172Z", TaskJson.timestamp(t("2026-11-22T13:51:59.337771720Z")));
    assertEquals("2026-11-22T13:51:59.5Z", TaskJson.timestamp(t("2026-11-22T13:51:59.500Z")));
    assertEquals("2026-11-22T13:51:59.000000001Z", TaskJson.timestamp(t("2026-11-22T13:51:59.000000001Z")));
    assertEquals("2026-11-22T13:51:59.00000012Z", TaskJson.timestamp(t("2026-11-22T13:51:59.000000120Z")));
    assertEquals("2026-11-22T13:51:59Z", TaskJson.timestamp(t("2026-11-22T13:51:59Z")));
    assertEquals("0999-01-02T03:04:05.06Z", TaskJson.timestamp(t("0999-01-02T03:04:05.06Z")));
    assertNull(TaskJson.timestamp(null));
  }

  @Test
  void durationsUseThreeSixOrNineFractionDigitsAndNoHoursOrMinutes() {
    assertEquals("PT0S", TaskJson.duration(Duration.ZERO));
    assertEquals("PT0.250S", TaskJson.duration(Duration.ofMillis(250)));
    assertEquals("PT0.000003S", TaskJson.duration(Duration.ofNanos(3_000)));
    assertEquals("PT0.000001500S", TaskJson.duration(Duration.ofNanos(1_500)));
    assertEquals("PT0.013876200S", TaskJson.duration(Duration.ofNanos(13_876_200)));
    assertEquals("PT3600S", TaskJson.duration(Duration.ofHours(1)));
    assertEquals("PT86399.999S", TaskJson.duration(Duration.ofDays(1).minusMillis(1)));
    assertEquals("P1D", TaskJson.duration(Duration.ofDays(1)));
    assertEquals("P2DT5.000000007S", TaskJson.duration(Duration.ofDays(2).plusSeconds(5).plusNanos(7)));
    assertEquals("P1DT0.001S", TaskJson.duration(Duration.ofDays(1).plusMillis(1)));
    assertNull(TaskJson.duration(Duration.ofNanos(-1)));
  }

  @Test
  void durationOfATaskNeedsBothStartAndFinish() {
    assertEquals("PT1.305497861S", TaskJson.duration(ADDITION));
    TaskRecord rejectedBeforeStart = record(2, null, "a", "failed", "documentAdditionOrUpdate", null, null,
        new JsonObject().put("code", "missing_document_id"), "2026-11-22T13:00:00Z", null, "2026-11-22T13:00:01Z");
    assertNull(TaskJson.duration(rejectedBeforeStart));
    assertNull(TaskJson.task(rejectedBeforeStart).getString("duration"));
  }
}
