package io.miroir.store;

import io.miroir.canary.Canary;
import io.miroir.canary.CanaryRun;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Canary definitions made through the admin API and every canary's recent runs (SPEC §6 {@code canaries} /
 * {@code canary_runs}, §13.18). Kept beside the task store, in the same SQLite file or Redis, and shared by every
 * process of a cluster: the process that owns a canary records its runs, any process reads them.
 */
public interface CanaryStore {

  /** Creates tables as needed, once the task store is initialised. */
  Future<Void> init();

  /** Inserts or replaces the definition named {@code canary.name()}. */
  Future<Void> putCanary(Canary canary);

  Future<Optional<Canary>> getCanary(String name);

  /** Every stored definition, by name ascending. */
  Future<List<Canary>> listCanaries();

  /** Deletes the definition and its runs; answers whether it existed. */
  Future<Boolean> deleteCanary(String name);

  /** Records a run and trims the canary's history to its newest {@code keep} runs, in one atomic step. */
  Future<Void> recordRun(CanaryRun run, int keep);

  /** The newest {@code limit} runs of {@code canary}, newest first. */
  Future<List<CanaryRun>> runs(String canary, int limit);
}
