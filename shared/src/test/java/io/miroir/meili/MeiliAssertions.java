package io.miroir.meili;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Shared assertions: every expected answer below was observed on a real Meilisearch 1.21.0 node. */
final class MeiliAssertions {
  private MeiliAssertions() {
  }

  static Buffer bytes(String text) {
    return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
  }

  static Buffer raw(byte... bytes) {
    return Buffer.buffer(bytes);
  }

  /** {@code before}, one raw byte (typically invalid UTF-8), then {@code after}. */
  static Buffer withByte(String before, int b, String after) {
    return Buffer.buffer().appendString(before).appendByte((byte) b).appendString(after);
  }

  /** Asserts the whole error body Meilisearch answered: status, message, code, type and link. */
  static void assertMeili(int status, String code, String message, Executable call) {
    MeiliException e = assertThrows(MeiliException.class, call);
    assertEquals(status, e.httpStatus(), "status");
    assertEquals(new JsonObject().put("message", message).put("code", code).put("type", ErrorCode.typeOf(code))
        .put("link", "https://docs.meilisearch.com/errors#" + code), e.body());
  }

  static void assertMalformedJson(String serdeMessage, String body) {
    assertMeili(400, "malformed_payload",
        "The `json` payload provided is malformed. `Couldn't serialize document value: " + serdeMessage + "`.",
        () -> DocumentPayload.parse(bytes(body), "application/json", null));
  }

  static void assertMalformedNdjson(String serdeMessage, String body) {
    assertMeili(400, "malformed_payload",
        "The `ndjson` payload provided is malformed. `Couldn't serialize document value: " + serdeMessage + "`.",
        () -> DocumentPayload.parse(bytes(body), "application/x-ndjson", null));
  }

  /** The documents as serde_json prints them, so that integer/float distinctions are checked too. */
  static String printed(List<JsonObject> docs) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < docs.size(); i++) {
      out.append(i > 0 ? "," : "").append(SerdeJson.write(docs.get(i)));
    }
    return out.append(']').toString();
  }
}
