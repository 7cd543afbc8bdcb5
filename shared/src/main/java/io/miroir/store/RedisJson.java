package io.miroir.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How tasks and index metadata are written as Redis string values (SPEC §6). The uid is the key's suffix and is not
 * repeated in the value. Instants are ISO-8601 strings: exact to the nanosecond over {@link Instant}'s whole range,
 * which JSON numbers (doubles in Lua) would not be, and readable in {@code redis-cli}.
 */
final class RedisJson {
  private RedisJson() {
  }

  static String encodeTask(TaskRecord t) {
    JsonObject nodeTasks = new JsonObject();
    new TreeMap<>(t.nodeTasks()).forEach(nodeTasks::put);
    return new JsonObject()
        .put("batchUid", t.batchUid())
        .put("indexUid", t.indexUid())
        .put("status", t.status())
        .put("type", t.type())
        .put("canceledBy", t.canceledBy())
        .put("details", t.details())
        .put("error", t.error())
        .put("enqueuedAt", text(t.enqueuedAt()))
        .put("startedAt", text(t.startedAt()))
        .put("finishedAt", text(t.finishedAt()))
        .put("nodeTasks", nodeTasks)
        .put("meta", t.meta())
        .encode();
  }

  static TaskRecord decodeTask(long uid, String json) {
    JsonObject o = new JsonObject(json);
    return new TaskRecord(uid, o.getLong("batchUid"), o.getString("indexUid"), o.getString("status"),
        o.getString("type"), o.getLong("canceledBy"), o.getJsonObject("details"), o.getJsonObject("error"),
        instant(o.getString("enqueuedAt")), instant(o.getString("startedAt")), instant(o.getString("finishedAt")),
        nodeTasks(o.getJsonObject("nodeTasks")), o.getJsonObject("meta"));
  }

  static String encodeIndex(IndexMeta m) {
    return new JsonObject()
        .put("primaryKey", m.primaryKey())
        .put("shards", m.shards())
        .put("settingsVersion", m.settingsVersion())
        .put("createdAt", text(m.createdAt()))
        .put("updatedAt", text(m.updatedAt()))
        .encode();
  }

  static IndexMeta decodeIndex(String uid, String json) {
    JsonObject o = new JsonObject(json);
    return new IndexMeta(uid, o.getString("primaryKey"), o.getInteger("shards"), o.getLong("settingsVersion"),
        instant(o.getString("createdAt")), instant(o.getString("updatedAt")));
  }

  /**
   * The instant's epoch milliseconds rounded down, clamped to the long range: a sorted-set score that keeps the order
   * of instants (never reverses it), for picking candidates that are then compared exactly.
   */
  static long floorMillis(Instant t) {
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static Map<String, Long> nodeTasks(JsonObject o) {
    Map<String, Long> out = new TreeMap<>();
    if (o != null) {
      o.forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).longValue()));
    }
    return out;
  }
}
