package io.miroir.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.miroir.testing.ApiClient;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.miroir.topology.GroupState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Adding and removing replica groups online (SPEC §3.2): a new group takes writes but no query until every shard is
 * copied, then half of the queries; a removed group stops serving at once. Two groups of two nodes, RF=1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaGroupTest {
  private static final int SHARDS = 16;
  private List<MeiliNode> pool;
  private MiroirHarness miroir;
  private ApiClient api;
  private ApiClient admin;
  private Workload workload;

  @BeforeAll
  void start() {
    pool = MeiliNodes.shared().nodes(4);
    miroir = MiroirHarness.start(pool.subList(0, 2), 1, 1, SHARDS);
    api = miroir.client();
    admin = miroir.admin();
    workload = new Workload(api, MiroirHarness.direct(MeiliNodes.shared().reference()));
    workload.load(5_000);
  }

  @AfterAll
  void stop() {
    miroir.close();
  }

  /** Search calls Miroir has sent to {@code nodeId} so far. */
  private long searchesOn(String nodeId) {
    Timer timer = miroir.miroir().services().metrics().registry().find("miroir_node_request_duration_seconds")
        .tags("node_id", nodeId, "operation", "search").timer();
    return timer == null ? 0 : timer.count();
  }

  private long searchesOn(List<MeiliNode> nodes) {
    return nodes.stream().mapToLong(n -> searchesOn(n.id())).sum();
  }

  @Test
  @Order(1)
  void aNewGroupServesNoQueryUntilFilledThenHalfOfThem() {
    List<MeiliNode> fresh = pool.subList(2, 4);
    Map<String, Long> atCutover = new ConcurrentHashMap<>();
    miroir.miroir().services().fleet().onChange((before, after) -> {
      if (before.groupState(1) == GroupState.INITIALIZING && after.groupState(1) == GroupState.ACTIVE) {
        atCutover.put("group1", searchesOn(fresh));
      }
    });
    workload.start();
    ApiClient.sleep(500);
    JsonArray nodes = new JsonArray();
    fresh.forEach(n -> nodes.add(new JsonObject().put("id", n.id()).put("address", n.address())));
    ApiClient.Response r = admin.post("/_miroir/groups", new JsonObject().put("nodes", nodes));
    assertEquals(202, r.status(), r.body());
    JsonObject topology = admin.get("/_miroir/topology").json();
    assertTrue(topology.getJsonArray("groups").stream().anyMatch(g -> ((JsonObject) g).getInteger("id") == 1
        && ((JsonObject) g).getString("status").equals("initializing")), topology.encode());
    JsonObject status = Fleets.awaitSettled(admin, Duration.ofSeconds(120));
    workload.stop();
    assertEquals("done", status.getJsonObject("last_run").getString("state"), status.encode());
    assertEquals(0L, atCutover.get("group1"), "no search reached the new group before it was filled");
    assertEquals(List.of(), workload.readerFailures);
    assertEquals(List.of(), workload.missingWrites());
    Fleets.assertExactPlacement(miroir.miroir().services().fleet().topology(), pool, Workload.INDEX, SHARDS);

    long oldBefore = searchesOn(pool.subList(0, 2));
    long newBefore = searchesOn(fresh);
    for (int i = 0; i < 60; i++) {
      api.post("/indexes/" + Workload.INDEX + "/search", new JsonObject().put("q", Workload.WORDS[i % 30])
          .put("filter", "bucket = " + i % 50).put("limit", 5));
    }
    long toOld = searchesOn(pool.subList(0, 2)) - oldBefore;
    long toNew = searchesOn(fresh) - newBefore;
    double share = (double) toNew / (toOld + toNew);
    assertTrue(share > 0.25 && share < 0.75, "the new group takes about half the queries: " + toNew + " of "
        + (toOld + toNew) + " node searches");
  }

  @Test
  @Order(2)
  void aRemovedGroupStopsServingAtOnce() {
    ApiClient.Response r = admin.delete("/_miroir/groups/0");
    assertEquals(202, r.status(), r.body());
    long before = searchesOn(pool.subList(0, 2));
    workload.readerFailures.clear();
    workload.start();
    ApiClient.sleep(2000);
    workload.stop();
    assertEquals(before, searchesOn(pool.subList(0, 2)), "no query reaches a removed group");
    assertEquals(List.of(), workload.readerFailures, "the remaining group answers completely");
    assertEquals(List.of(), workload.missingWrites());
    ApiClient.Response last = admin.delete("/_miroir/groups/1");
    assertEquals(409, last.status(), last.body());
    assertEquals("miroir_topology_conflict", last.json().getString("code"));
  }
}
