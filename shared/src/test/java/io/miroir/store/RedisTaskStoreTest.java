package io.miroir.store;

import io.miroir.testing.RedisProcess;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the {@link TaskStoreContract} against a real Redis (SPEC §6), plus what only the Redis backend promises. One
 * server serves the class; the durable state a test directory stands for is the server's data, emptied when a test
 * opens its first store and kept when it reopens one.
 */
class RedisTaskStoreTest extends TaskStoreContract {
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
}
