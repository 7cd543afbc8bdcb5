package io.miroir;

import io.miroir.config.ConfigException;
import io.miroir.config.ConfigLoader;
import io.miroir.config.MiroirConfig;
import io.miroir.runtime.Miroir;
import io.miroir.cluster.ClusterSetup;
import io.miroir.metrics.MiroirMetrics;
import io.vertx.core.Future;
import io.vertx.core.VertxBuilder;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts one Miroir process: {@code java -jar miroir.jar --config FILE}. */
@Command(name = "miroir", mixinStandardHelpOptions = true, version = "Miroir 0.1.0",
    description = "A Meilisearch-compatible sharding and high-availability layer.")
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(names = "--config", required = true, description = "Path to the YAML configuration file.")
  private Path config;

  @Option(names = "--verticles", split = ",", paramLabel = "NAME",
      description = "Verticles to run in this process (default: all): router, scatter, merger, reconciler, "
          + "sweeper, canary, worker.")
  private java.util.Set<String> verticles = Miroir.ALL_VERTICLES;

  @Option(names = "--cluster", description = "Join a Hazelcast cluster of Miroir processes (needs the Redis store).")
  private boolean cluster;

  @Option(names = "--cluster-config", paramLabel = "FILE",
      description = "Hazelcast XML configuration (default: the config/cluster.xml built into the jar).")
  private Path clusterConfig;

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    java.util.Set<String> unknown = new java.util.TreeSet<>(verticles);
    unknown.removeAll(Miroir.ALL_VERTICLES);
    if (!unknown.isEmpty() || verticles.isEmpty()) {
      System.err.println("--verticles: unknown verticle(s) " + unknown + "; choose from "
          + new java.util.TreeSet<>(Miroir.ALL_VERTICLES));
      return 2;
    }
    MiroirConfig loaded;
    ConfigLoader loader = new ConfigLoader(System.getenv());
    try {
      loaded = loader.load(config);
    } catch (ConfigException e) {
      System.err.println("Invalid configuration: " + e.getMessage());
      return 2;
    }
    String unsafe = unsafeMode(loaded);
    if (unsafe != null) {
      System.err.println("Refusing to start: " + unsafe);
      return 2;
    }
    loader.inactiveSections().forEach(section ->
        LOG.warn("configuration section [{}] is accepted but not active in this version", section));
    MiroirMetrics metrics = new MiroirMetrics();
    VertxBuilder builder = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(vertxMetrics()))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()));
    Future<Vertx> vertx;
    ClusterManager clusterManager = null;
    if (cluster) {
      try {
        clusterManager = ClusterSetup.clusterManager(clusterConfig, System.getenv());
      } catch (java.io.IOException | RuntimeException e) {
        System.err.println("Invalid cluster configuration: " + e.getMessage());
        return 2;
      }
      String host = ClusterSetup.eventBusHost(System.getenv());
      VertxOptions options = new VertxOptions().setMetricsOptions(vertxMetrics());
      if (host != null) {
        options.getEventBusOptions().setHost(host).setClusterPublicHost(host);
      }
      vertx = builder.with(options).withClusterManager(clusterManager).buildClustered();
    } else {
      vertx = Future.succeededFuture(builder.build());
    }
    ClusterManager members = clusterManager;
    vertx.compose(v -> Miroir.start(v, loaded, metrics, verticles, members)
            .onFailure(err -> v.close())
            .onSuccess(m -> {
              LOG.info("Miroir ready: port {}, {} nodes, verticles {}{}", m.port(), loaded.nodes().size(),
                  new java.util.TreeSet<>(verticles), members == null ? "" : ", cluster member "
                      + members.getNodeId());
              Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(m, v), "miroir-shutdown"));
            }))
        .onFailure(err -> {
          LOG.error("Miroir failed to start: {}", err.getMessage(), err);
          flushLogs();
          System.exit(1);
        });
    return 0;
  }

  /**
   * Vert.x's own metrics in the same registry as Miroir's: JVM, worker pools and verticles. Its per-request HTTP,
   * TCP and event-bus meters are off: they duplicate {@code miroir_request_duration_seconds} and
   * {@code miroir_node_request_duration_seconds}, and recording them cost about 6 % of the event loop's CPU per
   * search (docs/benchmarks.md).
   */
  static MicrometerMetricsOptions vertxMetrics() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    for (MetricsDomain domain : List.of(MetricsDomain.HTTP_SERVER, MetricsDomain.HTTP_CLIENT, MetricsDomain.NET_SERVER,
        MetricsDomain.NET_CLIENT, MetricsDomain.EVENT_BUS)) {
      options.addDisabledMetricsCategory(domain);
    }
    return options;
  }

  /**
   * The forced constraints of SPEC §5 that a process can check alone: several processes share state only through
   * Redis, so a cluster member must not use the embedded SQLite store.
   */
  private String unsafeMode(MiroirConfig loaded) {
    if (cluster && loaded.taskStore().sqlite()) {
      return "--cluster needs task_store.backend: redis (every process must share tasks, indexes and leases; "
          + "SQLite is local to one process)";
    }
    return null;
  }

  private static void shutdown(Miroir miroir, Vertx vertx) {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    miroir.stop().eventually(() -> vertx.close()).onComplete(ar -> done.countDown());
    try {
      if (!done.await(15, java.util.concurrent.TimeUnit.SECONDS)) {
        LOG.warn("shutdown did not finish within 15 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushLogs();
  }

  /**
   * Writes the log lines still queued for the logging thread (logback.xml) and stops logging: the last thing a
   * process does before it exits, after everything that may still log.
   */
  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      context.stop();
    }
  }
}
