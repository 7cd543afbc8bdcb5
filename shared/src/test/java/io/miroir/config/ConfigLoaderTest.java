package io.miroir.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** D11: one YAML file, documented defaults, secrets from the environment, errors that name the key. */
class ConfigLoaderTest {
  private static Map<String, Object> minimal() {
    return Map.of("miroir", Map.of("nodes", List.of(
        Map.of("id", "a", "address", "http://127.0.0.1:7701"),
        Map.of("id", "b", "address", "http://127.0.0.1:7702/"))));
  }

  @Test
  void defaultsApply() {
    MiroirConfig c = new ConfigLoader(Map.of()).fromTree(minimal());
    assertEquals(64, c.shards());
    assertEquals(1, c.replicationFactor());
    assertEquals(1, c.replicaGroups());
    assertEquals("http://127.0.0.1:7702", c.nodes().get(1).address(), "trailing slash trimmed");
    assertEquals(5000, c.health().intervalMs());
    assertEquals(MiroirConfig.UnavailableShardPolicy.PARTIAL, c.scatter().unavailableShardPolicy());
    assertEquals(7700, c.server().port());
    assertTrue(c.taskStore().sqlite());
  }

  @Test
  void secretsComeFromTheEnvironment() {
    MiroirConfig c = new ConfigLoader(Map.of("MIROIR_MASTER_KEY", "m", "MIROIR_NODE_MASTER_KEY", "n",
        "MIROIR_ADMIN_API_KEY", "a")).fromTree(minimal());
    assertEquals("m", c.masterKey());
    assertEquals("n", c.nodeMasterKey());
    assertEquals("a", c.admin().apiKey());
  }

  private static String error(Object tree) {
    return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).fromTree(tree)).getMessage();
  }

  @Test
  void badValuesNameTheirKey() {
    assertTrue(error(Map.of("miroir", Map.of("shards", 0, "nodes", List.of(Map.of("id", "a", "address",
        "http://x:1"))))).startsWith("miroir.shards:"));
    assertTrue(error(Map.of("miroir", Map.of("nodes", List.of()))).startsWith("miroir.nodes:"));
    assertTrue(error(Map.of("miroir", Map.of("nodes", List.of(Map.of("id", "a", "address", "ftp://x")))))
        .startsWith("miroir.nodes[0].address:"));
    assertTrue(error(Map.of("miroir", Map.of("replication_factor", 2, "nodes", List.of(Map.of("id", "a",
        "address", "http://x:1"))))).contains("fewer than replication_factor"));
    assertTrue(error(Map.of("miroir", Map.of("scatter", Map.of("unavailable_shard_policy", "maybe"), "nodes",
        List.of(Map.of("id", "a", "address", "http://x:1"))))).startsWith("miroir.scatter.unavailable_shard_policy:"));
    assertTrue(error(Map.of("miroir", Map.of("server", Map.of("prot", 1), "nodes",
        List.of(Map.of("id", "a", "address", "http://x:1"))))).startsWith("miroir.server.prot: unknown key"));
    assertTrue(error(Map.of("miroir", Map.of("nodes", List.of(Map.of("id", "a", "address", "http://x:1"),
        Map.of("id", "a", "address", "http://x:2"))))).startsWith("miroir.nodes[1].id: duplicate"));
    assertTrue(error(Map.of("miroir", Map.of("task_store", Map.of("backend", "redis"), "nodes",
        List.of(Map.of("id", "a", "address", "http://x:1"))))).startsWith("miroir.task_store.url:"));
  }

  @Test
  void specSectionsOfLaterCapabilitiesAreAcceptedAndReported() {
    ConfigLoader loader = new ConfigLoader(Map.of());
    loader.fromTree(Map.of("miroir", Map.of("hedging", Map.of("min_trigger_ms", 15), "nodes",
        List.of(Map.of("id", "a", "address", "http://x:1"))), "cdc", Map.of()));
    assertEquals(List.of("cdc", "miroir.hedging"), loader.inactiveSections().stream().sorted().toList());
    assertTrue(error(Map.of("miroir", Map.of("nodes", List.of(Map.of("id", "a", "address", "http://x:1"))),
        "bogus", 1)).startsWith("bogus: unknown key"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void multiSearchLimitsAreReadUnderMiroir() {
    MiroirConfig c = new ConfigLoader(Map.of()).fromTree(minimal());
    assertEquals(100, c.multiSearch().maxQueriesPerBatch());
    assertEquals(30_000, c.multiSearch().totalTimeoutMs());
    Map<String, Object> m = new java.util.HashMap<>(minimal());
    Map<String, Object> miroir = new java.util.HashMap<>((Map<String, Object>) m.get("miroir"));
    miroir.put("multi_search", Map.of("max_queries_per_batch", 7));
    m.put("miroir", miroir);
    assertEquals(7, new ConfigLoader(Map.of()).fromTree(m).multiSearch().maxQueriesPerBatch());
    miroir.put("multi_search", Map.of("max_queries_per_batch", 0));
    assertTrue(error(m).startsWith("miroir.multi_search.max_queries_per_batch:"));
    miroir.put("multi_search", Map.of("max_queries", 7));
    assertTrue(error(m).startsWith("miroir.multi_search.max_queries: unknown key"));
    miroir.remove("multi_search");
    m.put("multi_search", Map.of("max_queries_per_batch", 7));
    assertTrue(error(m).startsWith("multi_search: this section is active"), error(m));
  }

  @Test
  void theShippedDefaultConfigLoads(@TempDir Path dir) throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("config/miroir.yaml"))) {
      root = root.getParent();
    }
    MiroirConfig c = new ConfigLoader(Map.of()).load(root.resolve("config/miroir.yaml"));
    assertEquals(3, c.nodes().size());
    assertEquals(16, c.shards());
    assertEquals(1, c.replicationFactor());
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "miroir: [unclosed");
    assertTrue(assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(bad)).getMessage()
        .startsWith("config: invalid YAML"));
  }

  private static Map<String, Object> withNodes(Map<String, Object> miroir) {
    Map<String, Object> m = new java.util.LinkedHashMap<>(miroir);
    m.put("nodes", List.of(Map.of("id", "a", "address", "http://x:1")));
    return Map.of("miroir", m);
  }

  @Test
  void canariesAreReadAndValidatedNamingTheField() {
    MiroirConfig c = new ConfigLoader(Map.of()).fromTree(withNodes(Map.of("canaries", List.of(Map.of("name",
        "movies-top", "index", "movies", "interval_s", 30, "query", Map.of("q", "batman", "limit", 5, "filter",
        "year > 2000"), "assertions", List.of(Map.of("type", "top_hit_id", "value", 7), Map.of("type", "min_hits",
        "value", 1)))), "canary_runner", Map.of("max_concurrent_canaries", 2))));
    assertEquals(1, c.canaries().size());
    assertEquals("movies-top", c.canaries().get(0).name());
    assertEquals(30, c.canaries().get(0).intervalS());
    assertEquals("7", c.canaries().get(0).assertions().get(0).value(), "ids are compared as text");
    assertEquals(2, c.canaryRunner().maxConcurrentCanaries());
    assertEquals(100, c.canaryRunner().runHistoryPerCanary());

    assertTrue(error(withNodes(Map.of("canaries", List.of(Map.of("name", "x", "index", "i", "assertions",
        List.of(Map.of("type", "top_k_contains", "k", 50, "ids", List.of(1)))))))).startsWith(
        "miroir.canaries[0].assertions[0].k: [50] exceeds query.limit [20]"));
    assertTrue(error(withNodes(Map.of("canaries", List.of(Map.of("name", "x", "index", "i", "interval_s", 0)))))
        .startsWith("miroir.canaries[0].interval_s:"));
    assertTrue(error(withNodes(Map.of("canaries", List.of(Map.of("name", "x", "index", "i", "query",
        Map.of("qq", "a")))))).startsWith("miroir.canaries[0].query.qq: unknown key"));
    assertTrue(error(withNodes(Map.of("canaries", List.of(Map.of("name", "x", "index", "i"), Map.of("name", "x",
        "index", "j"))))).startsWith("miroir.canaries[1].name: duplicate"));
    assertTrue(error(withNodes(Map.of("canaries", List.of(Map.of("name", "x", "index", "i", "assertions",
        List.of(Map.of("type", "settings_version_at_least", "value", 3))))))).contains("not available in this "
        + "version"));
    assertTrue(error(withNodes(Map.of("canary_runner", Map.of("max_concurrent", 1)))).startsWith(
        "miroir.canary_runner.max_concurrent: unknown key"));
  }

  @Test
  void jobTimingsDefaultToTheSpecAndAHeartbeatMustFitTwiceInTheClaimTimeout() {
    MiroirConfig c = new ConfigLoader(Map.of()).fromTree(minimal());
    assertEquals(10_000, c.jobs().heartbeatIntervalMs());
    assertEquals(30_000, c.jobs().claimTimeoutMs());
    MiroirConfig quick = new ConfigLoader(Map.of()).fromTree(withNodes(Map.of("jobs", Map.of(
        "heartbeat_interval_ms", 500, "claim_timeout_ms", 3000, "poll_interval_ms", 100))));
    assertEquals(3000, quick.jobs().claimTimeoutMs());
    assertTrue(error(withNodes(Map.of("jobs", Map.of("heartbeat_interval_ms", 20_000)))).startsWith(
        "miroir.jobs.heartbeat_interval_ms: must be at most half"));
  }

  /** The configuration reference documents every key the loader reads (docs/configuration.md). */
  @Test
  void everyKeyIsDocumented() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("docs/configuration.md"))) {
      root = root.getParent();
    }
    String reference = Files.readString(root.resolve("docs/configuration.md"));
    ConfigLoader loader = new ConfigLoader(Map.of());
    loader.fromTree(minimal());
    assertTrue(loader.keysRead().size() > 25, "keys read: " + loader.keysRead());
    for (String key : loader.keysRead()) {
      String documented = key.startsWith("miroir.nodes") ? "miroir.nodes[]" : key;
      assertTrue(reference.contains("`" + documented + "`"), key + " is not in docs/configuration.md");
    }
  }
}
