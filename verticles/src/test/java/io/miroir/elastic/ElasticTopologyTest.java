package io.miroir.elastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.merge.ReservedFields;
import io.miroir.routing.ShardHasher;
import io.miroir.testing.ApiClient;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.miroir.topology.NodeState;
import io.miroir.topology.Topology;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Growing and shrinking one group online (SPEC §3.2) while a writer adds and updates documents and a reader
 * compares every search with a reference node: 20,000 documents over S=16 shards, RF=1, real Meilisearch nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ElasticTopologyTest {
  private static final int SHARDS = 32;
  private static final int BASE = 20_000;
  private static final Duration SETTLE = Duration.ofSeconds(180);
  private List<MeiliNode> pool;
  private MiroirHarness miroir;
  private ApiClient api;
  private ApiClient admin;
  private Workload workload;

  @BeforeAll
  void start() {
    pool = MeiliNodes.shared().nodes(5);
    MeiliNode reference = MeiliNodes.shared().reference();
    miroir = MiroirHarness.start(pool.subList(0, 3), 1, 1, SHARDS);
    api = miroir.client();
    admin = miroir.admin();
    workload = new Workload(api, MiroirHarness.direct(reference));
    workload.load(BASE);
  }

  @AfterAll
  void stop() {
    miroir.close();
    pool.forEach(n -> {
      if (!n.alive()) {
        n.start();
      }
    });
  }

  /** Runs {@code miroir-ctl} against this Miroir; answers the exit code and what it printed. */
  private record Ctl(int code, String output) {
  }

  private Ctl ctl(String... args) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
    String[] all = new String[args.length + 4];
    all[0] = "--url";
    all[1] = miroir.url();
    all[2] = "--admin-key";
    all[3] = MiroirHarness.ADMIN_KEY;
    System.arraycopy(args, 0, all, 4, args.length);
    int code = io.miroir.ctl.MiroirCtl.run(out, all);
    return new Ctl(code, bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  private Topology topology() {
    return miroir.miroir().services().fleet().topology();
  }

  /** Runs {@code change} under write and read load, waits for the rebalance, and checks every guarantee. */
  private JsonObject underLoad(Runnable change) {
    workload.readerFailures.clear();
    int searchesBefore = workload.searches.get();
    int writesBefore = workload.writes.get();
    workload.start();
    ApiClient.sleep(500);
    change.run();
    JsonObject status = Fleets.awaitSettled(admin, SETTLE);
    ApiClient.sleep(500);
    workload.stop();
    assertEquals("done", status.getJsonObject("last_run").getString("state"), status.encode());
    assertTrue(workload.searches.get() - searchesBefore > 5, "the reader searched during the move");
    assertTrue(workload.writes.get() - writesBefore > 3, "the writer wrote during the move");
    assertEquals(List.of(), workload.readerFailures, "every search during the move was complete");
    assertEquals(List.of(), workload.missingWrites(), "no acknowledged write is missing");
    Fleets.assertExactPlacement(topology(), pool, Workload.INDEX, SHARDS);
    JsonObject verify = admin.post("/_miroir/verify", new JsonObject()).json();
    assertTrue(verify.getBoolean("ok"), verify.encode());
    return status;
  }

  @Test
  @Order(0)
  void badTopologyChangesAreRefusedAndChangeNothing() {
    long version = topology().version();
    MeiliNode spare = pool.get(3);
    record Case(String method, String path, Object body, int status, String code) {
    }
    List<Case> cases = List.of(
        new Case("POST", "/_miroir/nodes", new JsonObject().put("address", spare.address()), 400,
            "miroir_invalid_topology_change"),
        new Case("POST", "/_miroir/nodes", new JsonObject().put("id", "x").put("address", "ftp://h:1"), 400,
            "miroir_invalid_topology_change"),
        new Case("POST", "/_miroir/nodes", new JsonObject().put("id", "bad id!").put("address", spare.address()),
            400, "miroir_invalid_topology_change"),
        new Case("POST", "/_miroir/nodes", new JsonObject().put("id", "ghost").put("address", "http://127.0.0.1:1"),
            400, "miroir_invalid_topology_change"),
        new Case("POST", "/_miroir/nodes", new JsonObject().put("id", pool.get(0).id())
            .put("address", spare.address()), 409, "miroir_topology_conflict"),
        new Case("POST", "/_miroir/nodes", new JsonObject().put("id", "again").put("address", pool.get(0).address()),
            409, "miroir_topology_conflict"),
        new Case("POST", "/_miroir/nodes", new JsonObject().put("id", "x").put("address", spare.address())
            .put("replica_group", 7), 400, "miroir_invalid_topology_change"),
        new Case("POST", "/_miroir/nodes", "{not json", 400, "malformed_payload"),
        new Case("POST", "/_miroir/nodes/nobody/drain", null, 404, "miroir_node_not_found"),
        new Case("DELETE", "/_miroir/groups/5", null, 404, "miroir_group_not_found"),
        new Case("DELETE", "/_miroir/groups/0", null, 409, "miroir_topology_conflict"),
        new Case("POST", "/_miroir/groups", new JsonObject().put("nodes", new JsonArray()), 400,
            "miroir_invalid_topology_change"));
    for (Case c : cases) {
      ApiClient.Response r = admin.send(c.method(), c.path(), c.body(), c.body() == null ? null : "application/json");
      assertEquals(c.status(), r.status(), c + " -> " + r);
      assertEquals(c.code(), r.json().getString("code"), c + " -> " + r);
      assertTrue(r.json().getString("message").length() > 10, r.body());
    }
    assertEquals(401, api.withKey(null).post("/_miroir/nodes", new JsonObject()).status());
    assertEquals(version, topology().version(), "a refused change changes nothing");
  }

  @Test
  @Order(1)
  void addingANodeMovesAboutAQuarterOfTheShardsAndLosesNothing() {
    Topology before = topology();
    MeiliNode added = pool.get(3);
    JsonObject status = underLoad(() -> {
      ApiClient.Response r = admin.post("/_miroir/nodes", new JsonObject().put("id", added.id())
          .put("address", added.address()));
      assertEquals(202, r.status(), r.body());
    });
    Topology after = topology();
    assertEquals(NodeState.ACTIVE, after.node(added.id()).orElseThrow().state());
    int moved = Fleets.movedShards(before, after, SHARDS);
    assertEquals(moved, status.getJsonObject("last_run").getJsonObject("totals").getInteger("shards"),
        "exactly the shards whose owner changed were copied");
    assertTrue(moved >= 1 && moved <= SHARDS / 2, "about S/4 shards move (rendezvous bound S/2): " + moved);
    assertFalse(miroir.miroir().services().fleet().placement(SHARDS).shardsOf(added.id()).isEmpty());
  }

  @Test
  @Order(2)
  void drainingAndRemovingANodeMovesOnlyItsShards() {
    Topology before = topology();
    MeiliNode leaving = pool.get(1);
    int owned = miroir.miroir().services().fleet().placement(SHARDS).shardsOf(leaving.id()).size();
    JsonObject status = underLoad(() -> {
      ApiClient.Response r = admin.delete("/_miroir/nodes/" + leaving.id());
      assertEquals(202, r.status(), r.body());
    });
    Topology after = topology();
    assertEquals(NodeState.REMOVED, after.node(leaving.id()).orElseThrow().state());
    assertEquals(owned, Fleets.movedShards(before, after, SHARDS), "only the leaving node's shards moved");
    assertEquals(owned, status.getJsonObject("last_run").getJsonObject("totals").getInteger("shards"));
  }

  @Test
  @Order(3)
  void aNodeKilledMidMigrationPausesTheMoveWhichCompletesAfterItReturns() {
    MeiliNode added = pool.get(4);
    workload.readerFailures.clear();
    workload.start();
    Ctl add = ctl("node", "add", "--id", added.id(), "--address", added.address());
    assertEquals(0, add.code(), add.output());
    JsonObject copying = Fleets.awaitPhase(admin, "copying", Duration.ofSeconds(60));
    String source = copying.getJsonArray("moves").getJsonObject(0).getString("source",
        copying.getJsonArray("moves").getJsonObject(0).getString("target"));
    MeiliNode victim = pool.stream().filter(n -> n.id().equals(source)).findFirst().orElse(pool.get(0));
    victim.kill();
    ApiClient.sleep(3000);
    victim.start();
    Ctl watch = ctl("rebalance", "status", "--watch", "--interval", "200");
    assertEquals(0, watch.code(), watch.output());
    assertTrue(watch.output().contains("last run done"), watch.output());
    JsonObject status = Fleets.awaitSettled(admin, SETTLE);
    workload.stop();
    assertEquals(NodeState.ACTIVE, topology().node(added.id()).orElseThrow().state(), status.encode());
    assertEquals(List.of(), workload.missingWrites(), "no acknowledged write is missing");
    Fleets.assertExactPlacement(topology(), pool, Workload.INDEX, SHARDS);
  }

  @Test
  @Order(4)
  void verifyReportsAMisplacedDocument() {
    Topology t = topology();
    String id = "999999";
    int shard = ShardHasher.shardForKey(id, SHARDS);
    String owner = miroir.miroir().services().fleet().placement(SHARDS).owners(shard, 0).get(0);
    MeiliNode stranger = pool.stream().filter(n -> t.node(n.id()).map(x -> !x.removed()).orElse(false)
        && !n.id().equals(owner)).findFirst().orElseThrow();
    Ctl clean = ctl("verify");
    assertEquals(0, clean.code(), clean.output());
    assertTrue(clean.output().contains("OK"), clean.output());
    JsonObject task = stranger.call("POST", "/indexes/" + Workload.INDEX + "/documents", new JsonArray()
        .add(new JsonObject().put("id", 999999).put("title", "stray").put("kind", "stray")
            .put(ReservedFields.SHARD, shard)).encode());
    assertEquals("succeeded", stranger.waitForTask(task.getLong("taskUid"), Duration.ofSeconds(30))
        .getString("status"));
    JsonObject report = admin.post("/_miroir/verify", new JsonObject()).json();
    assertFalse(report.getBoolean("ok"), report.encode());
    JsonObject index = report.getJsonArray("indexes").getJsonObject(0);
    assertEquals(1, index.getJsonObject("misplaced").getInteger("count"), report.encode());
    JsonObject example = index.getJsonObject("misplaced").getJsonArray("examples").getJsonObject(0);
    assertEquals(stranger.id(), example.getString("node"));
    assertEquals(id, example.getString("id"));
    Ctl dirty = ctl("verify");
    assertEquals(1, dirty.code(), dirty.output());
    assertTrue(dirty.output().contains("misplaced: 1") && dirty.output().contains("document " + id),
        dirty.output());
    Ctl status = ctl("status");
    assertEquals(0, status.code(), status.output());
    for (MeiliNode n : pool) {
      assertTrue(status.output().contains(n.id()), status.output());
    }
    assertTrue(status.output().contains("removed"), status.output());
  }
}
