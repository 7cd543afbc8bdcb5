package io.miroir.keys;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.node.Broadcast;
import io.miroir.node.Fleet;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys across the fleet (D5). Every node holds the identical key set: at start-up and whenever a node comes
 * back, the first serving node's keys are copied to the others with the same {@code uid}s (a key's value is derived
 * from the shared node master key and its uid, so equal uids give equal values). Key writes are broadcast with
 * explicit uids. For routes Miroir orchestrates itself, a client's API key is looked up on a node and its actions,
 * indexes and expiry enforced here (API reference §5.2).
 */
public final class KeyService {
  private static final Logger LOG = LoggerFactory.getLogger(KeyService.class);
  private static final long CACHE_MS = 1_000;
  /** Read actions granted by {@code *.get} (API reference §5.2). */
  private static final Set<String> STAR_GET = Set.of("search", "documents.get", "indexes.get", "tasks.get",
      "settings.get", "stats.get", "metrics.get", "version", "experimental.get", "network.get", "chats.get",
      "chatsSettings.get", "webhooks.get", "export");
  private final Fleet fleet;
  private final long timeoutMs;
  private final Map<String, CachedKey> cache = new ConcurrentHashMap<>();

  private record CachedKey(Future<JsonObject> key, long at) {
  }

  public KeyService(Fleet fleet, long timeoutMs) {
    this.fleet = fleet;
    this.timeoutMs = timeoutMs;
  }

  /** Completes when the key exists, has not expired, and grants {@code action} on {@code indexUid}. */
  public Future<Void> authorize(String token, String action, String indexUid) {
    return lookup(token).compose(key -> {
      if (key == null || expired(key) || !grants(key.getJsonArray("actions"), action)
          || (indexUid != null && !coversIndex(key.getJsonArray("indexes"), indexUid))) {
        return Future.failedFuture(new MeiliException(ErrorCode.INVALID_API_KEY, "The provided API key is invalid."));
      }
      return Future.succeededFuture();
    });
  }

  private Future<JsonObject> lookup(String token) {
    long now = System.currentTimeMillis();
    CachedKey cached = cache.get(token);
    if (cached != null && now - cached.at < CACHE_MS) {
      return cached.key;
    }
    Future<JsonObject> key = fleet.onReader(node -> node.call(HttpMethod.GET,
            "/keys/" + NodeClient.encodePath(token), null))
        .map(r -> r.ok() ? r.json() : null);
    if (cache.size() > 10_000) {
      cache.clear();
    }
    cache.put(token, new CachedKey(key, now));
    return key;
  }

  public void invalidate() {
    cache.clear();
  }

  static boolean grants(JsonArray actions, String action) {
    if (actions == null) {
      return false;
    }
    for (Object a : actions) {
      String granted = (String) a;
      if (granted.equals("*") || granted.equals(action)) {
        return true;
      }
      if (granted.equals("*.get") && STAR_GET.contains(action)) {
        return true;
      }
      if (granted.endsWith(".*") && action.startsWith(granted.substring(0, granted.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  static boolean coversIndex(JsonArray indexes, String indexUid) {
    if (indexes == null) {
      return false;
    }
    for (Object i : indexes) {
      String pattern = (String) i;
      if (pattern.equals("*") || pattern.equals(indexUid)
          || (pattern.endsWith("*") && indexUid.startsWith(pattern.substring(0, pattern.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean expired(JsonObject key) {
    String expiresAt = key.getString("expiresAt");
    return expiresAt != null && OffsetDateTime.parse(expiresAt).toInstant().isBefore(Instant.now());
  }

  /**
   * Makes every writable node hold exactly the key set of the reference node (the first serving one): deletes the
   * others' extra keys and creates the missing ones with the same uid and fields.
   */
  public Future<Void> synchronize() {
    List<NodeClient> nodes = fleet.writableNodes();
    if (nodes.size() < 2) {
      return Future.succeededFuture();
    }
    NodeClient reference = fleet.primaryReader().orElse(nodes.get(0));
    return listKeys(reference).compose(referenceKeys -> {
      List<Future<Void>> syncs = new ArrayList<>();
      for (NodeClient node : nodes) {
        if (!node.nodeId().equals(reference.nodeId())) {
          syncs.add(listKeys(node).compose(keys -> align(node, referenceKeys, keys)));
        }
      }
      return Future.all(syncs).<Void>mapEmpty();
    }).onSuccess(v -> invalidate())
        .onFailure(err -> LOG.warn("key synchronisation incomplete: {}", err.getMessage()));
  }

  /** Aligns only {@code nodeId} with the reference node (a node that came back). */
  public Future<Void> synchronize(String nodeId) {
    NodeClient node = fleet.client(nodeId);
    NodeClient reference = fleet.primaryReader().filter(r -> !r.nodeId().equals(nodeId)).orElse(null);
    if (reference == null) {
      return Future.succeededFuture();
    }
    return listKeys(reference).compose(ref -> listKeys(node).compose(keys -> align(node, ref, keys)));
  }

  private Future<List<JsonObject>> listKeys(NodeClient node) {
    return node.call(HttpMethod.GET, "/keys?limit=100000", null).compose(r -> {
      if (!r.ok()) {
        return Future.failedFuture(r.error());
      }
      List<JsonObject> keys = new ArrayList<>();
      r.json().getJsonArray("results").forEach(k -> keys.add((JsonObject) k));
      return Future.succeededFuture(keys);
    });
  }

  private Future<Void> align(NodeClient node, List<JsonObject> reference, List<JsonObject> current) {
    Map<String, JsonObject> have = new HashMap<>();
    current.forEach(k -> have.put(k.getString("uid"), k));
    Set<String> wanted = new HashSet<>();
    List<Future<NodeResponse>> calls = new ArrayList<>();
    for (JsonObject key : reference) {
      String uid = key.getString("uid");
      wanted.add(uid);
      if (!have.containsKey(uid) && !expired(key)) {
        calls.add(node.call(HttpMethod.POST, "/keys", creationBody(key)));
      }
    }
    for (String uid : have.keySet()) {
      if (!wanted.contains(uid)) {
        calls.add(node.call(HttpMethod.DELETE, "/keys/" + uid, null));
      }
    }
    return Future.all(calls).mapEmpty();
  }

  private static JsonObject creationBody(JsonObject key) {
    return new JsonObject()
        .put("uid", key.getString("uid"))
        .put("name", key.getValue("name"))
        .put("description", key.getValue("description"))
        .put("actions", key.getJsonArray("actions"))
        .put("indexes", key.getJsonArray("indexes"))
        .put("expiresAt", key.getValue("expiresAt"));
  }

  /**
   * Broadcasts a key write to every node; every node must be reachable. Answers the reference node's response.
   */
  public Future<NodeResponse> broadcast(HttpMethod method, String path, Object body) {
    List<NodeClient> nodes = fleet.allNodes();
    if (fleet.writableNodes().size() < nodes.size()) {
      return Future.failedFuture(new MeiliException(ErrorCode.MIROIR_NODE_UNREACHABLE,
          "API keys cannot be changed while a node is unreachable; every node must hold the same keys."));
    }
    return Broadcast.send(nodes, method, path, body, null, timeoutMs).compose(out -> {
      invalidate();
      if (!out.failures().isEmpty()) {
        return Future.failedFuture(out.failures().values().iterator().next());
      }
      return Future.succeededFuture(out.responses().values().iterator().next());
    });
  }
}
