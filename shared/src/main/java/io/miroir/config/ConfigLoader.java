package io.miroir.config;

import io.miroir.canary.Canary;
import io.miroir.canary.InvalidCanaryException;
import io.miroir.config.MiroirConfig.AdminConfig;
import io.miroir.config.MiroirConfig.HealthConfig;
import io.miroir.config.MiroirConfig.NodeConfig;
import io.miroir.config.MiroirConfig.ScatterConfig;
import io.miroir.config.MiroirConfig.ServerConfig;
import io.miroir.config.MiroirConfig.TaskStoreConfig;
import io.miroir.config.MiroirConfig.TasksConfig;
import io.miroir.config.MiroirConfig.UnavailableShardPolicy;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the one YAML file of D11 into a {@link MiroirConfig}: applies defaults, takes secrets from the environment
 * ({@code MIROIR_MASTER_KEY}, {@code MIROIR_NODE_MASTER_KEY}, {@code MIROIR_ADMIN_API_KEY}) and fails on the first
 * bad or unknown key with its dotted path.
 */
public final class ConfigLoader {
  /**
   * Sections of SPEC §7 for capabilities this version does not run yet. They are accepted so that one config file
   * serves every version, and reported at start-up as inactive.
   */
  public static final Set<String> INACTIVE_SECTIONS = Set.of("connection_pool_per_node",
      "task_registry", "peer_discovery", "leader_election", "tracing", "resharding", "hedging", "replica_selection",
      "query_planner", "settings_broadcast", "settings_drift_check", "session_pinning", "aliases", "anti_entropy",
      "dump_import", "idempotency", "query_coalescing", "vector_search", "cdc", "ttl",
      "tenant_affinity", "shadow", "rollover_policies", "ilm", "admin_ui", "explain", "search_ui");

  private final Map<String, String> env;
  private final List<String> inactiveSections = new ArrayList<>();
  /** Every dotted key the last load looked up, present or defaulted: the configuration's full key set. */
  private final Set<String> keysRead = new java.util.TreeSet<>();

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Sections found in the last loaded file that this version accepts but does not act on. */
  public List<String> inactiveSections() {
    return List.copyOf(inactiveSections);
  }

  /**
   * Every leaf key the last load looked up, with node entries folded to {@code miroir.nodes[]}: the list the
   * configuration reference must document.
   */
  public Set<String> keysRead() {
    return Set.copyOf(keysRead);
  }

  public MiroirConfig load(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      return fromTree(root == null ? Map.of() : root);
    } catch (IOException e) {
      throw new ConfigException("config", "cannot read [" + file + "]: " + e.getMessage());
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new ConfigException("config", "invalid YAML in [" + file + "]: " + e.getMessage());
    }
  }

  public MiroirConfig fromTree(Object root) {
    Section top = new Section("", asMap("(root)", root));
    Section m = top.section("miroir");
    for (String key : top.keys()) {
      if (key.equals("multi_search")) {
        throw new ConfigException("multi_search", "this section is active and lives under miroir: write it as "
            + "miroir.multi_search");
      }
      if (!key.equals("miroir")) {
        acceptInactive(key, key);
      }
    }
    String masterKey = secret(m, "master_key", "MIROIR_MASTER_KEY");
    String nodeMasterKey = secret(m, "node_master_key", "MIROIR_NODE_MASTER_KEY");
    int shards = m.intValue("shards", 64, 1, 65_536);
    int rf = m.intValue("replication_factor", 1, 1, 16);
    int rg = m.intValue("replica_groups", 1, 1, 64);
    List<NodeConfig> nodes = nodes(m, rg);
    for (int g = 0; g < rg; g++) {
      int group = g;
      long inGroup = nodes.stream().filter(n -> n.replicaGroup() == group).count();
      if (inGroup < rf) {
        throw new ConfigException("miroir.nodes", "replica group [" + g + "] has " + inGroup
            + " node(s), fewer than replication_factor [" + rf + "]");
      }
    }

    Section ts = m.section("task_store");
    String backend = ts.enumValue("backend", "sqlite", Set.of("sqlite", "redis"));
    TaskStoreConfig taskStore = new TaskStoreConfig(backend, ts.string("path", "./.data/miroir-tasks.db"),
        ts.string("url", ""));
    if (!taskStore.sqlite() && taskStore.url().isBlank()) {
      throw new ConfigException("miroir.task_store.url", "required when backend is [redis]");
    }
    ts.done();

    Section admin = m.section("admin");
    AdminConfig adminConfig = new AdminConfig(secret(admin, "api_key", "MIROIR_ADMIN_API_KEY"));
    admin.done();

    Section h = m.section("health");
    HealthConfig health = new HealthConfig(h.longValue("interval_ms", 5000, 10, 3_600_000),
        h.longValue("timeout_ms", 2000, 10, 600_000), h.intValue("unhealthy_threshold", 3, 1, 1000),
        h.intValue("recovery_threshold", 2, 1, 1000));
    h.done();

    Section sc = m.section("scatter");
    ScatterConfig scatter = new ScatterConfig(sc.longValue("node_timeout_ms", 5000, 10, 3_600_000),
        sc.bool("retry_on_timeout", true),
        UnavailableShardPolicy.valueOf(sc.enumValue("unavailable_shard_policy", "partial", Set.of("partial", "error"))
            .toUpperCase(Locale.ROOT)));
    sc.done();

    Section sv = m.section("server");
    ServerConfig server = new ServerConfig(sv.intValue("port", 7700, 0, 65_535), sv.string("bind", "0.0.0.0"),
        sv.longValue("max_body_bytes", 104_857_600L, 1024, Long.MAX_VALUE),
        sv.intValue("max_concurrent_requests", 500, 1, 1_000_000),
        sv.longValue("request_timeout_ms", 30_000, 100, 3_600_000));
    sv.done();
    if (scatter.nodeTimeoutMs() >= server.requestTimeoutMs()) {
      throw new ConfigException("miroir.scatter.node_timeout_ms", "must be below server.request_timeout_ms ["
          + server.requestTimeoutMs() + "]");
    }

    Section tk = m.section("tasks");
    TasksConfig tasks = new TasksConfig(tk.longValue("poll_interval_ms", 500, 10, 600_000),
        tk.intValue("retention_days", 7, 1, 3650));
    tk.done();

    Section mt = m.section("metrics");
    MiroirConfig.MetricsConfig metrics = new MiroirConfig.MetricsConfig(mt.bool("enabled", true),
        mt.intValue("port", 9090, 0, 65_535), mt.string("bind", "0.0.0.0"));
    mt.done();

    Section rb = m.section("rebalancer");
    MiroirConfig.RebalancerConfig rebalancer = new MiroirConfig.RebalancerConfig(
        rb.bool("auto_rebalance_on_recovery", true),
        rb.intValue("max_concurrent_migrations", 4, 1, 256),
        rb.longValue("migration_timeout_s", 3600, 1, 7 * 86_400),
        rb.intValue("page_size", 1000, 1, 10_000),
        rb.longValue("max_docs_per_second", 0, 0, 100_000_000),
        rb.longValue("cleanup_delay_ms", 5000, 0, 3_600_000));
    rb.done();
    Section ms = m.section("multi_search");
    MiroirConfig.MultiSearchConfig multiSearch = new MiroirConfig.MultiSearchConfig(
        ms.intValue("max_queries_per_batch", 100, 1, 100_000), ms.longValue("total_timeout_ms", 30_000, 10, 3_600_000),
        ms.longValue("per_query_timeout_ms", 30_000, 10, 3_600_000));
    ms.done();
    List<Canary> canaries = canaries(m);
    Section cr = m.section("canary_runner");
    MiroirConfig.CanaryRunnerConfig canaryRunner = new MiroirConfig.CanaryRunnerConfig(
        cr.intValue("max_concurrent_canaries", 10, 1, 1000), cr.intValue("run_history_per_canary", 100, 1, 10_000),
        cr.bool("emit_results_to_cdc", true));
    cr.done();

    Section jb = m.section("jobs");
    MiroirConfig.JobsConfig jobs = new MiroirConfig.JobsConfig(jb.longValue("heartbeat_interval_ms", 10_000, 10,
        3_600_000), jb.longValue("claim_timeout_ms", 30_000, 20, 86_400_000),
        jb.longValue("poll_interval_ms", 1000, 10, 3_600_000));
    jb.done();
    if (jobs.heartbeatIntervalMs() * 2 > jobs.claimTimeoutMs()) {
      throw new ConfigException("miroir.jobs.heartbeat_interval_ms", "must be at most half of jobs.claim_timeout_ms ["
          + jobs.claimTimeoutMs() + "], so one late heartbeat does not lose the claim");
    }

    for (String key : m.unread()) {
      acceptInactive("miroir." + key, key);
    }
    return new MiroirConfig(masterKey, nodeMasterKey, shards, rf, rg, nodes, taskStore, adminConfig, health, scatter,
        server, tasks, metrics, rebalancer, multiSearch, canaries, canaryRunner, jobs);
  }

  /** {@code miroir.canaries}: canary definitions (SPEC §13.18), validated as the admin API validates them. */
  private List<Canary> canaries(Section m) {
    Object raw = m.raw("canaries");
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      throw new ConfigException("miroir.canaries", "must be a list of canary definitions");
    }
    List<Canary> canaries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "miroir.canaries[" + i + "]";
      Canary canary;
      try {
        canary = Canary.fromMap(asMap(path, list.get(i)));
      } catch (InvalidCanaryException e) {
        throw new ConfigException(path + "." + e.field(), e.reason());
      }
      if (!names.add(canary.name())) {
        throw new ConfigException(path + ".name", "duplicate canary name [" + canary.name() + "]");
      }
      canaries.add(canary);
    }
    return canaries;
  }

  private void acceptInactive(String path, String key) {
    if (!INACTIVE_SECTIONS.contains(key)) {
      throw new ConfigException(path, "unknown key");
    }
    inactiveSections.add(path);
  }

  private String secret(Section s, String key, String envName) {
    String fromEnv = env.get(envName);
    String fromFile = s.string(key, "");
    return fromEnv != null && !fromEnv.isEmpty() ? fromEnv : fromFile;
  }

  private List<NodeConfig> nodes(Section m, int rg) {
    Object raw = m.raw("nodes");
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw new ConfigException("miroir.nodes", "at least one node is required");
    }
    List<NodeConfig> nodes = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "miroir.nodes[" + i + "]";
      Section n = new Section(path, asMap(path, list.get(i)));
      String id = n.string("id", null);
      if (id == null || id.isBlank() || !id.matches("[A-Za-z0-9._-]+")) {
        throw new ConfigException(path + ".id", "required, letters, digits, '.', '_' or '-' only, got [" + id + "]");
      }
      if (!ids.add(id)) {
        throw new ConfigException(path + ".id", "duplicate node id [" + id + "]");
      }
      String address = n.string("address", null);
      if (address == null || !validHttpUrl(address)) {
        throw new ConfigException(path + ".address", "must be an http(s) URL, got [" + address + "]");
      }
      int group = n.intValue("replica_group", 0, 0, rg - 1);
      n.done();
      nodes.add(new NodeConfig(id, stripSlash(address), group));
    }
    return nodes;
  }

  private static boolean validHttpUrl(String address) {
    try {
      URI uri = URI.create(address);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String stripSlash(String address) {
    return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(String path, Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return copy;
    }
    throw new ConfigException(path.isEmpty() ? "(root)" : path, "must be a mapping");
  }

  /** A mapping being read; tracks which keys were consumed so leftovers can be reported. */
  private final class Section {
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> read = new HashSet<>();

    Section(String path, Map<String, Object> values) {
      this.path = path;
      this.values = values;
    }

    Set<String> keys() {
      return values.keySet();
    }

    String key(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }

    Object raw(String name) {
      read.add(name);
      keysRead.add(key(name).replaceAll("\\[\\d+\\]", "[]"));
      return values.get(name);
    }

    Section section(String name) {
      read.add(name);
      Object v = values.get(name);
      return new Section(key(name), v == null ? Map.of() : asMap(key(name), v));
    }

    String string(String name, String dflt) {
      Object v = raw(name);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Map || v instanceof List) {
        throw new ConfigException(key(name), "must be a string");
      }
      return String.valueOf(v);
    }

    boolean bool(String name, boolean dflt) {
      Object v = raw(name);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      throw new ConfigException(key(name), "must be true or false, got [" + v + "]");
    }

    long longValue(String name, long dflt, long min, long max) {
      Object v = raw(name);
      if (v == null) {
        return dflt;
      }
      if (!(v instanceof Number n) || v instanceof Double || v instanceof Float) {
        throw new ConfigException(key(name), "must be an integer, got [" + v + "]");
      }
      long value = n.longValue();
      if (value < min || value > max) {
        throw new ConfigException(key(name), "must be between " + min + " and " + max + ", got [" + value + "]");
      }
      return value;
    }

    int intValue(String name, int dflt, int min, int max) {
      return (int) longValue(name, dflt, min, max);
    }

    String enumValue(String name, String dflt, Set<String> allowed) {
      String v = string(name, dflt);
      if (!allowed.contains(v)) {
        throw new ConfigException(key(name), "must be one of " + new java.util.TreeSet<>(allowed) + ", got [" + v
            + "]");
      }
      return v;
    }

    List<String> unread() {
      List<String> left = new ArrayList<>();
      for (String k : values.keySet()) {
        if (!read.contains(k)) {
          left.add(k);
        }
      }
      return left;
    }

    /** Fails on the first key nobody read: a typo must not be silently ignored. */
    void done() {
      List<String> left = unread();
      if (!left.isEmpty()) {
        throw new ConfigException(key(left.get(0)), "unknown key");
      }
    }
  }
}
