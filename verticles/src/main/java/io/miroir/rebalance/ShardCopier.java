package io.miroir.rebalance;

import io.miroir.config.MiroirConfig;
import io.miroir.merge.ReservedFields;
import io.miroir.node.NodeClient;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes one shard of one index on a target node equal to the same shard on a source node (SPEC §3.2): pages the
 * source with {@code _miroir_shard = s} and writes the pages to the target. A comparing pass writes only the
 * documents that differ there, then deletes from the target the documents of the shard the source does not have;
 * it is cheap when little changed, which is what the delta pass and a resumed run rely on.
 *
 * <p>Ordering against client writes: in a comparing pass each page is read and written while holding the index's
 * write turn in this process ({@code IndexService.serialized}), after both nodes have applied everything enqueued
 * on the index; so a client write is either already in the page read from the source, or enqueued on the target
 * after the page. A document is deleted from the target only if the source, read under the same turn, does not
 * have it. The first pass takes no turn: what it gets wrong under concurrent writes, the comparing passes repair.
 */
final class ShardCopier {
  private final Services services;
  private final NodeTasks tasks;
  private final MiroirConfig.RebalancerConfig config;

  ShardCopier(Services services, NodeTasks tasks, MiroirConfig.RebalancerConfig config) {
    this.services = services;
    this.tasks = tasks;
    this.config = config;
  }

  /**
   * One pass of the copy of {@code progress.copy} from {@code sourceId}. The first pass ({@code compare} false)
   * writes every page as read; later passes compare with the target, write only what differs and delete what the
   * source no longer has.
   */
  Future<Void> sync(CopyProgress progress, String sourceId, String primaryKey, boolean vectors, boolean compare) {
    NodeClient source = services.fleet().client(sourceId);
    NodeClient target = services.fleet().client(progress.copy.target());
    progress.start(sourceId, compare);
    Pass pass = new Pass(progress, source, target, primaryKey, vectors, compare, System.currentTimeMillis());
    return pages(pass, 0)
        .compose(v -> compare ? extras(pass) : Future.succeededFuture())
        .compose(v -> confirmWrites(pass))
        .map(v -> {
          progress.passes++;
          return null;
        });
  }

  private record Pass(CopyProgress progress, NodeClient source, NodeClient target, String primaryKey,
      boolean vectors, boolean compare, long startedMs, Set<String> seen, List<Long> writes) {
    Pass(CopyProgress progress, NodeClient source, NodeClient target, String primaryKey, boolean vectors,
        boolean compare, long startedMs) {
      this(progress, source, target, primaryKey, vectors, compare, startedMs, new HashSet<>(), new ArrayList<>());
    }

    String uid() {
      return progress.copy.index();
    }

    int shard() {
      return progress.copy.shard();
    }
  }

  private Future<Void> pages(Pass pass, int offset) {
    int limit = config.pageSize();
    java.util.function.Supplier<Future<Integer>> page = () -> fetch(pass.source, pass, offset, limit, null)
        .compose(found -> {
          if (pass.progress.total < 0 || offset == 0) {
            pass.progress.total = found.getLong("total", 0L);
          }
          JsonArray docs = found.getJsonArray("results", new JsonArray());
          if (docs.isEmpty()) {
            return Future.succeededFuture(0);
          }
          return writeDifferences(pass, docs).map(v -> docs.size());
        });
    // A first pass copies at full speed; a concurrent client write may then reach the target before an older
    // copy of its document, which the comparing passes find and repair under the index's write turn.
    Future<Integer> step = pass.compare
        ? services.indexes().serialized(pass.uid(), () -> settled(pass).compose(v -> page.get()))
        : page.get();
    return step
        .compose(count -> {
          pass.progress.read += count;
          if (count < limit) {
            return Future.succeededFuture();
          }
          return throttle(pass).compose(v -> pages(pass, offset + count));
        });
  }

  /** Both nodes have applied what was enqueued on the index; the target only matters when comparing. */
  private Future<Void> settled(Pass pass) {
    Future<Void> source = tasks.settle(pass.source, pass.uid());
    return pass.compare ? source.compose(v -> tasks.settle(pass.target, pass.uid())) : source;
  }

  private Future<Void> writeDifferences(Pass pass, JsonArray docs) {
    List<Object> ids = new ArrayList<>(docs.size());
    for (Object o : docs) {
      Object id = ((JsonObject) o).getValue(pass.primaryKey);
      ids.add(id);
      pass.seen.add(String.valueOf(id));
    }
    if (!pass.compare) {
      return write(pass, docs);
    }
    return fetch(pass.target, pass, 0, ids.size(), ids).compose(existing -> {
      Map<String, JsonObject> there = new HashMap<>();
      for (Object o : existing.getJsonArray("results", new JsonArray())) {
        JsonObject doc = (JsonObject) o;
        there.put(String.valueOf(doc.getValue(pass.primaryKey)), doc);
      }
      JsonArray changed = new JsonArray();
      for (Object o : docs) {
        JsonObject doc = (JsonObject) o;
        if (!doc.equals(there.get(String.valueOf(doc.getValue(pass.primaryKey))))) {
          changed.add(doc);
        }
      }
      return changed.isEmpty() ? Future.succeededFuture() : write(pass, changed);
    });
  }

  private Future<Void> write(Pass pass, JsonArray docs) {
    return enqueue(pass, HttpMethod.POST, documentsPath(pass.uid()), docs).map(v -> {
      pass.progress.written += docs.size();
      services.metrics().registry().counter("miroir_rebalance_documents_migrated_total").increment(docs.size());
      return null;
    });
  }

  /** Deletes from the target the shard's documents the source does not hold, checked again under the turn. */
  private Future<Void> extras(Pass pass) {
    pass.progress.phase = "removing extras";
    return targetIds(pass, 0, new ArrayList<>()).compose(onTarget -> {
      List<Object> candidates = new ArrayList<>();
      for (Object id : onTarget) {
        if (!pass.seen.contains(String.valueOf(id))) {
          candidates.add(id);
        }
      }
      return deleteMissing(pass, candidates, 0);
    });
  }

  private Future<List<Object>> targetIds(Pass pass, int offset, List<Object> acc) {
    int limit = config.pageSize();
    JsonObject body = new JsonObject().put("filter", ReservedFields.SHARD + " = " + pass.shard())
        .put("fields", new JsonArray().add(pass.primaryKey)).put("offset", offset).put("limit", limit);
    return call(pass.target, HttpMethod.POST, documentsPath(pass.uid()) + "/fetch", body).compose(page -> {
      JsonArray docs = page.getJsonArray("results", new JsonArray());
      for (Object o : docs) {
        acc.add(((JsonObject) o).getValue(pass.primaryKey));
      }
      return docs.size() < limit ? Future.succeededFuture(acc) : targetIds(pass, offset + limit, acc);
    });
  }

  private Future<Void> deleteMissing(Pass pass, List<Object> candidates, int from) {
    if (from >= candidates.size()) {
      return Future.succeededFuture();
    }
    List<Object> chunk = candidates.subList(from, Math.min(candidates.size(), from + config.pageSize()));
    return services.indexes().serialized(pass.uid(), () -> settled(pass)
        .compose(v -> fetch(pass.source, pass, 0, chunk.size(), chunk))
        .compose(page -> {
          Set<String> onSource = new HashSet<>();
          for (Object o : page.getJsonArray("results", new JsonArray())) {
            onSource.add(String.valueOf(((JsonObject) o).getValue(pass.primaryKey)));
          }
          JsonArray gone = new JsonArray();
          for (Object id : chunk) {
            if (!onSource.contains(String.valueOf(id))) {
              gone.add(id);
            }
          }
          if (gone.isEmpty()) {
            return Future.succeededFuture();
          }
          return enqueue(pass, HttpMethod.POST, documentsPath(pass.uid()) + "/delete-batch", gone)
              .map(v -> {
                pass.progress.deleted += gone.size();
                return null;
              });
        }))
        .compose(v -> deleteMissing(pass, candidates, from + chunk.size()));
  }

  /** Every write of this pass succeeded on the target. */
  private Future<Void> confirmWrites(Pass pass) {
    pass.progress.phase = "confirming";
    Future<Void> chain = Future.succeededFuture();
    for (long uid : pass.writes) {
      chain = chain.compose(v -> tasks.awaitSuccess(pass.target, uid).mapEmpty());
    }
    return chain;
  }

  private Future<Void> enqueue(Pass pass, HttpMethod method, String path, JsonArray body) {
    return pass.target.call(method, path, body).compose(r -> {
      if (r.status() != 202) {
        return Future.failedFuture(r.error());
      }
      pass.writes.add(r.taskUid());
      return Future.succeededFuture();
    });
  }

  private Future<JsonObject> fetch(NodeClient node, Pass pass, int offset, int limit, List<Object> ids) {
    JsonObject body = new JsonObject().put("filter", ReservedFields.SHARD + " = " + pass.shard())
        .put("offset", offset).put("limit", limit);
    if (ids != null) {
      body.put("ids", new JsonArray(new ArrayList<>(ids)));
    }
    if (pass.vectors) {
      body.put("retrieveVectors", true);
    }
    return call(node, HttpMethod.POST, documentsPath(pass.uid()) + "/fetch", body);
  }

  private static Future<JsonObject> call(NodeClient node, HttpMethod method, String path, Object body) {
    return node.call(method, path, body).compose(r -> r.ok() ? Future.succeededFuture(r.json())
        : Future.failedFuture(r.error()));
  }

  /** Sleeps as long as needed to keep this copy under {@code max_docs_per_second}. */
  private Future<Void> throttle(Pass pass) {
    long rate = config.maxDocsPerSecond();
    if (rate <= 0) {
      return Future.succeededFuture();
    }
    long dueMs = pass.startedMs + pass.progress.read * 1000 / rate;
    long wait = dueMs - System.currentTimeMillis();
    if (wait <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> slept = Promise.promise();
    services.vertx().setTimer(wait, id -> slept.complete());
    return slept.future();
  }

  static String documentsPath(String uid) {
    return "/indexes/" + NodeClient.encodePath(uid) + "/documents";
  }
}
