package io.miroir.config;

import io.miroir.canary.Canary;
import java.util.List;

/**
 * The typed configuration of one Miroir process (SPEC §7, D11). Built by {@link ConfigLoader}, which applies the
 * documented defaults and rejects bad values naming the key; every record here is already valid.
 */
public record MiroirConfig(
    String masterKey,
    String nodeMasterKey,
    int shards,
    int replicationFactor,
    int replicaGroups,
    List<NodeConfig> nodes,
    TaskStoreConfig taskStore,
    AdminConfig admin,
    HealthConfig health,
    ScatterConfig scatter,
    ServerConfig server,
    TasksConfig tasks,
    MetricsConfig metrics,
    RebalancerConfig rebalancer,
    MultiSearchConfig multiSearch,
    List<Canary> canaries,
    CanaryRunnerConfig canaryRunner,
    JobsConfig jobs) {

  public MiroirConfig {
    nodes = List.copyOf(nodes);
    canaries = List.copyOf(canaries);
  }

  /** One Meilisearch node. */
  public record NodeConfig(String id, String address, int replicaGroup) {
  }

  /** {@code task_store}: where tasks, index metadata and topology live. */
  public record TaskStoreConfig(String backend, String path, String url) {
    public boolean sqlite() {
      return "sqlite".equals(backend);
    }
  }

  /** {@code admin}: the key guarding {@code /_miroir/*}. */
  public record AdminConfig(String apiKey) {
  }

  /** {@code health}: node probing (SPEC §3.1). */
  public record HealthConfig(long intervalMs, long timeoutMs, int unhealthyThreshold, int recoveryThreshold) {
  }

  /** {@code scatter}: fan-out to nodes. */
  public record ScatterConfig(long nodeTimeoutMs, boolean retryOnTimeout, UnavailableShardPolicy unavailableShardPolicy) {
  }

  /** What a read does when some shard has no reachable copy (SPEC §1.4 step 7). */
  public enum UnavailableShardPolicy {
    PARTIAL, ERROR
  }

  /** {@code server}: the client-facing HTTP server. */
  public record ServerConfig(int port, String bind, long maxBodyBytes, int maxConcurrentRequests,
      long requestTimeoutMs) {
  }

  /** {@code metrics}: the Prometheus endpoint served without auth on its own port (SPEC §8.2). */
  public record MetricsConfig(boolean enabled, int port, String bind) {
  }

  /**
   * {@code tasks}: the task ledger. {@code pollIntervalMs} is how often unfinished tasks are refreshed from the
   * nodes; {@code retentionDays} how long finished tasks are kept (SPEC §2.3).
   */
  public record TasksConfig(long pollIntervalMs, int retentionDays) {
  }

  /**
   * {@code rebalancer}: moving shards when nodes or groups come and go, and resyncing recovered nodes (SPEC §3.3).
   *
   * @param pageSize documents per page read from a source node and written to a target
   * @param maxDocsPerSecond copy throttle per migration; 0 for none
   * @param cleanupDelayMs wait after a cutover before moved shards are deleted from their old owners, so every
   *     process has switched to the new placement
   */
  public record RebalancerConfig(boolean autoRebalanceOnRecovery, int maxConcurrentMigrations, long migrationTimeoutS,
      int pageSize, long maxDocsPerSecond, long cleanupDelayMs) {
  }

  /**
   * {@code multi_search} (SPEC §13.11): {@code maxQueriesPerBatch} is the most queries one {@code POST /multi-search}
   * may carry; the two timeouts are read and reserved.
   */
  public record MultiSearchConfig(int maxQueriesPerBatch, long totalTimeoutMs, long perQueryTimeoutMs) {
  }

  /**
   * {@code canary_runner}: how the canaries of SPEC §13.18 run. {@code emitResultsToCdc} is accepted for the CDC
   * feature and has no effect before it exists.
   */
  public record CanaryRunnerConfig(int maxConcurrentCanaries, int runHistoryPerCanary, boolean emitResultsToCdc) {
  }

  /**
   * {@code jobs}: the Mode C work queue of SPEC §5. A worker renews its claim every {@code heartbeatIntervalMs};
   * a claim not renewed for {@code claimTimeoutMs} goes back to the queue; idle workers look for work every
   * {@code pollIntervalMs}.
   */
  public record JobsConfig(long heartbeatIntervalMs, long claimTimeoutMs, long pollIntervalMs) {
  }
}
