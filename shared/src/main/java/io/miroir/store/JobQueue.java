package io.miroir.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The Mode C work queue (SPEC §5): any process enqueues, any worker claims the oldest queued job, keeps its claim
 * alive with heartbeats and finishes it. A claim not renewed for the claim timeout ({@link #CLAIM_TIMEOUT} unless
 * configured) is taken back by {@link #requeueExpired}, and the job resumes elsewhere from its last progress; the
 * work itself is idempotent (writes by primary key), so a job run twice in part is harmless, while its completion is
 * recorded once, by its current claim only.
 *
 * <p>A claim is the {@link Job} that {@link #claim} answered: the operations that only the claimant may perform
 * check its worker <em>and</em> its attempt number, so a worker whose claim expired and that later claimed the same
 * job again cannot complete the job on behalf of its first, abandoned attempt.
 */
public interface JobQueue {
  /** How long a claim lives after the claim or the last heartbeat, by default (SPEC §5). */
  Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);
  /** How often a worker heartbeats by default: a third of the timeout, so two lost beats do not lose the claim. */
  Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  Future<Job> enqueue(String type, JsonObject params);

  /** Atomically takes the oldest queued job for {@code workerId}; empty when none is queued. */
  Future<Optional<Job>> claim(String workerId);

  /**
   * Renews {@code claim} and, when {@code progress} is not null, records it. False when the claim is no longer held
   * (it expired and was requeued, possibly claimed again, or the job ended): the worker must stop.
   */
  Future<Boolean> heartbeat(Job claim, JsonObject progress);

  default Future<Boolean> heartbeat(Job claim) {
    return heartbeat(claim, null);
  }

  /** Records the job completed with {@code result}, only if {@code claim} is still held; answers whether it was. */
  Future<Boolean> complete(Job claim, JsonObject result);

  /** Records the job failed with {@code error} (not retried), only if {@code claim} is still held. */
  Future<Boolean> fail(Job claim, JsonObject error);

  /** Puts back in the queue every claim that expired before {@code now}; answers how many. Safe to run anywhere. */
  Future<Integer> requeueExpired(Instant now);

  Future<Optional<Job>> get(String jobId);

  /** Jobs waiting to be claimed: the {@code miroir_background_queue_depth} the HPA scales on. */
  Future<Long> queuedCount();
}
