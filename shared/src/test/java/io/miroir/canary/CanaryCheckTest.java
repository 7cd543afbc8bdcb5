package io.miroir.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canary definitions and their judgement (SPEC §13.18), without a search. */
class CanaryCheckTest {
  private static final Instant T0 = Instant.parse("2026-11-22T13:00:00Z");

  private static Canary canary(JsonArray assertions) {
    return Canary.fromJson(new JsonObject().put("name", "c").put("index", "movies")
        .put("query", new JsonObject().put("q", "batman").put("limit", 3)).put("assertions", assertions));
  }

  private static JsonObject answer(long estimated, Object... ids) {
    JsonArray hits = new JsonArray();
    for (Object id : ids) {
      hits.add(new JsonObject().put("id", id).put("title", "t" + id));
    }
    return new JsonObject().put("hits", hits).put("estimatedTotalHits", estimated);
  }

  private static JsonObject assertion(String type, Object value) {
    return new JsonObject().put("type", type).put("value", value);
  }

  @Test
  void aDefinitionRoundTripsThroughJsonWithDefaults() {
    Canary c = Canary.fromJson(new JsonObject().put("name", "n1").put("index", "movies"));
    assertEquals(Canary.DEFAULT_INTERVAL_S, c.intervalS());
    assertEquals(new JsonObject().put("q", "").put("limit", Canary.DEFAULT_LIMIT), c.searchRequest());
    Canary full = canary(new JsonArray().add(assertion("min_hits", 2)).add(new JsonObject()
        .put("type", "top_k_contains").put("k", 2).put("ids", new JsonArray().add(1).add("b"))));
    assertEquals(full, Canary.fromJson(full.toJson()));
    assertEquals(List.of("1", "b"), full.assertions().get(1).ids());
    assertEquals("canary:c", full.ownershipKey());
    JsonObject filtered = new JsonObject().put("name", "f").put("index", "i").put("query", new JsonObject()
        .put("filter", new JsonArray().add("a = 1").add(new JsonArray().add("b = 2").add("b = 3"))));
    assertEquals(filtered.getJsonObject("query").getJsonArray("filter"),
        Canary.fromJson(filtered).searchRequest().getJsonArray("filter"));
  }

  @Test
  void badDefinitionsNameTheField() {
    assertEquals("name", assertThrows(InvalidCanaryException.class, () -> Canary.fromJson(new JsonObject()
        .put("name", "_index").put("index", "i"))).field());
    assertEquals("index", assertThrows(InvalidCanaryException.class, () -> Canary.fromJson(new JsonObject()
        .put("name", "a"))).field());
    assertEquals("assertions[0].type", assertThrows(InvalidCanaryException.class, () -> canary(new JsonArray()
        .add(assertion("fastest", 1)))).field());
    assertEquals("assertions[0].value", assertThrows(InvalidCanaryException.class, () -> canary(new JsonArray()
        .add(assertion("min_hits", -1)))).field());
    assertEquals("assertions[0].ids", assertThrows(InvalidCanaryException.class, () -> canary(new JsonArray()
        .add(new JsonObject().put("type", "must_not_contain_id").put("ids", new JsonArray())))).field());
    assertEquals("assertions[0].k", assertThrows(InvalidCanaryException.class, () -> canary(new JsonArray()
        .add(new JsonObject().put("type", "top_k_contains").put("k", 4).put("ids", new JsonArray().add(1)))))
        .field());
    assertEquals("assertions[0].k", assertThrows(InvalidCanaryException.class, () -> canary(new JsonArray()
        .add(new JsonObject().put("type", "min_hits").put("value", 1).put("k", 2)))).field());
    assertEquals("query.filter", assertThrows(InvalidCanaryException.class, () -> Canary.fromJson(new JsonObject()
        .put("name", "a").put("index", "i").put("query", new JsonObject().put("filter", 3)))).field());
  }

  @Test
  void everyAssertionPassesOnAMatchingAnswer() {
    Canary c = canary(new JsonArray().add(assertion("min_hits", 10)).add(assertion("top_hit_id", "7"))
        .add(new JsonObject().put("type", "top_k_contains").put("k", 2).put("ids", new JsonArray().add(3)))
        .add(new JsonObject().put("type", "must_not_contain_id").put("ids", new JsonArray().add(99)))
        .add(assertion("max_p95_ms", 100)));
    CanaryRun run = CanaryCheck.judge(c, answer(12, 7, 3, 5), "id", 40, List.of(50L, 60L), T0, "pod-a");
    assertEquals(CanaryRun.Status.PASS, run.status(), run.toJson().encode());
    assertEquals(List.of(), run.failures());
    assertEquals(List.of(), run.hits(), "hits are kept only when a run does not pass");
    assertEquals(40, run.latencyMs());
    assertEquals("pod-a", run.pod());
  }

  @Test
  void aFailureRecordsWhatWasObservedAndTheHits() {
    Canary c = canary(new JsonArray().add(assertion("min_hits", 10)).add(assertion("top_hit_id", 7))
        .add(new JsonObject().put("type", "top_k_contains").put("k", 2).put("ids", new JsonArray().add(5).add(3)))
        .add(new JsonObject().put("type", "must_not_contain_id").put("ids", new JsonArray().add(5).add(9))));
    CanaryRun run = CanaryCheck.judge(c, answer(4, 3, 7, 5), "id", 12, List.of(), T0, "pod-a");
    assertEquals(CanaryRun.Status.FAIL, run.status());
    assertEquals(List.of("min_hits", "top_hit_id", "top_k_contains", "must_not_contain_id"),
        run.failures().stream().map(CanaryRun.Failure::type).toList());
    assertEquals(4L, run.failures().get(0).observed());
    assertEquals("3", run.failures().get(1).observed());
    assertEquals(new JsonObject().put("missing", new JsonArray().add("5")), run.failures().get(2).observed());
    assertEquals(new JsonObject().put("present", new JsonArray().add("5")), run.failures().get(3).observed());
    assertEquals(List.of("3", "7", "5"), run.hits());
    assertEquals(run.toJson(), CanaryRun.fromJson(new JsonObject(run.toJson().encode())).toJson(),
        "a run survives its JSON form");
  }

  @Test
  void theLatencyBoundIsOnTheRollingP95NotOnOneSlowRun() {
    Canary c = canary(new JsonArray().add(assertion("max_p95_ms", 100)));
    List<Long> fast = java.util.Collections.nCopies(19, 20L);
    assertEquals(CanaryRun.Status.PASS, CanaryCheck.judge(c, answer(1, 1), "id", 900, fast, T0, null).status(),
        "one slow run among 20 is the 95th percentile's 5 %");
    List<Long> twoSlow = new java.util.ArrayList<>(fast);
    twoSlow.set(3, 500L);
    CanaryRun slow = CanaryCheck.judge(c, answer(1, 1), "id", 900, twoSlow, T0, null);
    assertEquals(CanaryRun.Status.FAIL, slow.status());
    assertEquals(500L, slow.failures().get(0).observed());
    assertEquals(900, CanaryCheck.p95(900, List.of()));
    assertEquals(30, CanaryCheck.p95(10, List.of(20L, 30L)));
  }

  @Test
  void pageModeTotalsCountAndAnIndexWithoutPrimaryKeyCannotNameHits() {
    Canary c = canary(new JsonArray().add(assertion("min_hits", 5)));
    JsonObject paged = new JsonObject().put("hits", new JsonArray()).put("totalHits", 5);
    assertEquals(CanaryRun.Status.PASS, CanaryCheck.judge(c, paged, null, 1, List.of(), T0, null).status());
    CanaryRun unnamed = CanaryCheck.judge(canary(new JsonArray().add(assertion("top_hit_id", 1))), answer(1, 1),
        null, 1, List.of(), T0, null);
    assertEquals(CanaryRun.Status.ERROR, unnamed.status());
    assertTrue(unnamed.error().contains("no primary key"), unnamed.error());
  }
}
