package io.miroir;

import io.miroir.config.ConfigException;
import io.miroir.config.ConfigLoader;
import io.miroir.config.MiroirConfig;
import io.miroir.runtime.Miroir;
import io.miroir.metrics.MiroirMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
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
      description = "Verticles to run in this process (default: all): router, scatter, merger.")
  private java.util.Set<String> verticles = Miroir.ALL_VERTICLES;

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
    loader.inactiveSections().forEach(section ->
        LOG.warn("configuration section [{}] is accepted but not active in this version", section));
    MiroirMetrics metrics = new MiroirMetrics();
    // Vert.x's own HTTP, pool and JVM metrics land in the same registry as Miroir's.
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .build();
    Miroir.start(vertx, loaded, metrics, verticles)
        .onSuccess(m -> {
          LOG.info("Miroir ready on port {} with {} nodes", m.port(), loaded.nodes().size());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              m.stop().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
              LOG.warn("shutdown incomplete: {}", e.toString());
            }
            vertx.close();
          }, "miroir-shutdown"));
        })
        .onFailure(err -> {
          LOG.error("Miroir failed to start: {}", err.getMessage(), err);
          vertx.close().onComplete(ar -> System.exit(1));
        });
    return 0;
  }
}
