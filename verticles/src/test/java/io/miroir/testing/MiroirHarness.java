package io.miroir.testing;

import io.miroir.config.ConfigLoader;
import io.miroir.config.MiroirConfig;
import io.miroir.runtime.Miroir;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Miroir process started inside the test JVM in front of real Meilisearch nodes: port 0 (client and metrics), a
 * fresh SQLite store, health probes fast enough for failure tests.
 */
public final class MiroirHarness implements AutoCloseable {
  public static final String MASTER_KEY = "miroir-test-master-key";
  public static final String ADMIN_KEY = "miroir-test-admin-key";
  private final Vertx vertx;
  private final Miroir miroir;
  private final List<MeiliNode> nodes;

  private MiroirHarness(Vertx vertx, Miroir miroir, List<MeiliNode> nodes) {
    this.vertx = vertx;
    this.miroir = miroir;
    this.nodes = nodes;
  }

  /** Nodes are split into {@code groups} consecutive groups of equal size. */
  public static MiroirHarness start(List<MeiliNode> nodes, int replicationFactor, int groups, int shards) {
    return start(nodes, replicationFactor, groups, shards, Map.of());
  }

  public static MiroirHarness start(List<MeiliNode> nodes, int replicationFactor, int groups, int shards,
      Map<String, Object> overrides) {
    try {
      Path dir = Files.createTempDirectory("miroir-store");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("master_key", MASTER_KEY);
      m.put("node_master_key", MeiliNodes.MASTER_KEY);
      m.put("shards", shards);
      m.put("replication_factor", replicationFactor);
      m.put("replica_groups", groups);
      List<Map<String, Object>> list = new ArrayList<>();
      int perGroup = nodes.size() / groups;
      for (int i = 0; i < nodes.size(); i++) {
        list.add(Map.of("id", nodes.get(i).id(), "address", nodes.get(i).address(), "replica_group",
            Math.min(i / perGroup, groups - 1)));
      }
      m.put("nodes", list);
      m.put("task_store", Map.of("backend", "sqlite", "path", dir.resolve("tasks.db").toString()));
      m.put("admin", Map.of("api_key", ADMIN_KEY));
      m.put("health", Map.of("interval_ms", 200, "timeout_ms", 2000, "unhealthy_threshold", 3,
          "recovery_threshold", 2));
      m.put("server", Map.of("port", 0, "bind", "127.0.0.1"));
      m.put("tasks", Map.of("poll_interval_ms", 100));
      m.put("rebalancer", Map.of("cleanup_delay_ms", 300));
      // A free metrics port, so test runs of several checkouts on one machine do not collide on 9090.
      m.put("metrics", Map.of("port", 0, "bind", "127.0.0.1"));
      m.putAll(overrides);
      MiroirConfig config = new ConfigLoader(Map.of()).fromTree(Map.of("miroir", m));
      Vertx vertx = Vertx.vertx();
      Miroir miroir = Miroir.start(vertx, config).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      return new MiroirHarness(vertx, miroir, nodes);
    } catch (Exception e) {
      throw new RuntimeException("Miroir did not start: " + e, e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + miroir.port();
  }

  public Miroir miroir() {
    return miroir;
  }

  public List<MeiliNode> nodes() {
    return nodes;
  }

  /** A client authenticated with the master key. */
  public ApiClient client() {
    return new ApiClient(url(), MASTER_KEY);
  }

  public ApiClient admin() {
    return new ApiClient(url(), ADMIN_KEY);
  }

  /** A client speaking to one node directly with the node master key. */
  public static ApiClient direct(MeiliNode node) {
    return new ApiClient(node.address(), MeiliNodes.MASTER_KEY);
  }

  @Override
  public void close() {
    try {
      miroir.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the process may already be half down after a failure test; closing Vert.x is what matters
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
