package io.miroir.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.store.Fence;
import io.miroir.store.Job;
import io.miroir.store.JobQueue;
import io.miroir.store.RedisJobQueue;
import io.miroir.store.RedisFencedWrites;
import io.miroir.store.RedisTaskStore;
import io.miroir.store.StaleEpochException;
import io.miroir.testing.ApiClient;
import io.miroir.testing.ApiClient.Response;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.miroir.testing.MiroirPod;
import io.miroir.testing.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;

/**
 * Three Miroir processes (separate JVMs) clustered over loopback with Hazelcast, one real Redis and real
 * Meilisearch nodes (SPEC §5, D12): shared tasks, unique task uids, split deployments, a canary run once per
 * interval by one pod (Mode A), a job whose claimant is killed finished by another pod exactly once (Mode C), and
 * leader failover with a fencing epoch that Redis enforces (Mode B).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  private static final String CANARY = "shared-probe";
  private static final int CANARY_INTERVAL_S = 2;
  private RedisProcess redis;
  private final List<MiroirPod> pods = new ArrayList<>();
  private String config;

  @BeforeAll
  void start() throws Exception {
    redis = RedisProcess.start();
    List<MeiliNode> nodes = MeiliNodes.shared().nodes(3);
    StringBuilder yaml = new StringBuilder("miroir:\n  master_key: " + MiroirHarness.MASTER_KEY + "\n"
        + "  node_master_key: " + MeiliNodes.MASTER_KEY + "\n  admin: {api_key: " + MiroirHarness.ADMIN_KEY + "}\n"
        + "  shards: 8\n  replication_factor: 1\n  task_store: {backend: redis, url: \"" + redis.url() + "\"}\n"
        + "  health: {interval_ms: 500, timeout_ms: 1000}\n  tasks: {poll_interval_ms: 100}\n"
        // Mode C with short timings so a dead claimant's job moves within seconds (defaults: 10 s / 30 s).
        + "  jobs: {heartbeat_interval_ms: 1000, claim_timeout_ms: 4000, poll_interval_ms: 250}\n"
        + "  canaries:\n    - {name: " + CANARY + ", index: shared, interval_s: " + CANARY_INTERVAL_S
        + ", query: {q: shared}, assertions: [{type: min_hits, value: 1}]}\n"
        + "  nodes:\n");
    for (MeiliNode node : nodes) {
      yaml.append("    - {id: ").append(node.id()).append(", address: \"").append(node.address())
          .append("\"}\n");
    }
    config = yaml.toString().stripTrailing();
    String cluster = "miroir-test-" + UUID.randomUUID();
    int[] ports = {MiroirPod.freePort(), MiroirPod.freePort(), MiroirPod.freePort(), MiroirPod.freePort()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2] + ",127.0.0.1:"
        + ports[3];
    for (int i = 0; i < 3; i++) {
      pods.add(MiroirPod.start("pod-" + i, config, cluster, ports[i], members, List.of()));
    }
    // A fourth pod runs only the router: its node calls and merges go to the others over the event bus.
    pods.add(MiroirPod.start("router-only", config, cluster, ports[3], members,
        List.of("--verticles", "router")));
    for (MiroirPod pod : pods) {
      pod.waitHealthy(Duration.ofSeconds(60));
    }
    waitFor(Duration.ofSeconds(30), () -> members(pods.get(0)).size() == 4, "4 members in the cluster");
  }

  @AfterAll
  void stop() throws Exception {
    for (MiroirPod pod : pods) {
      pod.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static ApiClient client(MiroirPod pod) {
    return new ApiClient(pod.url(), MiroirHarness.MASTER_KEY);
  }

  private static JsonObject topology(MiroirPod pod) {
    return new ApiClient(pod.url(), MiroirHarness.ADMIN_KEY).get("/_miroir/topology").json()
        .getJsonObject("orchestrator");
  }

  private static List<JsonObject> members(MiroirPod pod) {
    List<JsonObject> out = new ArrayList<>();
    topology(pod).getJsonArray("members").forEach(m -> out.add((JsonObject) m));
    return out;
  }

  @Test
  @Order(1)
  void aWriteThroughOnePodIsVisibleAndPollableThroughTheOthers() {
    Response r = client(pods.get(0)).post("/indexes/shared/documents", new JsonArray()
        .add(new JsonObject().put("id", 1).put("title", "shared across pods")));
    assertEquals(202, r.status(), r.body());
    long uid = r.json().getLong("taskUid");
    for (MiroirPod pod : pods.subList(1, 3)) {
      JsonObject task = client(pod).waitTask(uid);
      assertEquals("succeeded", task.getString("status"), pod.name() + ": " + task.encode());
    }
    Response search = client(pods.get(2)).post("/indexes/shared/search", new JsonObject().put("q", "shared"));
    assertEquals(1, search.json().getJsonArray("hits").size(), search.body());
    JsonObject verticles = new JsonObject();
    members(pods.get(1)).forEach(m -> verticles.put(m.getString("pod"), m.getJsonArray("verticles")));
    assertEquals(new JsonArray().add("router"), verticles.getJsonArray("router-only"), verticles.encode());
  }

  @Test
  @Order(2)
  void aRouterOnlyPodServesThroughTheOthersScatterAndMerger() {
    MiroirPod routerOnly = pods.get(3);
    client(pods.get(0)).writeAndWait("POST", "/indexes/split/documents", new JsonArray()
        .add(new JsonObject().put("id", "a").put("text", "split deployment"))
        .add(new JsonObject().put("id", "b").put("text", "other words")));
    Response search = client(routerOnly).post("/indexes/split/search", new JsonObject().put("q", "split"));
    assertEquals(200, search.status(), search.body() + "\n" + routerOnly.logTail());
    assertEquals("a", search.json().getJsonArray("hits").getJsonObject(0).getString("id"));
  }

  @Test
  @Order(3)
  void taskUidsStayUniqueUnderConcurrentWritesToEveryPod() throws Exception {
    List<CompletableFuture<Long>> writes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      MiroirPod pod = pods.get(i % 3);
      int id = 100 + i;
      writes.add(CompletableFuture.supplyAsync(() -> client(pod).post("/indexes/concurrent/documents",
          new JsonArray().add(new JsonObject().put("id", id))).json().getLong("taskUid")));
    }
    Set<Long> uids = new HashSet<>();
    for (CompletableFuture<Long> w : writes) {
      uids.add(w.get(60, TimeUnit.SECONDS));
    }
    assertEquals(30, uids.size(), "every write got its own taskUid: " + uids);
  }

  /** Runs of the cluster's canary, newest first, as any pod reports them. */
  private static List<JsonObject> canaryRuns(MiroirPod pod, JsonObject[] status) {
    JsonArray canaries = new ApiClient(pod.url(), MiroirHarness.ADMIN_KEY).get("/_miroir/canaries/status?runs=100")
        .json().getJsonArray("canaries");
    for (Object c : canaries) {
      JsonObject canary = (JsonObject) c;
      if (CANARY.equals(canary.getString("name"))) {
        status[0] = canary;
        List<JsonObject> runs = new ArrayList<>();
        canary.getJsonArray("runs").forEach(r -> runs.add((JsonObject) r));
        return runs;
      }
    }
    throw new AssertionError("canary " + CANARY + " not listed: " + canaries.encode());
  }

  /** The runs of the cluster's canary that started after {@code since}. */
  private static List<JsonObject> runsSince(List<JsonObject> runs, Instant since) {
    return runs.stream().filter(r -> Instant.parse(r.getString("started_at")).isAfter(since)).toList();
  }

  @Test
  @Order(4)
  void withThreePodsEachCanaryRunsOncePerIntervalOnOnePod() {
    JsonObject[] status = new JsonObject[1];
    waitFor(Duration.ofSeconds(30), () -> {
      List<JsonObject> runs = canaryRuns(pods.get(0), status);
      return !runs.isEmpty() && "pass".equals(runs.get(0).getString("status"));
    }, "a passing run of the canary");
    Instant from = Instant.now();
    ApiClient.sleep(5 * CANARY_INTERVAL_S * 1000L);
    Instant to = Instant.now();
    // Read through the router-only pod: it runs no canary verticle and asks another pod's over the bus.
    List<JsonObject> window = runsSince(canaryRuns(pods.get(3), status), from).stream()
        .filter(r -> Instant.parse(r.getString("started_at")).isBefore(to)).toList();
    Set<String> runners = new HashSet<>();
    window.forEach(r -> runners.add(r.getString("pod")));
    assertEquals(1, runners.size(), "one pod runs the canary: " + window);
    assertTrue(window.size() >= 3 && window.size() <= 6, "about one run per " + CANARY_INTERVAL_S + " s over "
        + Duration.between(from, to).toSeconds() + " s, not one per pod: " + window.size() + " runs " + window);
    String owner = status[0].getJsonObject("owner").getString("pod");
    assertEquals(runners.iterator().next(), owner, "the status names the pod that runs it: " + status[0]);
    assertTrue(owner.startsWith("pod-"), "the router-only pod runs no canary verticle and owns none: " + owner);
    window.forEach(r -> assertEquals("pass", r.getString("status"), r.encode()));
  }

  @Test
  @Order(5)
  void aJobClaimedByAPodThatIsKilledIsFinishedByAnotherPodExactlyOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    RedisTaskStore store = new RedisTaskStore(vertx, redis.url());
    try {
      JobQueue queue = new RedisJobQueue(store.api());
      Job job = await(queue.enqueue("echo", new JsonObject().put("hold_ms", 6_000).put("payload", "mode-c")));
      Job[] seen = new Job[1];
      waitFor(Duration.ofSeconds(15), () -> {
        seen[0] = await(queue.get(job.id())).orElseThrow();
        return seen[0].state() == Job.State.IN_PROGRESS;
      }, "a pod claiming the job");
      Job firstClaim = seen[0];
      assertEquals(1, firstClaim.attempts());
      String claimantPod = members(pods.get(0)).stream().filter(m -> m.getString("id")
          .equals(firstClaim.claimedBy())).map(m -> m.getString("pod")).findFirst().orElseThrow();
      MiroirPod victim = pods.stream().filter(p -> p.name().equals(claimantPod)).findFirst().orElseThrow();
      int membersBefore = members(pods.get(0)).size();
      Instant killed = Instant.now();
      victim.kill();

      waitFor(Duration.ofSeconds(40), () -> {
        seen[0] = await(queue.get(job.id())).orElseThrow();
        return seen[0].state() == Job.State.COMPLETED;
      }, "another pod finishing the job");
      Job done = seen[0];
      long seconds = Duration.between(killed, Instant.now()).toSeconds();
      assertNotEquals(firstClaim.claimedBy(), done.claimedBy(), "finished by another pod");
      assertTrue(done.attempts() >= 2, "re-claimed after the claim expired: " + done);
      JsonObject result = done.result();
      assertEquals("mode-c", result.getString("payload"));
      assertEquals(done.claimedBy(), result.getString("worker"), "the result is the final claimant's");
      assertEquals(done.attempts(), result.getInteger("attempt"), "recorded under the final claim: " + result);
      assertTrue(result.getString("pod").startsWith("pod-") && !result.getString("pod").equals(claimantPod));
      assertTrue(seconds < 30, "finished " + seconds + " s after the kill (4 s claim timeout + 6 s of work)");

      // The dead pod's claim is fenced: had it only stalled, its late completion would change nothing.
      assertFalse(await(queue.complete(firstClaim, new JsonObject().put("payload", "zombie"))));
      assertFalse(await(queue.heartbeat(firstClaim)));
      assertEquals(result, await(queue.get(job.id())).orElseThrow().result(), "completed exactly once");
      MiroirPod observer = livePod();
      waitFor(Duration.ofSeconds(15), () -> members(observer).size() == membersBefore - 1,
          "the killed pod leaving the member list");
    } finally {
      await(store.close());
      vertx.close();
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store call failed", e);
    }
  }

  /** A pod started in this class that is still running. */
  private MiroirPod livePod() {
    return pods.stream().filter(p -> p.alive() && p.name().startsWith("pod-")).findFirst().orElseThrow();
  }

  @Test
  @Order(6)
  void killingTheLeaderHandsLeadershipOnWithAHigherEpochAndFencesTheOldOne() throws Exception {
    MiroirPod observer = livePod();
    JsonObject leader = topology(observer).getJsonObject("leaders").getJsonObject("rebalancer");
    String holder = leader.getString("holder");
    long epoch = leader.getLong("epoch");
    String leaderPod = members(observer).stream().filter(m -> m.getString("id").equals(holder))
        .map(m -> m.getString("pod")).findFirst().orElseThrow();
    MiroirPod victim = pods.stream().filter(p -> p.name().equals(leaderPod)).findFirst().orElseThrow();
    MiroirPod survivor = pods.stream().filter(p -> p != victim && p.alive() && p.name().startsWith("pod-"))
        .findFirst().orElseThrow();
    int membersBefore = members(observer).size();
    Instant killed = Instant.now();
    victim.kill();

    JsonObject[] next = new JsonObject[1];
    waitFor(Duration.ofSeconds(15), () -> {
      JsonObject l = topology(survivor).getJsonObject("leaders").getJsonObject("rebalancer");
      next[0] = l;
      return l != null && !l.getString("holder").equals(holder);
    }, "a new rebalancer leader within 15 s of the kill");
    assertTrue(Duration.between(killed, Instant.now()).toSeconds() <= 15);
    assertNotEquals(holder, next[0].getString("holder"));
    assertTrue(next[0].getLong("epoch") > epoch, "higher epoch: " + next[0] + " after " + leader);
    waitFor(Duration.ofSeconds(15), () -> members(survivor).size() == membersBefore - 1,
        "the dead pod leaving the member list");

    Vertx vertx = Vertx.vertx();
    try {
      RedisTaskStore store = new RedisTaskStore(vertx, redis.url());
      RedisFencedWrites fences = new RedisFencedWrites(store.api());
      ExecutionException stale = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> fences.put(new Fence("rebalancer", holder, epoch), "miroir.leader.rebalancer", "late write")
              .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertInstanceOf(StaleEpochException.class, stale.getCause(), "Redis rejects the deposed leader's write");
    } finally {
      vertx.close();
    }
  }

  @Test
  @Order(7)
  void afterPodsDiedTheCanaryStillRunsOncePerIntervalOnALivePod() {
    MiroirPod survivor = livePod();
    JsonObject[] status = new JsonObject[1];
    Instant from = Instant.now();
    waitFor(Duration.ofSeconds(30), () -> runsSince(canaryRuns(survivor, status), from).size() >= 2,
        "the canary running again after the kills");
    List<JsonObject> recent = runsSince(canaryRuns(survivor, status), from);
    Set<String> live = new HashSet<>();
    pods.stream().filter(MiroirPod::alive).forEach(p -> live.add(p.name()));
    recent.forEach(r -> assertTrue(live.contains(r.getString("pod")), "run by a live pod: " + r));
    assertTrue(live.contains(status[0].getJsonObject("owner").getString("pod")), status[0].encode());
  }

  private static void waitFor(Duration timeout, java.util.function.BooleanSupplier condition, String what) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // a pod may be between states
      }
      ApiClient.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
