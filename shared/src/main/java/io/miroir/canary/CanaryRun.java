package io.miroir.canary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one canary run (SPEC §6 {@code canary_runs}, §13.18).
 *
 * @param latencyMs how long the search took through Miroir's search path; for an {@code error} run, until it failed
 * @param failures the assertions that did not hold, each with the value observed
 * @param hits the ids of the hits returned, recorded only when the run did not pass
 * @param error why the search itself failed (status {@code error}); else null
 * @param pod the process that ran it
 */
public record CanaryRun(String canary, Instant startedAt, Status status, long latencyMs, List<Failure> failures,
    List<String> hits, String error, String pod) {

  /** {@code pass}: every assertion held; {@code fail}: some did not; {@code error}: the search did not answer. */
  public enum Status {
    PASS("pass"), FAIL("fail"), ERROR("error");

    private final String wire;

    Status(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Status of(String wire) {
      for (Status s : values()) {
        if (s.wire.equals(wire)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown canary run status [" + wire + "]");
    }
  }

  /** An assertion that did not hold: its type, what it expected and what the run observed. */
  public record Failure(String type, Object expected, Object observed) {
    public JsonObject toJson() {
      return new JsonObject().put("type", type).put("expected", expected).put("observed", observed);
    }

    static Failure fromJson(JsonObject json) {
      return new Failure(json.getString("type"), json.getValue("expected"), json.getValue("observed"));
    }
  }

  public CanaryRun {
    // Stores keep milliseconds; a run reads back equal to what was recorded.
    startedAt = startedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    failures = List.copyOf(failures);
    hits = List.copyOf(hits);
  }

  /** A run whose search failed. */
  public static CanaryRun error(String canary, Instant startedAt, long latencyMs, String error, String pod) {
    return new CanaryRun(canary, startedAt, Status.ERROR, latencyMs, List.of(), List.of(), error, pod);
  }

  public JsonObject toJson() {
    JsonArray failed = new JsonArray();
    failures.forEach(f -> failed.add(f.toJson()));
    JsonObject json = new JsonObject().put("canary", canary).put("started_at", startedAt.toString())
        .put("status", status.wire()).put("latency_ms", latencyMs).put("failed_assertions", failed);
    if (!hits.isEmpty()) {
      json.put("hits", new JsonArray(new ArrayList<>(hits)));
    }
    if (error != null) {
      json.put("error", error);
    }
    if (pod != null) {
      json.put("pod", pod);
    }
    return json;
  }

  public static CanaryRun fromJson(JsonObject json) {
    List<Failure> failures = new ArrayList<>();
    json.getJsonArray("failed_assertions", new JsonArray()).forEach(f -> failures.add(Failure.fromJson(
        (JsonObject) f)));
    List<String> hits = new ArrayList<>();
    json.getJsonArray("hits", new JsonArray()).forEach(h -> hits.add(String.valueOf(h)));
    return new CanaryRun(json.getString("canary"), Instant.parse(json.getString("started_at")),
        Status.of(json.getString("status")), json.getLong("latency_ms"), failures, hits, json.getString("error"),
        json.getString("pod"));
  }
}
