package io.miroir.store;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@link FencedWrites} for the single-process store (SPEC §5 Mode B: "SQLite still writes the row"): the fence lives
 * in the {@code leader_lease} table and the value in {@code kv}, both changed in one transaction on the store's own
 * connection, so single-process mode runs the same leader code as a cluster.
 */
public final class SqliteFencedWrites implements FencedWrites {
  private final SqliteTaskStore store;

  /** Fenced writes into {@code store}, which must be {@linkplain SqliteTaskStore#init initialised}. */
  public SqliteFencedWrites(SqliteTaskStore store) {
    this.store = store;
  }

  @Override
  public Future<Void> put(Fence fence, String key, String value) {
    if (key == null || value == null) {
      return Future.failedFuture(new IllegalArgumentException("key and value must not be null"));
    }
    return store.transaction(c -> {
      Optional<Fence> stored = read(c, fence.scope());
      if (stored.isPresent() && !fence.admittedAfter(stored.get())) {
        throw new StaleEpochException(fence, stored.get());
      }
      write(c, fence);
      try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO kv (key, value) VALUES (?,?)")) {
        ps.setString(1, key);
        ps.setString(2, value);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<Optional<Fence>> current(String scope) {
    return store.transaction(c -> read(c, scope));
  }

  private static Optional<Fence> read(Connection c, String scope) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT holder, epoch FROM leader_lease WHERE scope=?")) {
      ps.setString(1, scope);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Fence(scope, rs.getString(1), rs.getLong(2))) : Optional.empty();
      }
    }
  }

  private static void write(Connection c, Fence fence) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO leader_lease (scope, holder, epoch) "
        + "VALUES (?,?,?)")) {
      ps.setString(1, fence.scope());
      ps.setString(2, fence.holder());
      ps.setLong(3, fence.epoch());
      ps.executeUpdate();
    }
  }
}
