package io.miroir.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Miroir's core metrics (SPEC §8.2), all prefixed {@code miroir_}, on one Prometheus registry that Vert.x's own
 * metrics share. Labels are bounded: route templates rather than paths, node ids, operation classes and statuses.
 */
public final class MiroirMetrics {
  private static final Duration[] SLO = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(5), Duration.ofSeconds(10)};
  private final PrometheusMeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong oldestUnfinishedTaskAgeSeconds = new AtomicLong();
  private final AtomicLong taskRegistrySize = new AtomicLong();
  private final DistributionSummary fanOut;
  private final Counter partialResponses;
  private final Counter scatterRetries;
  private final Counter twoPhaseFilled;
  private final Counter twoPhaseRepeated;
  /** Meters looked up once per label set: building and registering a meter per request costs more than using it. */
  private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
  private final Map<RequestKey, Counter> requestCounters = new ConcurrentHashMap<>();
  private final Map<RequestKey, Timer> nodeTimers = new ConcurrentHashMap<>();

  private record RequestKey(String a, String b, int c) {
  }

  public MiroirMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MiroirMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("miroir_requests_in_flight", inFlight, AtomicInteger::get)
        .description("Client requests being served").register(registry);
    Gauge.builder("miroir_task_processing_age_seconds", oldestUnfinishedTaskAgeSeconds, AtomicLong::get)
        .description("Age of the oldest unfinished task").register(registry);
    Gauge.builder("miroir_task_registry_size", taskRegistrySize, AtomicLong::get)
        .description("Tasks held in the task store").register(registry);
    fanOut = DistributionSummary.builder("miroir_scatter_fan_out_size")
        .description("Nodes asked by one scattered read").register(registry);
    partialResponses = Counter.builder("miroir_scatter_partial_responses_total")
        .description("Reads answered without some shard").register(registry);
    scatterRetries = Counter.builder("miroir_scatter_retries_total")
        .description("Reads planned again after a node refused").register(registry);
    twoPhaseFilled = Counter.builder("miroir_scatter_two_phase_total").tag("outcome", "filled")
        .description("Deep windows fetched in two phases: filled, or repeated in one phase").register(registry);
    twoPhaseRepeated = Counter.builder("miroir_scatter_two_phase_total").tag("outcome", "repeated")
        .description("Deep windows fetched in two phases: filled, or repeated in one phase").register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public void requestStarted() {
    inFlight.incrementAndGet();
  }

  /** One finished client request, labelled by its route template ({@code /indexes/:indexUid/search}). */
  public void requestFinished(String method, String pathTemplate, int status, long nanos) {
    inFlight.decrementAndGet();
    RequestKey key = new RequestKey(method, pathTemplate, status);
    requestTimers.computeIfAbsent(key, k -> Timer.builder("miroir_request_duration_seconds").tags(requestTags(k))
        .serviceLevelObjectives(SLO).description("Client request latency").register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    requestCounters.computeIfAbsent(key, k -> registry.counter("miroir_requests_total", requestTags(k))).increment();
  }

  private static Tags requestTags(RequestKey k) {
    return Tags.of("method", k.a(), "path_template", k.b(), "status", String.valueOf(k.c()));
  }

  /** One call to a node; {@code errorType} is null when it answered. */
  public void nodeCall(String nodeId, String operation, long nanos, String errorType) {
    nodeTimers.computeIfAbsent(new RequestKey(nodeId, operation, 0), k ->
        Timer.builder("miroir_node_request_duration_seconds").tags("node_id", k.a(), "operation", k.b())
            .serviceLevelObjectives(SLO).description("Latency of calls to Meilisearch nodes").register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (errorType != null) {
      registry.counter("miroir_node_errors_total", "node_id", nodeId, "error_type", errorType).increment();
    }
  }

  public void scattered(int nodes, boolean partial) {
    fanOut.record(nodes);
    if (partial) {
      partialResponses.increment();
    }
  }

  public void scatterRetried() {
    scatterRetries.increment();
  }

  /** A deep window fetched in two phases was filled ({@code true}) or had to be asked again in one phase. */
  public void twoPhase(boolean filled) {
    (filled ? twoPhaseFilled : twoPhaseRepeated).increment();
  }

  /**
   * Creates the labelled counters at zero, so dashboards and alerts see every series before its first event:
   * task statuses, and each node's error types.
   */
  public void preRegister(java.util.List<String> nodeIds) {
    for (String status : java.util.List.of("enqueued", "processing", "succeeded", "failed", "canceled")) {
      registry.counter("miroir_tasks_total", "status", status);
    }
    for (String node : nodeIds) {
      for (String type : java.util.List.of("refused", "unreachable", "status_5xx")) {
        registry.counter("miroir_node_errors_total", "node_id", node, "error_type", type);
      }
    }
  }

  public void taskRecorded(String status) {
    registry.counter("miroir_tasks_total", "status", status).increment();
  }

  public void taskBacklog(long oldestAgeSeconds, long storedTasks) {
    oldestUnfinishedTaskAgeSeconds.set(oldestAgeSeconds);
    taskRegistrySize.set(storedTasks);
  }

  /** Creates a canary's series at zero, so an alert on failures sees the canary before its first run. */
  public void canaryDefined(String canary) {
    for (String result : java.util.List.of("pass", "fail", "error")) {
      registry.counter("miroir_canary_runs_total", "canary", canary, "result", result);
    }
    canaryLatency(canary);
  }

  /**
   * One canary run (SPEC §13.18): its result ({@code pass}, {@code fail}, {@code error}), its latency and the types
   * of the assertions that did not hold. Only the process that ran it counts it, so sums over pods are exact.
   */
  public void canaryRun(String canary, String result, long latencyMs, java.util.List<String> failedAssertionTypes) {
    registry.counter("miroir_canary_runs_total", "canary", canary, "result", result).increment();
    canaryLatency(canary).record(latencyMs);
    for (String type : failedAssertionTypes) {
      registry.counter("miroir_canary_assertion_failures_total", "canary", canary, "assertion_type", type)
          .increment();
    }
  }

  private DistributionSummary canaryLatency(String canary) {
    return DistributionSummary.builder("miroir_canary_latency_ms").tags("canary", canary)
        .serviceLevelObjectives(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
        .description("Latency of canary searches through Miroir's search path, in milliseconds").register(registry);
  }

  /** A gauge read from {@code value} at every scrape. */
  public void gauge(String name, String description, Tags tags, Supplier<Number> value) {
    Gauge.builder(name, value).tags(tags).description(description).register(registry);
  }

  /** Classifies a node call by what it does, so labels stay few whatever the index names. */
  public static String operationOf(String method, String path) {
    String p = path.split("\\?", 2)[0];
    if (p.endsWith("/search") || p.endsWith("/facet-search") || p.endsWith("/multi-search")) {
      return "search";
    }
    if (p.startsWith("/tasks")) {
      return "tasks";
    }
    if (p.startsWith("/keys")) {
      return "keys";
    }
    if (p.equals("/health")) {
      return "health";
    }
    if (p.contains("/settings")) {
      return "settings";
    }
    if (p.contains("/documents")) {
      return "GET".equals(method) || p.endsWith("/fetch") ? "documents_read" : "documents_write";
    }
    if (p.contains("/stats") || p.equals("/stats")) {
      return "stats";
    }
    return "indexes";
  }
}
