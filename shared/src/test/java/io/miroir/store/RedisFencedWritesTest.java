package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miroir.testing.RedisProcess;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link FencedWritesContract} on a real Redis, plus the keys it must use (SPEC §6 {@code leader_lease}). */
class RedisFencedWritesTest extends FencedWritesContract {
  private static RedisProcess redis;
  private Path flushedFor;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisProcess.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Override
  protected TaskStore newStore(Vertx vertx, Path dir) {
    if (!dir.equals(flushedFor)) {
      redis.flushAll();
      flushedFor = dir;
    }
    return new RedisTaskStore(vertx, redis.url());
  }

  @Override
  protected FencedWrites fencedWrites(TaskStore store) {
    return new RedisFencedWrites(((RedisTaskStore) store).api());
  }

  @Test
  void theFenceIsAHashUnderTheLeaseKeyAndNeverExpires() {
    await(fenced.put(new Fence("settings_broadcast:movies", "pod-a", 4), "phase", "p1"));
    assertEquals(List.of("holder", "pod-a", "epoch", "4"), redis.command("HGETALL",
        "miroir:lease:settings_broadcast:movies"));
    assertEquals(-1L, redis.command("TTL", "miroir:lease:settings_broadcast:movies"));
    assertEquals("p1", redis.command("GET", "miroir:kv:phase"));
  }
}
