package io.miroir.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.meili.MeiliException;
import io.miroir.router.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The small pure pieces of the read path (SPEC §1.4, D13): GET parameters, node verdicts. */
class ReadPathPiecesTest {
  @Test
  void anEmptyListParameterIsAnEmptyList() {
    JsonObject body = SearchParams.fromQuery(MultiMap.caseInsensitiveMultiMap().add("facets", "")
        .add("attributesToRetrieve", "id, title"));
    assertEquals(new JsonArray(), body.getJsonArray("facets"), "Meilisearch reads facets= as []");
    assertEquals(new JsonArray().add("id").add("title"), body.getJsonArray("attributesToRetrieve"));
  }

  @Test
  void aNodeErrorLosesReservedNamesAndKeepsItsHeaders() {
    JsonObject error = new JsonObject().put("message", "Attribute `isbn` is not filterable. Available filterable "
        + "attribute patterns are: `genre`, `_miroir_shard`.").put("code", "invalid_search_filter");
    Reply node = Reply.of(400, Buffer.buffer(error.encode())).withHeader("X-Test", "1");
    Reply cleaned = NodeFields.withoutReservedNames(node);
    assertEquals(400, cleaned.status());
    assertEquals("Attribute `isbn` is not filterable. Available filterable attribute patterns are: `genre`.",
        ((JsonObject) cleaned.body()).getString("message"));
    assertEquals("invalid_search_filter", ((JsonObject) cleaned.body()).getString("code"));
    assertEquals("1", cleaned.headers().get("X-Test"));
    Reply plain = Reply.of(404, Buffer.buffer("{\"message\":\"Index `x` not found.\"}"));
    assertSame(plain, NodeFields.withoutReservedNames(plain));
  }

  @Test
  void aNodeThatAcceptsTheClientsRequestIsNeverPassedOn() {
    Future<Reply> partial = NodeFields.judged(() -> Future.succeededFuture(Reply.ok(new JsonObject()
        .put("hits", new JsonArray().add(new JsonObject().put("_miroir_shard", 1))))));
    assertTrue(partial.failed());
    assertTrue(partial.cause() instanceof MeiliException, String.valueOf(partial.cause()));
    Future<Reply> error = NodeFields.judged(() -> Future.succeededFuture(Reply.of(400,
        Buffer.buffer("{\"message\":\"bad\",\"code\":\"invalid_search_q\"}"))));
    assertEquals(400, error.result().status());
  }
}
