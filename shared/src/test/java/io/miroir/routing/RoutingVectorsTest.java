package io.miroir.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every vector of the independent implementation (SPEC §1.2) must be reproduced byte for byte. */
class RoutingVectorsTest {
  private static JsonObject vectors() throws IOException {
    try (InputStream in = RoutingVectorsTest.class.getResourceAsStream("/fixtures/routing-vectors.json")) {
      return new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void shardForKeyMatchesEveryVector() throws IOException {
    JsonArray cases = vectors().getJsonArray("shard_for_key");
    assertTrue(cases.size() > 300);
    for (Object o : cases) {
      JsonObject c = (JsonObject) o;
      assertEquals(c.getInteger("shard"), ShardHasher.shardForKey(c.getString("key"), c.getInteger("shards")),
          () -> "shard of " + c.encode());
    }
  }

  @Test
  void scoreMatchesEveryVectorUnsigned() throws IOException {
    JsonArray cases = vectors().getJsonArray("score");
    assertTrue(cases.size() > 50);
    for (Object o : cases) {
      JsonObject c = (JsonObject) o;
      long score = ShardHasher.score(c.getInteger("shard"), c.getString("node"));
      assertEquals(c.getString("score"), Long.toUnsignedString(score), () -> "score of " + c.encode());
    }
  }

  @Test
  void ownersMatchEveryVector() throws IOException {
    JsonArray cases = vectors().getJsonArray("owners");
    assertTrue(cases.size() > 100);
    for (Object o : cases) {
      JsonObject c = (JsonObject) o;
      List<String> nodes = strings(c.getJsonArray("nodes"));
      List<String> expected = strings(c.getJsonArray("owners"));
      assertEquals(expected, Rendezvous.assignShardInGroup(c.getInteger("shard"), nodes, c.getInteger("rf")),
          () -> "owners of " + c.encode());
    }
  }

  @Test
  void specExamples() {
    assertEquals(46, ShardHasher.shardForKey("user:123", 64));
    assertEquals(48, ShardHasher.shardForKey("user:456", 64));
    assertEquals(24, ShardHasher.shardForKey("product:abc", 64));
    assertEquals(10, ShardHasher.shardForKey("order:xyz", 64));
    assertEquals(104, ShardHasher.shardForKey("alpha", 128));
    assertEquals(91, ShardHasher.shardForKey("beta", 128));
    assertEquals(0xc8c4ed66089ada41L, ShardHasher.score(0, "node-a"));
    List<String> abc = List.of("node-a", "node-b", "node-c");
    assertEquals(List.of("node-a", "node-b", "node-c"), Rendezvous.rank(0, abc));
    assertEquals(List.of("node-b", "node-a", "node-c"), Rendezvous.rank(1, abc));
    assertEquals(List.of("node-b", "node-c", "node-a"), Rendezvous.rank(2, abc));
    assertEquals(List.of("node-a", "node-b", "node-c"), Rendezvous.rank(3, abc));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add((String) v));
    return out;
  }
}
