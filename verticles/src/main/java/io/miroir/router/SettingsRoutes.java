package io.miroir.router;

import static io.miroir.router.Fanout.indexPath;
import static io.miroir.router.RouterVerticle.handle;

import io.miroir.merge.ReservedFields;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/**
 * Settings (SPEC §2.1, D7, D13): every route and sub-route of Meilisearch 1.21. Reads come from one node with
 * Miroir's fields removed; writes are broadcast to every node as one task with {@code _miroir_shard} kept
 * filterable whatever the client sends, and verified on every node when they complete.
 */
final class SettingsRoutes {
  /** Sub-route → its update verb (API reference §1.3). */
  static final Map<String, HttpMethod> SUB_ROUTES = Map.ofEntries(
      Map.entry("filterable-attributes", HttpMethod.PUT), Map.entry("sortable-attributes", HttpMethod.PUT),
      Map.entry("displayed-attributes", HttpMethod.PUT), Map.entry("searchable-attributes", HttpMethod.PUT),
      Map.entry("typo-tolerance", HttpMethod.PATCH), Map.entry("stop-words", HttpMethod.PUT),
      Map.entry("non-separator-tokens", HttpMethod.PUT), Map.entry("separator-tokens", HttpMethod.PUT),
      Map.entry("dictionary", HttpMethod.PUT), Map.entry("synonyms", HttpMethod.PUT),
      Map.entry("distinct-attribute", HttpMethod.PUT), Map.entry("proximity-precision", HttpMethod.PUT),
      Map.entry("localized-attributes", HttpMethod.PUT), Map.entry("ranking-rules", HttpMethod.PUT),
      Map.entry("faceting", HttpMethod.PATCH), Map.entry("pagination", HttpMethod.PATCH),
      Map.entry("embedders", HttpMethod.PATCH), Map.entry("search-cutoff-ms", HttpMethod.PUT),
      Map.entry("facet-search", HttpMethod.PUT), Map.entry("prefix-search", HttpMethod.PUT),
      Map.entry("chat", HttpMethod.PATCH), Map.entry("vector-store", HttpMethod.PATCH));
  /** Every field a full reset sets back to its default (API reference §1.3). */
  static final List<String> RESETTABLE = List.of("displayedAttributes", "searchableAttributes",
      "filterableAttributes", "sortableAttributes", "rankingRules", "stopWords", "nonSeparatorTokens",
      "separatorTokens", "dictionary", "synonyms", "distinctAttribute", "proximityPrecision", "typoTolerance",
      "faceting", "pagination", "embedders", "searchCutoffMs", "localizedAttributes", "facetSearch",
      "prefixSearch");
  private final Services services;
  private final Fanout fanout;

  SettingsRoutes(Services services) {
    this.services = services;
    this.fanout = new Fanout(services);
  }

  void mount(Router router, Auth auth) {
    router.get("/indexes/:indexUid/settings").handler(handle(auth, Auth.Scope.FORWARDED, "settings.get",
        req -> read(req, "")));
    router.patch("/indexes/:indexUid/settings").handler(handle(auth, Auth.Scope.ENFORCED, "settings.update",
        this::patchAll));
    router.delete("/indexes/:indexUid/settings").handler(handle(auth, Auth.Scope.ENFORCED, "settings.update",
        this::resetAll));
    SUB_ROUTES.forEach((sub, verb) -> {
      String path = "/indexes/:indexUid/settings/" + sub;
      router.get(path).handler(handle(auth, Auth.Scope.FORWARDED, "settings.get", req -> read(req, "/" + sub)));
      router.route(verb, path).handler(handle(auth, Auth.Scope.ENFORCED, "settings.update",
          req -> updateSub(req, sub, verb)));
      router.delete(path).handler(handle(auth, Auth.Scope.ENFORCED, "settings.update", req -> resetSub(req, sub)));
    });
  }

  private Future<Reply> read(ApiRequest req, String sub) {
    return fanout.forward(req, HttpMethod.GET, indexPath(req.indexUid()) + "/settings" + sub, null).map(r -> {
      if (!r.ok()) {
        return Reply.of(r.status(), r.body());
      }
      Object value = io.vertx.core.json.Json.decodeValue(r.body());
      if (value instanceof JsonObject settings) {
        return Reply.ok(ReservedFields.stripSettings(settings));
      }
      if (value instanceof JsonArray list) {
        return Reply.ok(ReservedFields.stripAttributeList(list));
      }
      return Reply.of(r.status(), r.body());
    });
  }

  private Future<Reply> patchAll(ApiRequest req) {
    Object body = parsedOrRaw(req);
    if (body instanceof JsonObject settings && settings.containsKey("filterableAttributes")) {
      settings = settings.copy();
      settings.put("filterableAttributes", ReservedFields.shardOnly()
          .filterableForNodes(settings.getJsonArray("filterableAttributes")));
      body = settings;
    }
    return broadcast(req, HttpMethod.PATCH, "", body);
  }

  /** A full reset is a PATCH of every field to null, except that {@code _miroir_shard} stays filterable. */
  private Future<Reply> resetAll(ApiRequest req) {
    JsonObject reset = new JsonObject();
    RESETTABLE.forEach(reset::putNull);
    reset.put("filterableAttributes", ReservedFields.shardOnly().filterableForNodes(null));
    return broadcast(req, HttpMethod.PATCH, "", reset);
  }

  private Future<Reply> updateSub(ApiRequest req, String sub, HttpMethod verb) {
    Object body = parsedOrRaw(req);
    if (sub.equals("filterable-attributes") && (body == null || body instanceof JsonArray)) {
      body = ReservedFields.shardOnly().filterableForNodes((JsonArray) body);
    }
    return broadcast(req, verb, "/" + sub, body);
  }

  private Future<Reply> resetSub(ApiRequest req, String sub) {
    if (sub.equals("filterable-attributes")) {
      return broadcast(req, HttpMethod.PUT, "/" + sub, ReservedFields.shardOnly().filterableForNodes(null));
    }
    return broadcast(req, HttpMethod.DELETE, "/" + sub, null);
  }

  private Future<Reply> broadcast(ApiRequest req, HttpMethod method, String sub, Object body) {
    String uid = req.indexUid();
    services.settings().invalidate(uid);
    return fanout.broadcastTask(method, indexPath(uid) + "/settings" + sub, body, uid, "settingsUpdate",
        new JsonObject().put("verifySettings", true));
  }

  /**
   * The parsed JSON body when it is valid JSON with the right content type; otherwise the raw bytes, which every
   * node then rejects with Meilisearch's own error.
   */
  private static Object parsedOrRaw(ApiRequest req) {
    req.requireJsonContentType();
    try {
      return req.json();
    } catch (RuntimeException e) {
      return req.body();
    }
  }
}
