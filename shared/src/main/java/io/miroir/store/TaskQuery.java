package io.miroir.store;

import java.time.Instant;
import java.util.Set;

/**
 * The filters of {@code GET /tasks}, {@code DELETE /tasks} and {@code POST /tasks/cancel} (API reference §2.7).
 * An empty set means "any". Date bounds are exclusive; null means unbounded. {@code from} is inclusive; results are
 * newest first unless {@code reverse}.
 */
public record TaskQuery(
    Set<Long> uids,
    Set<Long> batchUids,
    Set<Long> canceledBy,
    Set<String> types,
    Set<String> statuses,
    Set<String> indexUids,
    Instant afterEnqueuedAt,
    Instant beforeEnqueuedAt,
    Instant afterStartedAt,
    Instant beforeStartedAt,
    Instant afterFinishedAt,
    Instant beforeFinishedAt,
    int limit,
    Long from,
    boolean reverse) {

  public TaskQuery {
    uids = Set.copyOf(uids);
    batchUids = Set.copyOf(batchUids);
    canceledBy = Set.copyOf(canceledBy);
    types = Set.copyOf(types);
    statuses = Set.copyOf(statuses);
    indexUids = Set.copyOf(indexUids);
  }

  /** Every task, newest first, {@code limit} per page. */
  public static TaskQuery all(int limit) {
    return new TaskQuery(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), null, null, null, null, null,
        null, limit, null, false);
  }
}
