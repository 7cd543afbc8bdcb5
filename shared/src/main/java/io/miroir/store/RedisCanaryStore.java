package io.miroir.store;

import io.miroir.canary.Canary;
import io.miroir.canary.CanaryRun;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link CanaryStore} on Redis (SPEC §6): {@code miroir:canary:<name>} holds a definition as JSON and
 * {@code miroir:canary:_index} lists the names (score 0, so they sort by name; a canary name never starts with
 * {@code _}); {@code miroir:canary_runs:<name>} is a sorted set of run JSONs scored by start time (epoch ms),
 * trimmed to the newest runs in the same script that adds one.
 */
public final class RedisCanaryStore implements CanaryStore {
  private static final String CANARY = "miroir:canary:";
  private static final String INDEX = CANARY + "_index";
  private static final String RUNS = "miroir:canary_runs:";

  /** KEYS: definition, index. ARGV: name, JSON. */
  private static final RedisScript PUT = new RedisScript("""
      redis.call('SET', KEYS[1], ARGV[2])
      redis.call('ZADD', KEYS[2], 0, ARGV[1])
      return 1
      """);
  /** KEYS: definition, index, runs. ARGV: name. Answers 1 when the definition existed. */
  private static final RedisScript DELETE = new RedisScript("""
      local existed = redis.call('DEL', KEYS[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      redis.call('DEL', KEYS[3])
      return existed
      """);
  /** KEYS: runs. ARGV: score, run JSON, runs to keep. */
  private static final RedisScript RECORD = new RedisScript("""
      redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
      redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
      return 1
      """);

  private final RedisAPI api;

  /** Canaries through {@code api}, usually {@link RedisTaskStore#api()} so that they share its pool. */
  public RedisCanaryStore(RedisAPI api) {
    this.api = api;
  }

  @Override
  public Future<Void> init() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> putCanary(Canary canary) {
    return PUT.run(api, List.of(CANARY + canary.name(), INDEX), List.of(canary.name(), canary.toJson().encode()))
        .mapEmpty();
  }

  @Override
  public Future<Optional<Canary>> getCanary(String name) {
    return api.get(CANARY + name).map(r -> r == null ? Optional.empty()
        : Optional.of(Canary.fromJson(new JsonObject(r.toString()))));
  }

  @Override
  public Future<List<Canary>> listCanaries() {
    return api.zrange(List.of(INDEX, "0", "-1")).compose(names -> {
      if (names == null || names.size() == 0) {
        return Future.succeededFuture(List.of());
      }
      List<String> keys = new ArrayList<>(names.size());
      names.forEach(n -> keys.add(CANARY + n.toString()));
      return api.mget(keys).map(values -> {
        List<Canary> out = new ArrayList<>(values.size());
        for (Response v : values) {
          if (v != null) {
            out.add(Canary.fromJson(new JsonObject(v.toString())));
          }
        }
        return out;
      });
    });
  }

  @Override
  public Future<Boolean> deleteCanary(String name) {
    return DELETE.run(api, List.of(CANARY + name, INDEX, RUNS + name), List.of(name)).map(r -> r.toInteger() > 0);
  }

  @Override
  public Future<Void> recordRun(CanaryRun run, int keep) {
    return RECORD.run(api, List.of(RUNS + run.canary()), List.of(Long.toString(run.startedAt().toEpochMilli()),
        run.toJson().encode(), Integer.toString(keep))).mapEmpty();
  }

  @Override
  public Future<List<CanaryRun>> runs(String canary, int limit) {
    return api.zrevrange(List.of(RUNS + canary, "0", Integer.toString(limit - 1))).map(r -> {
      List<CanaryRun> out = new ArrayList<>(r.size());
      r.forEach(run -> out.add(CanaryRun.fromJson(new JsonObject(run.toString()))));
      return out;
    });
  }
}
