package io.miroir.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.testing.ApiClient;
import io.miroir.testing.ApiClient.Response;
import io.miroir.testing.MeiliNode;
import io.miroir.testing.MeiliNodes;
import io.miroir.testing.MiroirHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every document and index route of the core issue through Miroir (RF=2, so each write reaches two nodes): payload
 * formats, partial updates, every kind of deletion, renames and swaps, task cancelation and deletion, oversize
 * bodies and invalid settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocumentLifecycleTest {
  private MiroirHarness miroir;
  private ApiClient api;

  @BeforeAll
  void start() {
    miroir = MiroirHarness.start(MeiliNodes.shared().nodes(3), 2, 1, 8,
        Map.of("server", Map.of("port", 0, "bind", "127.0.0.1", "max_body_bytes", 65_536)));
    api = miroir.client();
  }

  @AfterAll
  void stop() {
    miroir.close();
  }

  private int count(String index) {
    return api.get("/indexes/" + index + "/stats").json().getInteger("numberOfDocuments");
  }

  @Test
  void ndjsonCsvAndPartialUpdates() {
    String index = "formats";
    Response r = api.send("POST", "/indexes/" + index + "/documents?primaryKey=sku",
        "{\"sku\":\"a-1\",\"name\":\"lamp\",\"price\":12}\n{\"sku\":\"a-2\",\"name\":\"desk\",\"price\":80}\n",
        "application/x-ndjson");
    assertEquals(202, r.status(), r.body());
    assertEquals("succeeded", api.waitTask(r.json().getLong("taskUid")).getString("status"));
    r = api.send("POST", "/indexes/" + index + "/documents", "sku,name,price:number\na-3,chair,45\n", "text/csv");
    assertEquals(202, r.status(), r.body());
    assertEquals("succeeded", api.waitTask(r.json().getLong("taskUid")).getString("status"));
    assertEquals(new JsonObject().put("sku", "a-3").put("name", "chair").put("price", 45),
        api.get("/indexes/" + index + "/documents/a-3").json());
    assertEquals("sku", api.get("/indexes/" + index).json().getString("primaryKey"));

    api.writeAndWait("PUT", "/indexes/" + index + "/documents",
        new JsonArray().add(new JsonObject().put("sku", "a-1").put("price", 15)));
    assertEquals(new JsonObject().put("sku", "a-1").put("name", "lamp").put("price", 15),
        api.get("/indexes/" + index + "/documents/a-1").json(), "PUT merges fields");
    assertEquals(new JsonObject().put("name", "desk"),
        api.get("/indexes/" + index + "/documents/a-2?fields=name").json(), "fields honoured");
    Response missing = api.get("/indexes/" + index + "/documents/nope");
    assertEquals(404, missing.status());
    assertEquals("document_not_found", missing.json().getString("code"));
    for (MeiliNode node : miroir.nodes()) {
      assertEquals("sku", MiroirHarness.direct(node).get("/indexes/" + index).json().getString("primaryKey"),
          "primary key set on " + node.id() + " before any document reached it");
    }
  }

  @Test
  void everyKindOfDeletion() {
    String index = "deletions";
    api.writeAndWait("POST", "/indexes", new JsonObject().put("uid", index).put("primaryKey", "id"));
    api.writeAndWait("PATCH", "/indexes/" + index + "/settings",
        new JsonObject().put("filterableAttributes", new JsonArray().add("genre")));
    api.writeAndWait("POST", "/indexes/" + index + "/documents", Corpus.documents(50));
    assertEquals(50, count(index));

    JsonObject one = api.writeAndWait("DELETE", "/indexes/" + index + "/documents/7", null);
    assertEquals(1, one.getJsonObject("details").getInteger("deletedDocuments"), one.encode());
    assertEquals(404, api.get("/indexes/" + index + "/documents/7").status());

    JsonObject batch = api.writeAndWait("POST", "/indexes/" + index + "/documents/delete-batch",
        new JsonArray().add(1).add("2").add(3).add(999));
    assertEquals(4, batch.getJsonObject("details").getInteger("providedIds"));
    assertEquals(3, batch.getJsonObject("details").getInteger("deletedDocuments"), batch.encode());
    assertEquals(46, count(index));

    JsonObject byFilter = api.writeAndWait("POST", "/indexes/" + index + "/documents/delete",
        new JsonObject().put("filter", "genre = poetry"));
    assertEquals("\"genre = poetry\"", byFilter.getJsonObject("details").getString("originalFilter"));
    int poetryLeft = 50 / 5 - 2; // ids 2 and 7 were poetry and are already gone
    assertEquals(poetryLeft, byFilter.getJsonObject("details").getInteger("deletedDocuments"), byFilter.encode());
    assertEquals(46 - poetryLeft, count(index));

    Response badFilter = api.post("/indexes/" + index + "/documents/delete", new JsonObject().put("filter", ""));
    assertEquals(400, badFilter.status(), badFilter.body());
    assertEquals("invalid_document_filter", badFilter.json().getString("code"));

    api.writeAndWait("DELETE", "/indexes/" + index + "/documents", null);
    assertEquals(0, count(index));
    for (MeiliNode node : miroir.nodes()) {
      assertEquals(0, MiroirHarness.direct(node).get("/indexes/" + index + "/stats").json()
          .getInteger("numberOfDocuments"), "empty on " + node.id());
    }
  }

  @Test
  void indexesAreRenamedSwappedAndDeleted() {
    api.writeAndWait("POST", "/indexes/swap_a/documents", new JsonArray().add(new JsonObject().put("id", 1)
        .put("side", "a")));
    api.writeAndWait("POST", "/indexes/swap_b/documents", new JsonArray().add(new JsonObject().put("id", 1)
        .put("side", "b")));
    api.writeAndWait("POST", "/swap-indexes", new JsonArray().add(new JsonObject()
        .put("indexes", new JsonArray().add("swap_a").add("swap_b"))));
    assertEquals("b", api.get("/indexes/swap_a/documents/1").json().getString("side"));
    assertEquals("a", api.get("/indexes/swap_b/documents/1").json().getString("side"));

    JsonObject list = api.get("/indexes?limit=100").json();
    assertTrue(list.getJsonArray("results").stream().anyMatch(i -> "swap_a".equals(((JsonObject) i)
        .getString("uid"))));

    api.writeAndWait("DELETE", "/indexes/swap_b", null);
    Response gone = api.get("/indexes/swap_b");
    assertEquals(404, gone.status());
    assertEquals("index_not_found", gone.json().getString("code"));
    for (MeiliNode node : miroir.nodes()) {
      assertEquals(404, MiroirHarness.direct(node).get("/indexes/swap_b").status(), "deleted on " + node.id());
    }
    Response exists = api.post("/indexes", new JsonObject().put("uid", "swap_a"));
    assertEquals(202, exists.status());
    JsonObject failed = api.waitTask(exists.json().getLong("taskUid"));
    assertEquals("failed", failed.getString("status"));
    assertEquals("index_already_exists", failed.getJsonObject("error").getString("code"));
  }

  @Test
  void tasksAreCanceledAndDeleted() {
    api.writeAndWait("POST", "/indexes/tasks_idx/documents", Corpus.documents(5));
    Response cancel = api.post("/tasks/cancel?statuses=enqueued,processing", null);
    assertEquals(200, cancel.status(), cancel.body());
    assertEquals("taskCancelation", cancel.json().getString("type"));
    JsonObject canceled = api.waitTask(cancel.json().getLong("taskUid"));
    assertEquals("succeeded", canceled.getString("status"), canceled.encode());
    assertEquals("?statuses=enqueued,processing", canceled.getJsonObject("details").getString("originalFilter"));

    Response noFilter = api.delete("/tasks");
    assertEquals(400, noFilter.status());
    assertEquals("missing_task_filters", noFilter.json().getString("code"));
    Response deletion = api.delete("/tasks?indexUids=tasks_idx");
    assertEquals(200, deletion.status(), deletion.body());
    JsonObject deleted = api.waitTask(deletion.json().getLong("taskUid"));
    assertEquals(1, deleted.getJsonObject("details").getInteger("deletedTasks"), deleted.encode());
    assertEquals(0, api.get("/tasks?indexUids=tasks_idx").json().getInteger("total"));
  }

  @Test
  void badInputGetsMeilisearchErrorsAndChangesNothing() {
    String index = "badinput";
    api.writeAndWait("POST", "/indexes/" + index + "/documents", Corpus.documents(5));
    String before = api.get("/indexes/" + index + "/settings").body();

    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 2_000; i++) {
      big.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"text\":\"padding padding\"}");
    }
    Response tooLarge = api.send("POST", "/indexes/" + index + "/documents", big.append(']').toString(),
        "application/json");
    assertEquals(413, tooLarge.status(), tooLarge.body());
    assertEquals("payload_too_large", tooLarge.json().getString("code"));

    Response badSettings = api.patch("/indexes/" + index + "/settings",
        new JsonObject().put("rankingRules", new JsonArray().add("nonsense:up")));
    assertEquals(400, badSettings.status(), badSettings.body());
    assertEquals("invalid_settings_ranking_rules", badSettings.json().getString("code"));

    Response wrongType = api.send("POST", "/indexes/" + index + "/documents", "id\n1\n", "text/plain");
    assertEquals(415, wrongType.status());
    assertEquals("invalid_content_type", wrongType.json().getString("code"));

    Response badSearch = api.post("/indexes/" + index + "/search", new JsonObject().put("filter", "year >"));
    assertEquals(400, badSearch.status());
    assertEquals("invalid_search_filter", badSearch.json().getString("code"));
    assertFalse(badSearch.body().contains("_miroir"), badSearch.body());

    assertEquals(before, api.get("/indexes/" + index + "/settings").body());
    assertEquals(5, count(index));
    assertNotNull(api.get("/version").json().getString("pkgVersion"));
  }
}
