package io.miroir.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * The single-pod task store (SPEC §6, D1): one SQLite file in WAL mode behind one JDBC connection.
 *
 * <p>Every JDBC call runs on a dedicated worker executor with a single thread, so the connection is never used by two
 * threads at once (callers on different event loops would otherwise run concurrently on the shared worker pool) and
 * the event loop never blocks. Task uids come from a sequence row advanced in the same transaction as the insert: the
 * first uid is 0 as in Meilisearch, and a uid is never handed out again, even after the newest task is deleted.
 *
 * <p>Timestamps are stored as epoch nanoseconds (exact for years 1678–2261); query bounds outside that range are
 * clamped, which keeps exclusive comparisons correct. Updating a task that no longer exists is a no-op, so a poller
 * racing a task deletion never resurrects the task.
 */
public final class SqliteTaskStore implements TaskStore {
  private static final String FINISHED = "('succeeded','failed','canceled')";
  private static final String TASK_COLUMNS = "uid, batch_uid, index_uid, status, type, canceled_by, details, error, "
      + "enqueued_at, started_at, finished_at, node_tasks, meta";
  private static final int DELETE_CHUNK = 500;

  private final Path dbFile;
  private final WorkerExecutor executor;
  private Connection connection;

  public SqliteTaskStore(Vertx vertx, Path dbFile) {
    this.dbFile = dbFile.toAbsolutePath();
    this.executor = vertx.createSharedWorkerExecutor("miroir-sqlite-" + this.dbFile, 1);
  }

  @Override
  public Future<Void> init() {
    return blocking(() -> {
      Path parent = dbFile.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      connection = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
      try (Statement st = connection.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        // FULL: a task acknowledged to a client must survive a crash of the machine, not only of the process.
        st.execute("PRAGMA synchronous=FULL");
        st.execute("PRAGMA busy_timeout=5000");
        createSchema(st);
      }
      return null;
    });
  }

  private static void createSchema(Statement st) throws SQLException {
    st.execute("CREATE TABLE IF NOT EXISTS tasks (uid INTEGER PRIMARY KEY, batch_uid INTEGER, "
        + "index_uid TEXT, status TEXT NOT NULL, type TEXT NOT NULL, canceled_by INTEGER, details TEXT, error TEXT, "
        + "enqueued_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER, node_tasks TEXT NOT NULL, "
        + "meta TEXT NOT NULL)");
    // The uid sequence lives apart from the rows so that deleting the newest task never frees its uid again, and
    // starts at 0 as Meilisearch's does (SQLite's own AUTOINCREMENT cannot start below 1).
    st.execute("CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, next INTEGER NOT NULL)");
    st.execute("INSERT OR IGNORE INTO sequences (name, next) VALUES ('tasks', 0)");
    st.execute("CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status)");
    st.execute("CREATE INDEX IF NOT EXISTS tasks_index_uid ON tasks(index_uid)");
    st.execute("CREATE INDEX IF NOT EXISTS tasks_finished_at ON tasks(finished_at)");
    st.execute("CREATE TABLE IF NOT EXISTS indexes (uid TEXT PRIMARY KEY, primary_key TEXT, "
        + "shards INTEGER NOT NULL, settings_version INTEGER NOT NULL, created_at INTEGER, updated_at INTEGER)");
    st.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    // Mode B fences (SqliteFencedWrites): the newest epoch that wrote in each scope, never expired.
    st.execute("CREATE TABLE IF NOT EXISTS leader_lease (scope TEXT PRIMARY KEY, holder TEXT NOT NULL, "
        + "epoch INTEGER NOT NULL)");
  }

  @Override
  public Future<TaskRecord> createTask(NewTask task) {
    return blocking(() -> inTransaction(() -> {
      long uid = takeNextUid();
      try (PreparedStatement ps = connection.prepareStatement("INSERT INTO tasks (uid, index_uid, status, type, "
          + "details, error, enqueued_at, finished_at, node_tasks, meta) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
        ps.setLong(1, uid);
        ps.setString(2, task.indexUid());
        ps.setString(3, task.status());
        ps.setString(4, task.type());
        setJson(ps, 5, task.details());
        setJson(ps, 6, task.error());
        setInstant(ps, 7, task.enqueuedAt());
        setInstant(ps, 8, task.finishedAt());
        ps.setString(9, nodeTasksJson(task.nodeTasks()));
        ps.setString(10, task.meta() == null ? "{}" : task.meta().encode());
        ps.executeUpdate();
      }
      return new TaskRecord(uid, null, task.indexUid(), task.status(), task.type(), null, copy(task.details()),
          copy(task.error()), task.enqueuedAt(), null, task.finishedAt(), task.nodeTasks(), copy(task.meta()));
    }));
  }

  /** Advances the uid sequence inside the caller's transaction, so a rolled-back insert gives its uid back. */
  private long takeNextUid() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(
        "UPDATE sequences SET next = next + 1 WHERE name = 'tasks' RETURNING next - 1")) {
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the task uid sequence is missing");
        }
        return rs.getLong(1);
      }
    }
  }

  @Override
  public Future<Optional<TaskRecord>> getTask(long uid) {
    return blocking(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT " + TASK_COLUMNS + " FROM tasks WHERE uid=?")) {
        ps.setLong(1, uid);
        List<TaskRecord> found = readTasks(ps);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
      }
    });
  }

  @Override
  public Future<Void> updateTask(TaskRecord task) {
    return blocking(() -> {
      try (PreparedStatement ps = connection.prepareStatement("UPDATE tasks SET batch_uid=?, index_uid=?, status=?, "
          + "type=?, canceled_by=?, details=?, error=?, enqueued_at=?, started_at=?, finished_at=?, node_tasks=?, "
          + "meta=? WHERE uid=?")) {
        setLong(ps, 1, task.batchUid());
        ps.setString(2, task.indexUid());
        ps.setString(3, task.status());
        ps.setString(4, task.type());
        setLong(ps, 5, task.canceledBy());
        setJson(ps, 6, task.details());
        setJson(ps, 7, task.error());
        setInstant(ps, 8, task.enqueuedAt());
        setInstant(ps, 9, task.startedAt());
        setInstant(ps, 10, task.finishedAt());
        ps.setString(11, nodeTasksJson(task.nodeTasks()));
        ps.setString(12, task.meta().encode());
        ps.setLong(13, task.uid());
        ps.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<TaskPage> listTasks(TaskQuery query) {
    return blocking(() -> {
      int limit = Math.max(0, query.limit());
      Where where = Where.of(query);
      long total = count(where);
      Where paged = query.from() == null ? where : where.and(query.reverse() ? "uid >= ?" : "uid <= ?", query.from());
      String order = query.reverse() ? " ORDER BY uid ASC" : " ORDER BY uid DESC";
      // One row past the page tells whether there is a next page and which uid it starts at.
      List<TaskRecord> rows = selectTasks(paged, order + " LIMIT ?", (long) limit + 1);
      Long next = rows.size() > limit ? rows.get(limit).uid() : null;
      List<TaskRecord> page = rows.size() > limit ? rows.subList(0, limit) : rows;
      return new TaskPage(page, total, next);
    });
  }

  @Override
  public Future<List<TaskRecord>> matchTasks(TaskQuery query) {
    return blocking(() -> selectTasks(Where.of(query), " ORDER BY uid ASC", null));
  }

  @Override
  public Future<List<TaskRecord>> unfinishedTasks(int limit) {
    return blocking(() -> selectTasks(new Where().and("status IN ('enqueued','processing')"), " ORDER BY uid ASC LIMIT ?",
        (long) limit));
  }

  @Override
  public Future<Integer> deleteTasks(Collection<Long> uids) {
    List<Long> all = List.copyOf(uids);
    return blocking(() -> inTransaction(() -> {
      int deleted = 0;
      for (int i = 0; i < all.size(); i += DELETE_CHUNK) {
        List<Long> chunk = all.subList(i, Math.min(all.size(), i + DELETE_CHUNK));
        Where where = new Where().in("uid", chunk);
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM tasks" + where.sql())) {
          where.bind(ps, 1);
          deleted += ps.executeUpdate();
        }
      }
      return deleted;
    }));
  }

  @Override
  public Future<Integer> pruneFinishedBefore(Instant cutoff) {
    return blocking(() -> {
      try (PreparedStatement ps = connection.prepareStatement(
          "DELETE FROM tasks WHERE status IN " + FINISHED + " AND finished_at < ?")) {
        ps.setLong(1, Nanos.clamped(cutoff));
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Future<Optional<IndexMeta>> getIndex(String uid) {
    return blocking(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT uid, primary_key, shards, settings_version, "
          + "created_at, updated_at FROM indexes WHERE uid=?")) {
        ps.setString(1, uid);
        List<IndexMeta> found = readIndexes(ps);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
      }
    });
  }

  @Override
  public Future<List<IndexMeta>> listIndexes() {
    return blocking(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT uid, primary_key, shards, settings_version, "
          + "created_at, updated_at FROM indexes ORDER BY uid ASC")) {
        return readIndexes(ps);
      }
    });
  }

  @Override
  public Future<Void> putIndex(IndexMeta meta) {
    return blocking(() -> {
      try (PreparedStatement ps = connection.prepareStatement("INSERT OR REPLACE INTO indexes (uid, primary_key, "
          + "shards, settings_version, created_at, updated_at) VALUES (?,?,?,?,?,?)")) {
        ps.setString(1, meta.uid());
        ps.setString(2, meta.primaryKey());
        ps.setInt(3, meta.shards());
        ps.setLong(4, meta.settingsVersion());
        setInstant(ps, 5, meta.createdAt());
        setInstant(ps, 6, meta.updatedAt());
        ps.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Void> deleteIndex(String uid) {
    return blocking(() -> {
      try (PreparedStatement ps = connection.prepareStatement("DELETE FROM indexes WHERE uid=?")) {
        ps.setString(1, uid);
        ps.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Optional<String>> getValue(String key) {
    return blocking(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM kv WHERE key=?")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Future<Void> putValue(String key, String value) {
    if (key == null || value == null) {
      return Future.failedFuture(new IllegalArgumentException("key and value must not be null"));
    }
    return blocking(() -> {
      try (PreparedStatement ps = connection.prepareStatement("INSERT OR REPLACE INTO kv (key, value) VALUES (?,?)")) {
        ps.setString(1, key);
        ps.setString(2, value);
        ps.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Boolean> compareAndSetValue(String key, String expected, String value) {
    if (key == null || value == null) {
      return Future.failedFuture(new IllegalArgumentException("key and value must not be null"));
    }
    return blocking(() -> inTransaction(() -> {
      String present = null;
      try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM kv WHERE key=?")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          present = rs.next() ? rs.getString(1) : null;
        }
      }
      if (!java.util.Objects.equals(present, expected)) {
        return false;
      }
      try (PreparedStatement ps = connection.prepareStatement("INSERT OR REPLACE INTO kv (key, value) VALUES (?,?)")) {
        ps.setString(1, key);
        ps.setString(2, value);
        ps.executeUpdate();
      }
      return true;
    }));
  }

  @Override
  public Future<Void> close() {
    Future<Void> closed = blocking(() -> {
      if (connection != null) {
        connection.close();
        connection = null;
      }
      return null;
    });
    return closed.eventually(executor::close);
  }

  /** Work on the store's connection, for the SQLite building blocks that share it ({@link SqliteFencedWrites}). */
  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection connection) throws Exception;
  }

  /** Runs {@code work} in one transaction on the store's worker thread; an exception rolls it back and fails. */
  <T> Future<T> transaction(SqlWork<T> work) {
    return blocking(() -> inTransaction(() -> work.apply(connection)));
  }

  // ---- helpers (all run on the store's worker thread) ----

  private <T> Future<T> blocking(Callable<T> work) {
    return executor.executeBlocking(work, true);
  }

  private <T> T inTransaction(Callable<T> work) throws Exception {
    connection.setAutoCommit(false);
    try {
      T result = work.call();
      connection.commit();
      return result;
    } catch (Exception e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private long count(Where where) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM tasks" + where.sql())) {
      where.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private List<TaskRecord> selectTasks(Where where, String suffix, Long limit) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT " + TASK_COLUMNS + " FROM tasks" + where.sql()
        + suffix)) {
      int next = where.bind(ps, 1);
      if (limit != null) {
        ps.setLong(next, limit);
      }
      return readTasks(ps);
    }
  }

  private static List<TaskRecord> readTasks(PreparedStatement ps) throws SQLException {
    List<TaskRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new TaskRecord(rs.getLong(1), getLong(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5),
            getLong(rs, 6), json(rs.getString(7)), json(rs.getString(8)), instant(rs, 9), instant(rs, 10),
            instant(rs, 11), nodeTasks(rs.getString(12)), json(rs.getString(13))));
      }
    }
    return out;
  }

  private static List<IndexMeta> readIndexes(PreparedStatement ps) throws SQLException {
    List<IndexMeta> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new IndexMeta(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), instant(rs, 5),
            instant(rs, 6)));
      }
    }
    return out;
  }

  private static void setJson(PreparedStatement ps, int i, JsonObject value) throws SQLException {
    ps.setString(i, value == null ? null : value.encode());
  }

  private static void setInstant(PreparedStatement ps, int i, Instant value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, Nanos.exact(value));
    }
  }

  private static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, value);
    }
  }

  private static Long getLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, int i) throws SQLException {
    Long nanos = getLong(rs, i);
    return nanos == null ? null : Nanos.toInstant(nanos);
  }

  private static JsonObject json(String text) {
    return text == null ? null : new JsonObject(text);
  }

  private static JsonObject copy(JsonObject o) {
    return o == null ? null : o.copy();
  }

  private static String nodeTasksJson(Map<String, Long> nodeTasks) {
    JsonObject o = new JsonObject();
    if (nodeTasks != null) {
      new TreeMap<>(nodeTasks).forEach(o::put);
    }
    return o.encode();
  }

  private static Map<String, Long> nodeTasks(String text) {
    Map<String, Long> out = new TreeMap<>();
    new JsonObject(text).forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return out;
  }

  /** Epoch-nanosecond conversion; {@link #exact} refuses what it cannot store, {@link #clamped} serves bounds. */
  static final class Nanos {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Nanos() {
    }

    static long exact(Instant t) {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS_PER_SECOND), t.getNano());
    }

    static long clamped(Instant t) {
      try {
        return exact(t);
      } catch (ArithmeticException e) {
        return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
    }

    static Instant toInstant(long nanos) {
      return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
  }

  /** A WHERE clause built from {@link TaskQuery} filters, with its bind values in order. */
  private static final class Where {
    private final List<String> clauses = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    static Where of(TaskQuery q) {
      Where w = new Where().in("uid", q.uids()).in("batch_uid", q.batchUids()).in("canceled_by", q.canceledBy())
          .in("type", q.types()).in("status", q.statuses()).in("index_uid", q.indexUids());
      // Bounds are exclusive (API reference §2.7); NULL timestamps never satisfy them, as in Meilisearch.
      return w.bound("enqueued_at >", q.afterEnqueuedAt()).bound("enqueued_at <", q.beforeEnqueuedAt())
          .bound("started_at >", q.afterStartedAt()).bound("started_at <", q.beforeStartedAt())
          .bound("finished_at >", q.afterFinishedAt()).bound("finished_at <", q.beforeFinishedAt());
    }

    Where in(String column, Collection<?> set) {
      if (set.isEmpty()) {
        return this; // an empty set means "any"
      }
      clauses.add(column + " IN (" + String.join(",", Collections.nCopies(set.size(), "?")) + ")");
      values.addAll(set);
      return this;
    }

    Where bound(String columnAndOperator, Instant at) {
      if (at != null) {
        clauses.add(columnAndOperator + " ?");
        values.add(Nanos.clamped(at));
      }
      return this;
    }

    Where and(String clause, Object... bound) {
      Where w = new Where();
      w.clauses.addAll(clauses);
      w.values.addAll(values);
      w.clauses.add(clause);
      w.values.addAll(List.of(bound));
      return w;
    }

    String sql() {
      return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    /** Binds the values from parameter {@code first}; answers the next free parameter index. */
    int bind(PreparedStatement ps, int first) throws SQLException {
      int i = first;
      for (Object v : values) {
        ps.setObject(i++, v);
      }
      return i;
    }
  }
}
