package io.miroir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Runs the {@link TaskStoreContract} against SQLite, plus what only the SQLite backend promises (SPEC §6). */
class SqliteTaskStoreTest extends TaskStoreContract {

  @Override
  protected TaskStore newStore(Vertx vertx, Path dir) {
    // A nested path: the store must create the missing parent directories itself.
    return new SqliteTaskStore(vertx, dir.resolve("data/nested/miroir-tasks.db"));
  }

  @Test
  void createsParentDirectoriesAndUsesWal() throws Exception {
    Path db = dir.resolve("data/nested/miroir-tasks.db");
    assertTrue(Files.exists(db));
    create("a", "indexCreation", T0);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertEquals("wal", rs.getString(1));
    }
  }

  @Test
  void timestampsAreStoredAsEpochNanoseconds() throws Exception {
    TaskRecord t = create("a", "indexCreation", T0);
    Path db = dir.resolve("data/nested/miroir-tasks.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT enqueued_at FROM tasks WHERE uid=" + t.uid())) {
      rs.next();
      assertEquals(T0.getEpochSecond() * 1_000_000_000L + T0.getNano(), rs.getLong(1));
    }
  }
}
