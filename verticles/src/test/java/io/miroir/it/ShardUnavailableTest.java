package io.miroir.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.testing.ApiClient;
import io.miroir.testing.ApiClient.Response;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RF=1, one group: a dead node's shards have no other copy. Reads follow {@code unavailable_shard_policy}; writes
 * to its shards have no quorum (SPEC §1.3, §1.4).
 */
class ShardUnavailableTest {

  private static void load(ApiClient api, String index) {
    api.writeAndWait("POST", "/indexes", new JsonObject().put("uid", index).put("primaryKey", "id"));
    api.writeAndWait("POST", "/indexes/" + index + "/documents", Corpus.documents(300));
  }

  @Test
  void partialPolicyAnswersWhatIsLeftWithTheMissingShards() {
    List<MeiliNode> nodes = MeiliNodes.shared().nodes(3);
    try (MiroirHarness miroir = MiroirHarness.start(nodes, 1, 1, 8)) {
      ApiClient api = miroir.client();
      load(api, "partial");
      MeiliNode victim = nodes.get(2);
      List<Integer> lost = miroir.miroir().services().fleet().placement(8).shardsOf(victim.id());
      victim.kill();
      try {
        Response search = api.post("/indexes/partial/search", new JsonObject().put("limit", 0));
        assertEquals(200, search.status(), search.body());
        String header = search.header("X-Miroir-Degraded");
        assertNotNull(header, "a partial answer says so");
        assertEquals("shards=" + String.join(",", lost.stream().map(String::valueOf).toList()), header);
        assertTrue(search.json().getInteger("estimatedTotalHits") < 300);
        Response ready = new ApiClient(miroir.url(), null).get("/_miroir/ready");
        assertEquals(503, ready.status(), "not ready while some shard has no serving copy: " + ready.body());

        JsonArray docs = new JsonArray();
        for (int i = 0; i < 40; i++) {
          docs.add(new JsonObject().put("id", 10_000 + i));
        }
        Response write = api.post("/indexes/partial/documents", docs);
        assertEquals(503, write.status(), write.body());
        assertEquals("miroir_no_quorum", write.json().getString("code"));
        assertEquals("10", write.header("Retry-After"));
      } finally {
        victim.start();
      }
    }
  }

  @Test
  void errorPolicyRefusesAnIncompleteAnswer() {
    List<MeiliNode> nodes = MeiliNodes.shared().nodes(3);
    Map<String, Object> policy = Map.of("scatter", Map.of("unavailable_shard_policy", "error",
        "node_timeout_ms", 2000));
    try (MiroirHarness miroir = MiroirHarness.start(nodes, 1, 1, 8, policy)) {
      ApiClient api = miroir.client();
      load(api, "strict");
      MeiliNode victim = nodes.get(0);
      victim.kill();
      try {
        Response search = api.post("/indexes/strict/search", new JsonObject().put("q", "river"));
        assertEquals(503, search.status(), search.body());
        assertEquals("miroir_shard_unavailable", search.json().getString("code"));
      } finally {
        victim.start();
      }
      ApiClient.sleep(1500);
      Response healed = api.post("/indexes/strict/search", new JsonObject().put("limit", 0));
      assertEquals(200, healed.status(), "RF=1 and one group: the node is active again once back");
      assertEquals(300, healed.json().getInteger("estimatedTotalHits"));
    }
  }
}
