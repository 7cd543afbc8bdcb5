package io.miroir.router;

import static io.miroir.router.RouterVerticle.handle;

import io.miroir.node.NodeClient;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.UUID;

/**
 * API keys (D5): reads from one node, writes broadcast to every node with an explicit {@code uid} so every node
 * derives the same key value.
 */
final class KeyRoutes {
  private final Services services;
  private final Fanout fanout;

  KeyRoutes(Services services) {
    this.services = services;
    this.fanout = new Fanout(services);
  }

  void mount(Router router, Auth auth) {
    router.get("/keys").handler(handle(auth, Auth.Scope.FORWARDED, "keys.get",
        req -> fanout.passThrough(req, HttpMethod.GET, "/keys" + req.rawQuery(), null)));
    router.get("/keys/:key").handler(handle(auth, Auth.Scope.FORWARDED, "keys.get",
        req -> fanout.passThrough(req, HttpMethod.GET, "/keys/" + NodeClient.encodePath(req.param("key")), null)));
    router.post("/keys").handler(handle(auth, Auth.Scope.ENFORCED, "keys.create", this::create));
    router.patch("/keys/:key").handler(handle(auth, Auth.Scope.ENFORCED, "keys.update",
        req -> write(req, HttpMethod.PATCH, req.body())));
    router.delete("/keys/:key").handler(handle(auth, Auth.Scope.ENFORCED, "keys.delete",
        req -> write(req, HttpMethod.DELETE, null)));
  }

  /**
   * Gives the key an explicit uid when the client did not, then broadcasts. A body a node would reject is first
   * shown to one node, so an invalid key is never half-created.
   */
  private Future<Reply> create(ApiRequest req) {
    Object parsed;
    try {
      parsed = req.json();
    } catch (RuntimeException e) {
      return fanout.passThrough(req, HttpMethod.POST, "/keys", req.body());
    }
    if (!(parsed instanceof JsonObject body)) {
      return fanout.passThrough(req, HttpMethod.POST, "/keys", req.body());
    }
    JsonObject withUid = body.copy();
    if (!withUid.containsKey("uid")) {
      withUid.put("uid", UUID.randomUUID().toString());
    }
    return services.keys().broadcast(HttpMethod.POST, "/keys", withUid)
        .map(r -> Reply.of(r.status(), r.body()));
  }

  private Future<Reply> write(ApiRequest req, HttpMethod method, Object body) {
    String path = "/keys/" + NodeClient.encodePath(req.param("key"));
    return services.keys().broadcast(method, path, body)
        .map(r -> Reply.of(r.status(), r.body()));
  }
}
