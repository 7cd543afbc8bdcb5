package io.miroir.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The cheapest proxy Vert.x allows, as a floor for Miroir's CPU per request (scripts/bench, docs/benchmarks.md):
 * each request is sent as it is to every upstream node and the first node's answer is returned as it came, with no
 * routing, parsing, merging, logging or metrics. With one upstream it is a pass-through proxy like the nginx
 * baseline; with three it does the HTTP exchanges of a 3-node scatter and nothing else. Same HTTP options as
 * Miroir's router and node client, one verticle (one event loop).
 *
 * <p>Usage: {@code FloorProxy PORT UPSTREAM_URL...}; prints {@code FLOOR_READY} once listening.
 */
public final class FloorProxy extends AbstractVerticle {
  private final int port;
  private final List<String> upstreams;
  private HttpClientAgent client;

  private FloorProxy(int port, List<String> upstreams) {
    this.port = port;
    this.upstreams = upstreams;
  }

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: FloorProxy PORT UPSTREAM_URL...");
      System.exit(2);
    }
    List<String> upstreams = List.of(args).subList(1, args.length);
    Vertx.vertx().deployVerticle(new FloorProxy(Integer.parseInt(args[0]), upstreams))
        .onSuccess(id -> System.out.println("FLOOR_READY"))
        .onFailure(err -> {
          err.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public void start(Promise<Void> started) {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setDecompressionSupported(false), new PoolOptions().setHttp1MaxSize(64));
    vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(this::handle)
        .listen(port, "127.0.0.1")
        .<Void>mapEmpty()
        .onComplete(started);
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      List<Future<Buffer>> answers = new ArrayList<>(upstreams.size());
      for (String upstream : upstreams) {
        RequestOptions options = new RequestOptions().setMethod(req.method())
            .setAbsoluteURI(upstream + req.uri());
        String auth = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (auth != null) {
          options.putHeader(HttpHeaders.AUTHORIZATION, auth);
        }
        options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        answers.add(client.request(options).compose(r -> r.send(body)).compose(r -> r.body()));
      }
      Future.all(answers).onComplete(all -> {
        if (all.succeeded()) {
          req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(answers.get(0).result());
        } else {
          req.response().setStatusCode(502).end();
        }
      });
    });
  }
}
