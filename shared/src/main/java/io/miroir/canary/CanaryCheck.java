package io.miroir.canary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Judges one canary answer against its assertions (SPEC §13.18): pure, so every assertion type is unit-tested
 * without a search. A failure records the value observed, and the run keeps the ids of the hits it saw.
 */
public final class CanaryCheck {
  /** Runs over which {@code max_p95_ms} takes its percentile: this one and up to 19 before it. */
  public static final int P95_WINDOW = 20;

  private CanaryCheck() {
  }

  /**
   * The run of {@code canary} that received {@code answer} (a Meilisearch search response) after
   * {@code latencyMs}.
   *
   * @param primaryKey the index's primary key, which names hits; may be null when no assertion names documents
   * @param earlierLatencies the latencies of the canary's previous runs, newest first (only the first
   *     {@value #P95_WINDOW} - 1 are used)
   */
  public static CanaryRun judge(Canary canary, JsonObject answer, String primaryKey, long latencyMs,
      List<Long> earlierLatencies, Instant startedAt, String pod) {
    if (canary.namesDocuments() && primaryKey == null) {
      return CanaryRun.error(canary.name(), startedAt, latencyMs, "index [" + canary.index() + "] has no primary "
          + "key yet, so its hits cannot be named", pod);
    }
    JsonArray rawHits = answer.getJsonArray("hits", new JsonArray());
    List<String> ids = new ArrayList<>(rawHits.size());
    for (Object hit : rawHits) {
      Object id = hit instanceof JsonObject h && primaryKey != null ? h.getValue(primaryKey) : null;
      ids.add(id == null ? null : String.valueOf(id));
    }
    List<CanaryRun.Failure> failures = new ArrayList<>();
    for (CanaryAssertion a : canary.assertions()) {
      CanaryRun.Failure failure = switch (a.type()) {
        case MIN_HITS -> {
          long total = totalHits(answer, rawHits.size());
          yield total >= ((Number) a.value()).longValue() ? null : failure(a, a.value(), total);
        }
        case MAX_P95_MS -> {
          long p95 = p95(latencyMs, earlierLatencies);
          yield p95 <= ((Number) a.value()).longValue() ? null : failure(a, a.value(), p95);
        }
        case TOP_HIT_ID -> {
          String top = ids.isEmpty() ? null : ids.get(0);
          yield a.value().equals(top) ? null : failure(a, a.value(), top);
        }
        case TOP_K_CONTAINS -> {
          List<String> topK = ids.subList(0, Math.min(a.k(), ids.size()));
          List<String> missing = a.ids().stream().filter(id -> !topK.contains(id)).toList();
          yield missing.isEmpty() ? null : failure(a, new JsonArray(new ArrayList<>(a.ids())),
              new JsonObject().put("missing", new JsonArray(new ArrayList<>(missing))));
        }
        case MUST_NOT_CONTAIN_ID -> {
          List<String> present = a.ids().stream().filter(ids::contains).toList();
          yield present.isEmpty() ? null : failure(a, new JsonArray(new ArrayList<>(a.ids())),
              new JsonObject().put("present", new JsonArray(new ArrayList<>(present))));
        }
        case SETTINGS_VERSION_AT_LEAST -> failure(a, a.value(), "not available");
      };
      if (failure != null) {
        failures.add(failure);
      }
    }
    boolean passed = failures.isEmpty();
    return new CanaryRun(canary.name(), startedAt, passed ? CanaryRun.Status.PASS : CanaryRun.Status.FAIL,
        latencyMs, failures, passed ? List.of() : ids.stream().map(id -> id == null ? "" : id).toList(), null, pod);
  }

  /** Meilisearch's count of matches: {@code estimatedTotalHits}, or {@code totalHits} in page mode. */
  static long totalHits(JsonObject answer, int returned) {
    Object estimated = answer.getValue("estimatedTotalHits");
    if (estimated instanceof Number n) {
      return n.longValue();
    }
    Object total = answer.getValue("totalHits");
    return total instanceof Number n ? n.longValue() : returned;
  }

  /** The nearest-rank 95th percentile of this latency and the window's earlier ones. */
  static long p95(long latencyMs, List<Long> earlier) {
    int n = 1 + Math.min(earlier.size(), P95_WINDOW - 1);
    long[] values = new long[n];
    values[0] = latencyMs;
    for (int i = 1; i < n; i++) {
      values[i] = earlier.get(i - 1);
    }
    Arrays.sort(values);
    int rank = (int) Math.ceil(0.95 * n);
    return values[rank - 1];
  }

  private static CanaryRun.Failure failure(CanaryAssertion a, Object expected, Object observed) {
    return new CanaryRun.Failure(a.type().wire(), expected, observed);
  }
}
