package io.miroir.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages cross JVMs intact and are handed over without copying inside one. */
class CodecsTest {
  private static <T> T roundTrip(MessageCodec<T, T> codec, T message) {
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, message);
    return codec.decodeFromWire(6, wire);
  }

  @Test
  void everyMessageSurvivesTheWireAndIsNotCopiedLocally() {
    NodeCall call = new NodeCall("meili-0", "POST", "http://127.0.0.1:1/indexes/x/search",
        Buffer.buffer("{\"q\":\"é\"}"), null, 1500);
    MessageCodec<NodeCall, NodeCall> calls = Codecs.NODE_CALL;
    assertEquals(call, roundTrip(calls, call));
    assertSame(call, calls.transform(call));
    NodeResult ok = NodeResult.answered("meili-1", 202, Buffer.buffer("{\"taskUid\":3}"));
    NodeResult refused = NodeResult.unreachable("meili-2", "Connection refused", true);
    MessageCodec<NodeResult, NodeResult> results = Codecs.NODE_RESULT;
    assertEquals(ok, roundTrip(results, ok));
    NodeResult back = roundTrip(results, refused);
    assertEquals(refused, back);
    assertNull(back.body());
    MergeRequest merge = new MergeRequest(new JsonObject().put("q", "a"), new JsonObject().put("x", 1),
        List.of(new JsonObject().put("hits", 1), new JsonObject().put("hits", 2)));
    MessageCodec<MergeRequest, MergeRequest> merges = Codecs.MERGE_REQUEST;
    assertEquals(merge, roundTrip(merges, merge));
    MergeRequest counted = new MergeRequest(merge.clientRequest(), merge.settings(), merge.answers(),
        List.of(new JsonObject().put("totalHits", 3)));
    assertEquals(counted, roundTrip(merges, counted));
    assertSame(merge, merges.transform(merge));
  }

  @Test
  void localRequestsHandOverTheSameObject() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Codecs.register(vertx.eventBus());
      NodeCall call = new NodeCall("n", "GET", "http://x/health", null, null, 10);
      vertx.eventBus().<NodeCall>consumer("test.echo", m -> m.reply(NodeResult.answered(
          m.body() == call ? "same" : "copied", 200, null)));
      NodeResult reply = vertx.eventBus().<NodeResult>request("test.echo", call).toCompletionStage()
          .toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS).body();
      assertEquals("same", reply.nodeId());
    } finally {
      vertx.close();
    }
  }
}
