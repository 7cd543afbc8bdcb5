package io.miroir.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.store.Fence;
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
 * Meilisearch nodes (SPEC §5, D12): shared tasks, unique task uids, split deployments, and leader failover with a
 * fencing epoch that Redis enforces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
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
        + "  health: {interval_ms: 500, timeout_ms: 1000}\n  tasks: {poll_interval_ms: 100}\n  nodes:\n");
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

  @Test
  @Order(4)
  void killingTheLeaderHandsLeadershipOnWithAHigherEpochAndFencesTheOldOne() throws Exception {
    JsonObject leader = topology(pods.get(0)).getJsonObject("leaders").getJsonObject("rebalancer");
    String holder = leader.getString("holder");
    long epoch = leader.getLong("epoch");
    String leaderPod = members(pods.get(0)).stream().filter(m -> m.getString("id").equals(holder))
        .map(m -> m.getString("pod")).findFirst().orElseThrow();
    MiroirPod victim = pods.stream().filter(p -> p.name().equals(leaderPod)).findFirst().orElseThrow();
    MiroirPod survivor = pods.stream().filter(p -> p != victim && p.name().startsWith("pod-")).findFirst()
        .orElseThrow();
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
    waitFor(Duration.ofSeconds(15), () -> members(survivor).size() == 3, "the dead pod leaving the member list");

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
