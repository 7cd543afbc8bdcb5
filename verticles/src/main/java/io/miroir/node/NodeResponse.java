package io.miroir.node;

import io.miroir.json.RawJson;
import io.miroir.meili.MeiliException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A node's HTTP answer: status and raw body, parsed only when a caller needs it. */
public record NodeResponse(String nodeId, int status, Buffer body) {

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  public JsonObject json() {
    return body == null || body.length() == 0 ? new JsonObject() : body.toJsonObject();
  }

  /**
   * The body of a search answer with its {@code hits} left as raw bytes until read ({@link RawJson}): the merge reads
   * a few fields of each hit and the client's window is written back byte for byte. Same values as {@link #json}.
   */
  public JsonObject searchJson() {
    return RawJson.searchAnswer(body);
  }

  public JsonArray jsonArray() {
    return body.toJsonArray();
  }

  /** The body as a JSON array, or null when it is JSON {@code null} or not an array. */
  public JsonArray jsonArrayOrNull() {
    Object value = body == null || body.length() == 0 ? null : io.vertx.core.json.Json.decodeValue(body);
    return value instanceof JsonArray a ? a : null;
  }

  /** The node's Meilisearch error as an exception carrying its status and body unchanged. */
  public MeiliException error() {
    return MeiliException.fromNode(status, json());
  }

  /** The enqueued task uid of a 202 answer. */
  public long taskUid() {
    return json().getLong("taskUid");
  }
}
