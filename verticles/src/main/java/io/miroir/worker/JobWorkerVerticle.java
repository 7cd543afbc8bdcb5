package io.miroir.worker;

import io.miroir.config.MiroirConfig.JobsConfig;
import io.miroir.store.Job;
import io.miroir.store.JobQueue;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Mode C worker (SPEC §5): every {@code jobs.poll_interval_ms} it puts expired claims back in the queue (any
 * process may, the step is atomic), then, when idle, claims the oldest queued job and runs its {@link JobHandler}.
 * While the job runs it renews the claim every {@code jobs.heartbeat_interval_ms}, carrying the job's last
 * progress. The job's completion is recorded only if this claim is still held (worker and attempt), so when this
 * process stalls past {@code jobs.claim_timeout_ms} and the job moves elsewhere, its late result is discarded and
 * the job completes exactly once. One job at a time per worker.
 */
public final class JobWorkerVerticle extends VerticleBase {
  /** The name of this verticle in {@code --verticles}. */
  public static final String NAME = "worker";
  private static final Logger LOG = LoggerFactory.getLogger(JobWorkerVerticle.class);
  private final JobQueue queue;
  private final JobsConfig config;
  private final String workerId;
  private final Map<String, JobHandler> handlers;
  private final AtomicReference<Job> current = new AtomicReference<>();
  private volatile boolean polling;
  private long pollTimer = -1;

  /** {@code handlers} by job type; a claimed job of another type fails, naming its type. */
  public JobWorkerVerticle(JobQueue queue, JobsConfig config, String workerId, Map<String, JobHandler> handlers) {
    this.queue = queue;
    this.config = config;
    this.workerId = workerId;
    this.handlers = Map.copyOf(handlers);
  }

  @Override
  public Future<?> start() {
    pollTimer = vertx.setPeriodic(config.pollIntervalMs(), id -> poll());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    return Future.succeededFuture();
  }

  private void poll() {
    if (polling || current.get() != null) {
      return;
    }
    polling = true;
    queue.requeueExpired(Instant.now())
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("requeued {} job(s) whose claim expired", n);
          }
        })
        .otherwise(0)
        .compose(n -> queue.claim(workerId))
        .onComplete(ar -> {
          polling = false;
          if (ar.failed()) {
            LOG.warn("job queue unavailable: {}", ar.cause().getMessage());
          } else {
            ar.result().ifPresent(this::execute);
          }
        });
  }

  private void execute(Job claim) {
    current.set(claim);
    JobHandler handler = handlers.get(claim.type());
    LOG.info("claimed job {} ({}), attempt {}", claim.id(), claim.type(), claim.attempts());
    if (handler == null) {
      finish(claim, queue.fail(claim, new JsonObject().put("message", "no worker handles job type ["
          + claim.type() + "]")), "failed");
      return;
    }
    Beat beat = new Beat();
    long heartbeat = vertx.setPeriodic(config.heartbeatIntervalMs(), id -> queue.heartbeat(claim, beat.take())
        .onSuccess(held -> {
          if (!held && !beat.lost) {
            beat.lost = true;
            LOG.warn("lost the claim on job {} (attempt {}): it expired and went back to the queue", claim.id(),
                claim.attempts());
          }
        }));
    Future<JsonObject> work;
    try {
      work = handler.run(vertx, claim, beat);
    } catch (RuntimeException e) {
      work = Future.failedFuture(e);
    }
    work.onComplete(ar -> {
      vertx.cancelTimer(heartbeat);
      if (ar.succeeded()) {
        finish(claim, queue.complete(claim, ar.result()), "completed");
      } else {
        finish(claim, queue.fail(claim, new JsonObject().put("message", String.valueOf(ar.cause().getMessage()))),
            "failed");
      }
    });
  }

  private void finish(Job claim, Future<Boolean> recorded, String outcome) {
    recorded.onComplete(ar -> {
      current.set(null);
      if (ar.succeeded() && ar.result()) {
        LOG.info("job {} ({}) {} at attempt {}", claim.id(), claim.type(), outcome, claim.attempts());
      } else if (ar.succeeded()) {
        LOG.warn("job {} ({}) {} at attempt {}, but the claim was gone: the outcome is discarded", claim.id(),
            claim.type(), outcome, claim.attempts());
      } else {
        LOG.warn("could not record job {} as {}: {}", claim.id(), outcome, ar.cause().getMessage());
      }
    });
  }

  /** The running job's progress between heartbeats, and whether its claim was lost. */
  private static final class Beat implements JobHandler.Progress {
    private JsonObject pending;
    private volatile boolean lost;

    @Override
    public synchronized void report(JsonObject progress) {
      pending = progress == null ? null : progress.copy();
    }

    synchronized JsonObject take() {
      JsonObject p = pending;
      pending = null;
      return p;
    }

    @Override
    public boolean lost() {
      return lost;
    }
  }

  /** The job this worker runs now, if any. */
  public Optional<Job> current() {
    return Optional.ofNullable(current.get());
  }
}
