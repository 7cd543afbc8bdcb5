package io.miroir.store;

import io.vertx.core.Vertx;
import java.nio.file.Path;

/** {@link FencedWritesContract} on the single-process SQLite store. */
class SqliteFencedWritesTest extends FencedWritesContract {

  @Override
  protected TaskStore newStore(Vertx vertx, Path dir) {
    return new SqliteTaskStore(vertx, dir.resolve("miroir-tasks.db"));
  }

  @Override
  protected FencedWrites fencedWrites(TaskStore store) {
    return new SqliteFencedWrites((SqliteTaskStore) store);
  }
}
