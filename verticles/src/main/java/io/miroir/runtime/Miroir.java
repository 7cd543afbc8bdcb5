package io.miroir.runtime;

import io.miroir.config.MiroirConfig;
import io.miroir.health.HealthMonitor;
import io.miroir.index.IndexService;
import io.miroir.keys.KeyService;
import io.miroir.cluster.Codecs;
import io.miroir.merge.ReservedFields;
import io.miroir.merger.MergerVerticle;
import io.miroir.cluster.Leadership;
import io.miroir.cluster.Ownership;
import io.miroir.node.BusNodeTransport;
import io.miroir.node.SharedTopology;
import io.miroir.rebalance.Rebalancer;
import io.miroir.node.HttpNodeTransport;
import io.miroir.reconciler.ReconcilerVerticle;
import io.miroir.store.FencedWrites;
import io.miroir.store.RedisFencedWrites;
import io.miroir.store.RedisTaskStore;
import io.miroir.store.SqliteFencedWrites;
import io.miroir.sweeper.SweeperVerticle;
import io.miroir.canary.CanaryVerticle;
import io.miroir.store.CanaryStore;
import io.miroir.store.JobQueue;
import io.miroir.store.RedisCanaryStore;
import io.miroir.store.RedisJobQueue;
import io.miroir.store.SqliteCanaryStore;
import io.miroir.worker.EchoJob;
import io.miroir.worker.JobWorkerVerticle;
import io.vertx.core.spi.cluster.ClusterManager;
import io.miroir.node.NodeResponse;
import io.miroir.node.NodeUnreachableException;
import io.miroir.scatter.ScatterVerticle;
import io.miroir.metrics.CoreGauges;
import io.miroir.metrics.MiroirMetrics;
import io.miroir.node.Broadcast;
import io.miroir.node.Fleet;
import io.miroir.router.RouterVerticle;
import io.miroir.settings.SettingsCache;
import io.miroir.store.SqliteTaskStore;
import io.miroir.store.TaskRecord;
import io.miroir.store.TaskStore;
import io.miroir.tasks.TaskService;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bootstraps one Miroir process: the store, the fleet and its health probes, the task ledger with each task type's
 * completion step, key synchronisation, and the HTTP router. The only place that knows how the parts are wired.
 */
public final class Miroir {
  private static final Logger LOG = LoggerFactory.getLogger(Miroir.class);
  private final Services services;
  private final List<String> deploymentIds;
  private final int port;
  private final int metricsPort;
  private final SharedTopology sharedTopology;

  private Miroir(Services services, List<String> deploymentIds, int port, int metricsPort,
      SharedTopology sharedTopology) {
    this.services = services;
    this.deploymentIds = List.copyOf(deploymentIds);
    this.port = port;
    this.metricsPort = metricsPort;
    this.sharedTopology = sharedTopology;
  }

  /** Every verticle of the default deployment. */
  public static final Set<String> ALL_VERTICLES = Set.of("router", "scatter", "merger", "reconciler", "sweeper",
      "canary", "worker");
  /** Cluster-wide map: member id → the verticles that member runs (JSON). */
  public static final String MEMBERS_MAP = "miroir.members";

  /** Starts every verticle, alone, with a metrics registry of its own (Vert.x's metrics then stay out of it). */
  public static Future<Miroir> start(Vertx vertx, MiroirConfig config) {
    return start(vertx, config, new MiroirMetrics(), ALL_VERTICLES, null);
  }

  /**
   * Starts the chosen verticles. The consumers (scatter, merger) are deployed before the router, so the router's
   * first request finds them; the router brings the HTTP server, health probes, task refresh and key
   * synchronisation.
   */
  public static Future<Miroir> start(Vertx vertx, MiroirConfig config, MiroirMetrics metrics,
      Set<String> verticles, ClusterManager cluster) {
    Codecs.register(vertx.eventBus());
    TaskStore store;
    FencedWrites fences;
    CanaryStore canaries;
    JobQueue jobs;
    if (config.taskStore().sqlite()) {
      SqliteTaskStore sqlite = new SqliteTaskStore(vertx, Path.of(config.taskStore().path()));
      store = sqlite;
      fences = new SqliteFencedWrites(sqlite);
      canaries = new SqliteCanaryStore(sqlite);
      jobs = null;
    } else {
      RedisTaskStore redis = new RedisTaskStore(vertx, config.taskStore().url());
      store = redis;
      fences = new RedisFencedWrites(redis.api());
      canaries = new RedisCanaryStore(redis.api());
      jobs = new RedisJobQueue(redis.api(), java.time.Clock.systemUTC(),
          java.time.Duration.ofMillis(config.jobs().claimTimeoutMs()));
    }
    Ownership ownership = cluster == null ? Ownership.single("local") : Ownership.of(cluster);
    Fleet fleet = new Fleet(config, new BusNodeTransport(vertx.eventBus(), verticles.contains("scatter")
        ? new HttpNodeTransport(vertx, config.health().timeoutMs(), metrics) : null));
    KeyService keys = new KeyService(fleet, config.scatter().nodeTimeoutMs());
    HealthMonitor health = new HealthMonitor(vertx, fleet, config.health(), nodeId ->
        keys.synchronize(nodeId).onFailure(err -> LOG.warn("key re-sync of [{}] failed: {}", nodeId,
            err.getMessage())));
    TaskService tasks = new TaskService(vertx, store, fleet, config.tasks(), metrics);
    IndexService indexes = new IndexService(store, fleet, config.shards(), config.scatter().nodeTimeoutMs());
    SettingsCache settings = new SettingsCache(fleet);
    Bus bus = new Bus(vertx.eventBus(), verticles.contains("merger"), config.scatter().nodeTimeoutMs());
    Services services = new Services(vertx, config, fleet, store, tasks, indexes, settings, health, keys,
        metrics, bus, ownership, verticles);
    CoreGauges.register(metrics, fleet, config.shards(), ownership, config.server().maxConcurrentRequests());
    AtomicReference<Leadership> leadership = new AtomicReference<>();
    metrics.gauge("miroir_leader", "1 while this process leads the scope", io.micrometer.core.instrument.Tags.of(
        "scope", ReconcilerVerticle.REBALANCER), () -> leadership.get() != null && leadership.get().leading() ? 1 : 0);
    registerCompletionSteps(services);
    List<String> deployments = new ArrayList<>();
    Future<Void> consumers = Future.succeededFuture();
    if (verticles.contains("scatter")) {
      consumers = consumers.compose(v -> vertx.deployVerticle(new ScatterVerticle(config.health().timeoutMs(),
          metrics)).map(id -> record(deployments, id)));
    }
    if (verticles.contains("merger")) {
      consumers = consumers.compose(v -> vertx.deployVerticle(new MergerVerticle()).map(id -> record(deployments,
          id)));
    }
    SharedTopology sharedTopology = new SharedTopology(vertx, store, fleet, config.health().intervalMs());
    Rebalancer rebalancer = new Rebalancer(services, fences, ownership.self());
    consumers = consumers.compose(v -> store.init()).compose(v -> sharedTopology.start())
        .compose(v -> announce(vertx, ownership, verticles));
    if (verticles.contains("reconciler")) {
      consumers = consumers.compose(v -> vertx.deployVerticle(new ReconcilerVerticle(ownership.self(), fences,
          leadership, rebalancer)).map(id -> record(deployments, id)));
    }
    if (verticles.contains("sweeper")) {
      consumers = consumers.compose(v -> vertx.deployVerticle(new SweeperVerticle(store, ownership,
          config.tasks().retentionDays(), 3_600_000L)).map(id -> record(deployments, id)));
    }
    if (verticles.contains(CanaryVerticle.NAME)) {
      consumers = consumers.compose(v -> canaries.init()).compose(v -> vertx.deployVerticle(new CanaryVerticle(
          services, canaries)).map(id -> record(deployments, id)));
    }
    if (verticles.contains(JobWorkerVerticle.NAME) && jobs != null) {
      // The Mode C queue lives in Redis; a single process on SQLite has no queue and no worker.
      String pod = System.getenv().getOrDefault("POD_NAME", ownership.self());
      consumers = consumers.compose(v -> vertx.deployVerticle(new JobWorkerVerticle(jobs, config.jobs(),
          ownership.self(), Map.of(EchoJob.TYPE, new EchoJob(ownership.self(), pod))))
          .map(id -> record(deployments, id)));
    }
    if (!verticles.contains("router")) {
      return consumers.compose(v -> startMetricsServer(services))
          .map(metricsPort -> new Miroir(services, deployments, -1, metricsPort, sharedTopology));
    }
    AtomicReference<RouterVerticle> router = new AtomicReference<>();
    return consumers
        .compose(v -> initialProbe(services))
        .compose(v -> keys.synchronize().otherwise(err -> null))
        .compose(v -> vertx.deployVerticle(() -> {
          RouterVerticle verticle = new RouterVerticle(services);
          router.set(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(1)))
        .map(id -> record(deployments, id))
        .compose(v -> startMetricsServer(services).map(metricsPort -> {
          health.start();
          tasks.start();
          return new Miroir(services, deployments, router.get().actualPort(), metricsPort, sharedTopology);
        }));
  }

  /** Records in the cluster-wide member map which verticles this process runs. */
  private static Future<Void> announce(Vertx vertx, Ownership ownership, Set<String> verticles) {
    JsonObject entry = new JsonObject().put("verticles", new JsonArray(new ArrayList<>(new java.util.TreeSet<>(
        verticles)))).put("pod", System.getenv().getOrDefault("POD_NAME", ownership.self()))
        .put("started", Instant.now().toString());
    return vertx.sharedData().<String, String>getAsyncMap(MEMBERS_MAP)
        .compose(map -> map.put(ownership.self(), entry.encode()));
  }

  private static Void record(List<String> deployments, String id) {
    deployments.add(id);
    return null;
  }

  /** The unauthenticated Prometheus endpoint on its own port; -1 when disabled. */
  private static Future<Integer> startMetricsServer(Services services) {
    MiroirConfig.MetricsConfig config = services.config().metrics();
    if (!config.enabled()) {
      return Future.succeededFuture(-1);
    }
    return services.vertx().createHttpServer()
        .requestHandler(req -> {
          if ("/metrics".equals(req.path())) {
            req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(services.metrics().scrape());
          } else {
            req.response().setStatusCode(404).end();
          }
        })
        .listen(config.port(), config.bind())
        .map(io.vertx.core.http.HttpServer::actualPort);
  }

  /**
   * One probe of every node before serving, so the first requests already avoid nodes that are certainly down (the
   * connection is refused); a merely slow first answer is left to the health monitor's thresholds.
   */
  private static Future<Void> initialProbe(Services services) {
    List<Future<NodeResponse>> probes = new ArrayList<>();
    var nodes = services.fleet().topology().nodes();
    for (var node : nodes) {
      probes.add(services.fleet().client(node.id()).send(HttpMethod.GET, "/health", null, null,
          services.config().health().timeoutMs()));
    }
    return Future.join(probes).transform(ignored -> {
      for (int i = 0; i < nodes.size(); i++) {
        String id = nodes.get(i).id();
        Future<NodeResponse> probe = probes.get(i);
        if (probe.succeeded() && probe.result().ok()) {
          services.fleet().recordSeen(id, System.currentTimeMillis());
        } else if (probe.failed() && probe.cause() instanceof NodeUnreachableException u && u.refused()) {
          services.health().markFailed(id, "connection refused at start-up");
        }
      }
      return Future.succeededFuture();
    });
  }

  private static void registerCompletionSteps(Services s) {
    s.tasks().onSucceeded("indexDeletion", task -> {
      s.settings().invalidate(task.indexUid());
      return s.indexes().forget(task.indexUid()).map(task);
    });
    s.tasks().onSucceeded("indexUpdate", task -> {
      s.settings().invalidate(task.indexUid());
      Object newUid = task.meta().getValue("newUid");
      Object primaryKey = task.meta().getValue("primaryKey");
      Future<Void> pk = primaryKey instanceof String key
          ? s.indexes().updatePrimaryKeyRecord(task.indexUid(), key) : Future.succeededFuture();
      return pk.compose(v -> newUid instanceof String to ? s.indexes().rename(task.indexUid(), to)
          : Future.succeededFuture()).map(task);
    });
    s.tasks().onSucceeded("indexSwap", task -> {
      JsonArray swaps = task.meta().getJsonArray("swaps", new JsonArray());
      Future<Void> chain = Future.succeededFuture();
      for (Object swap : swaps) {
        JsonObject entry = (JsonObject) swap;
        JsonArray pair = entry.getJsonArray("indexes");
        String a = pair.getString(0);
        String b = pair.getString(1);
        s.settings().invalidate(a);
        s.settings().invalidate(b);
        chain = chain.compose(v -> entry.getBoolean("rename", false) ? s.indexes().rename(a, b)
            : s.indexes().swap(a, b));
      }
      return chain.map(task);
    });
    s.tasks().onSucceeded("settingsUpdate", task -> verifySettings(s, task));
    s.tasks().onSucceeded("taskCancelation", task -> Future.succeededFuture(withDetail(task, "canceledTasks",
        task.meta().getInteger("canceledTasks", 0))));
  }

  /**
   * Reads the settings back from every node and compares them; a node that disagrees turns the task into a
   * failure naming it (SPEC §2.1).
   */
  private static Future<TaskRecord> verifySettings(Services s, TaskRecord task) {
    s.settings().invalidate(task.indexUid());
    String path = "/indexes/" + io.miroir.node.NodeClient.encodePath(task.indexUid()) + "/settings";
    return Broadcast.send(s.fleet().servingNodes(), HttpMethod.GET, path, null, null,
        s.config().scatter().nodeTimeoutMs()).map(out -> {
          JsonObject reference = null;
          String referenceNode = null;
          List<String> disagreeing = new ArrayList<>();
          for (Map.Entry<String, io.miroir.node.NodeResponse> e : out.responses().entrySet()) {
            if (!e.getValue().ok()) {
              continue;
            }
            JsonObject settings = e.getValue().json();
            if (reference == null) {
              reference = settings;
              referenceNode = e.getKey();
            } else if (!reference.equals(settings)) {
              disagreeing.add(e.getKey());
            }
          }
          if (disagreeing.isEmpty()) {
            return task;
          }
          JsonObject error = io.miroir.meili.MeiliException.errorBody("miroir_settings_diverged", "After the update "
              + "the settings of nodes " + disagreeing + " differ from those of node `" + referenceNode + "`.");
          return new TaskRecord(task.uid(), task.batchUid(), task.indexUid(), "failed", task.type(),
              task.canceledBy(), task.details(), error, task.enqueuedAt(), task.startedAt(),
              task.finishedAt() == null ? Instant.now() : task.finishedAt(), task.nodeTasks(), task.meta());
        });
  }

  private static TaskRecord withDetail(TaskRecord task, String key, Object value) {
    JsonObject details = task.details() == null ? new JsonObject() : task.details().copy();
    details.put(key, value);
    return new TaskRecord(task.uid(), task.batchUid(), task.indexUid(), task.status(), task.type(),
        task.canceledBy(), details, task.error(), task.enqueuedAt(), task.startedAt(), task.finishedAt(),
        task.nodeTasks(), task.meta());
  }

  public int port() {
    return port;
  }

  /** The metrics port, or -1 when the metrics server is disabled. */
  public int metricsPort() {
    return metricsPort;
  }

  public Services services() {
    return services;
  }

  public Future<Void> stop() {
    sharedTopology.stop();
    services.health().stop();
    services.tasks().stop();
    Future<Void> undeployed = Future.succeededFuture();
    for (int i = deploymentIds.size() - 1; i >= 0; i--) {
      String id = deploymentIds.get(i);
      undeployed = undeployed.compose(v -> services.vertx().undeploy(id));
    }
    return undeployed.compose(v -> services.store().close());
  }

  static List<String> reserved() {
    return List.of(ReservedFields.SHARD);
  }
}
