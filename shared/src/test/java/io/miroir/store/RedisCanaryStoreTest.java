package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miroir.canary.CanaryRun;
import io.miroir.testing.RedisServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CanaryStoreContract} on a real Redis, plus the keys of SPEC §6 it must use. */
class RedisCanaryStoreTest extends CanaryStoreContract {
  @RegisterExtension
  static final RedisServer REDIS = new RedisServer();

  @Override
  protected TaskStore newStore(Vertx vertx, Path dir) {
    return REDIS.store(vertx, dir);
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
    assertEquals("string", REDIS.command("TYPE", "miroir:canary:movies-top"));
    assertEquals(List.of("movies-top"), REDIS.command("ZRANGE", "miroir:canary:_index", "0", "-1"));
    assertEquals("zset", REDIS.command("TYPE", "miroir:canary_runs:movies-top"));
    assertEquals(100L, REDIS.command("ZCARD", "miroir:canary_runs:movies-top"));
  }
}
