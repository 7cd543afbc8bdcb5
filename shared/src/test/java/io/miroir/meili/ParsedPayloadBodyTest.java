package io.miroir.meili;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The node bodies of {@link ParsedPayload#withField}: the client's documents with the field added. */
class ParsedPayloadBodyTest {

  static List<Arguments> payloads() {
    return List.of(
        Arguments.of("application/json", "[{\"id\":1,\"t\":\"a\"},{\"id\":2},{\"id\":3,\"n\":{\"x\":[1,2]}}]"),
        Arguments.of("application/json", " [ {\"id\" : 1 , \"t\":\"a\" } ,\n{ \"id\":2 }, {\"id\":3} ] "),
        Arguments.of("application/json", "[{\"id\":1,\"f\":1.0,\"e\":1e2,\"big\":123456789012345678901234567890,"
            + "\"s\":\"\\u00e9\\n\"},{\"id\":2},{\"id\":3}]"),
        Arguments.of("application/json", "[{\"id\":1,\"id2\":1,\"id2\":2},{\"id\":2},{\"id\":3}]"),
        Arguments.of("application/json", "{\"id\":1,\"t\":\"only\"}"),
        Arguments.of("application/x-ndjson", "{\"id\":1,\"t\":\"a\"}\n{\"id\":2}\n\n{\"id\":3}\n"),
        Arguments.of("text/csv", "id,t\n1,a\n2,b\n3,c\n"));
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void documentsWithTheField(String contentType, String body) {
    ParsedPayload payload = DocumentPayload.parsePayload(Buffer.buffer(body), contentType, null);
    int n = payload.documents().size();
    int[] values = new int[n];
    List<Integer> positions = new ArrayList<>();
    for (int i = n - 1; i >= 0; i--) {
      values[i] = 10 + i;
      if (i != 1 || n == 1) {
        positions.add(i);
      }
    }
    Buffer out = payload.withField(positions, "_miroir_shard", values);

    JsonArray expected = new JsonArray();
    for (int p : positions) {
      expected.add(payload.documents().get(p).copy().put("_miroir_shard", values[p]));
    }
    JsonArray actual = new JsonArray(out);
    assertEquals(expected, actual);
    for (int i = 0; i < positions.size(); i++) {
      assertEquals(new ArrayList<>(expected.getJsonObject(i).fieldNames()),
          new ArrayList<>(actual.getJsonObject(i).fieldNames()), "member order");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"[{},{ }]", "[{\"a\":{}},{\"b\":[]}]"})
  void emptyAndNestedObjects(String body) {
    ParsedPayload payload = DocumentPayload.parsePayload(Buffer.buffer(body), "application/json", null);
    Buffer out = payload.withField(List.of(0, 1), "_miroir_shard", new int[] {3, 4});
    JsonArray actual = new JsonArray(out);
    assertEquals(3, actual.getJsonObject(0).getInteger("_miroir_shard"));
    assertEquals(4, actual.getJsonObject(1).getInteger("_miroir_shard"));
    assertEquals(payload.documents().get(0).size() + 1, actual.getJsonObject(0).size());
  }

  @org.junit.jupiter.api.Test
  void compactJsonIsCopiedAsSent() {
    String body = "[{\"id\":\"a\",\"n\":1.50,\"x\":[1,2]},{\"id\":\"b\"}]";
    ParsedPayload payload = DocumentPayload.parsePayload(Buffer.buffer(body), "application/json", null);
    assertEquals("[{\"id\":\"a\",\"n\":1.50,\"x\":[1,2],\"_miroir_shard\":7},{\"id\":\"b\",\"_miroir_shard\":8}]",
        payload.withField(List.of(0, 1), "_miroir_shard", new int[] {7, 8}).toString());
    JsonObject one = new JsonObject().put("id", "a");
    assertEquals(one.copy().put("_miroir_shard", 1).encode(), new JsonArray(DocumentPayload.parsePayload(
        one.toBuffer(), "application/json", null).withField(List.of(0), "_miroir_shard", new int[] {1}))
        .getJsonObject(0).encode());
  }
}
