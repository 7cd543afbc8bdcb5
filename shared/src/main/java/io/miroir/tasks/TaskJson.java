package io.miroir.tasks;

import io.miroir.store.TaskPage;
import io.miroir.store.TaskRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Renders tasks exactly as Meilisearch 1.21 does (D1; API reference §3.6–§3.8): the task object with its fields in
 * Meilisearch's order, the summarized task answered by enqueuing routes, and the task list page. Timestamps and
 * durations use Meilisearch's own formats, checked against the real binary: RFC 3339 in UTC with the fraction's
 * trailing zeros dropped ({@code 13:51:59.33777172Z}, no fraction at all on a whole second), and an ISO-8601
 * duration whose fraction has 3, 6 or 9 digits ({@code PT0.013876200S}, {@code PT0.250S}, {@code PT2S}).
 */
public final class TaskJson {
  private static final long SECONDS_PER_DAY = 86_400;
  private static final int NANOS_PER_MILLI = 1_000_000;
  private static final int NANOS_PER_MICRO = 1_000;

  private TaskJson() {
  }

  /** The task object of {@code GET /tasks/{uid}} and of list items; {@code details} is omitted when null. */
  public static JsonObject task(TaskRecord t) {
    JsonObject o = new JsonObject()
        .put("uid", t.uid())
        .put("batchUid", t.batchUid())
        .put("indexUid", t.indexUid())
        .put("status", t.status())
        .put("type", t.type())
        .put("canceledBy", t.canceledBy());
    if (t.details() != null) {
      o.put("details", t.details().copy());
    }
    return o.put("error", t.error() == null ? null : t.error().copy())
        .put("duration", duration(t))
        .put("enqueuedAt", timestamp(t.enqueuedAt()))
        .put("startedAt", timestamp(t.startedAt()))
        .put("finishedAt", timestamp(t.finishedAt()));
  }

  /** The answer of every enqueuing route: {@code {taskUid, indexUid, status, type, enqueuedAt}}. */
  public static JsonObject summarized(TaskRecord t) {
    return new JsonObject()
        .put("taskUid", t.uid())
        .put("indexUid", t.indexUid())
        .put("status", t.status())
        .put("type", t.type())
        .put("enqueuedAt", timestamp(t.enqueuedAt()));
  }

  /**
   * The body of {@code GET /tasks}: {@code {results, total, limit, from, next}}, where {@code from} is the uid of
   * the first result (null when the page is empty) and {@code limit} echoes the request's.
   */
  public static JsonObject page(TaskPage page, int limit) {
    JsonArray results = new JsonArray();
    page.results().forEach(t -> results.add(task(t)));
    Long from = page.results().isEmpty() ? null : page.results().get(0).uid();
    return new JsonObject()
        .put("results", results)
        .put("total", page.total())
        .put("limit", limit)
        .put("from", from)
        .put("next", page.next());
  }

  /**
   * {@code finishedAt - startedAt} in Meilisearch's format, or null while either is missing (a task not yet finished
   * has no duration).
   */
  public static String duration(TaskRecord t) {
    if (t.startedAt() == null || t.finishedAt() == null) {
      return null;
    }
    return duration(Duration.between(t.startedAt(), t.finishedAt()));
  }

  /**
   * Meilisearch's ISO-8601 rendering of a duration: whole days as {@code nD}, the rest in seconds only (never hours
   * or minutes), the fraction with 3, 6 or 9 digits, whichever is exact. Null for a negative duration, as Meilisearch
   * does.
   */
  public static String duration(Duration d) {
    if (d == null || d.isNegative()) {
      return null;
    }
    long days = d.getSeconds() / SECONDS_PER_DAY;
    long secs = d.getSeconds() % SECONDS_PER_DAY;
    int nanos = d.getNano();
    StringBuilder b = new StringBuilder("P");
    if (days != 0) {
      b.append(days).append('D');
    }
    if (secs != 0 || nanos != 0 || days == 0) {
      b.append('T').append(secs).append(fraction(nanos)).append('S');
    }
    return b.toString();
  }

  private static String fraction(int nanos) {
    if (nanos == 0) {
      return "";
    }
    if (nanos % NANOS_PER_MILLI == 0) {
      return String.format(".%03d", nanos / NANOS_PER_MILLI);
    }
    if (nanos % NANOS_PER_MICRO == 0) {
      return String.format(".%06d", nanos / NANOS_PER_MICRO);
    }
    return String.format(".%09d", nanos);
  }

  /**
   * RFC 3339 in UTC as Meilisearch prints it: {@code YYYY-MM-DDTHH:MM:SS}, then the nanoseconds with trailing zeros
   * removed (nothing when zero), then {@code Z}. Null stays null.
   */
  public static String timestamp(Instant t) {
    if (t == null) {
      return null;
    }
    LocalDateTime u = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(30).append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", u.getYear(),
        u.getMonthValue(), u.getDayOfMonth(), u.getHour(), u.getMinute(), u.getSecond()));
    int nanos = u.getNano();
    if (nanos != 0) {
      String digits = String.format("%09d", nanos);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      b.append('.').append(digits, 0, end);
    }
    return b.append('Z').toString();
  }
}
