package io.miroir.store;

import io.miroir.canary.Canary;
import io.miroir.canary.CanaryRun;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link CanaryStore} in the single-process SQLite store: tables {@code canaries} (name, definition JSON) and
 * {@code canary_runs} (one row per run: status, latency_ms, failed assertions, hits, error, pod), on the task
 * store's own connection and worker thread.
 */
public final class SqliteCanaryStore implements CanaryStore {
  private static final String RUN_COLUMNS = "canary, started_at, status, latency_ms, failed, hits, error, pod";
  private final SqliteTaskStore store;

  /** Canaries in {@code store}, which must be {@linkplain SqliteTaskStore#init initialised} first. */
  public SqliteCanaryStore(SqliteTaskStore store) {
    this.store = store;
  }

  @Override
  public Future<Void> init() {
    return store.transaction(c -> {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS canaries (name TEXT PRIMARY KEY, definition TEXT NOT NULL)");
        st.execute("CREATE TABLE IF NOT EXISTS canary_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            + "canary TEXT NOT NULL, started_at INTEGER NOT NULL, status TEXT NOT NULL, latency_ms INTEGER NOT NULL, "
            + "failed TEXT NOT NULL, hits TEXT NOT NULL, error TEXT, pod TEXT)");
        st.execute("CREATE INDEX IF NOT EXISTS canary_runs_newest ON canary_runs(canary, started_at, id)");
      }
      return null;
    });
  }

  @Override
  public Future<Void> putCanary(Canary canary) {
    return store.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO canaries (name, definition) "
          + "VALUES (?,?)")) {
        ps.setString(1, canary.name());
        ps.setString(2, canary.toJson().encode());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<Optional<Canary>> getCanary(String name) {
    return store.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT definition FROM canaries WHERE name=?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(Canary.fromJson(new JsonObject(rs.getString(1)))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Future<List<Canary>> listCanaries() {
    return store.transaction(c -> {
      List<Canary> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT definition FROM canaries ORDER BY name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Canary.fromJson(new JsonObject(rs.getString(1))));
        }
      }
      return out;
    });
  }

  @Override
  public Future<Boolean> deleteCanary(String name) {
    return store.transaction(c -> {
      try (PreparedStatement runs = c.prepareStatement("DELETE FROM canary_runs WHERE canary=?");
          PreparedStatement def = c.prepareStatement("DELETE FROM canaries WHERE name=?")) {
        runs.setString(1, name);
        runs.executeUpdate();
        def.setString(1, name);
        return def.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Future<Void> recordRun(CanaryRun run, int keep) {
    return store.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO canary_runs (" + RUN_COLUMNS
          + ") VALUES (?,?,?,?,?,?,?,?)")) {
        JsonObject json = run.toJson();
        ps.setString(1, run.canary());
        ps.setLong(2, run.startedAt().toEpochMilli());
        ps.setString(3, run.status().wire());
        ps.setLong(4, run.latencyMs());
        ps.setString(5, json.getJsonArray("failed_assertions").encode());
        ps.setString(6, json.getJsonArray("hits", new JsonArray()).encode());
        ps.setString(7, run.error());
        ps.setString(8, run.pod());
        ps.executeUpdate();
      }
      trim(c, run.canary(), keep);
      return null;
    });
  }

  private static void trim(Connection c, String canary, int keep) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM canary_runs WHERE canary=? AND id NOT IN "
        + "(SELECT id FROM canary_runs WHERE canary=? ORDER BY started_at DESC, id DESC LIMIT ?)")) {
      ps.setString(1, canary);
      ps.setString(2, canary);
      ps.setInt(3, keep);
      ps.executeUpdate();
    }
  }

  @Override
  public Future<List<CanaryRun>> runs(String canary, int limit) {
    return store.transaction(c -> {
      List<CanaryRun> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM canary_runs WHERE canary=? "
          + "ORDER BY started_at DESC, id DESC LIMIT ?")) {
        ps.setString(1, canary);
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            JsonObject json = new JsonObject().put("canary", rs.getString(1))
                .put("started_at", Instant.ofEpochMilli(rs.getLong(2)).toString()).put("status", rs.getString(3))
                .put("latency_ms", rs.getLong(4)).put("failed_assertions", new JsonArray(rs.getString(5)))
                .put("hits", new JsonArray(rs.getString(6))).put("error", rs.getString(7))
                .put("pod", rs.getString(8));
            out.add(CanaryRun.fromJson(json));
          }
        }
      }
      return out;
    });
  }
}
