package io.miroir.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durable state of Miroir (SPEC §6): tasks, index metadata and small named values such as the topology. Every
 * method is asynchronous and safe to call from an event loop; backends run blocking I/O elsewhere. SQLite serves a
 * single process, Redis a cluster; both pass one contract suite.
 */
public interface TaskStore {

  /** Creates tables or keyspaces as needed. Must complete before any other call. */
  Future<Void> init();

  /** Records a task under the next uid, unique and increasing across every process sharing the store. */
  Future<TaskRecord> createTask(NewTask task);

  Future<Optional<TaskRecord>> getTask(long uid);

  /** Replaces the stored task having {@code task.uid()}. */
  Future<Void> updateTask(TaskRecord task);

  Future<TaskPage> listTasks(TaskQuery query);

  /** Every task matching the filters ({@code limit}, {@code from} and {@code reverse} ignored), oldest first. */
  Future<List<TaskRecord>> matchTasks(TaskQuery query);

  /** Unfinished tasks (enqueued or processing), oldest first, at most {@code limit}. */
  Future<List<TaskRecord>> unfinishedTasks(int limit);

  /** Deletes these tasks; answers how many existed. */
  Future<Integer> deleteTasks(Collection<Long> uids);

  /** Deletes finished tasks whose {@code finishedAt} is before {@code cutoff}; answers how many. */
  Future<Integer> pruneFinishedBefore(Instant cutoff);

  Future<Optional<IndexMeta>> getIndex(String uid);

  /** All indexes, by uid ascending. */
  Future<List<IndexMeta>> listIndexes();

  /** Inserts or replaces by uid. */
  Future<Void> putIndex(IndexMeta meta);

  Future<Void> deleteIndex(String uid);

  Future<Optional<String>> getValue(String key);

  Future<Void> putValue(String key, String value);

  /**
   * Sets {@code key} to {@code value} only if it currently holds {@code expected} ({@code null}: only if absent), in
   * one atomic step across every process sharing the store; answers whether it did.
   */
  Future<Boolean> compareAndSetValue(String key, String expected, String value);

  Future<Void> close();
}
