package io.miroir.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link JobQueue} on Redis (SPEC §5 Mode C, §6 {@code jobs}). {@code miroir:jobs:<id>} is a hash of the job's
 * fields; {@code miroir:jobs:_queued} holds queued ids scored by id, so the oldest is claimed first and a requeued job
 * keeps its place; {@code miroir:jobs:_claimed} holds claimed ids scored by claim expiry (epoch ms), so requeueing
 * reads only the expired ones; {@code miroir:jobs:_seq} numbers the jobs. Every state change is one Lua script that
 * checks the state it expects, so two workers never hold one job and a worker that lost its claim changes nothing.
 *
 * <p>Claim expiry is computed from the caller's clock: pods are expected to keep NTP time, and the 30 s timeout
 * dwarfs their skew.
 */
public final class RedisJobQueue implements JobQueue {
  private static final String JOB = "miroir:jobs:";

  private static final String LUA_KEYS = """
      local P = 'miroir:jobs:'
      local QUEUED, CLAIMED = P .. '_queued', P .. '_claimed'
      """;
  /** ARGV: type, params JSON, enqueued at (ms). Answers the job's fields. */
  private static final RedisScript ENQUEUE = new RedisScript(LUA_KEYS + """
      local id = string.format('%d', redis.call('INCR', P .. '_seq'))
      redis.call('HSET', P .. id, 'id', id, 'type', ARGV[1], 'params', ARGV[2], 'state', 'queued',
        'progress', '{}', 'attempts', 0, 'enqueued_at', ARGV[3])
      redis.call('ZADD', QUEUED, id, id)
      return redis.call('HGETALL', P .. id)
      """);
  /** ARGV: worker, claim expiry (ms). Answers the claimed job's fields, or nil when none is queued. */
  private static final RedisScript CLAIM = new RedisScript(LUA_KEYS + """
      local first = redis.call('ZRANGE', QUEUED, 0, 0)
      if #first == 0 then return false end
      local id = first[1]
      redis.call('ZREM', QUEUED, id)
      redis.call('HSET', P .. id, 'state', 'in_progress', 'claimed_by', ARGV[1], 'claim_expires_at', ARGV[2])
      redis.call('HINCRBY', P .. id, 'attempts', 1)
      redis.call('ZADD', CLAIMED, ARGV[2], id)
      return redis.call('HGETALL', P .. id)
      """);
  /**
   * Prepended to the scripts that only the claimant may run: ARGV[1] job id, ARGV[2] worker, ARGV[3] the claim's
   * attempt number, which fences a worker's earlier, abandoned claim on the same job.
   */
  private static final String LUA_CLAIMANT = LUA_KEYS + """
      local key = P .. ARGV[1]
      local held = redis.call('HMGET', key, 'state', 'claimed_by', 'attempts')
      if held[1] ~= 'in_progress' or held[2] ~= ARGV[2] or held[3] ~= ARGV[3] then return 0 end
      """;
  /** ARGV: id, worker, attempt, claim expiry (ms), progress JSON or ''. */
  private static final RedisScript HEARTBEAT = new RedisScript(LUA_CLAIMANT + """
      redis.call('HSET', key, 'claim_expires_at', ARGV[4])
      if ARGV[5] ~= '' then redis.call('HSET', key, 'progress', ARGV[5]) end
      redis.call('ZADD', CLAIMED, ARGV[4], ARGV[1])
      return 1
      """);
  /** ARGV: id, worker, attempt, final state, field for the outcome ('result' or 'error'), its JSON. */
  private static final RedisScript FINISH = new RedisScript(LUA_CLAIMANT + """
      redis.call('HSET', key, 'state', ARGV[4], ARGV[5], ARGV[6], 'finished_at', ARGV[7])
      redis.call('HDEL', key, 'claim_expires_at')
      redis.call('ZREM', CLAIMED, ARGV[1])
      return 1
      """);
  /** ARGV: now (ms). Claims expiring strictly before now go back to the queue, at their original place. */
  private static final RedisScript REQUEUE = new RedisScript(LUA_KEYS + """
      local expired = redis.call('ZRANGEBYSCORE', CLAIMED, '-inf', '(' .. ARGV[1])
      for _, id in ipairs(expired) do
        redis.call('HSET', P .. id, 'state', 'queued')
        redis.call('HDEL', P .. id, 'claimed_by', 'claim_expires_at')
        redis.call('ZREM', CLAIMED, id)
        redis.call('ZADD', QUEUED, id, id)
      end
      return #expired
      """);

  private final RedisAPI api;
  private final Clock clock;
  private final Duration claimTimeout;

  /** A queue through {@code api}, usually {@link RedisTaskStore#api()}, on the system clock. */
  public RedisJobQueue(RedisAPI api) {
    this(api, Clock.systemUTC());
  }

  /** A queue whose claims expire by {@code clock}, which tests move by hand. */
  public RedisJobQueue(RedisAPI api, Clock clock) {
    this(api, clock, CLAIM_TIMEOUT);
  }

  /** A queue whose claims live {@code claimTimeout} after the claim or the last heartbeat. */
  public RedisJobQueue(RedisAPI api, Clock clock, Duration claimTimeout) {
    if (claimTimeout.isNegative() || claimTimeout.isZero()) {
      throw new IllegalArgumentException("claim timeout must be positive, got [" + claimTimeout + "]");
    }
    this.api = api;
    this.clock = clock;
    this.claimTimeout = claimTimeout;
  }

  @Override
  public Future<Job> enqueue(String type, JsonObject params) {
    String paramsJson = (params == null ? new JsonObject() : params).encode();
    return ENQUEUE.run(api, List.of(), List.of(type, paramsJson, Long.toString(clock.millis())))
        .map(RedisJobQueue::job);
  }

  @Override
  public Future<Optional<Job>> claim(String workerId) {
    return CLAIM.run(api, List.of(), List.of(workerId, claimExpiry()))
        .map(r -> r == null ? Optional.empty() : Optional.of(job(r)));
  }

  @Override
  public Future<Boolean> heartbeat(Job claim, JsonObject progress) {
    return HEARTBEAT.run(api, List.of(), List.of(claim.id(), claimant(claim), Integer.toString(claim.attempts()),
        claimExpiry(), progress == null ? "" : progress.encode())).map(RedisJobQueue::applied);
  }

  @Override
  public Future<Boolean> complete(Job claim, JsonObject result) {
    return finish(claim, Job.State.COMPLETED, "result", result);
  }

  @Override
  public Future<Boolean> fail(Job claim, JsonObject error) {
    return finish(claim, Job.State.FAILED, "error", error);
  }

  @Override
  public Future<Integer> requeueExpired(Instant now) {
    return REQUEUE.run(api, List.of(), List.of(Long.toString(now.toEpochMilli()))).map(Response::toInteger);
  }

  @Override
  public Future<Optional<Job>> get(String jobId) {
    return api.hgetall(JOB + jobId).map(r -> r == null || r.size() == 0 ? Optional.empty() : Optional.of(job(r)));
  }

  @Override
  public Future<Long> queuedCount() {
    return api.zcard(JOB + "_queued").map(Response::toLong);
  }

  private Future<Boolean> finish(Job claim, Job.State state, String field, JsonObject outcome) {
    String json = (outcome == null ? new JsonObject() : outcome).encode();
    return FINISH.run(api, List.of(), List.of(claim.id(), claimant(claim), Integer.toString(claim.attempts()),
        state.wire(), field, json, Long.toString(clock.millis()))).map(RedisJobQueue::applied);
  }

  /** The worker named by a claim; a job that was never claimed has none, and matches no stored claim. */
  private static String claimant(Job claim) {
    return claim.claimedBy() == null ? "" : claim.claimedBy();
  }

  private String claimExpiry() {
    return Long.toString(clock.millis() + claimTimeout.toMillis());
  }

  private static boolean applied(Response r) {
    return r.toInteger() == 1;
  }

  /** A job from its hash: a map reply (HGETALL over RESP3) or a flat field/value array (a script's reply). */
  private static Job job(Response r) {
    Map<String, String> f = new HashMap<>();
    if (r.isMap()) {
      r.getKeys().forEach(k -> f.put(k, r.get(k).toString()));
    } else {
      for (int i = 0; i + 1 < r.size(); i += 2) {
        f.put(r.get(i).toString(), r.get(i + 1).toString());
      }
    }
    return new Job(f.get("id"), f.get("type"), json(f.get("params")), Job.State.of(f.get("state")),
        f.get("claimed_by"), millis(f.get("claim_expires_at")), json(f.get("progress")), json(f.get("result")),
        json(f.get("error")), Integer.parseInt(f.get("attempts")), millis(f.get("enqueued_at")),
        millis(f.get("finished_at")));
  }

  private static JsonObject json(String text) {
    return text == null ? null : new JsonObject(text);
  }

  private static Instant millis(String text) {
    return text == null ? null : Instant.ofEpochMilli(Long.parseLong(text));
  }
}
