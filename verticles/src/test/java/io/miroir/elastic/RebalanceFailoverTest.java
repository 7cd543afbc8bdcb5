package io.miroir.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.testing.ApiClient;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.miroir.testing.MiroirPod;
import io.miroir.testing.RedisProcess;
import io.miroir.topology.Topology;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The leader process is killed (kill -9) in the middle of a migration: another pod takes the lead with a higher
 * epoch and finishes the move from the shared topology, with no acknowledged write lost and every search complete.
 * Two Miroir JVMs clustered with Hazelcast, one real Redis, real Meilisearch nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebalanceFailoverTest {
  private static final int SHARDS = 16;
  private RedisProcess redis;
  private final List<MiroirPod> pods = new ArrayList<>();
  private List<MeiliNode> pool;

  @BeforeAll
  void start() throws Exception {
    redis = RedisProcess.start();
    pool = MeiliNodes.shared().nodes(4);
    StringBuilder yaml = new StringBuilder("miroir:\n  master_key: " + MiroirHarness.MASTER_KEY + "\n"
        + "  node_master_key: " + MeiliNodes.MASTER_KEY + "\n  admin: {api_key: " + MiroirHarness.ADMIN_KEY + "}\n"
        + "  shards: " + SHARDS + "\n  replication_factor: 1\n"
        + "  task_store: {backend: redis, url: \"" + redis.url() + "\"}\n"
        + "  health: {interval_ms: 500, timeout_ms: 2000}\n  tasks: {poll_interval_ms: 100}\n"
        + "  rebalancer: {max_docs_per_second: 400, page_size: 200, cleanup_delay_ms: 1000}\n  nodes:\n");
    for (MeiliNode node : pool.subList(0, 3)) {
      yaml.append("    - {id: ").append(node.id()).append(", address: \"").append(node.address()).append("\"}\n");
    }
    String cluster = "miroir-failover-" + UUID.randomUUID();
    int[] ports = {MiroirPod.freePort(), MiroirPod.freePort()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
    for (int i = 0; i < 2; i++) {
      pods.add(MiroirPod.start("pod-" + i, yaml.toString().stripTrailing(), cluster, ports[i], members, List.of()));
    }
    for (MiroirPod pod : pods) {
      pod.waitHealthy(Duration.ofSeconds(60));
    }
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

  private static ApiClient admin(MiroirPod pod) {
    return new ApiClient(pod.url(), MiroirHarness.ADMIN_KEY);
  }

  private static JsonObject leader(MiroirPod pod) {
    JsonObject orchestrator = admin(pod).get("/_miroir/topology").json().getJsonObject("orchestrator");
    JsonObject leader = orchestrator.getJsonObject("leaders").getJsonObject("rebalancer");
    if (leader == null) {
      return null;
    }
    for (Object m : orchestrator.getJsonArray("members")) {
      JsonObject member = (JsonObject) m;
      if (member.getString("id").equals(leader.getString("holder"))) {
        return leader.copy().put("pod", member.getString("pod"));
      }
    }
    return null;
  }

  @Test
  void killingTheLeaderMidMigrationLetsAnotherPodFinishTheMove() throws Exception {
    JsonObject first = null;
    Instant deadline = Instant.now().plusSeconds(30);
    while (first == null && Instant.now().isBefore(deadline)) {
      first = leader(pods.get(0));
      ApiClient.sleep(200);
    }
    assertTrue(first != null, "a rebalancer leader");
    String leaderPod = first.getString("pod");
    MiroirPod victim = pods.stream().filter(p -> p.name().equals(leaderPod)).findFirst().orElseThrow();
    MiroirPod survivor = pods.stream().filter(p -> p != victim).findFirst().orElseThrow();
    ApiClient api = new ApiClient(survivor.url(), MiroirHarness.MASTER_KEY);
    Workload workload = new Workload(api, MiroirHarness.direct(MeiliNodes.shared().reference()));
    workload.load(8_000);

    workload.start();
    MeiliNode added = pool.get(3);
    ApiClient.Response r = admin(survivor).post("/_miroir/nodes", new JsonObject().put("id", added.id())
        .put("address", added.address()));
    assertEquals(202, r.status(), r.body());
    long version = r.json().getLong("topology_version");
    JsonObject seen = null;
    Instant until = Instant.now().plusSeconds(2);
    while (Instant.now().isBefore(until)) {
      seen = admin(victim).get("/_miroir/topology").json();
      if (seen.getLong("version") >= version && seen.getJsonArray("nodes").stream()
          .anyMatch(n -> ((JsonObject) n).getString("id").equals(added.id()))) {
        break;
      }
      ApiClient.sleep(50);
    }
    assertTrue(seen.getLong("version") >= version, "the other pod switched to the shared topology within 2 s: "
        + seen.encode());
    JsonObject copying = Fleets.awaitPhase(admin(survivor), "copying", Duration.ofSeconds(60));
    assertEquals(first.getLong("epoch"), copying.getLong("epoch"), copying.encode());
    victim.kill();

    JsonObject settled = Fleets.awaitSettled(admin(survivor), Duration.ofSeconds(180));
    workload.stop();
    JsonObject lastRun = settled.getJsonObject("last_run");
    assertEquals("done", lastRun.getString("state"), settled.encode());
    assertTrue(lastRun.getLong("epoch") > first.getLong("epoch"), "finished by a new leader: " + settled.encode());
    JsonObject topology = admin(survivor).get("/_miroir/topology").json();
    Topology t = Topology.fromJson(new JsonObject().put("version", topology.getLong("version"))
        .put("replicationFactor", 1).put("nodes", nodes(topology)).put("groups", new JsonObject()));
    assertEquals("active", t.node(added.id()).orElseThrow().state().wireName(), topology.encode());
    assertEquals(List.of(), workload.readerFailures, "every search through the surviving pod was complete");
    assertEquals(List.of(), workload.missingWrites(), "no acknowledged write is missing");
    Fleets.assertExactPlacement(t, pool, Workload.INDEX, SHARDS);
  }

  /** The topology endpoint's nodes in the stored snapshot's shape. */
  private static io.vertx.core.json.JsonArray nodes(JsonObject topology) {
    io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
    for (Object o : topology.getJsonArray("nodes")) {
      JsonObject n = (JsonObject) o;
      out.add(new JsonObject().put("id", n.getString("id")).put("address", n.getString("address"))
          .put("group", n.getInteger("replica_group")).put("membership", n.getString("membership"))
          .put("health", n.getString("health")));
    }
    return out;
  }
}
