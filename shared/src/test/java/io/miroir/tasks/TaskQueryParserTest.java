package io.miroir.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.miroir.meili.MeiliException;
import io.miroir.store.TaskQuery;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class TaskQueryParserTest {

  /** The parameters as Vert.x hands them to a route: decoded by Netty, in a case-insensitive multimap. */
  static MultiMap params(String rawQuery) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    new QueryStringDecoder("/tasks?" + rawQuery, StandardCharsets.UTF_8, true, 1024, false).parameters()
        .forEach(out::add);
    return out;
  }

  static TaskQuery list(String rawQuery) {
    return TaskQueryParser.parseList(params(rawQuery));
  }

  static MeiliException listError(String rawQuery) {
    return assertThrows(MeiliException.class, () -> list(rawQuery));
  }

  // ---------------------------------------------------------------- against the real Meilisearch 1.21

  @TestFactory
  Stream<DynamicTest> answersAsMeilisearchDid() throws IOException {
    JsonArray cases;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/meili-1.21-task-query-params.json")) {
      cases = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("cases");
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Object o : cases) {
      JsonObject c = (JsonObject) o;
      String name = c.getString("method") + " ?" + c.getString("query");
      tests.add(DynamicTest.dynamicTest(name, () -> check(c)));
    }
    assertTrue(tests.size() > 100, "the recorded fixture must be loaded");
    return tests.stream();
  }

  private static void check(JsonObject c) {
    String query = c.getString("query");
    if (query.startsWith("=")) {
      // Vert.x (Netty) drops a parameter without a name, so Miroir never sees what Meilisearch rejects here.
      assertTrue(params(query).isEmpty());
      return;
    }
    MultiMap p = params(query);
    Runnable parse = switch (c.getString("method")) {
      case "GET" -> () -> TaskQueryParser.parseList(p);
      case "DELETE" -> () -> TaskQueryParser.parseDeletion(p);
      default -> () -> TaskQueryParser.parseCancelation(p);
    };
    if (c.getInteger("status") == 200) {
      parse.run();
      if (c.containsKey("originalFilter")) {
        assertEquals(c.getString("originalFilter"), TaskQueryParser.originalFilter(query));
        assertEquals(c.getString("originalFilter"), TaskQueryParser.originalFilter(p));
      }
      return;
    }
    try {
      parse.run();
      fail("expected " + c.getJsonObject("error").getString("code"));
    } catch (MeiliException e) {
      assertEquals(c.getJsonObject("error"), e.body());
      assertEquals(c.getInteger("status"), e.httpStatus());
    }
  }

  // ---------------------------------------------------------------- values

  @Test
  void noParameterMeansEverythingNewestFirstTwentyPerPage() {
    TaskQuery q = list("");
    assertEquals(TaskQuery.all(20), q);
    assertEquals(20, TaskQueryParser.DEFAULT_LIMIT);
  }

  @Test
  void everyParameterLandsInItsField() {
    TaskQuery q = list("limit=5&from=9&reverse=true&batchUids=1,2&uids=3,4&canceledBy=7&types=indexCreation,"
        + "documentDeletion&statuses=failed,canceled&indexUids=movies,books&afterEnqueuedAt=2026-01-01T00:00:01Z"
        + "&beforeEnqueuedAt=2026-01-01T00:00:02Z&afterStartedAt=2026-01-01T00:00:03Z"
        + "&beforeStartedAt=2026-01-01T00:00:04Z&afterFinishedAt=2026-01-01T00:00:05Z"
        + "&beforeFinishedAt=2026-01-01T00:00:06Z");
    assertEquals(5, q.limit());
    assertEquals(9L, q.from());
    assertTrue(q.reverse());
    assertEquals(Set.of(1L, 2L), q.batchUids());
    assertEquals(Set.of(3L, 4L), q.uids());
    assertEquals(Set.of(7L), q.canceledBy());
    assertEquals(Set.of("indexCreation", "documentDeletion"), q.types());
    assertEquals(Set.of("failed", "canceled"), q.statuses());
    assertEquals(Set.of("movies", "books"), q.indexUids());
    assertEquals(Instant.parse("2026-01-01T00:00:01Z"), q.afterEnqueuedAt());
    assertEquals(Instant.parse("2026-01-01T00:00:02Z"), q.beforeEnqueuedAt());
    assertEquals(Instant.parse("2026-01-01T00:00:03Z"), q.afterStartedAt());
    assertEquals(Instant.parse("2026-01-01T00:00:04Z"), q.beforeStartedAt());
    assertEquals(Instant.parse("2026-01-01T00:00:05Z"), q.afterFinishedAt());
    assertEquals(Instant.parse("2026-01-01T00:00:06Z"), q.beforeFinishedAt());
  }

  @Test
  void statusesAndTypesAreCaseInsensitiveButStoredCanonically() {
    TaskQuery q = list("statuses=SUCCEEDED,Enqueued&types=documentadditionorupdate,TASKDELETION");
    assertEquals(Set.of("succeeded", "enqueued"), q.statuses());
    assertEquals(Set.of("documentAdditionOrUpdate", "taskDeletion"), q.types());
    // Only ASCII case folds: a dotless ı is not an i.
    assertEquals("invalid_task_types", listError("types=%C4%B1ndexCreation").code());
  }

  @Test
  void starAnywhereInAListMeansAny() {
    TaskQuery q = list("uids=1,*&statuses=*&types=*,indexCreation&indexUids=a,*&batchUids=*&canceledBy=*");
    assertEquals(TaskQuery.all(20), q);
  }

  @Test
  void anEmptyListMatchesNothingThroughImpossibleValues() {
    TaskQuery q = list("uids=&batchUids=,&canceledBy&statuses=&types=,,&indexUids=");
    assertEquals(Set.of(TaskQueryParser.NO_UID), q.uids());
    assertEquals(Set.of(TaskQueryParser.NO_UID), q.batchUids());
    assertEquals(Set.of(TaskQueryParser.NO_UID), q.canceledBy());
    assertEquals(Set.of(TaskQueryParser.NO_VALUE), q.statuses());
    assertEquals(Set.of(TaskQueryParser.NO_VALUE), q.types());
    assertEquals(Set.of(TaskQueryParser.NO_VALUE), q.indexUids());
  }

  @Test
  void emptyItemsAreSkippedAndDuplicatesCollapse() {
    assertEquals(Set.of(1L, 3L), list("uids=1,,3,1,").uids());
    assertEquals(Set.of(1L), list("uids=00001").uids());
    assertEquals(Set.of(4294967295L), list("uids=4294967295").uids());
  }

  @Test
  void aRepeatedParameterKeepsItsLastValue() {
    assertEquals(Set.of(3L), list("uids=x&uids=3").uids());
    assertEquals(7, list("limit=1&limit=7").limit());
  }

  @Test
  void numbersAcceptAPlusSignButNoSpaceOrFraction() {
    assertEquals(2, list("limit=%2B2").limit());
    assertEquals(3L, list("from=%2B3").from());
    assertEquals("invalid_task_limit", listError("limit=+2").code()); // `+` decodes to a space
    assertEquals("invalid_task_limit", listError("limit=2.0").code());
  }

  @Test
  void limitAboveIntRangeIsClampedNotRejected() {
    assertEquals(Integer.MAX_VALUE, list("limit=4294967295").limit());
    assertEquals(0, list("limit=0").limit());
  }

  @Test
  void dateOnlyAfterMeansAfterTheEndOfThatDay() {
    TaskQuery q = list("afterEnqueuedAt=2026-11-22&beforeEnqueuedAt=2026-11-22&afterStartedAt=2024-02-28"
        + "&beforeFinishedAt=2024-02-29");
    assertEquals(Instant.parse("2026-11-23T00:00:00Z"), q.afterEnqueuedAt());
    assertEquals(Instant.parse("2026-11-22T00:00:00Z"), q.beforeEnqueuedAt());
    assertEquals(Instant.parse("2024-02-29T00:00:00Z"), q.afterStartedAt());
    assertEquals(Instant.parse("2024-02-29T00:00:00Z"), q.beforeFinishedAt());
  }

  @Test
  void dateOnlyAtTheEndOfTheCalendarStaysOnItsDay() {
    assertEquals(Instant.parse("9999-12-31T00:00:00Z"), list("afterEnqueuedAt=9999-12-31").afterEnqueuedAt());
    assertEquals(Instant.parse("2026-11-23T00:00:00Z"), list("afterEnqueuedAt=%2B2026-11-22").afterEnqueuedAt());
  }

  @Test
  void rfc3339DateTimesKeepTheirPrecisionAndOffset() {
    assertEquals(Instant.parse("2026-11-22T11:00:00.123456789Z"),
        list("afterEnqueuedAt=2026-11-22T13:00:00.1234567891%2B02:00").afterEnqueuedAt());
    assertEquals(Instant.parse("2026-11-22T14:30:00.5Z"),
        list("beforeStartedAt=2026-11-22t13:00:00.5-01:30").beforeStartedAt());
    assertEquals(Instant.parse("2026-11-22T13:00:00Z"),
        list("afterFinishedAt=2026-11-22%2013:00:00z").afterFinishedAt());
    assertEquals(Instant.parse("2026-11-22T13:00:00Z"),
        list("afterFinishedAt=2026-11-22X13:00:00Z").afterFinishedAt());
  }

  @Test
  void aLeapSecondIsTheLastNanosecondOfTheMonth() {
    assertEquals(Instant.parse("2026-11-30T23:59:59.999999999Z"),
        list("afterEnqueuedAt=2026-11-30T23:59:60.5Z").afterEnqueuedAt());
    assertEquals(Instant.parse("2026-11-30T23:59:59.999999999Z"),
        list("afterEnqueuedAt=2026-12-01T00:59:60%2B01:00").afterEnqueuedAt());
    assertEquals("invalid_task_after_enqueued_at", listError("afterEnqueuedAt=2026-11-22T23:59:60Z").code());
  }

  @Test
  void starDateMeansNoBound() {
    assertNull(list("afterEnqueuedAt=*&beforeFinishedAt=*").afterEnqueuedAt());
  }

  @Test
  void indexUidsAreCheckedAsMeilisearchChecksThem() {
    assertEquals(Set.of("-_", "123", "Movies_2-x"), list("indexUids=-_,123,Movies_2-x").indexUids());
    assertEquals(Set.of("a".repeat(400)), list("indexUids=" + "a".repeat(400)).indexUids());
    MeiliException e = listError("indexUids=" + "a".repeat(401));
    assertEquals("invalid_index_uid", e.code());
    assertTrue(e.getMessage().endsWith("and can not be more than 512 bytes."), e.getMessage());
  }

  @Test
  void errorsAreRaisedInTheOrderParametersFirstAppear() {
    assertEquals("invalid_task_uids", listError("uids=x&foo=1").code());
    assertEquals("bad_request", listError("foo=1&uids=x").code());
    // uids first appears before foo; its last value is the bad one.
    assertEquals("invalid_task_uids", listError("uids=1&foo=2&uids=x").code());
  }

  @Test
  void errorLocationIndexesTheItemOnlyInLongerLists() {
    assertEquals("Invalid value in parameter `uids`: could not parse `x` as a positive integer",
        listError("uids=x,").getMessage());
    assertEquals("Invalid value in parameter `uids[1]`: could not parse `abc` as a positive integer",
        listError("uids=1,,abc").getMessage());
    assertEquals("Invalid value in parameter `uids[0]`: could not parse `a` as a positive integer",
        listError("uids=a,b").getMessage());
  }

  @Test
  void unknownParametersAreCaseSensitiveAndGetASuggestion() {
    MeiliException e = listError("Limit=1");
    assertEquals("bad_request", e.code());
    assertEquals(400, e.httpStatus());
    assertTrue(e.getMessage().startsWith("Unknown parameter `Limit`: did you mean `limit`? expected one of `limit`,"),
        e.getMessage());
    assertTrue(listError("foo=1").getMessage().startsWith("Unknown parameter `foo`: expected one of"));
  }

  // ---------------------------------------------------------------- deletion and cancelation

  @Test
  void deletionAndCancelationNeedAFilterEvenAStarOrAnEmptyList() {
    MeiliException d = assertThrows(MeiliException.class, () -> TaskQueryParser.parseDeletion(params("")));
    assertEquals("missing_task_filters", d.code());
    assertTrue(d.getMessage().startsWith("Query parameters to filter the tasks to delete are missing."));
    MeiliException c = assertThrows(MeiliException.class, () -> TaskQueryParser.parseCancelation(params("")));
    assertTrue(c.getMessage().startsWith("Query parameters to filter the tasks to cancel are missing."));

    assertEquals(Set.of(), TaskQueryParser.parseCancelation(params("uids=*")).uids());
    assertNull(TaskQueryParser.parseDeletion(params("afterEnqueuedAt=*")).afterEnqueuedAt());
    assertEquals(Set.of(TaskQueryParser.NO_UID), TaskQueryParser.parseDeletion(params("uids=")).uids());
  }

  @Test
  void deletionFiltersCarryNoPaging() {
    TaskQuery q = TaskQueryParser.parseDeletion(params("statuses=succeeded&indexUids=movies"));
    assertEquals(Set.of("succeeded"), q.statuses());
    assertEquals(Set.of("movies"), q.indexUids());
    assertNull(q.from());
    assertFalse(q.reverse());
    assertEquals("bad_request", assertThrows(MeiliException.class,
        () -> TaskQueryParser.parseDeletion(params("limit=1&uids=1"))).code());
  }

  @Test
  void originalFilterIsTheRawQueryBehindAQuestionMark() {
    assertEquals("?uids=1", TaskQueryParser.originalFilter("uids=1"));
    assertEquals("?statuses=enqueued,processing&indexUids=a%2Cb",
        TaskQueryParser.originalFilter("statuses=enqueued,processing&indexUids=a%2Cb"));
    assertEquals("?", TaskQueryParser.originalFilter((String) null));
  }

  @Test
  void originalFilterFromDecodedParametersReEncodesThem() {
    MultiMap p = MultiMap.caseInsensitiveMultiMap().add("statuses", "enqueued,processing").add("indexUids", "a b")
        .add("afterEnqueuedAt", "2026-11-22T13:00:00+02:00").add("uids", "*");
    assertEquals("?statuses=enqueued,processing&indexUids=a%20b&afterEnqueuedAt=2026-11-22T13%3A00%3A00%2B02%3A00"
        + "&uids=*", TaskQueryParser.originalFilter(p));
  }

  // ---------------------------------------------------------------- did you mean

  @Test
  void damerauLevenshteinCountsAdjacentTranspositionsOnce() {
    assertEquals(1, TaskQueryParser.DidYouMean.distance("form", "from"));
    assertEquals(2, TaskQueryParser.DidYouMean.distance("fomr", "from"));
    assertEquals(1, TaskQueryParser.DidYouMean.distance("limits", "limit"));
    assertEquals(0, TaskQueryParser.DidYouMean.distance("uids", "uids"));
    assertEquals(3, TaskQueryParser.DidYouMean.distance("abc", ""));
    assertEquals(2, TaskQueryParser.DidYouMean.distance("ca", "abc")); // unrestricted: OSA would say 3
  }

  @Test
  void suggestionsRespectTheTypoBudget() {
    List<String> accepted = List.of("limit", "from", "reverse");
    assertEquals("", TaskQueryParser.DidYouMean.suggest("fro", accepted)); // 3 bytes: no typo allowed
    assertEquals("did you mean `from`? ", TaskQueryParser.DidYouMean.suggest("fromm", accepted));
    assertEquals("", TaskQueryParser.DidYouMean.suggest("frommm", accepted)); // 2 typos for 6 bytes
    assertEquals("did you mean `reverse`? ", TaskQueryParser.DidYouMean.suggest("reverso", accepted));
  }
}
