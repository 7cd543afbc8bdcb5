package io.miroir.rebalance;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.miroir.cluster.Addresses;
import io.miroir.config.MiroirConfig;
import io.miroir.routing.MovePlan;
import io.miroir.runtime.Services;
import io.miroir.store.Fence;
import io.miroir.store.FencedWrites;
import io.miroir.store.IndexMeta;
import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the data in line with the topology (SPEC §3.2, §3.3, D4), in the process that leads the {@code rebalancer}
 * scope. A run plans from one snapshot ({@link MovePlan}): prepares the targets (keys, indexes, settings), copies
 * every shard a node must receive, repeats the copies as delta passes until one finds nothing to change, switches
 * the routing (the cutover, a compare-and-set of the shared topology), then deletes moved shards from their old
 * owners after {@code cleanup_delay_ms}.
 *
 * <p>Writes keep going to old and new owners throughout (the topology's write targets cover both placements), and
 * reads stay on the old owners until the cutover, so searches stay complete during a move. Copies are idempotent,
 * so a run that fails, or a new leader after the old one died, simply starts again: documents already copied are
 * compared, not copied twice. The status of the run is written to the store under the leader's fence (a deposed
 * leader can neither report nor cut over) and published on {@code miroir.events.rebalance.progressed}.
 */
public final class Rebalancer {
  public static final String STATUS_KEY = "rebalance:status";
  /** Published by {@code POST /_miroir/rebalance} on any process; the leader runs on it. */
  public static final String REQUEST_ADDRESS = "miroir.reconciler.rebalance";
  private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);
  private static final int MAX_DELTA_PASSES = 3;
  private static final long CHECK_MS = 2_000;
  private static final long RETRY_MS = 5_000;
  private final Services services;
  private final FencedWrites fences;
  private final MiroirConfig.RebalancerConfig config;
  private final NodeTasks tasks;
  private final ShardCopier copier;
  private final TargetPreparer preparer;
  private final String memberId;
  private final Timer duration;
  private volatile Fence fence;
  private volatile boolean running;
  private volatile boolean again;
  private volatile boolean explicit;
  private volatile long retryAfter;
  private volatile Run run;
  private volatile JsonObject lastRun;
  private volatile JsonObject lastIdle;
  private long checkTimer = -1;
  private long progressTimer = -1;

  public Rebalancer(Services services, FencedWrites fences, String memberId) {
    this.services = services;
    this.fences = fences;
    this.config = services.config().rebalancer();
    this.memberId = memberId;
    this.tasks = new NodeTasks(services.vertx(), config.migrationTimeoutS() * 1000);
    this.copier = new ShardCopier(services, tasks, config);
    this.preparer = new TargetPreparer(services, tasks);
    services.metrics().gauge("miroir_rebalance_in_progress", "1 while this process moves shards", Tags.empty(),
        () -> running ? 1 : 0);
    services.metrics().registry().counter("miroir_rebalance_documents_migrated_total");
    this.duration = Timer.builder("miroir_rebalance_duration_seconds").description("Duration of rebalance runs")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100))
        .maximumExpectedValue(Duration.ofHours(4)).register(services.metrics().registry());
  }

  /** Starts leading with {@code leaderFence}: watches the topology and runs whenever there is work. */
  public void lead(Fence leaderFence) {
    this.fence = leaderFence;
    var vertx = services.vertx();
    if (checkTimer < 0) {
      checkTimer = vertx.setPeriodic(CHECK_MS, CHECK_MS, id -> check());
      services.fleet().onChange((before, after) -> {
        if (fence != null) {
          vertx.runOnContext(v -> check());
        }
        Run current = run;
        if (current != null) {
          for (Node n : after.nodes()) {
            Node was = before.node(n.id()).orElse(null);
            if (n.failed() && (was == null || !was.failed())) {
              current.failedDuringRun.add(n.id());
            }
          }
        }
      });
      vertx.eventBus().<String>consumer(REQUEST_ADDRESS, msg -> {
        explicit = true;
        retryAfter = 0;
        check();
      });
    }
    check();
  }

  public void stop() {
    fence = null;
    if (checkTimer >= 0) {
      services.vertx().cancelTimer(checkTimer);
    }
  }

  /** Whether this process is moving shards now. */
  public boolean running() {
    return running;
  }

  private void check() {
    if (fence == null || System.currentTimeMillis() < retryAfter) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    boolean asked = explicit;
    explicit = false;
    services.store().listIndexes().compose(indexes -> {
      List<MovePlan.IndexShards> shards = indexes.stream()
          .map(m -> new MovePlan.IndexShards(m.uid(), m.shards())).toList();
      MovePlan plan = MovePlan.of(services.fleet().topology(), shards, config.autoRebalanceOnRecovery() || asked);
      if (plan.isEmpty()) {
        return publishIdle(plan);
      }
      return execute(plan, indexes);
    }).onComplete(ar -> {
      running = false;
      run = null;
      stopProgress();
      if (ar.failed()) {
        LOG.warn("rebalance run failed, retrying in {} ms: {}", RETRY_MS, ar.cause().toString());
        retryAfter = System.currentTimeMillis() + RETRY_MS;
      }
      if (again || ar.succeeded() && Boolean.TRUE.equals(ar.result())) {
        services.vertx().setTimer(50, id -> check());
      }
    });
  }

  /** The state of one run, shared with the status endpoint. */
  private final class Run {
    final String id = UUID.randomUUID().toString();
    final Instant startedAt = Instant.now();
    final MovePlan plan;
    final List<CopyProgress> copies = new ArrayList<>();
    final Set<String> failedDuringRun = ConcurrentHashMap.newKeySet();
    volatile String phase = "preparing";
    volatile String error;
    /** Set when the run timed out: its remaining steps fail instead of running beside the next run. */
    volatile boolean abandoned;

    Run(MovePlan plan) {
      this.plan = plan;
      plan.copies().forEach(c -> copies.add(new CopyProgress(c)));
    }

    JsonObject toJson() {
      JsonArray moves = new JsonArray();
      long copied = 0;
      long total = 0;
      double rate = 0;
      int done = 0;
      double fraction = 0;
      for (CopyProgress p : copies) {
        moves.add(p.toJson());
        copied += p.read;
        total += Math.max(0, p.total);
        rate += p.finishedAt == null ? p.rate() : 0;
        if (p.finishedAt != null) {
          done++;
          fraction += 1;
        } else if (p.total > 0) {
          fraction += Math.min(1.0, (double) p.read / p.total);
        }
      }
      double progress = copies.isEmpty() ? 1 : fraction / copies.size();
      JsonObject totals = new JsonObject().put("shards", copies.size()).put("shards_done", done)
          .put("progress", Math.round(progress * 1000) / 1000.0)
          .put("documents_copied", copied).put("documents_total", total)
          .put("rate_docs_per_sec", Math.round(rate * 10) / 10.0);
      if (rate > 0 && total > copied && "copying".equals(phase)) {
        totals.put("estimated_finish", Instant.now().plusMillis((long) ((total - copied) / rate * 1000)).toString());
      }
      JsonObject json = new JsonObject().put("state", "running").put("run_id", id).put("phase", phase)
          .put("started_at", startedAt.toString()).put("leader", memberId)
          .put("epoch", fence == null ? null : fence.epoch())
          .put("nodes", nodes(plan)).put("totals", totals).put("moves", moves)
          .put("blocked", new JsonArray(plan.blocked()));
      if (error != null) {
        json.put("error", error);
      }
      if (lastRun != null) {
        json.put("last_run", lastRun);
      }
      return json;
    }
  }

  private static JsonObject nodes(MovePlan plan) {
    return new JsonObject()
        .put("joining", new JsonArray(new ArrayList<>(plan.joiningToActivate())))
        .put("draining", new JsonArray(new ArrayList<>(plan.drainingToRemove())))
        .put("recovering", new JsonArray(new ArrayList<>(plan.recoveringToHeal())))
        .put("groups_initializing", new JsonArray(new ArrayList<>(plan.groupsToActivate())));
  }

  /** Answers whether another run should follow at once. */
  private Future<Boolean> execute(MovePlan plan, List<IndexMeta> indexes) {
    Run current = new Run(plan);
    run = current;
    Timer.Sample sample = Timer.start(services.metrics().registry());
    LOG.info("rebalance run {}: {} shard copies; joining {}, draining {}, recovering {}, groups filling {}",
        current.id, plan.copies().size(), plan.joiningToActivate(), plan.drainingToRemove(),
        plan.recoveringToHeal(), plan.groupsToActivate());
    startProgress(current);
    Map<String, IndexMeta> byUid = new HashMap<>();
    indexes.forEach(m -> byUid.put(m.uid(), m));
    Promise<Boolean> outcome = Promise.promise();
    long timeout = services.vertx().setTimer(config.migrationTimeoutS() * 1000, id -> {
      current.abandoned = true;
      outcome.tryFail(new IllegalStateException("the run exceeded rebalancer.migration_timeout_s"));
    });
    report(current)
        .compose(v -> prepare(current, byUid))
        .compose(v -> phase(current, "copying"))
        .compose(v -> copyAll(current, byUid, false))
        .compose(v -> deltaPasses(current, byUid, 1))
        .compose(v -> phase(current, "cutover"))
        .compose(v -> cutover(current))
        .compose(switched -> phase(current, "cleanup").map(switched))
        .compose(switched -> cleanup(current, switched, indexes))
        .onComplete(ar -> {
          services.vertx().cancelTimer(timeout);
          if (ar.succeeded()) {
            outcome.tryComplete(true);
          } else {
            outcome.tryFail(ar.cause());
          }
        });
    return outcome.future().transform(ar -> {
      sample.stop(duration);
      current.phase = ar.succeeded() ? "done" : "failed";
      current.error = ar.failed() ? String.valueOf(ar.cause().getMessage()) : null;
      lastRun = current.toJson().put("state", current.phase).put("finished_at", Instant.now().toString());
      lastRun.remove("last_run");
      LOG.info("rebalance run {} {} in {} ms", current.id, current.phase,
          Duration.between(current.startedAt, Instant.now()).toMillis());
      JsonObject idle = idleStatus(ar.succeeded() ? "idle" : "failed", List.of());
      return writeStatus(idle).transform(w -> ar.succeeded() ? Future.succeededFuture(true)
          : Future.failedFuture(ar.cause()));
    });
  }

  private Future<Void> prepare(Run current, Map<String, IndexMeta> byUid) {
    Map<String, String> targets = new LinkedHashMap<>();
    Map<String, MovePlan.Copy> firstCopy = new LinkedHashMap<>();
    for (MovePlan.Copy c : current.plan.copies()) {
      targets.putIfAbsent(c.target(), c.sources().get(0));
      firstCopy.putIfAbsent(c.index() + "\u0000" + c.target(), c);
    }
    Future<Void> chain = Future.succeededFuture();
    for (String target : targets.keySet()) {
      chain = chain.compose(v -> preparer.keys(target));
    }
    for (MovePlan.Copy c : firstCopy.values()) {
      IndexMeta meta = byUid.get(c.index());
      chain = chain.compose(v -> preparer.index(meta, c.sources().get(0), c.target()));
    }
    return chain;
  }

  /** Every copy of the run, {@code max_concurrent_migrations} at a time. */
  private Future<Void> copyAll(Run current, Map<String, IndexMeta> byUid, boolean compare) {
    List<CopyProgress> queue = new ArrayList<>(current.copies);
    int workers = Math.min(config.maxConcurrentMigrations(), Math.max(1, queue.size()));
    List<Future<Void>> lanes = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < workers; i++) {
      lanes.add(lane(current, queue, next, byUid, compare));
    }
    return Future.all(lanes).mapEmpty();
  }

  private Future<Void> lane(Run current, List<CopyProgress> queue,
      java.util.concurrent.atomic.AtomicInteger next, Map<String, IndexMeta> byUid, boolean compare) {
    int i = next.getAndIncrement();
    if (i >= queue.size()) {
      return Future.succeededFuture();
    }
    CopyProgress p = queue.get(i);
    if (current.abandoned) {
      return Future.failedFuture(new IllegalStateException("run abandoned"));
    }
    return syncFromAnySource(p, byUid.get(p.copy.index()), 0, compare).map(v -> {
      p.phase = compare ? "verified" : "copied";
      if (p.finishedAt == null) {
        p.finishedAt = Instant.now();
      }
      return (Void) null;
    }).compose(v -> lane(current, queue, next, byUid, compare));
  }

  /** One pass of a copy, from the first of its sources that still serves reads and answers. */
  private Future<Void> syncFromAnySource(CopyProgress p, IndexMeta meta, int from, boolean compare) {
    List<String> sources = p.copy.sources();
    Topology t = services.fleet().topology();
    for (int i = from; i < sources.size(); i++) {
      String source = sources.get(i);
      if (t.node(source).map(Node::servesReads).orElse(false)) {
        int tried = i;
        return vectors(meta, source).compose(vectors -> copier.sync(p, source, meta.primaryKey(), vectors, compare))
            .recover(err -> {
              if (tried + 1 < sources.size() && services.fleet().topology().node(source)
                  .map(n -> !n.servesReads()).orElse(true)) {
                LOG.warn("copy of {} shard {} lost its source [{}]; trying the next copy", meta.uid(),
                    p.copy.shard(), source);
                return syncFromAnySource(p, meta, tried + 1, compare);
              }
              p.error = err.getMessage();
              return Future.failedFuture(err);
            });
      }
    }
    return Future.failedFuture(new IllegalStateException("no live copy of " + meta.uid() + " shard "
        + p.copy.shard() + " to read from"));
  }

  /** Whether documents carry vectors worth copying: the index has embedders. */
  private Future<Boolean> vectors(IndexMeta meta, String source) {
    if (meta.primaryKey() == null) {
      return Future.succeededFuture(false);
    }
    String path = "/indexes/" + io.miroir.node.NodeClient.encodePath(meta.uid()) + "/settings/embedders";
    return services.fleet().client(source).call(HttpMethod.GET, path, null)
        .map(r -> r.ok() && !r.json().isEmpty());
  }

  /** Delta passes until one changes nothing on any target (at most {@value #MAX_DELTA_PASSES}). */
  private Future<Void> deltaPasses(Run current, Map<String, IndexMeta> byUid, int pass) {
    current.phase = "delta pass " + pass;
    long before = changes(current);
    return copyAll(current, byUid, true).compose(v -> {
      boolean clean = changes(current) == before;
      if (clean || pass >= MAX_DELTA_PASSES) {
        return Future.succeededFuture();
      }
      return deltaPasses(current, byUid, pass + 1);
    });
  }

  private static long changes(Run current) {
    long n = 0;
    for (CopyProgress p : current.copies) {
      n += p.written + p.deleted;
    }
    return n;
  }

  /** Switches routing for what this run filled; answers the snapshots before and after. */
  private Future<Topology[]> cutover(Run current) {
    return writeStatus(current.toJson()).compose(v -> {
      Topology[] pair = new Topology[2];
      return services.fleet().change(latest -> {
        pair[0] = latest;
        Topology switched = current.plan.cutover(latest, current.failedDuringRun);
        return switched;
      }).map(after -> {
        pair[1] = after;
        LOG.info("rebalance run {}: cut over to topology version {}", current.id, after.version());
        return pair;
      });
    });
  }

  /** Deletes moved shards from owners that lost them, after every process had time to switch. */
  private Future<Void> cleanup(Run current, Topology[] switched, List<IndexMeta> indexes) {
    if (switched[0] == switched[1]) {
      return Future.succeededFuture();
    }
    List<MovePlan.IndexShards> shards = indexes.stream().map(m -> new MovePlan.IndexShards(m.uid(), m.shards()))
        .toList();
    Promise<Void> waited = Promise.promise();
    services.vertx().setTimer(Math.max(1, config.cleanupDelayMs()), id -> waited.complete());
    return waited.future().compose(v -> {
      Topology now = services.fleet().topology();
      var leftovers = MovePlan.leftovers(current.plan.topology(), now, shards);
      List<Future<Void>> deletions = new ArrayList<>();
      leftovers.forEach((nodeId, byIndex) -> {
        if (!now.node(nodeId).map(Node::receivesWrites).orElse(false)) {
          return;
        }
        byIndex.forEach((index, list) -> deletions.add(deleteShards(nodeId, index.uid(), list)));
      });
      return Future.join(deletions).transform(ar -> {
        if (ar.failed()) {
          LOG.warn("rebalance run {}: some moved shards were not deleted from their old owners (they are not "
              + "read there): {}", current.id, ar.cause().getMessage());
        }
        return Future.succeededFuture();
      });
    });
  }

  private Future<Void> deleteShards(String nodeId, String uid, List<Integer> shards) {
    var node = services.fleet().client(nodeId);
    String filter = io.miroir.merge.ReservedFields.SHARD + " IN " + shards;
    return node.call(HttpMethod.POST, ShardCopier.documentsPath(uid) + "/delete",
            new JsonObject().put("filter", filter))
        .compose(r -> r.status() == 202 ? tasks.awaitSuccess(node, r.taskUid()).<Void>mapEmpty()
            : Future.<Void>failedFuture(r.error()));
  }

  private Future<Void> phase(Run current, String phase) {
    if (current.abandoned) {
      return Future.failedFuture(new IllegalStateException("run abandoned"));
    }
    current.phase = phase;
    return report(current);
  }

  private Future<Void> report(Run current) {
    JsonObject status = current.toJson();
    services.vertx().eventBus().publish(Addresses.EVENTS_REBALANCE_PROGRESSED, status.encode());
    return writeStatus(status);
  }

  private void startProgress(Run current) {
    progressTimer = services.vertx().setPeriodic(1000, id -> report(current)
        .onFailure(err -> LOG.debug("progress report failed: {}", err.getMessage())));
  }

  private void stopProgress() {
    if (progressTimer >= 0) {
      services.vertx().cancelTimer(progressTimer);
      progressTimer = -1;
    }
  }

  private Future<Boolean> publishIdle(MovePlan plan) {
    JsonObject status = idleStatus(plan.blocked().isEmpty() ? "idle" : "waiting", plan.blocked());
    if (!status.equals(lastIdle)) {
      lastIdle = status;
      services.vertx().eventBus().publish(Addresses.EVENTS_REBALANCE_PROGRESSED, status.encode());
    }
    return writeStatus(status).map(false);
  }

  private JsonObject idleStatus(String state, List<String> blocked) {
    JsonObject status = new JsonObject().put("state", state).put("leader", memberId)
        .put("epoch", fence == null ? null : fence.epoch()).put("blocked", new JsonArray(blocked));
    if (lastRun != null) {
      status.put("last_run", lastRun);
    }
    return status;
  }

  /** Writes the status under the leader's fence; fails when a newer leader took over. */
  private Future<Void> writeStatus(JsonObject status) {
    Fence current = fence;
    if (current == null) {
      return Future.failedFuture(new IllegalStateException("no longer leading the rebalancer"));
    }
    String encoded = status.encode();
    return services.store().getValue(STATUS_KEY).compose(old -> old.isPresent() && old.get().equals(encoded)
        ? Future.<Void>succeededFuture() : fences.put(current, STATUS_KEY, encoded));
  }
}
