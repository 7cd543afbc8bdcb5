package io.miroir.store;

import java.time.Instant;
import java.util.Set;

/**
 * The filters of a {@link TaskQuery} applied to one task in memory, with the semantics {@link SqliteTaskStore}'s SQL
 * has (API reference §2.7): an empty set means any; a null field never matches a non-empty set; date bounds are
 * exclusive and a null date never satisfies one. Backends that cannot push a filter down use this.
 */
final class TaskMatcher {
  private TaskMatcher() {
  }

  static boolean matches(TaskQuery q, TaskRecord t) {
    return in(q.uids(), t.uid()) && in(q.batchUids(), t.batchUid()) && in(q.canceledBy(), t.canceledBy())
        && in(q.types(), t.type()) && in(q.statuses(), t.status()) && in(q.indexUids(), t.indexUid())
        && after(t.enqueuedAt(), q.afterEnqueuedAt()) && before(t.enqueuedAt(), q.beforeEnqueuedAt())
        && after(t.startedAt(), q.afterStartedAt()) && before(t.startedAt(), q.beforeStartedAt())
        && after(t.finishedAt(), q.afterFinishedAt()) && before(t.finishedAt(), q.beforeFinishedAt());
  }

  /** True when no filter needs the task's document beyond its status and index uid. */
  static boolean onlyStatusAndIndex(TaskQuery q) {
    return q.uids().isEmpty() && q.batchUids().isEmpty() && q.canceledBy().isEmpty() && q.types().isEmpty()
        && q.afterEnqueuedAt() == null && q.beforeEnqueuedAt() == null && q.afterStartedAt() == null
        && q.beforeStartedAt() == null && q.afterFinishedAt() == null && q.beforeFinishedAt() == null;
  }

  private static <T> boolean in(Set<T> set, T value) {
    // The sets are immutable copies, whose contains(null) throws: test null first.
    return set.isEmpty() || (value != null && set.contains(value));
  }

  private static boolean after(Instant value, Instant bound) {
    return bound == null || (value != null && value.isAfter(bound));
  }

  private static boolean before(Instant value, Instant bound) {
    return bound == null || (value != null && value.isBefore(bound));
  }
}
