package io.miroir.index;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.merge.ReservedFields;
import io.miroir.node.Broadcast;
import io.miroir.node.Fleet;
import io.miroir.node.NodeClient;
import io.miroir.node.NodeResponse;
import io.miroir.store.IndexMeta;
import io.miroir.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Index metadata and index-wide changes on every node (SPEC §2.1, D8, D9, D13): creation broadcast to all nodes
 * with {@code _miroir_shard} made filterable, adoption of indexes found on the nodes but unknown to the store, and
 * the primary key recorded and set everywhere before any document is routed. Changes to one index are serialized
 * in this process so two first writes cannot pick different primary keys.
 */
public final class IndexService {
  /**
   * How long a search may use a shard count read from the store before reading it again. Another process of the
   * cluster that deletes an index and creates it again with another shard count is seen after at most this long;
   * this process's own index changes drop the entry at once.
   */
  static final long READ_SHARDS_TTL_MS = 5_000;
  private final TaskStore store;
  private final Fleet fleet;
  private final int defaultShards;
  private final long timeoutMs;
  private final Map<String, Future<?>> tails = new ConcurrentHashMap<>();
  private final Map<String, CachedShards> readShards = new ConcurrentHashMap<>();
  /** Bumped by every local index change, so a store read that raced with one is not kept. */
  private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

  private record CachedShards(SearchMeta meta, long expiresAt) {
  }

  public IndexService(TaskStore store, Fleet fleet, int defaultShards, long timeoutMs) {
    this.store = store;
    this.fleet = fleet;
    this.defaultShards = defaultShards;
    this.timeoutMs = timeoutMs;
  }

  public int defaultShards() {
    return defaultShards;
  }

  /**
   * Node tasks a creation enqueued. {@code mainTasks} holds each node's last task (the reserved-field setting when
   * one followed the creation), {@code followUps} the earlier ones in the {@code meta.followUps} shape of
   * {@code TaskService}. {@code meta} is null when the index already existed.
   */
  public record Creation(Map<String, Long> mainTasks, JsonObject followUps, IndexMeta meta) {
  }

  /** Runs {@code work} after every earlier change to {@code uid} in this process has finished. */
  public <T> Future<T> serialized(String uid, Supplier<Future<T>> work) {
    synchronized (tails) {
      Future<?> tail = tails.getOrDefault(uid, Future.succeededFuture());
      Future<T> next = tail.transform(ignored -> work.get());
      tails.put(uid, next);
      next.onComplete(ar -> tails.remove(uid, next));
      return next;
    }
  }

  /** The recorded metadata, or, for an index that exists on the nodes but not in the store, adopted metadata. */
  public Future<Optional<IndexMeta>> find(String uid) {
    return store.getIndex(uid).compose(found -> found.isPresent() ? Future.succeededFuture(found) : adopt(uid));
  }

  /** The shard count reads of {@code uid} use: recorded, else the default (the nodes will answer if it is absent). */
  public Future<Integer> shardsFor(String uid) {
    return store.getIndex(uid).map(m -> m.map(IndexMeta::shards).orElse(defaultShards));
  }

  /**
   * {@link #shardsFor} for searches, which run far more often than anything that changes it: a recorded count is
   * kept {@link #READ_SHARDS_TTL_MS} (a store read per search costs a thread hop and, with Redis, a round trip).
   * Writes route documents and keep reading the store every time ({@link #shardsFor}).
   */
  public Future<Integer> shardsForSearch(String uid) {
    return searchMeta(uid).map(SearchMeta::shards);
  }

  /** What a search needs to know of an index: its shard count and primary key (null when unknown). */
  public record SearchMeta(int shards, String primaryKey) {
  }

  /** {@link #shardsForSearch}, with the primary key (cached the same way). */
  public Future<SearchMeta> searchMeta(String uid) {
    CachedShards cached = readShards.get(uid);
    long now = System.currentTimeMillis();
    if (cached != null && now < cached.expiresAt()) {
      return Future.succeededFuture(cached.meta());
    }
    long seen = generation.get();
    return store.getIndex(uid).map(m -> {
      if (m.isEmpty()) {
        return new SearchMeta(defaultShards, null);
      }
      SearchMeta meta = new SearchMeta(m.get().shards(), m.get().primaryKey());
      if (generation.get() == seen) {
        readShards.put(uid, new CachedShards(meta, now + READ_SHARDS_TTL_MS));
      }
      return meta;
    });
  }

  /** Drops what this process remembers about {@code uid} (its metadata changed). */
  private void changed(String... uids) {
    generation.incrementAndGet();
    for (String uid : uids) {
      readShards.remove(uid);
    }
  }

  private Future<Optional<IndexMeta>> adopt(String uid) {
    if (fleet.primaryReader().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return fleet.onReader(node -> node.call(HttpMethod.GET, "/indexes/" + NodeClient.encodePath(uid), null))
        .compose(r -> {
      if (!r.ok()) {
        return Future.succeededFuture(Optional.<IndexMeta>empty());
      }
      JsonObject index = r.json();
      Instant now = Instant.now();
      IndexMeta meta = new IndexMeta(uid, index.getString("primaryKey"), defaultShards, 0, now, now);
      changed(uid);
      return ensureReservedFilterable(uid).compose(v -> store.putIndex(meta)).map(v -> Optional.of(meta));
    });
  }

  /**
   * Creates {@code uid} on every node. Every node must be reachable and the index must not exist on any; otherwise
   * the creation is not attempted ({@code index_already_exists} is then reported by the nodes' own tasks) or, if a
   * node failed to enqueue it, rolled back on the others.
   */
  public Future<Creation> create(String uid, String primaryKey, int shards, Object rawBody) {
    List<NodeClient> nodes = fleet.allNodes();
    if (fleet.writableNodes().size() < nodes.size()) {
      return Future.failedFuture(new MeiliException(ErrorCode.MIROIR_NODE_UNREACHABLE,
          "Index `" + uid + "` cannot be created while a node is unreachable; every node must hold every index."));
    }
    String path = "/indexes/" + NodeClient.encodePath(uid);
    return Broadcast.send(nodes, HttpMethod.GET, path, null, null, timeoutMs).compose(existing -> {
      if (!existing.failures().isEmpty()) {
        return Future.failedFuture(unreachable(uid, existing));
      }
      boolean existsSomewhere = existing.responses().values().stream().anyMatch(NodeResponse::ok);
      Object body = rawBody != null ? rawBody : creationBody(uid, primaryKey);
      return Broadcast.send(nodes, HttpMethod.POST, "/indexes", body, null, timeoutMs)
          .compose(created -> afterCreate(uid, primaryKey, shards, nodes, existsSomewhere, created));
    });
  }

  private Future<Creation> afterCreate(String uid, String primaryKey, int shards, List<NodeClient> nodes,
      boolean existedBefore, Broadcast.Outcomes created) {
    NodeResponse rejection = created.firstRejection();
    if (rejection != null && created.okNodes().isEmpty()) {
      return Future.failedFuture(rejection.error());
    }
    if (!created.allOk()) {
      Future<Void> rollback = existedBefore ? Future.succeededFuture() : rollback(uid, created.okNodes());
      return rollback.compose(v -> Future.failedFuture(unreachable(uid, created)));
    }
    if (existedBefore) {
      return Future.succeededFuture(new Creation(created.taskUids(), new JsonObject(), null));
    }
    Instant now = Instant.now();
    IndexMeta meta = new IndexMeta(uid, primaryKey, shards, 0, now, now);
    changed(uid);
    JsonObject reserved = new JsonObject().put("filterableAttributes", new JsonArray().add(ReservedFields.SHARD));
    return Broadcast.send(nodes, HttpMethod.PATCH, "/indexes/" + NodeClient.encodePath(uid) + "/settings", reserved,
        null, timeoutMs).compose(settings -> {
          JsonObject followUps = new JsonObject();
          created.taskUids().forEach((node, task) -> followUps.put(node, new JsonArray().add(task)));
          Map<String, Long> main = new LinkedHashMap<>(created.taskUids());
          main.putAll(settings.taskUids());
          return store.putIndex(meta).onComplete(ar -> changed(uid)).map(v -> new Creation(main, followUps, meta));
        });
  }

  private Future<Void> rollback(String uid, List<String> nodeIds) {
    List<NodeClient> nodes = new ArrayList<>();
    nodeIds.forEach(id -> nodes.add(fleet.client(id)));
    return Broadcast.send(nodes, HttpMethod.DELETE, "/indexes/" + NodeClient.encodePath(uid), null, null, timeoutMs)
        .mapEmpty();
  }

  /** Makes sure {@code _miroir_shard} is filterable on every node (D13), patching only nodes that lack it. */
  public Future<Void> ensureReservedFilterable(String uid) {
    String path = "/indexes/" + NodeClient.encodePath(uid) + "/settings/filterable-attributes";
    return Broadcast.send(fleet.writableNodes(), HttpMethod.GET, path, null, null, timeoutMs).compose(outcomes -> {
      List<Future<NodeResponse>> patches = new ArrayList<>();
      outcomes.responses().forEach((nodeId, r) -> {
        if (r.ok()) {
          JsonArray current = r.jsonArrayOrNull();
          JsonArray wanted = ReservedFields.shardOnly().filterableForNodes(current);
          if (!wanted.equals(current)) {
            patches.add(fleet.client(nodeId).call(HttpMethod.PUT, path, wanted));
          }
        }
      });
      return Future.all(patches).mapEmpty();
    });
  }

  /** Records the primary key and sets it on every node; answers the node tasks to fold into the write's task. */
  public Future<Map<String, Long>> setPrimaryKey(IndexMeta meta, String primaryKey) {
    IndexMeta updated = meta.withPrimaryKey(primaryKey, Instant.now());
    JsonObject body = new JsonObject().put("primaryKey", primaryKey);
    return Broadcast.send(fleet.writableNodes(), HttpMethod.PATCH, "/indexes/" + NodeClient.encodePath(meta.uid()),
        body, null, timeoutMs).compose(out -> store.putIndex(updated).map(v -> out.taskUids()));
  }

  public Future<Void> forget(String uid) {
    changed(uid);
    return store.deleteIndex(uid).onComplete(ar -> changed(uid));
  }

  public Future<Void> rename(String from, String to) {
    changed(from, to);
    return store.getIndex(from).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      return store.deleteIndex(from).compose(v -> store.putIndex(found.get().withUid(to, Instant.now())));
    }).onComplete(ar -> changed(from, to));
  }

  /** Exchanges the metadata of two indexes after a successful swap (their documents moved with their names). */
  public Future<Void> swap(String a, String b) {
    changed(a, b);
    return store.getIndex(a).compose(ma -> store.getIndex(b).compose(mb -> {
      Instant now = Instant.now();
      Future<Void> clear = store.deleteIndex(a).compose(v -> store.deleteIndex(b));
      return clear.compose(v -> ma.isPresent() ? store.putIndex(ma.get().withUid(b, now)) : Future.succeededFuture())
          .compose(v -> mb.isPresent() ? store.putIndex(mb.get().withUid(a, now)) : Future.succeededFuture());
    })).onComplete(ar -> changed(a, b));
  }

  public Future<Void> updatePrimaryKeyRecord(String uid, String primaryKey) {
    return store.getIndex(uid).compose(found -> found.isEmpty() ? Future.succeededFuture()
        : store.putIndex(found.get().withPrimaryKey(primaryKey, Instant.now())));
  }

  private static JsonObject creationBody(String uid, String primaryKey) {
    JsonObject body = new JsonObject().put("uid", uid);
    if (primaryKey != null) {
      body.put("primaryKey", primaryKey);
    }
    return body;
  }

  private static MeiliException unreachable(String uid, Broadcast.Outcomes outcomes) {
    return new MeiliException(ErrorCode.MIROIR_NODE_UNREACHABLE, "Index `" + uid
        + "` could not be created on every node (unreachable: " + outcomes.failures().keySet()
        + "); nothing was kept.");
  }
}
