package io.miroir.node;

import io.miroir.cluster.NodeCall;
import io.miroir.cluster.NodeResult;
import io.miroir.metrics.MiroirMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;

/**
 * Node calls over HTTP/1.1 with pooled keep-alive connections per node (the scatter verticle's side). Records the
 * latency and errors of every call per node and operation.
 */
public final class HttpNodeTransport implements NodeTransport {
  private final HttpClientAgent http;
  private final MiroirMetrics metrics;

  public HttpNodeTransport(Vertx vertx, long connectTimeoutMs, MiroirMetrics metrics) {
    this.http = vertx.createHttpClient(new HttpClientOptions()
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            // No compression from nodes: a compressed, chunked answer waits ~40 ms for a delayed ACK (benchmarks.md).
            .setDecompressionSupported(false)
            .setConnectTimeout((int) Math.min(connectTimeoutMs, Integer.MAX_VALUE)),
        new PoolOptions().setHttp1MaxSize(64));
    this.metrics = metrics;
  }

  @Override
  public Future<NodeResult> send(NodeCall call) {
    long started = System.nanoTime();
    return attempt(call).recover(failure -> staleConnection(failure)
            // A pooled connection the node closed or reset (or a node that just died): one fresh connection tells
            // which, and a dead node then refuses it.
            ? attempt(call) : Future.failedFuture(failure))
        .otherwise(failure -> NodeResult.unreachable(call.nodeId(), String.valueOf(failure.getMessage()),
            refused(failure)))
        .onSuccess(result -> metrics.nodeCall(call.nodeId(), MiroirMetrics.operationOf(call.method(),
            pathOf(call.url())), System.nanoTime() - started, errorType(result)));
  }

  private Future<NodeResult> attempt(NodeCall call) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(call.method()))
        .setTimeout(call.timeoutMs());
    target(options, call.url());
    if (call.bearer() != null && !call.bearer().isEmpty()) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + call.bearer());
    }
    if (call.body() != null) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    return http.request(options)
        .compose(req -> call.body() == null ? req.send() : req.send(call.body()))
        .compose(response -> response.body()
            .map(body -> NodeResult.answered(call.nodeId(), response.statusCode(), body)));
  }

  /**
   * Sets host, port and path of a plain {@code http://host:port/path} URL without parsing it as a URI (the common
   * case, once per node call); anything else goes through {@link RequestOptions#setAbsoluteURI}.
   */
  static void target(RequestOptions options, String url) {
    if (url.startsWith("http://")) {
      int slash = url.indexOf('/', 7);
      String authority = slash < 0 ? url.substring(7) : url.substring(7, slash);
      int colon = authority.lastIndexOf(':');
      if (colon > 0 && authority.indexOf('[') < 0 && authority.indexOf('@') < 0) {
        try {
          int port = Integer.parseInt(authority.substring(colon + 1));
          options.setHost(authority.substring(0, colon)).setPort(port).setSsl(false)
              .setURI(slash < 0 ? "/" : url.substring(slash));
          return;
        } catch (NumberFormatException e) {
          // not host:port: let the URI parser decide
        }
      }
    }
    options.setAbsoluteURI(url);
  }

  /** The path (and query) of a node URL, for the metrics' operation label. */
  static String pathOf(String url) {
    int scheme = url.indexOf("://");
    int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    return slash < 0 ? "/" : url.substring(slash);
  }

  private static boolean staleConnection(Throwable failure) {
    return failure instanceof HttpClosedException || (failure instanceof java.io.IOException
        && String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("reset"));
  }

  private static boolean refused(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    return failure instanceof ConnectException || failure.getCause() instanceof ConnectException
        || message.contains("Connection refused") || message.contains("Connection reset");
  }

  private static String errorType(NodeResult result) {
    if (!result.answered()) {
      return result.refused() ? "refused" : "unreachable";
    }
    return result.status() >= 500 ? "status_5xx" : null;
  }

  public void close() {
    http.close();
  }
}
