package io.miroir.store;

import io.vertx.core.Vertx;
import java.nio.file.Path;

/** {@link CanaryStoreContract} on the single-process SQLite store. */
class SqliteCanaryStoreTest extends CanaryStoreContract {

  @Override
  protected TaskStore newStore(Vertx vertx, Path dir) {
    return new SqliteTaskStore(vertx, dir.resolve("miroir-tasks.db"));
  }

  @Override
  protected CanaryStore canaryStore(TaskStore store) {
    return new SqliteCanaryStore((SqliteTaskStore) store);
  }
}
