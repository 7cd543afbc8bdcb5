package io.miroir.settings;

import io.miroir.node.Fleet;
import io.miroir.node.NodeClient;
import io.miroir.merge.IndexView;
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

  private static final class Entry {
    final Future<JsonObject> settings;
    final long fetchedAt;
    /** The merge's view of the settings, made the first time a search asks for it. */
    volatile IndexView view;

    Entry(Future<JsonObject> settings, long fetchedAt) {
      this.settings = settings;
      this.fetchedAt = fetchedAt;
    }
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

  /**
   * The merge's view of {@code settings} (as {@link #get} returned them for {@code indexUid}): made once per fetch
   * and shared by the searches that read the same settings, else made anew.
   */
  public IndexView view(String indexUid, JsonObject settings) {
    Entry entry = entries.get(indexUid);
    if (entry == null || !entry.settings.succeeded() || entry.settings.result() != settings) {
      return IndexView.fromSettings(settings);
    }
    IndexView view = entry.view;
    if (view == null) {
      entry.view = view = IndexView.fromSettings(settings);
    }
    return view;
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
