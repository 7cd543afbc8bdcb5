package io.miroir.settings;

import io.miroir.node.Fleet;
import io.miroir.node.NodeClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The settings of each index as the nodes hold them, fetched once and kept until a settings change, index change
 * or expiry invalidates them. Search merging needs a few of them (ranking rules, pagination and faceting limits)
 * on every query, so they must not cost a node call each time.
 */
public final class SettingsCache {
  private static final long TTL_MS = 30_000;
  private final Fleet fleet;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private record Entry(Future<JsonObject> settings, long fetchedAt) {
  }

  public SettingsCache(Fleet fleet) {
    this.fleet = fleet;
  }

  /** The index's settings, or a failed future carrying the node's error (such as {@code index_not_found}). */
  public Future<JsonObject> get(String indexUid) {
    long now = System.currentTimeMillis();
    Entry entry = entries.get(indexUid);
    if (entry != null && now - entry.fetchedAt < TTL_MS && !entry.settings.failed()) {
      return entry.settings;
    }
    Future<JsonObject> fetched = fetch(indexUid);
    entries.put(indexUid, new Entry(fetched, now));
    return fetched;
  }

  public void invalidate(String indexUid) {
    entries.remove(indexUid);
  }

  private Future<JsonObject> fetch(String indexUid) {
    return fleet.onReader(node -> node.call(HttpMethod.GET,
            "/indexes/" + NodeClient.encodePath(indexUid) + "/settings", null))
        .compose(r -> r.ok() ? Future.succeededFuture(r.json()) : Future.failedFuture(r.error()));
  }
}
