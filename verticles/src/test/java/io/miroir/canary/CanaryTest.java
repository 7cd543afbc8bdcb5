package io.miroir.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.testing.ApiClient;
import io.miroir.testing.ApiClient.Response;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Synthetic canaries (SPEC §13.18) in one Miroir process in front of real Meilisearch nodes: a canary from the
 * configuration file and canaries defined through {@code POST /_miroir/canaries} run on their interval through the
 * search path, their runs land in the store and the metrics, and a stop-word change that breaks {@code top_hit_id}
 * fails within one interval.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryTest {
  private MiroirHarness miroir;
  private ApiClient admin;

  @BeforeAll
  void start() {
    miroir = MiroirHarness.start(MeiliNodes.shared().nodes(3), 1, 1, 8, Map.of(
        "canaries", List.of(Map.of("name", "configured", "index", "canary-walls", "interval_s", 1,
            "query", Map.of("q", "wall", "limit", 5), "assertions", List.of(Map.of("type", "min_hits", "value", 2),
                Map.of("type", "max_p95_ms", "value", 10_000)))),
        "metrics", Map.of("port", 0, "bind", "127.0.0.1")));
    admin = miroir.admin();
    // Before stop words only "a" holds both words of "the wall"; once "the" is a stop word both match "wall", and
    // "b", where it comes first, ranks strictly higher (attribute rule).
    miroir.client().writeAndWait("POST", "/indexes/canary-walls/documents", new JsonArray()
        .add(new JsonObject().put("id", "b").put("title", "wall"))
        .add(new JsonObject().put("id", "a").put("title", "the big old grey stone garden wall"))
        .add(new JsonObject().put("id", "c").put("title", "a garden")));
  }

  @AfterAll
  void stop() {
    miroir.close();
  }

  private JsonObject canary(String name) {
    JsonArray all = admin.get("/_miroir/canaries/status?runs=100").json().getJsonArray("canaries");
    for (Object c : all) {
      if (name.equals(((JsonObject) c).getString("name"))) {
        return (JsonObject) c;
      }
    }
    return null;
  }

  /** Waits until {@code name}'s newest run satisfies {@code condition}; answers that run. */
  private JsonObject waitForRun(String name, Duration timeout, Predicate<JsonObject> condition) {
    Instant deadline = Instant.now().plus(timeout);
    JsonObject last = null;
    while (Instant.now().isBefore(deadline)) {
      JsonObject c = canary(name);
      last = c == null ? null : c.getJsonObject("last_run");
      if (last != null && condition.test(last)) {
        return last;
      }
      ApiClient.sleep(200);
    }
    throw new AssertionError("no run of " + name + " matched within " + timeout + "; last: " + last);
  }

  @Test
  void aConfiguredCanaryRunsOnItsIntervalAndIsRecordedAndCounted() {
    JsonObject run = waitForRun("configured", Duration.ofSeconds(20), r -> "pass".equals(r.getString("status")));
    assertEquals(new JsonArray(), run.getJsonArray("failed_assertions"));
    assertTrue(run.getLong("latency_ms") >= 0);
    JsonObject status = canary("configured");
    assertEquals("config", status.getString("source"));
    assertNotNull(status.getJsonObject("owner").getString("id"), status.encode());
    int runsBefore = status.getJsonObject("summary").getInteger("runs");
    ApiClient.sleep(3_500);
    int runsAfter = canary("configured").getJsonObject("summary").getInteger("runs");
    assertTrue(runsAfter - runsBefore >= 2 && runsAfter - runsBefore <= 5,
        "about one run per second: " + runsBefore + " → " + runsAfter);

    String metrics = admin.get("/_miroir/metrics").body();
    assertTrue(metrics.contains("miroir_canary_runs_total{canary=\"configured\",result=\"pass\"}"), metrics);
    assertTrue(metrics.contains("miroir_canary_runs_total{canary=\"configured\",result=\"error\"}"));
    assertTrue(metrics.contains("miroir_canary_latency_ms_bucket{canary=\"configured\",le=\"100.0\"}"));
    assertTrue(metrics.contains("miroir_canary_latency_ms_count{canary=\"configured\"}"));
  }

  @Test
  void aStopWordChangeThatBreaksTopHitIdFailsWithinOneInterval() {
    Response defined = admin.post("/_miroir/canaries", new JsonObject().put("name", "walls-top").put("index",
        "canary-walls").put("interval_s", 1).put("query", new JsonObject().put("q", "the wall"))
        .put("assertions", new JsonArray().add(new JsonObject().put("type", "top_hit_id").put("value", "a"))));
    assertEquals(201, defined.status(), defined.body());
    assertEquals("api", defined.json().getString("source"));
    waitForRun("walls-top", Duration.ofSeconds(20), r -> "pass".equals(r.getString("status")));

    miroir.client().writeAndWait("PUT", "/indexes/canary-walls/settings/stop-words", new JsonArray().add("the"));
    Instant changed = Instant.now();
    JsonObject failed = waitForRun("walls-top", Duration.ofSeconds(20), r -> "fail".equals(r.getString("status")));
    assertTrue(Duration.between(changed, Instant.now()).toMillis() < 5_000, "fails within one interval (1 s) and "
        + "one scheduling tick, with slack for a loaded machine");
    JsonObject assertion = failed.getJsonArray("failed_assertions").getJsonObject(0);
    assertEquals("top_hit_id", assertion.getString("type"));
    assertEquals("a", assertion.getString("expected"));
    assertEquals("b", assertion.getString("observed"));
    assertEquals(new JsonArray().add("b").add("a"), failed.getJsonArray("hits"));

    String metrics = admin.get("/_miroir/metrics").body();
    assertTrue(metrics.contains("miroir_canary_assertion_failures_total{assertion_type=\"top_hit_id\","
        + "canary=\"walls-top\"}"), metrics);
    miroir.client().writeAndWait("DELETE", "/indexes/canary-walls/settings/stop-words", null);
  }

  @Test
  void aCanaryOnAMissingIndexRecordsAnError() {
    assertEquals(201, admin.post("/_miroir/canaries", new JsonObject().put("name", "nowhere").put("index",
        "canary-missing").put("interval_s", 1)).status());
    JsonObject run = waitForRun("nowhere", Duration.ofSeconds(20), r -> true);
    assertEquals("error", run.getString("status"), run.encode());
    assertTrue(run.getString("error").contains("index_not_found"), run.encode());
    assertEquals(200, admin.delete("/_miroir/canaries/nowhere").status());
  }

  @Test
  void theAdminApiValidatesAndProtectsConfiguredCanaries() {
    Response invalid = admin.post("/_miroir/canaries", new JsonObject().put("name", "bad").put("index", "x")
        .put("assertions", new JsonArray().add(new JsonObject().put("type", "top_k_contains").put("k", 50)
            .put("ids", new JsonArray().add(1)))));
    assertEquals(400, invalid.status(), invalid.body());
    assertEquals("miroir_invalid_canary", invalid.json().getString("code"));
    assertTrue(invalid.json().getString("message").contains("assertions[0].k"), invalid.body());

    Response config = admin.post("/_miroir/canaries", new JsonObject().put("name", "configured").put("index", "x"));
    assertEquals(409, config.status(), config.body());
    assertEquals("miroir_canary_defined_in_config", config.json().getString("code"));
    assertEquals(409, admin.delete("/_miroir/canaries/configured").status());

    assertEquals(201, admin.post("/_miroir/canaries", new JsonObject().put("name", "temporary").put("index", "x")
        .put("interval_s", 3600)).status());
    assertNotNull(canary("temporary"));
    assertEquals(200, admin.delete("/_miroir/canaries/temporary").status());
    assertEquals(null, canary("temporary"));
    Response missing = admin.delete("/_miroir/canaries/temporary");
    assertEquals(404, missing.status());
    assertEquals("miroir_canary_not_found", missing.json().getString("code"));

    assertEquals(401, miroir.client().get("/_miroir/canaries/status").status(), "the master key is not the admin key");
    assertEquals(400, admin.get("/_miroir/canaries/status?runs=x").status());
  }
}
