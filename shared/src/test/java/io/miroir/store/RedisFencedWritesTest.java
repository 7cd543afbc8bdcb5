package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miroir.testing.RedisServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FencedWritesContract} on a real Redis, plus the keys it must use (SPEC §6 {@code leader_lease}). */
class RedisFencedWritesTest extends FencedWritesContract {
  @RegisterExtension
  static final RedisServer REDIS = new RedisServer();

  @Override
  protected TaskStore newStore(Vertx vertx, Path dir) {
    return REDIS.store(vertx, dir);
  }

  @Override
  protected FencedWrites fencedWrites(TaskStore store) {
    return new RedisFencedWrites(((RedisTaskStore) store).api());
  }

  @Test
  void theFenceIsAHashUnderTheLeaseKeyAndNeverExpires() {
    await(fenced.put(new Fence("settings_broadcast:movies", "pod-a", 4), "phase", "p1"));
    assertEquals(List.of("holder", "pod-a", "epoch", "4"), REDIS.command("HGETALL",
        "miroir:lease:settings_broadcast:movies"));
    assertEquals(-1L, REDIS.command("TTL", "miroir:lease:settings_broadcast:movies"));
    assertEquals("p1", REDIS.command("GET", "miroir:kv:phase"));
  }
}
