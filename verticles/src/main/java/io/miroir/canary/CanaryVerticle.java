package io.miroir.canary;

import io.miroir.cluster.Addresses;
import io.miroir.cluster.Ownership;
import io.miroir.config.MiroirConfig.CanaryRunnerConfig;
import io.miroir.meili.MeiliException;
import io.miroir.node.NodeClient;
import io.miroir.router.Reply;
import io.miroir.runtime.Miroir;
import io.miroir.runtime.Services;
import io.miroir.search.SearchService;
import io.miroir.store.CanaryStore;
import io.miroir.store.IndexMeta;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synthetic canaries (SPEC §13.18, §5 Mode A). Every canary, from the configuration file or the admin API, is owned
 * by exactly one process among the live cluster members that run this verticle: the member with the highest
 * rendezvous score for {@code canary:<name>}. The owner runs it every {@code interval_s} through Miroir's search
 * path (the same plan, scatter and merge a client search takes), judges the answer, records the run in the canary
 * store and counts it in the metrics. A new owner (after a pod died or joined) schedules from the last recorded run,
 * so a canary still runs once per interval; the overlap of a membership change can at worst run it twice.
 *
 * <p>The verticle also answers the admin API over the bus ({@link Addresses#CANARY_DEFINE},
 * {@link Addresses#CANARY_DELETE}, {@link Addresses#CANARY_STATUS}); a definition change is published on
 * {@link Addresses#EVENTS_CANARY_CHANGED} so every instance reloads at once.
 */
public final class CanaryVerticle extends VerticleBase {
  /** The name of this verticle in {@code --verticles} and in the cluster's member map. */
  public static final String NAME = "canary";
  private static final Logger LOG = LoggerFactory.getLogger(CanaryVerticle.class);
  /** Scheduling resolution: a canary runs at most this late. */
  private static final long TICK_MS = 1_000;
  /** Definitions are re-read this often in case a change event was missed. */
  private static final long RELOAD_MS = 10_000;
  /**
   * The member map is re-read this often: a process joins the cluster a moment before it announces its verticles,
   * so the membership change alone can come too early to count it.
   */
  private static final long MEMBERS_MS = 2_000;
  private static final int DEFAULT_STATUS_RUNS = 10;

  private final Services services;
  private final CanaryStore store;
  private final CanaryRunnerConfig runner;
  private final Map<String, Canary> configured = new LinkedHashMap<>();
  private final String pod;
  private volatile Map<String, Canary> stored = Map.of();
  /** The live members running this verticle, among which canaries are shared out. */
  private volatile List<String> candidates;
  /** Owned canaries: when each is next due (epoch ms); absent until read from the canary's last run. */
  private final Map<String, Long> nextDue = new ConcurrentHashMap<>();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();

  public CanaryVerticle(Services services, CanaryStore store) {
    this.services = services;
    this.store = store;
    this.runner = services.config().canaryRunner();
    services.config().canaries().forEach(c -> configured.put(c.name(), c));
    this.pod = System.getenv().getOrDefault("POD_NAME", services.ownership().self());
    this.candidates = List.of(services.ownership().self());
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    consumers.add(bus.consumer(Addresses.CANARY_DEFINE, this::define));
    consumers.add(bus.consumer(Addresses.CANARY_DELETE, this::delete));
    consumers.add(bus.consumer(Addresses.CANARY_STATUS, this::status));
    consumers.add(bus.consumer(Addresses.EVENTS_CANARY_CHANGED, event -> reload()));
    var context = vertx.getOrCreateContext();
    services.ownership().onChange(() -> context.runOnContext(v -> refreshCandidates()));
    configured.keySet().forEach(services.metrics()::canaryDefined);
    List<Future<?>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    return Future.all(ready).compose(v -> reload()).compose(v -> refreshCandidates()).onSuccess(v -> {
      timers.add(vertx.setPeriodic(TICK_MS, id -> tick()));
      timers.add(vertx.setPeriodic(RELOAD_MS, id -> reload()));
      timers.add(vertx.setPeriodic(MEMBERS_MS, id -> refreshCandidates()));
    });
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    List<Future<?>> done = new ArrayList<>();
    consumers.forEach(c -> done.add(c.unregister()));
    return Future.join(done);
  }

  // ---------------------------------------------------------------- scheduling

  private Map<String, Canary> definitions() {
    Map<String, Canary> all = new TreeMap<>(stored);
    all.putAll(configured);
    return all;
  }

  private Future<Void> reload() {
    return store.listCanaries().onSuccess(list -> {
      Map<String, Canary> fresh = new LinkedHashMap<>();
      for (Canary c : list) {
        if (!configured.containsKey(c.name())) {
          fresh.put(c.name(), c);
          if (!stored.containsKey(c.name())) {
            services.metrics().canaryDefined(c.name());
          }
        }
      }
      stored = fresh;
    }).onFailure(err -> LOG.warn("could not read canary definitions: {}", err.getMessage())).<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** Reads which live members run this verticle, from the member map every process announces itself in. */
  private Future<Void> refreshCandidates() {
    List<String> live = services.ownership().members();
    return vertx.sharedData().<String, String>getAsyncMap(Miroir.MEMBERS_MAP).compose(m -> m.entries())
        .onSuccess(entries -> {
          List<String> running = new ArrayList<>();
          for (String id : live) {
            String entry = entries.get(id);
            if (entry != null && new JsonObject(entry).getJsonArray("verticles", new JsonArray()).contains(NAME)) {
              running.add(id);
            }
          }
          if (!running.contains(services.ownership().self())) {
            running.add(services.ownership().self());
          }
          candidates = List.copyOf(running);
        })
        .onFailure(err -> LOG.warn("could not read the cluster's member map: {}", err.getMessage()))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  private String ownerOf(Canary canary) {
    return Ownership.ownerOf(canary.ownershipKey(), candidates);
  }

  private void tick() {
    long now = System.currentTimeMillis();
    Map<String, Canary> all = definitions();
    nextDue.keySet().retainAll(all.keySet());
    String self = services.ownership().self();
    for (Canary canary : all.values()) {
      String name = canary.name();
      if (!self.equals(ownerOf(canary))) {
        // Forget the schedule: should the canary come back, its last run in the store says when it is due.
        nextDue.remove(name);
        continue;
      }
      Long due = nextDue.get(name);
      if (due == null) {
        nextDue.put(name, Long.MAX_VALUE);
        scheduleFromLastRun(canary, now);
      } else if (now >= due && !running.contains(name) && running.size() < runner.maxConcurrentCanaries()) {
        nextDue.put(name, now + canary.intervalS() * 1000L);
        running.add(name);
        run(canary).onComplete(ar -> running.remove(name));
      }
    }
  }

  private void scheduleFromLastRun(Canary canary, long now) {
    store.runs(canary.name(), 1).onComplete(ar -> {
      if (nextDue.get(canary.name()) == null || nextDue.get(canary.name()) != Long.MAX_VALUE) {
        return;
      }
      long due = now;
      if (ar.succeeded() && !ar.result().isEmpty()) {
        due = Math.min(now + canary.intervalS() * 1000L,
            ar.result().get(0).startedAt().toEpochMilli() + canary.intervalS() * 1000L);
      }
      nextDue.put(canary.name(), due);
    });
  }

  // ---------------------------------------------------------------- running

  /** Runs {@code canary} once: search, judge, record, count. Never fails: a failed search is an {@code error} run. */
  Future<CanaryRun> run(Canary canary) {
    Future<String> primaryKey = canary.namesDocuments()
        ? services.indexes().find(canary.index()).map(m -> m.map(IndexMeta::primaryKey).orElse(null))
        : Future.succeededFuture(null);
    Future<List<Long>> earlier = canary.has(CanaryAssertion.Type.MAX_P95_MS)
        ? store.runs(canary.name(), CanaryCheck.P95_WINDOW - 1).map(runs -> runs.stream()
            .filter(r -> r.status() != CanaryRun.Status.ERROR).map(CanaryRun::latencyMs).toList())
        : Future.succeededFuture(List.of());
    Instant started = Instant.now();
    return Future.all(primaryKey, earlier).compose(ready -> {
      Instant at = Instant.now();
      long t0 = System.nanoTime();
      return search(canary).transform(ar -> {
        long latencyMs = (System.nanoTime() - t0) / 1_000_000;
        if (ar.failed()) {
          return Future.succeededFuture(CanaryRun.error(canary.name(), at, latencyMs, describe(ar.cause()), pod));
        }
        Reply reply = ar.result();
        if (reply.status() != 200 || !(reply.body() instanceof JsonObject answer)) {
          return Future.succeededFuture(CanaryRun.error(canary.name(), at, latencyMs, "search answered "
              + reply.status() + ": " + message(reply.body()), pod));
        }
        return Future.succeededFuture(CanaryCheck.judge(canary, answer, primaryKey.result(), latencyMs,
            earlier.result(), at, pod));
      });
    }).recover(err -> Future.succeededFuture(CanaryRun.error(canary.name(), started, 0, describe(err), pod)))
        .compose(run -> store.recordRun(run, runner.runHistoryPerCanary())
            .onFailure(err -> LOG.warn("could not record a run of canary [{}]: {}", canary.name(), err.getMessage()))
            .transform(ignored -> Future.succeededFuture(run)))
        .onSuccess(run -> {
          services.metrics().canaryRun(canary.name(), run.status().wire(), run.latencyMs(),
              run.failures().stream().map(CanaryRun.Failure::type).toList());
          if (run.status() != CanaryRun.Status.PASS) {
            LOG.warn("canary [{}] {}: {}", canary.name(), run.status().wire(), run.toJson().encode());
          }
        });
  }

  /** The client search path, with Miroir's node key; a request no node accepts is judged by one node. */
  private Future<Reply> search(Canary canary) {
    JsonObject body = canary.searchRequest();
    String path = "/indexes/" + NodeClient.encodePath(canary.index()) + "/search";
    return new SearchService(services).search(canary.index(), body, null, () -> services.fleet().onReader(node ->
        node.send(HttpMethod.POST, path, body, null, services.config().scatter().nodeTimeoutMs()))
        .map(r -> Reply.of(r.status(), r.body())));
  }

  private static String describe(Throwable err) {
    return err instanceof MeiliException m ? m.code() + ": " + m.getMessage() : String.valueOf(err.getMessage());
  }

  private static String message(Object body) {
    try {
      JsonObject error = body instanceof Buffer b ? b.toJsonObject() : body instanceof JsonObject o ? o : null;
      if (error != null && error.getValue("message") instanceof String m) {
        return error.getString("code", "") + ": " + m;
      }
    } catch (RuntimeException notJson) {
      // fall through to the raw text
    }
    return String.valueOf(body);
  }

  // ---------------------------------------------------------------- admin API over the bus

  private void define(Message<JsonObject> message) {
    Canary canary;
    try {
      canary = Canary.fromJson(message.body() == null ? new JsonObject() : message.body());
    } catch (InvalidCanaryException e) {
      message.fail(400, e.getMessage());
      return;
    }
    if (configured.containsKey(canary.name())) {
      message.fail(409, "canary `" + canary.name() + "` is defined in the configuration file; change it there");
      return;
    }
    store.putCanary(canary)
        .onSuccess(v -> {
          vertx.eventBus().publish(Addresses.EVENTS_CANARY_CHANGED, new JsonObject().put("name", canary.name()));
          message.reply(describe(canary, "api"));
        })
        .onFailure(err -> message.fail(500, "could not store canary: " + err.getMessage()));
  }

  private void delete(Message<JsonObject> message) {
    String name = message.body() == null ? null : message.body().getString("name");
    if (configured.containsKey(name)) {
      message.fail(409, "canary `" + name + "` is defined in the configuration file; remove it there");
      return;
    }
    store.deleteCanary(name).onSuccess(existed -> {
      if (!existed) {
        message.fail(404, "canary `" + name + "` not found");
        return;
      }
      vertx.eventBus().publish(Addresses.EVENTS_CANARY_CHANGED, new JsonObject().put("name", name));
      message.reply(new JsonObject().put("deleted", name));
    }).onFailure(err -> message.fail(500, "could not delete canary: " + err.getMessage()));
  }

  private void status(Message<JsonObject> message) {
    int runs = message.body() == null ? DEFAULT_STATUS_RUNS : message.body().getInteger("runs", DEFAULT_STATUS_RUNS);
    reload().compose(v -> vertx.sharedData().<String, String>getAsyncMap(Miroir.MEMBERS_MAP))
        .compose(m -> m.entries())
        .compose(members -> {
          List<Future<JsonObject>> rows = new ArrayList<>();
          for (Canary canary : definitions().values()) {
            rows.add(statusOf(canary, members, runs));
          }
          return Future.all(rows).map(all -> {
            JsonArray list = new JsonArray();
            rows.forEach(r -> list.add(r.result()));
            return new JsonObject().put("canaries", list);
          });
        })
        .onSuccess(message::reply)
        .onFailure(err -> message.fail(500, "could not read canary status: " + err.getMessage()));
  }

  private Future<JsonObject> statusOf(Canary canary, Map<String, String> members, int shown) {
    return store.runs(canary.name(), runner.runHistoryPerCanary()).map(history -> {
      JsonObject row = describe(canary, configured.containsKey(canary.name()) ? "config" : "api");
      String owner = ownerOf(canary);
      String ownerPod = members.containsKey(owner) ? new JsonObject(members.get(owner)).getString("pod") : null;
      row.put("owner", new JsonObject().put("id", owner).put("pod", ownerPod));
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (CanaryRun.Status s : CanaryRun.Status.values()) {
        counts.put(s.wire(), 0);
      }
      List<Long> latencies = new ArrayList<>();
      for (CanaryRun run : history) {
        counts.merge(run.status().wire(), 1, Integer::sum);
        if (run.status() != CanaryRun.Status.ERROR) {
          latencies.add(run.latencyMs());
        }
      }
      JsonObject summary = new JsonObject().put("runs", history.size());
      counts.forEach(summary::put);
      if (!latencies.isEmpty()) {
        List<Long> sorted = latencies.stream().sorted().toList();
        summary.put("p95_latency_ms", sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1));
      }
      row.put("summary", summary);
      row.put("last_run", history.isEmpty() ? null : history.get(0).toJson());
      JsonArray recent = new JsonArray();
      history.stream().limit(shown).forEach(r -> recent.add(r.toJson()));
      row.put("runs", recent);
      return row;
    });
  }

  private static JsonObject describe(Canary canary, String source) {
    return new JsonObject().put("name", canary.name()).put("source", source).put("definition", canary.toJson());
  }
}
