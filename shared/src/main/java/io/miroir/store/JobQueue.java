package io.miroir.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The Mode C work queue (SPEC §5): any process enqueues, any worker claims the oldest queued job, keeps its claim
 * alive with heartbeats and finishes it. A claim not renewed for {@link #CLAIM_TIMEOUT} is taken back by
 * {@link #requeueExpired}, and the job resumes elsewhere from its last progress; the work itself is idempotent (writes
 * by primary key), so a job run twice in part is harmless, while its completion is recorded once, by its current
 * claimant only.
 */
public interface JobQueue {
  /** How long a claim lives after the claim or the last heartbeat. */
  Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);
  /** How often a worker should heartbeat: a third of the timeout, so two lost beats do not lose the claim. */
  Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  Future<Job> enqueue(String type, JsonObject params);

  /** Atomically takes the oldest queued job for {@code workerId}; empty when none is queued. */
  Future<Optional<Job>> claim(String workerId);

  /**
   * Renews {@code workerId}'s claim on the job and, when {@code progress} is not null, records it. False when the
   * worker no longer holds the claim (it expired and was requeued, or the job ended): the worker must stop.
   */
  Future<Boolean> heartbeat(String jobId, String workerId, JsonObject progress);

  default Future<Boolean> heartbeat(String jobId, String workerId) {
    return heartbeat(jobId, workerId, null);
  }

  /** Records the job completed with {@code result}, only if {@code workerId} holds its claim; answers whether it did. */
  Future<Boolean> complete(String jobId, String workerId, JsonObject result);

  /** Records the job failed with {@code error} (not retried), only if {@code workerId} holds its claim. */
  Future<Boolean> fail(String jobId, String workerId, JsonObject error);

  /** Puts back in the queue every claim that expired before {@code now}; answers how many. Safe to run anywhere. */
  Future<Integer> requeueExpired(Instant now);

  Future<Optional<Job>> get(String jobId);

  /** Jobs waiting to be claimed: the {@code miroir_background_queue_depth} the HPA scales on. */
  Future<Long> queuedCount();
}
