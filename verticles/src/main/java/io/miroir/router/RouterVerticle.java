package io.miroir.router;

import io.miroir.json.JsonOutput;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.node.NodeUnreachableException;
import io.miroir.runtime.Services;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Function;
import static net.logstash.logback.argument.StructuredArguments.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing HTTP server: the Meilisearch API and the {@code /_miroir/} admin API. It authenticates the
 * caller, hands each route to its handler and turns the handler's {@link Reply} or failure into an HTTP answer
 * shaped like Meilisearch's (API reference §3.12, §7.7).
 */
public final class RouterVerticle extends AbstractVerticle {
  private static final Logger LOG = LoggerFactory.getLogger(RouterVerticle.class);
  private static final Logger ACCESS = LoggerFactory.getLogger("miroir.access");
  static final String REQUEST_ID = "X-Request-Id";
  /** Routing-context key under which a handler records how many nodes it asked. */
  public static final String FAN_OUT = "miroir.fanOut";
  private final Services services;
  private HttpServer server;

  public RouterVerticle(Services services) {
    this.services = services;
  }

  @Override
  public void start(Promise<Void> started) {
    Router router = Router.router(vertx);
    router.route().handler(this::observe);
    router.route().handler(this::normalizePath);
    router.route().handler(this::cors);
    router.route().handler(BodyHandler.create(false)
        .setBodyLimit(services.config().server().maxBodyBytes())
        .setHandleFileUploads(false));
    Auth auth = new Auth(services);
    new InstanceRoutes(services).mount(router, auth);
    new IndexRoutes(services).mount(router, auth);
    new DocumentRoutes(services).mount(router, auth);
    new SearchRoutes(services).mount(router, auth);
    new SettingsRoutes(services).mount(router, auth);
    new TaskRoutes(services).mount(router, auth);
    new KeyRoutes(services).mount(router, auth);
    new AdminRoutes(services).mount(router, auth);
    new FleetRoutes(services).mount(router, auth);
    new CanaryRoutes(services).mount(router, auth);
    router.errorHandler(404, ctx -> ctx.response().setStatusCode(404).end());
    router.errorHandler(405, ctx -> ctx.response().setStatusCode(405).end());
    router.errorHandler(413, this::payloadTooLarge);
    router.errorHandler(500, ctx -> fail(ctx, ctx.failure()));
    HttpServerOptions options = new HttpServerOptions()
        .setPort(services.config().server().port())
        .setHost(services.config().server().bind())
        .setDecompressionSupported(true)
        .setCompressionSupported(true)
        .setTcpNoDelay(true);
    vertx.createHttpServer(options)
        .requestHandler(router)
        .listen()
        .onSuccess(s -> {
          server = s;
          LOG.info("Miroir listening on {}:{}", services.config().server().bind(), s.actualPort());
          started.complete();
        })
        .onFailure(started::fail);
  }

  /** The port actually bound (useful when the configured port is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Gives the request an id ({@code X-Request-Id} when the client sent one), echoes it, and when the response ends
   * records the request's metrics and one JSON access-log line (route template, index, duration, fan-out,
   * degraded). Secrets never reach the log: neither headers nor bodies are logged.
   */
  private void observe(RoutingContext ctx) {
    long started = System.nanoTime();
    String given = ctx.request().getHeader(REQUEST_ID);
    String requestId = given != null && !given.isBlank() && given.length() <= 200 ? given : requestId();
    ctx.put(REQUEST_ID, requestId);
    ctx.response().putHeader(REQUEST_ID, requestId);
    services.metrics().requestStarted();
    ctx.addEndHandler(ar -> {
      long nanos = System.nanoTime() - started;
      int status = ctx.response().getStatusCode();
      String template = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "unmatched"
          : ctx.currentRoute().getPath();
      services.metrics().requestFinished(ctx.request().method().name(), template, status, nanos);
      ACCESS.info("request", kv("request_id", requestId), kv("method", ctx.request().method().name()),
          kv("path_template", template), kv("status", status), kv("index", ctx.pathParam("indexUid")),
          kv("duration_ms", nanos / 1_000_000.0), kv("node_count", ctx.get(FAN_OUT)),
          kv("degraded", ctx.response().headers().contains("X-Miroir-Degraded")));
    });
    ctx.next();
  }

  /**
   * A random (version 4) UUID for a request that brought no id. Request ids only need to be unique, not
   * unpredictable, so they come from ThreadLocalRandom rather than UUID.randomUUID's SecureRandom.
   */
  static String requestId() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(high, low).toString();
  }

  /** Meilisearch trims trailing slashes before routing. */
  private void normalizePath(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (path.length() > 1 && path.endsWith("/")) {
      String query = ctx.request().query();
      ctx.reroute(path.replaceAll("/+$", "") + (query == null ? "" : "?" + query));
      return;
    }
    ctx.next();
  }

  /** Meilisearch allows every origin, method and header (API reference §7.7). */
  private void cors(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.putHeader("access-control-allow-origin", "*");
    response.putHeader("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    if ("OPTIONS".equals(ctx.request().method().name())
        && ctx.request().getHeader("Access-Control-Request-Method") != null) {
      String headers = ctx.request().getHeader("Access-Control-Request-Headers");
      response.putHeader("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
      if (headers != null) {
        response.putHeader("access-control-allow-headers", headers);
      }
      response.putHeader("access-control-max-age", "86400");
      response.setStatusCode(200).end();
      return;
    }
    ctx.next();
  }

  private void payloadTooLarge(RoutingContext ctx) {
    fail(ctx, io.miroir.meili.DocumentPayload.payloadTooLarge(services.config().server().maxBodyBytes()));
  }

  /**
   * Binds a handler: identifies the caller for {@code scope}, checks {@code action} itself on ENFORCED routes, runs
   * the handler and writes its reply or error.
   */
  static io.vertx.core.Handler<RoutingContext> handle(Auth auth, Auth.Scope scope, String action,
      Function<ApiRequest, Future<Reply>> handler) {
    boolean keysRoute = action != null && action.startsWith("keys.");
    return ctx -> {
      Future<Reply> reply;
      try {
        ApiRequest request = new ApiRequest(ctx, auth.identify(ctx, scope, keysRoute));
        reply = scope == Auth.Scope.ENFORCED
            ? auth.authorize(request.credential(), action, request.indexUid()).compose(v -> handler.apply(request))
            : handler.apply(request);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(r -> write(ctx, r)).onFailure(err -> fail(ctx, err));
    };
  }

  static void write(RoutingContext ctx, Reply reply) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    if (reply.fanOut() > 0) {
      ctx.put(FAN_OUT, reply.fanOut());
    }
    response.setStatusCode(reply.status());
    reply.headers().forEach(response::putHeader);
    Object body = reply.body();
    if (body == null) {
      response.end();
      return;
    }
    if (!response.headers().contains("content-type")) {
      response.putHeader("content-type", "application/json");
    }
    if (body instanceof Buffer b) {
      response.end(b);
    } else if (body instanceof JsonObject || body instanceof JsonArray) {
      // JsonOutput copies the raw parts of node answers (search hits) instead of re-encoding them.
      response.end(JsonOutput.toBuffer(body));
    } else {
      response.end(io.vertx.core.json.Json.encode(body));
    }
  }

  static void fail(RoutingContext ctx, Throwable err) {
    MeiliException error = asMeili(err);
    if (error.httpStatus() >= 500 && !(err instanceof MeiliException)) {
      LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), err);
    }
    Reply reply = Reply.of(error.httpStatus(), error.body());
    if (error.httpStatus() == 503) {
      reply = reply.withHeader("Retry-After", "10");
    }
    write(ctx, reply);
  }

  private static MeiliException asMeili(Throwable err) {
    if (err instanceof MeiliException m) {
      return m;
    }
    if (err instanceof NodeUnreachableException u) {
      return new MeiliException(ErrorCode.MIROIR_NODE_UNREACHABLE, "Node `" + u.nodeId()
          + "` did not answer: " + (u.getCause() == null ? "" : u.getCause().getMessage()));
    }
    return new MeiliException(ErrorCode.INTERNAL, "Internal error: " + err);
  }
}
