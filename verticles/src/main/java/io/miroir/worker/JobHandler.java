package io.miroir.worker;

import io.miroir.store.Job;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The work behind one job type (SPEC §5 Mode C). It runs on the worker verticle's event loop and must not block.
 * A job may run more than once in part (its claim can expire and move to another process), so the work must be
 * idempotent and resume from {@link Job#progress()}; only the completion is recorded exactly once.
 */
@FunctionalInterface
public interface JobHandler {

  /** Does the job; the future's value is the job's result, a failure fails the job (not retried). */
  Future<JsonObject> run(Vertx vertx, Job job, Progress progress);

  /** What a running job reports, sent with the next heartbeat, and whether its claim is still held. */
  interface Progress {
    /** Records how far the job got; the next claimant resumes from the last value a heartbeat carried. */
    void report(JsonObject progress);

    /** True once a heartbeat found the claim gone: the job should stop, its result would be discarded. */
    boolean lost();
  }
}
