package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Mode C job queue on a real Redis (SPEC §5): claims, heartbeats, expiry and exactly-once completion, fenced by
 * the claim's worker and attempt.
 */
class RedisJobQueueTest {
  private static final Instant T0 = Instant.parse("2026-11-22T13:00:00Z");
  @RegisterExtension
  static final RedisServer REDIS = new RedisServer();

  private Vertx vertx;
  private RedisTaskStore store;
  private MovableClock clock;
  private JobQueue queue;

  @BeforeEach
  void open() {
    REDIS.flushAll();
    vertx = Vertx.vertx();
    store = new RedisTaskStore(vertx, REDIS.url());
    await(store.init());
    clock = new MovableClock(T0);
    queue = new RedisJobQueue(store.api(), clock);
  }

  @AfterEach
  void close() {
    await(store.close());
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("queue call failed", e);
    }
  }

  private static JsonObject chunk(int n) {
    return new JsonObject().put("file", "dump.ndjson").put("chunk", n);
  }

  @Test
  void claimsHandOutTheOldestQueuedJobWithItsParams() {
    Job a = await(queue.enqueue("dump_import", chunk(0)));
    Job b = await(queue.enqueue("reshard_backfill", new JsonObject().put("shards", "0-15")));
    assertEquals(Job.State.QUEUED, a.state());
    assertEquals(T0, a.enqueuedAt());
    assertEquals(2, await(queue.queuedCount()));

    Job claimed = await(queue.claim("w1")).orElseThrow();
    assertEquals(a.id(), claimed.id());
    assertEquals("dump_import", claimed.type());
    assertEquals(chunk(0), claimed.params());
    assertEquals(Job.State.IN_PROGRESS, claimed.state());
    assertEquals("w1", claimed.claimedBy());
    assertEquals(T0.plus(JobQueue.CLAIM_TIMEOUT), claimed.claimExpiresAt());
    assertEquals(1, claimed.attempts());
    assertEquals(new JsonObject(), claimed.progress());

    assertEquals(b.id(), await(queue.claim("w2")).orElseThrow().id());
    assertEquals(Optional.empty(), await(queue.claim("w3")));
    assertEquals(0, await(queue.queuedCount()));
  }

  @Test
  void aJobWhoseWorkerStopsHeartbeatingIsReclaimedAndCompletedExactlyOnce() {
    Job job = await(queue.enqueue("dump_import", chunk(7)));
    Job first = await(queue.claim("w1")).orElseThrow();
    assertEquals(job.id(), first.id());
    clock.advance(Duration.ofSeconds(10));
    assertTrue(await(queue.heartbeat(first, new JsonObject().put("last_cursor", 4096))));
    // w1 goes silent. Its claim runs 30 s from its last heartbeat, not from the claim.
    clock.advance(Duration.ofSeconds(25));
    assertEquals(0, await(queue.requeueExpired(clock.instant())));
    assertEquals(Optional.empty(), await(queue.claim("w2")));
    clock.advance(Duration.ofSeconds(6));
    assertEquals(1, await(queue.requeueExpired(clock.instant())));

    Job reclaimed = await(queue.claim("w2")).orElseThrow();
    assertEquals(job.id(), reclaimed.id());
    assertEquals(2, reclaimed.attempts());
    assertEquals(new JsonObject().put("last_cursor", 4096), reclaimed.progress(), "w2 resumes where w1 was");

    // w1 wakes up: it no longer holds the job, so nothing it says is recorded.
    assertFalse(await(queue.heartbeat(first)));
    assertFalse(await(queue.complete(first, new JsonObject().put("by", "w1"))));
    assertFalse(await(queue.fail(first, new JsonObject().put("by", "w1"))));

    assertTrue(await(queue.complete(reclaimed, new JsonObject().put("by", "w2"))));
    assertFalse(await(queue.complete(reclaimed, new JsonObject().put("by", "w2-again"))), "only once");

    Job done = await(queue.get(job.id())).orElseThrow();
    assertEquals(Job.State.COMPLETED, done.state());
    assertEquals(new JsonObject().put("by", "w2"), done.result());
    assertEquals("w2", done.claimedBy());
    assertEquals(2, done.attempts());
    assertNull(done.claimExpiresAt());
    assertEquals(clock.instant(), done.finishedAt());
    clock.advance(Duration.ofHours(1));
    assertEquals(0, await(queue.requeueExpired(clock.instant())), "a completed job never returns to the queue");
    assertEquals(Optional.empty(), await(queue.claim("w3")));
  }

  @Test
  void aWorkerThatClaimsItsExpiredJobAgainCannotFinishItWithTheAbandonedClaim() {
    await(queue.enqueue("reshard_backfill", chunk(1)));
    Job abandoned = await(queue.claim("w1")).orElseThrow();
    clock.advance(JobQueue.CLAIM_TIMEOUT.plusMillis(1));
    assertEquals(1, await(queue.requeueExpired(clock.instant())));
    Job current = await(queue.claim("w1")).orElseThrow();
    assertEquals(abandoned.id(), current.id());
    assertEquals("w1", current.claimedBy());

    assertFalse(await(queue.heartbeat(abandoned)), "the first attempt is fenced by its attempt number");
    assertFalse(await(queue.complete(abandoned, new JsonObject().put("attempt", 1))));
    assertTrue(await(queue.complete(current, new JsonObject().put("attempt", 2))));
    assertEquals(new JsonObject().put("attempt", 2), await(queue.get(current.id())).orElseThrow().result());
  }

  @Test
  void theClaimTimeoutIsConfigurable() {
    JobQueue quick = new RedisJobQueue(store.api(), clock, Duration.ofSeconds(3));
    await(quick.enqueue("dump_import", chunk(0)));
    Job claim = await(quick.claim("w1")).orElseThrow();
    assertEquals(T0.plusSeconds(3), claim.claimExpiresAt());
    clock.advance(Duration.ofSeconds(2));
    assertTrue(await(quick.heartbeat(claim)));
    assertEquals(T0.plusSeconds(5), await(quick.get(claim.id())).orElseThrow().claimExpiresAt());
    clock.advance(Duration.ofMillis(3001));
    assertEquals(1, await(quick.requeueExpired(clock.instant())));
  }

  @Test
  void concurrentClaimsFromTwoProcessesNeverGiveOneJobToTwoWorkers() {
    int jobs = 300;
    for (int i = 0; i < jobs; i++) {
      await(queue.enqueue("reshard_backfill", chunk(i)));
    }
    Vertx otherVertx = Vertx.vertx();
    RedisTaskStore otherStore = new RedisTaskStore(otherVertx, REDIS.url());
    try {
      JobQueue other = new RedisJobQueue(otherStore.api(), clock);
      List<Future<Optional<Job>>> claims = new ArrayList<>();
      List<String> claimants = new ArrayList<>();
      for (int i = 0; i < 2 * jobs; i++) {
        String worker = "w" + (i % 12);
        claimants.add(worker);
        claims.add((i % 2 == 0 ? queue : other).claim(worker));
      }
      await(Future.all(claims));
      Map<String, String> holderOf = new HashMap<>();
      for (int i = 0; i < claims.size(); i++) {
        Optional<Job> got = claims.get(i).result();
        if (got.isPresent()) {
          String previous = holderOf.put(got.get().id(), claimants.get(i));
          assertNull(previous, "job " + got.get().id() + " handed to " + previous + " and " + claimants.get(i));
          assertEquals(claimants.get(i), got.get().claimedBy());
        }
      }
      assertEquals(jobs, holderOf.size(), "every job claimed once, none left over");
      for (Map.Entry<String, String> e : holderOf.entrySet()) {
        assertEquals(e.getValue(), await(queue.get(e.getKey())).orElseThrow().claimedBy());
      }
    } finally {
      await(otherStore.close());
      await(otherVertx.close());
    }
  }

  @Test
  void aRequeuedJobIsClaimedBeforeNewerOnes() {
    Job first = await(queue.enqueue("dump_import", chunk(0)));
    await(queue.claim("w1"));
    Job second = await(queue.enqueue("dump_import", chunk(1)));
    clock.advance(JobQueue.CLAIM_TIMEOUT.plusMillis(1));
    assertEquals(1, await(queue.requeueExpired(clock.instant())));
    assertEquals(Job.State.QUEUED, await(queue.get(first.id())).orElseThrow().state());
    assertNull(await(queue.get(first.id())).orElseThrow().claimedBy());
    assertEquals(first.id(), await(queue.claim("w2")).orElseThrow().id());
    assertEquals(second.id(), await(queue.claim("w2")).orElseThrow().id());
  }

  @Test
  void aClaimExpiresOnlyAfterTheFullTimeout() {
    Job job = await(queue.enqueue("dump_import", chunk(0)));
    await(queue.claim("w1"));
    assertEquals(0, await(queue.requeueExpired(T0.plus(JobQueue.CLAIM_TIMEOUT))), "expiring exactly now is not yet");
    assertEquals(1, await(queue.requeueExpired(T0.plus(JobQueue.CLAIM_TIMEOUT).plusMillis(1))));
    assertEquals(job.id(), await(queue.claim("w2")).orElseThrow().id());
  }

  @Test
  void failureIsTerminalAndOnlyTheClaimantMayReportIt() {
    Job job = await(queue.enqueue("dump_import", chunk(0)));
    assertFalse(await(queue.fail(job, new JsonObject())), "nobody holds a queued job");
    Job claim = await(queue.claim("w1")).orElseThrow();
    Job impostor = new Job(claim.id(), claim.type(), claim.params(), claim.state(), "w2", claim.claimExpiresAt(),
        claim.progress(), null, null, claim.attempts(), claim.enqueuedAt(), null);
    assertFalse(await(queue.fail(impostor, new JsonObject().put("message", "not mine"))));
    assertTrue(await(queue.fail(claim, new JsonObject().put("message", "bad line 7"))));
    Job failed = await(queue.get(job.id())).orElseThrow();
    assertEquals(Job.State.FAILED, failed.state());
    assertEquals(new JsonObject().put("message", "bad line 7"), failed.error());
    assertNull(failed.result());
    assertEquals(0, await(queue.requeueExpired(T0.plus(Duration.ofDays(1)))));
    assertEquals(Optional.empty(), await(queue.claim("w2")));
    assertFalse(await(queue.complete(claim, new JsonObject())));
  }

  @Test
  void jobsLiveUnderTheSection6Keys() {
    Job job = await(queue.enqueue("dump_import", chunk(3)));
    assertEquals("hash", REDIS.command("TYPE", "miroir:jobs:" + job.id()));
    assertEquals(List.of(job.id()), REDIS.command("ZRANGE", "miroir:jobs:_queued", "0", "-1"));
    await(queue.claim("w1"));
    assertEquals(0L, REDIS.command("EXISTS", "miroir:jobs:_queued"));
    assertEquals(List.of(job.id()), REDIS.command("ZRANGE", "miroir:jobs:_claimed", "0", "-1"));
    assertEquals("in_progress", REDIS.command("HGET", "miroir:jobs:" + job.id(), "state"));
    assertEquals(Optional.empty(), await(queue.get("999")));
  }

  /** A clock the test moves by hand, so expiry needs no waiting. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
