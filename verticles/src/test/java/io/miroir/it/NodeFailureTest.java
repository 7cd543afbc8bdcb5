package io.miroir.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.testing.ApiClient;
import io.miroir.testing.ApiClient.Response;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RF=2 on three nodes: a node killed by PID mid-run costs no acknowledged write and no read completeness; when it
 * comes back it takes writes again but serves no reads until resynced (D4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeFailureTest {
  private MiroirHarness miroir;
  private ApiClient api;

  @BeforeAll
  void start() {
    List<MeiliNode> nodes = MeiliNodes.shared().nodes(3);
    miroir = MiroirHarness.start(nodes, 2, 1, 16);
    api = miroir.client();
  }

  @AfterAll
  void stop() {
    miroir.close();
    miroir.nodes().forEach(n -> {
      if (!n.alive()) {
        n.start();
      }
    });
  }

  @Test
  void killedReplicaLosesNothingAndIsResyncedBeforeServingReads() {
    String index = "failover";
    api.writeAndWait("POST", "/indexes", new JsonObject().put("uid", index).put("primaryKey", "id"));
    api.writeAndWait("POST", "/indexes/" + index + "/documents", Corpus.documents(200));

    MeiliNode victim = miroir.nodes().get(1);
    victim.kill();

    int acknowledged = 200;
    boolean sawDegraded = false;
    for (int batch = 0; batch < 10; batch++) {
      JsonArray docs = new JsonArray();
      for (int i = 0; i < 20; i++) {
        int id = 1000 + batch * 20 + i;
        docs.add(new JsonObject().put("id", id).put("title", "late " + Corpus.uniqueWord(id)).put("genre", "late"));
      }
      Response r = api.post("/indexes/" + index + "/documents", docs);
      assertEquals(202, r.status(), "write " + batch + " with a replica down: " + r.body());
      sawDegraded |= r.header("X-Miroir-Degraded") != null;
      JsonObject task = api.waitTask(r.json().getLong("taskUid"));
      assertEquals("succeeded", task.getString("status"), task.encode());
      acknowledged += 20;
    }
    assertTrue(sawDegraded, "writes that skipped the dead replica carry X-Miroir-Degraded");

    for (int i = 0; i < 5; i++) {
      Response search = api.post("/indexes/" + index + "/search", new JsonObject().put("limit", 0));
      assertEquals(200, search.status(), search.body());
      assertEquals(acknowledged, search.json().getInteger("estimatedTotalHits"), "complete with a replica down");
      assertNull(search.header("X-Miroir-Degraded"), "RF=2 still covers every shard");
    }
    for (int id : new int[] {0, 150, 1000, 1199}) {
      assertEquals(200, api.get("/indexes/" + index + "/documents/" + id).status(), "document " + id);
    }

    java.util.List<String> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
    miroir.miroir().services().fleet().onChange((before, after) -> after.node(victim.id()).ifPresent(n -> {
      String state = n.state().wireName();
      if (transitions.isEmpty() || !transitions.get(transitions.size() - 1).equals(state)) {
        transitions.add(state);
      }
    }));
    // Deletions it misses while down must not come back with it.
    api.writeAndWait("POST", "/indexes/" + index + "/documents/delete-batch", new JsonArray().add(0).add(1).add(1000));
    acknowledged -= 3;
    victim.start();
    waitForState(victim.id(), "active");
    assertTrue(transitions.indexOf("recovering") >= 0
        && transitions.indexOf("recovering") < transitions.lastIndexOf("active"),
        "back as recovering (writes only) and active only after its resync: " + transitions);

    JsonArray more = new JsonArray().add(new JsonObject().put("id", 5000).put("title", "after return"));
    Response r = api.post("/indexes/" + index + "/documents", more);
    assertEquals(202, r.status());
    assertNull(r.header("X-Miroir-Degraded"), "the returned node takes writes again");
    api.waitTask(r.json().getLong("taskUid"));
    long onVictim = MiroirHarness.direct(victim).get("/indexes/" + index + "/documents/5000").status();
    long expectedOnVictim = miroir.miroir().services().fleet().placement(16)
        .writeTargets(io.miroir.routing.ShardHasher.shardForKey("5000", 16)).contains(victim.id()) ? 200 : 404;
    assertEquals(expectedOnVictim, onVictim, "writes reach the returned node when it owns the shard");

    io.miroir.elastic.Fleets.assertExactPlacement(miroir.miroir().services().fleet().topology(), miroir.nodes(),
        index, 16);
    for (int i = 0; i < 6; i++) {
      Response search = api.post("/indexes/" + index + "/search", new JsonObject().put("limit", 0));
      assertEquals(acknowledged + 1, search.json().getInteger("estimatedTotalHits"),
          "the resynced node holds what it missed and nothing deleted meanwhile");
    }
  }

  private JsonObject waitForState(String nodeId, String state) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    JsonObject last = null;
    while (Instant.now().isBefore(deadline)) {
      for (Object o : miroir.admin().get("/_miroir/topology").json().getJsonArray("nodes")) {
        JsonObject node = (JsonObject) o;
        if (node.getString("id").equals(nodeId)) {
          last = node;
          if (node.getString("status").equals(state)) {
            return node;
          }
        }
      }
      ApiClient.sleep(100);
    }
    throw new AssertionError("node " + nodeId + " never became " + state + "; last " + last);
  }
}
