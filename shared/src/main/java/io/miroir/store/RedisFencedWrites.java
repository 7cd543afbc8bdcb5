package io.miroir.store;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Optional;

/**
 * {@link FencedWrites} on Redis (SPEC §5 Mode B, §6): {@code miroir:lease:<scope>} is a hash of {@code holder} and
 * {@code epoch}; one Lua script checks the caller's fence against it, then writes the value
 * ({@code miroir:kv:<key>}, the same key {@link RedisTaskStore#getValue} reads) and the fence, so no other command
 * can slip between the check and the write.
 */
public final class RedisFencedWrites implements FencedWrites {
  private static final String LEASE = "miroir:lease:";
  private static final String VALUE = "miroir:kv:";

  /** KEYS: lease, value. ARGV: holder, epoch, value. Answers {1}, or {0, holder, epoch} of the newer fence. */
  private static final RedisScript PUT = new RedisScript("""
      local stored = redis.call('HMGET', KEYS[1], 'holder', 'epoch')
      if stored[2] then
        local epoch, current = tonumber(ARGV[2]), tonumber(stored[2])
        -- Same rule as Fence.admittedAfter: a newer epoch, or the same term's holder again.
        if epoch < current or (epoch == current and stored[1] ~= ARGV[1]) then
          return {0, stored[1], stored[2]}
        end
      end
      redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'epoch', ARGV[2])
      redis.call('SET', KEYS[2], ARGV[3])
      return {1}
      """);

  private final RedisAPI api;

  /** Fenced writes through {@code api}, usually {@link RedisTaskStore#api()} so that they share its pool. */
  public RedisFencedWrites(RedisAPI api) {
    this.api = api;
  }

  @Override
  public Future<Void> put(Fence fence, String key, String value) {
    if (key == null || value == null) {
      return Future.failedFuture(new IllegalArgumentException("key and value must not be null"));
    }
    return PUT.run(api, List.of(LEASE + fence.scope(), VALUE + key),
        List.of(fence.holder(), Long.toString(fence.epoch()), value)).compose(r -> r.get(0).toInteger() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(new StaleEpochException(fence, fence(fence.scope(), r.get(1), r.get(2)))));
  }

  @Override
  public Future<Optional<Fence>> current(String scope) {
    return api.hmget(List.of(LEASE + scope, "holder", "epoch")).map(r -> r.get(1) == null ? Optional.empty()
        : Optional.of(fence(scope, r.get(0), r.get(1))));
  }

  private static Fence fence(String scope, Response holder, Response epoch) {
    return new Fence(scope, holder.toString(), Long.parseLong(epoch.toString()));
  }
}
