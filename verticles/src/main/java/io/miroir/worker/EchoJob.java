package io.miroir.worker;

import io.miroir.store.Job;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The diagnostic job type {@code echo}: holds its claim for {@code params.hold_ms} (heartbeating like any job),
 * then completes with {@code params.payload} and the worker, pod and attempt that finished it. It proves the queue
 * end to end: enqueue, claim, heartbeats, re-claim after a dead worker, exactly-once completion.
 */
public final class EchoJob implements JobHandler {
  public static final String TYPE = "echo";
  private static final long MAX_HOLD_MS = 3_600_000;
  private final String workerId;
  private final String pod;

  public EchoJob(String workerId, String pod) {
    this.workerId = workerId;
    this.pod = pod;
  }

  @Override
  public Future<JsonObject> run(Vertx vertx, Job job, Progress progress) {
    long hold = Math.max(0, Math.min(MAX_HOLD_MS, job.params().getLong("hold_ms", 0L)));
    progress.report(new JsonObject().put("holding_ms", hold).put("worker", workerId));
    JsonObject result = new JsonObject().put("payload", job.params().getValue("payload")).put("worker", workerId)
        .put("pod", pod).put("attempt", job.attempts());
    if (hold == 0) {
      return Future.succeededFuture(result);
    }
    Promise<JsonObject> done = Promise.promise();
    vertx.setTimer(hold, id -> done.complete(result));
    return done.future();
  }
}
