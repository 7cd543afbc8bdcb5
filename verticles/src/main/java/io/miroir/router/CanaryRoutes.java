package io.miroir.router;

import static io.miroir.router.RouterVerticle.handle;

import io.miroir.cluster.Addresses;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The canary admin API of SPEC §2.7 and §13.18: {@code POST /_miroir/canaries} defines (or replaces) a canary,
 * {@code GET /_miroir/canaries/status} shows every canary with its owner and recent runs,
 * {@code DELETE /_miroir/canaries/{name}} removes one defined through the API. Served by a {@code canary} verticle
 * of this process or, without one, of another process of the cluster.
 */
final class CanaryRoutes {
  private static final long TIMEOUT_MS = 10_000;
  private final Services services;

  CanaryRoutes(Services services) {
    this.services = services;
  }

  void mount(Router router, Auth auth) {
    router.post("/_miroir/canaries").handler(handle(auth, Auth.Scope.ADMIN, null, this::define));
    router.get("/_miroir/canaries/status").handler(handle(auth, Auth.Scope.ADMIN, null, this::status));
    router.delete("/_miroir/canaries/:name").handler(handle(auth, Auth.Scope.ADMIN, null, this::delete));
  }

  private Future<Reply> define(ApiRequest req) {
    return request(Addresses.CANARY_DEFINE, req.jsonObject()).map(body -> Reply.of(201, body));
  }

  private Future<Reply> status(ApiRequest req) {
    int runs = 10;
    String given = req.query().get("runs");
    if (given != null) {
      try {
        runs = Integer.parseInt(given);
      } catch (NumberFormatException e) {
        runs = -1;
      }
      if (runs < 0 || runs > 10_000) {
        return Future.failedFuture(new MeiliException(ErrorCode.BAD_REQUEST, "`runs` must be an integer between 0 "
            + "and 10000, got `" + given + "`."));
      }
    }
    return request(Addresses.CANARY_STATUS, new JsonObject().put("runs", runs)).map(Reply::ok);
  }

  private Future<Reply> delete(ApiRequest req) {
    return request(Addresses.CANARY_DELETE, new JsonObject().put("name", req.param("name"))).map(Reply::ok);
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(TIMEOUT_MS)
        .setLocalOnly(services.verticles().contains("canary"));
    return services.bus().eventBus().<JsonObject>request(address, body, options).map(Message::body)
        .recover(err -> Future.failedFuture(asMeili(err)));
  }

  /** The canary verticle's failure codes (HTTP statuses) as Miroir's errors. */
  private static Throwable asMeili(Throwable err) {
    if (!(err instanceof ReplyException reply)) {
      return err;
    }
    if (reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return new MeiliException(ErrorCode.MIROIR_VERTICLE_UNAVAILABLE, "No process of the cluster running the "
          + "`canary` verticle answered (" + reply.failureType() + "): start one with `--verticles canary` or the "
          + "default set.");
    }
    return switch (reply.failureCode()) {
      case 400 -> new MeiliException(ErrorCode.MIROIR_INVALID_CANARY, "Invalid canary: " + reply.getMessage());
      case 404 -> new MeiliException(ErrorCode.MIROIR_CANARY_NOT_FOUND, capitalized(reply.getMessage()) + ".");
      case 409 -> new MeiliException(ErrorCode.MIROIR_CANARY_DEFINED_IN_CONFIG, capitalized(reply.getMessage())
          + ".");
      default -> new MeiliException(ErrorCode.INTERNAL, reply.getMessage());
    };
  }

  private static String capitalized(String text) {
    return text == null || text.isEmpty() ? "" : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
