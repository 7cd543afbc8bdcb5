package io.miroir.store;

import java.util.List;

/**
 * One page of tasks: {@code total} counts every match of the filters (ignoring {@code from}/{@code limit});
 * {@code next} is the uid to pass as {@code from} for the following page, or null.
 */
public record TaskPage(List<TaskRecord> results, long total, Long next) {
  public TaskPage {
    results = List.copyOf(results);
  }
}
