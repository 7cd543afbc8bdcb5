package io.miroir.node;

import io.miroir.cluster.NodeCall;
import io.miroir.json.JsonOutput;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Calls to one Meilisearch node, made through a {@link NodeTransport} (the scatter verticle, or HTTP directly).
 * Authenticates with the node master key unless the caller passes the client's own token (forwarded routes, D5).
 */
public final class NodeClient {
  private final String nodeId;
  private final String baseUrl;
  private final NodeTransport transport;
  private final String nodeKey;
  private final long timeoutMs;

  public NodeClient(String nodeId, String baseUrl, NodeTransport transport, String nodeKey, long timeoutMs) {
    this.nodeId = nodeId;
    this.baseUrl = baseUrl;
    this.transport = transport;
    this.nodeKey = nodeKey;
    this.timeoutMs = timeoutMs;
  }

  public String nodeId() {
    return nodeId;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** A call with the node master key. */
  public Future<NodeResponse> call(HttpMethod method, String path, Object body) {
    return send(method, path, body, null, timeoutMs);
  }

  /**
   * A call authenticated by {@code token}: the node key when null. {@code body} is a JsonObject, JsonArray, Buffer
   * or null. Fails with {@link NodeUnreachableException} when the node does not answer.
   */
  public Future<NodeResponse> send(HttpMethod method, String pathAndQuery, Object body, String token,
      long timeout) {
    NodeCall call = new NodeCall(nodeId, method.name(), baseUrl + pathAndQuery, encode(body),
        token != null ? token : nodeKey, timeout);
    return transport.send(call).compose(result -> result.answered()
        ? Future.succeededFuture(new NodeResponse(nodeId, result.status(), result.body()))
        : Future.failedFuture(new NodeUnreachableException(nodeId, result.refused(),
            new java.io.IOException(result.failure()))));
  }

  /** Probes {@code GET /health} with its own timeout. */
  public Future<Boolean> probe(long timeout) {
    return send(HttpMethod.GET, "/health", null, null, timeout).map(NodeResponse::ok).otherwise(false);
  }

  private static Buffer encode(Object body) {
    if (body == null) {
      return null;
    }
    if (body instanceof Buffer b) {
      return b;
    }
    if (body instanceof JsonObject || body instanceof JsonArray) {
      return JsonOutput.toBuffer(body);
    }
    if (body instanceof String s) {
      return Buffer.buffer(s);
    }
    return Buffer.buffer(io.vertx.core.json.Json.encode(body));
  }

  /** Renders query parameters, percent-encoded, with a leading {@code ?} (empty when none). */
  public static String query(MultiMap params) {
    if (params == null || params.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : params.entries()) {
      b.append(b.length() == 0 ? '?' : '&')
          .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  public static String encodePath(String segment) {
    if (unreserved(segment)) {
      // Index uids are alphanumeric with - and _: nothing to encode (the common case, once per node call).
      return segment;
    }
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** True when URLEncoder leaves every character of {@code s} as it is. */
  private static boolean unreserved(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
          || c == '.' || c == '*')) {
        return false;
      }
    }
    return true;
  }
}
