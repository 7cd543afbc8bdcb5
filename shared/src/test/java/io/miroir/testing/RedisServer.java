package io.miroir.testing;

import io.miroir.store.RedisTaskStore;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Redis for a test class: {@code @RegisterExtension static final RedisServer REDIS = new RedisServer();}
 * starts it before the class's tests and stops it after them.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {
  private RedisProcess redis;
  private Path flushedFor;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    redis = RedisProcess.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    redis.close();
  }

  /**
   * A task store on this server, for the store contracts: the durable state a test directory stands for is the
   * server's data, emptied when a store is first opened for {@code dir} and kept when one is reopened.
   */
  public RedisTaskStore store(Vertx vertx, Path dir) {
    if (!dir.equals(flushedFor)) {
      redis.flushAll();
      flushedFor = dir;
    }
    return new RedisTaskStore(vertx, redis.url());
  }

  public String url() {
    return redis.url();
  }

  public void flushAll() {
    redis.flushAll();
  }

  public Object command(String... args) {
    return redis.command(args);
  }
}
