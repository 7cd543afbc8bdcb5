package io.miroir.node;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.miroir.metrics.MiroirMetrics;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP access to one Meilisearch node over a shared keep-alive pool. Authenticates with the node master key unless
 * the caller passes the client's own token (forwarded routes, D5).
 */
public final class NodeClient {
  private final String nodeId;
  private final String baseUrl;
  private final HttpClientAgent http;
  private final String nodeKey;
  private final long timeoutMs;
  private final MiroirMetrics metrics;

  public NodeClient(String nodeId, String baseUrl, HttpClientAgent http, String nodeKey, long timeoutMs,
      MiroirMetrics metrics) {
    this.nodeId = nodeId;
    this.baseUrl = baseUrl;
    this.http = http;
    this.nodeKey = nodeKey;
    this.timeoutMs = timeoutMs;
    this.metrics = metrics;
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
   * or null.
   */
  public Future<NodeResponse> send(HttpMethod method, String pathAndQuery, Object body, String token,
      long timeout) {
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setAbsoluteURI(baseUrl + pathAndQuery)
        .setTimeout(timeout);
    String bearer = token != null ? token : nodeKey;
    if (bearer != null && !bearer.isEmpty()) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
    }
    Buffer payload = encode(body);
    if (payload != null) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    long started = System.nanoTime();
    return http.request(options)
        .compose(req -> payload == null ? req.send() : req.send(payload))
        .compose(this::readBody)
        .recover(this::unreachable)
        .onComplete(ar -> metrics.nodeCall(nodeId, MiroirMetrics.operationOf(method.name(), pathAndQuery),
            System.nanoTime() - started, errorType(ar)));
  }

  /** Probes {@code GET /health} with its own timeout. */
  public Future<Boolean> probe(long timeout) {
    return send(HttpMethod.GET, "/health", null, null, timeout).map(NodeResponse::ok).otherwise(false);
  }

  private static String errorType(io.vertx.core.AsyncResult<NodeResponse> ar) {
    if (ar.failed()) {
      return ar.cause() instanceof NodeUnreachableException u && u.refused() ? "refused" : "unreachable";
    }
    int status = ar.result().status();
    return status >= 500 ? "status_5xx" : null;
  }

  private Future<NodeResponse> readBody(HttpClientResponse response) {
    return response.body().map(buf -> new NodeResponse(nodeId, response.statusCode(), buf));
  }

  private <T> Future<T> unreachable(Throwable failure) {
    if (failure instanceof NodeUnreachableException) {
      return Future.failedFuture(failure);
    }
    boolean refused = failure instanceof ConnectException
        || (failure.getCause() instanceof ConnectException)
        || String.valueOf(failure.getMessage()).contains("Connection refused")
        || String.valueOf(failure.getMessage()).contains("Connection reset");
    return Future.failedFuture(new NodeUnreachableException(nodeId, refused, failure));
  }

  private static Buffer encode(Object body) {
    if (body == null) {
      return null;
    }
    if (body instanceof Buffer b) {
      return b;
    }
    if (body instanceof JsonObject o) {
      return o.toBuffer();
    }
    if (body instanceof JsonArray a) {
      return a.toBuffer();
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
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
