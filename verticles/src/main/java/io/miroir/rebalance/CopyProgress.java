package io.miroir.rebalance;

import io.miroir.routing.MovePlan;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Progress of one shard copy, read by the status endpoint while the copy runs. */
final class CopyProgress {
  final MovePlan.Copy copy;
  volatile String phase = "pending";
  volatile String source;
  volatile long total = -1;
  volatile long read;
  volatile long written;
  volatile long deleted;
  volatile long passes;
  volatile Instant startedAt;
  volatile Instant finishedAt;
  volatile String error;

  CopyProgress(MovePlan.Copy copy) {
    this.copy = copy;
  }

  void start(String sourceId, boolean compare) {
    source = sourceId;
    phase = compare ? "verifying" : "copying";
    read = 0;
    if (startedAt == null) {
      startedAt = Instant.now();
    }
  }

  /** Documents read per second over the copy so far. */
  double rate() {
    Instant start = startedAt;
    if (start == null) {
      return 0;
    }
    Instant end = finishedAt != null ? finishedAt : Instant.now();
    double seconds = Math.max(0.001, (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
    return read / seconds;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("index", copy.index())
        .put("shard", copy.shard())
        .put("group", copy.group())
        .put("target", copy.target())
        .put("source", source)
        .put("phase", phase)
        .put("documents_copied", read)
        .put("documents_total", total < 0 ? null : total)
        .put("documents_written", written)
        .put("documents_deleted", deleted)
        .put("passes", passes)
        .put("rate_docs_per_sec", Math.round(rate() * 10) / 10.0)
        .put("started_at", startedAt == null ? null : startedAt.toString())
        .put("finished_at", finishedAt == null ? null : finishedAt.toString());
    double rate = rate();
    if (finishedAt == null && total > 0 && rate > 0 && read < total) {
      json.put("estimated_finish", Instant.now().plusMillis((long) ((total - read) / rate * 1000)).toString());
    }
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }
}
