package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miroir.canary.CanaryRun;
import io.miroir.testing.RedisProcess;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link CanaryStoreContract} on a real Redis, plus the keys of SPEC §6 it must use. */
class RedisCanaryStoreTest extends CanaryStoreContract {
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
  protected CanaryStore canaryStore(TaskStore store) {
    return new RedisCanaryStore(((RedisTaskStore) store).api());
  }

  @Test
  void canariesLiveUnderTheSection6Keys() {
    await(canaries.putCanary(canary("movies-top", "batman")));
    for (int i = 0; i < 120; i++) {
      await(canaries.recordRun(run("movies-top", i, CanaryRun.Status.PASS), 100));
    }
    assertEquals("string", redis.command("TYPE", "miroir:canary:movies-top"));
    assertEquals(List.of("movies-top"), redis.command("ZRANGE", "miroir:canary:_index", "0", "-1"));
    assertEquals("zset", redis.command("TYPE", "miroir:canary_runs:movies-top"));
    assertEquals(100L, redis.command("ZCARD", "miroir:canary_runs:movies-top"));
  }
}
