package io.miroir.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class MeiliNodesTest {

  private static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void nodesStartAndAnswerHealth() throws Exception {
    List<MeiliNode> nodes = MeiliNodes.shared().nodes(3);

    assertEquals(3, nodes.size());
    Set<Integer> ports = nodes.stream().map(MeiliNode::port).collect(Collectors.toSet());
    assertEquals(3, ports.size(), "distinct ports");
    for (MeiliNode node : nodes) {
      assertTrue(node.alive(), node + " alive");
      assertEquals("http://127.0.0.1:" + node.port(), node.address());
      assertTrue(ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive).orElse(false));
      HttpResponse<String> health = get(node.address() + "/health");
      assertEquals(200, health.statusCode());
      assertEquals(new JsonObject().put("status", "available"), new JsonObject(health.body()));
      // The master key is enforced.
      assertEquals(401, get(node.address() + "/indexes").statusCode());
      assertEquals(4, node.defaultKeys().size(), "Meilisearch 1.21 creates four default keys");
    }
  }

  @Test
  void resetRemovesIndexesKeysAndRestoresDefaults() {
    MeiliNode node = MeiliNodes.shared().nodes(2).get(1);
    node.waitForTask(node.call("POST", "/indexes", "{\"uid\":\"leftover\",\"primaryKey\":\"id\"}")
        .getLong("taskUid"), TASK_TIMEOUT);
    long docs = node.call("POST", "/indexes/leftover/documents", "[{\"id\":1,\"t\":\"x\"}]").getLong("taskUid");
    assertEquals("succeeded", node.waitForTask(docs, TASK_TIMEOUT).getString("status"));
    node.call("POST", "/keys", "{\"actions\":[\"search\"],\"indexes\":[\"*\"],\"expiresAt\":null}");
    JsonObject deletedDefault = node.defaultKeys().get(0);
    node.call("DELETE", "/keys/" + deletedDefault.getString("uid"), null);
    node.call("PATCH", "/experimental-features", "{\"containsFilter\":true}");
    assertEquals(1, node.call("GET", "/indexes", null).getInteger("total"));

    MeiliNode again = MeiliNodes.shared().nodes(2).get(1);

    assertEquals(node, again, "the pool hands out the same node");
    assertEquals(node.port(), again.port());
    assertEquals(0, node.call("GET", "/indexes", null).getInteger("total"));
    assertEquals(404, node.request("GET", "/indexes/leftover", null).statusCode());
    JsonArray keys = node.call("GET", "/keys", null).getJsonArray("results");
    assertEquals(keySet(node.defaultKeys()), keySet(keys.getList()), "exactly the default keys, same key values");
    assertFalse(node.call("GET", "/experimental-features", null).getBoolean("containsFilter"));
    assertEquals(0, node.call("GET", "/tasks?statuses=enqueued,processing", null).getInteger("total"));
  }

  @Test
  void killRemovesTheProcessAndStartBringsItBackOnTheSamePortWithItsData() throws Exception {
    MeiliNode node = MeiliNodes.shared().nodes(1).get(0);
    long task = node.call("POST", "/indexes/survivor/documents?primaryKey=id",
        "[{\"id\":1,\"title\":\"Moby Dick\"},{\"id\":2,\"title\":\"Dracula\"}]").getLong("taskUid");
    assertEquals("succeeded", node.waitForTask(task, TASK_TIMEOUT).getString("status"));
    long pid = node.pid();
    int port = node.port();

    node.kill();

    assertFalse(node.alive());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is gone");
    assertThrows(ConnectException.class, () -> get(node.address() + "/health"));

    node.start();

    assertTrue(node.alive());
    assertEquals(port, node.port());
    assertNotEquals(pid, node.pid());
    assertEquals(200, get(node.address() + "/health").statusCode());
    JsonObject hits = node.call("POST", "/indexes/survivor/search", "{\"q\":\"dracula\"}");
    assertEquals(1, hits.getJsonArray("hits").size());
    assertEquals(2, node.call("GET", "/indexes/survivor/stats", null).getInteger("numberOfDocuments"));
  }

  @Test
  void poolRestartsDeadNodesAndResumesPausedOnes() throws Exception {
    List<MeiliNode> nodes = MeiliNodes.shared().nodes(2);
    MeiliNode dead = nodes.get(0);
    MeiliNode frozen = nodes.get(1);
    int deadPort = dead.port();
    dead.kill();
    frozen.pause();
    assertTrue(frozen.alive());
    assertFalse(frozen.healthy(), "a paused node does not answer");

    List<MeiliNode> again = MeiliNodes.shared().nodes(2);

    for (MeiliNode node : again) {
      assertTrue(node.alive(), node + " alive");
      assertTrue(node.healthy(), node + " healthy");
    }
    assertEquals(deadPort, again.get(0).port(), "restarted on the same port");
  }

  @Test
  void stopIsGracefulAndRestartable() {
    MeiliNode node = MeiliNodes.shared().nodes(1).get(0);
    node.stop();
    assertFalse(node.alive());
    node.start();
    assertTrue(node.healthy());
    assertThrows(IllegalStateException.class, node::start, "already running");
  }

  @Test
  void referenceIsASeparateNode() {
    List<MeiliNode> nodes = MeiliNodes.shared().nodes(3);
    MeiliNode ref = MeiliNodes.shared().reference();

    assertTrue(ref.healthy());
    assertFalse(nodes.contains(ref));
    assertFalse(nodes.stream().anyMatch(n -> n.port() == ref.port()));
    ref.call("POST", "/indexes", "{\"uid\":\"only_on_ref\"}");
    assertEquals(ref, MeiliNodes.shared().reference());
    assertEquals(0, ref.call("GET", "/indexes", null).getInteger("total"), "reference() resets too");
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private static Set<String> keySet(List<?> keys) {
    Set<String> out = new HashSet<>();
    for (Object k : keys) {
      JsonObject key = k instanceof JsonObject j ? j : new JsonObject((java.util.Map<String, Object>) k);
      out.add(key.getString("uid") + "=" + key.getString("key") + "/" + key.getString("name"));
    }
    return out;
  }
}
