package io.miroir.router;

import static io.miroir.documents.DocumentWriter.documentsPath;
import static io.miroir.router.RouterVerticle.handle;

import io.miroir.documents.DocumentWriter;
import io.miroir.documents.DocumentReader;
import io.miroir.meili.BatchValidator;
import io.miroir.meili.DocumentError;
import io.miroir.meili.ParsedPayload;
import io.miroir.meili.DocumentPayload;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.meili.PrimaryKeys;
import io.miroir.merge.ReservedFields;
import io.miroir.routing.ShardHasher;
import io.miroir.routing.ShardPlacement;
import io.miroir.routing.WritePlan;
import io.miroir.runtime.Services;
import io.miroir.store.IndexMeta;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Document routes (SPEC §1.3, §2.1, D9, D10): shard-routed additions, updates and deletions by id, broadcast
 * deletions by filter and of everything, and reads of one or many documents.
 */
final class DocumentRoutes {
  private final Services services;
  private final Fanout fanout;
  private final DocumentWriter writer;
  private final DocumentReader reader;

  DocumentRoutes(Services services) {
    this.services = services;
    this.fanout = new Fanout(services);
    this.writer = new DocumentWriter(services);
    this.reader = new DocumentReader(services);
  }

  void mount(Router router, Auth auth) {
    router.post("/indexes/:indexUid/documents").handler(handle(auth, Auth.Scope.ENFORCED, "documents.add",
        req -> addOrUpdate(req, HttpMethod.POST)));
    router.put("/indexes/:indexUid/documents").handler(handle(auth, Auth.Scope.ENFORCED, "documents.add",
        req -> addOrUpdate(req, HttpMethod.PUT)));
    router.delete("/indexes/:indexUid/documents").handler(handle(auth, Auth.Scope.ENFORCED, "documents.delete",
        this::deleteAll));
    router.post("/indexes/:indexUid/documents/delete-batch").handler(handle(auth, Auth.Scope.ENFORCED,
        "documents.delete", this::deleteBatch));
    router.post("/indexes/:indexUid/documents/delete").handler(handle(auth, Auth.Scope.ENFORCED,
        "documents.delete", this::deleteByFilter));
    router.post("/indexes/:indexUid/documents/fetch").handler(handle(auth, Auth.Scope.FORWARDED, "documents.get",
        reader::fetch));
    router.get("/indexes/:indexUid/documents").handler(handle(auth, Auth.Scope.FORWARDED, "documents.get",
        reader::list));
    router.get("/indexes/:indexUid/documents/:documentId").handler(handle(auth, Auth.Scope.FORWARDED,
        "documents.get", reader::getOne));
    router.delete("/indexes/:indexUid/documents/:documentId").handler(handle(auth, Auth.Scope.ENFORCED,
        "documents.delete", this::deleteOne));
  }

  /**
   * Validates the whole batch before any node call, decides the primary key if the index has none, and sends one
   * batch per owner node with {@code _miroir_shard} injected. Parsing, validating and building the node bodies of a
   * batch takes milliseconds per thousand documents, so it runs on a worker thread, inside the index's serialized
   * section so batches keep their arrival order; the event loop only plans and sends.
   */
  private Future<Reply> addOrUpdate(ApiRequest req, HttpMethod method) {
    String uid = req.indexUid();
    Buffer body = req.body();
    String contentType = req.header("Content-Type");
    String csvDelimiter = req.query().get("csvDelimiter");
    String pkParam = req.query().get("primaryKey");
    return services.indexes().serialized(uid, () -> services.vertx().<ParsedPayload>executeBlocking(
            () -> DocumentPayload.parsePayload(body, contentType, csvDelimiter), true)
        .compose(payload -> {
          JsonObject details = new JsonObject().put("receivedDocuments", payload.documents().size())
              .putNull("indexedDocuments");
          return prepareIndex(uid, pkParam).compose(prepared -> route(uid, method, payload, pkParam, details,
              prepared));
        }));
  }

  /** The index's metadata and the node tasks enqueued to create it, when this write creates it (D9). */
  private record Prepared(IndexMeta meta, JsonObject followUps) {
  }

  private Future<Prepared> prepareIndex(String uid, String pkParam) {
    return services.indexes().find(uid).compose(found -> {
      if (found.isPresent()) {
        return Future.succeededFuture(new Prepared(found.get(), new JsonObject()));
      }
      return services.indexes().create(uid, null, services.indexes().defaultShards(), null)
          .map(creation -> new Prepared(creation.meta() != null ? creation.meta()
              : new IndexMeta(uid, null, services.indexes().defaultShards(), 0, java.time.Instant.now(),
                  java.time.Instant.now()), chain(creation.followUps(), creation.mainTasks())));
    });
  }

  /** A validated batch, routed: each target node's body, or the document error that fails the batch. */
  private record Routed(DocumentError error, WritePlan plan, Map<String, Buffer> bodies) {
  }

  /** The CPU-heavy part of a write (worker thread): validation, shard of each document, one body per node. */
  static Routed routeBatch(ParsedPayload payload, String uid, String primaryKey, ShardPlacement placement) {
    BatchValidator.BatchValidation validation = BatchValidator.validate(payload, uid, primaryKey, Set.of());
    if (!validation.isValid()) {
      return new Routed(validation.error(), null, null);
    }
    String[] ids = validation.ids();
    int shards = placement.shards();
    int[] shardOf = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      shardOf[i] = ShardHasher.shardForKey(ids[i], shards);
    }
    WritePlan plan = WritePlan.of(placement, shardOf);
    Map<String, Buffer> bodies = new java.util.HashMap<>();
    plan.itemsByNode().forEach((node, items) -> bodies.put(node, payload.withField(items, ReservedFields.SHARD,
        shardOf)));
    return new Routed(null, plan, bodies);
  }

  private Future<Reply> route(String uid, HttpMethod method, ParsedPayload payload, String pkParam,
      JsonObject details, Prepared prepared) {
    IndexMeta meta = prepared.meta();
    List<JsonObject> docs = payload.documents();
    PrimaryKeys.Resolution resolution = PrimaryKeys.resolve(meta.primaryKey(), pkParam,
        docs.isEmpty() ? null : docs.get(0));
    if (resolution.isFailed()) {
      return failed(uid, details, resolution.error());
    }
    String primaryKey = resolution.primaryKey();
    if (primaryKey == null) {
      // An empty payload on an index without a key succeeds with nothing to do, as on a node.
      return services.tasks().recordSucceeded(uid, "documentAdditionOrUpdate", details.put("indexedDocuments", 0))
          .map(Fanout::accepted);
    }
    ShardPlacement placement = services.fleet().placement(meta.shards());
    return services.vertx().<Routed>executeBlocking(() -> routeBatch(payload, uid, primaryKey, placement), true)
        .compose(routed -> {
          if (routed.error() != null) {
            return failed(uid, details, routed.error());
          }
          Future<Map<String, Long>> keyTasks = primaryKey.equals(meta.primaryKey())
              ? Future.succeededFuture(Map.of()) : services.indexes().setPrimaryKey(meta, primaryKey);
          String path = documentsPath(uid) + "?primaryKey=" + java.net.URLEncoder.encode(primaryKey,
              java.nio.charset.StandardCharsets.UTF_8);
          return keyTasks.compose(pkTasks -> writer.send(routed.plan(), method, path,
                  (node, items) -> routed.bodies().get(node))
              .compose(sent -> services.tasks().enqueue(uid, "documentAdditionOrUpdate", details,
                      sent.nodeTasks(), new JsonObject().put("followUps", chain(prepared.followUps(), pkTasks))
                          .put("copies", DocumentWriter.copies(placement)))
                  .map(task -> Fanout.accepted(task).withHeader("X-Miroir-Degraded", sent.outcome().header()))));
        });
  }

  /** A batch rejected before any node call: a failed task with Meilisearch's own error (D10). */
  private Future<Reply> failed(String uid, JsonObject details, DocumentError error) {
    return services.tasks().recordFailed(uid, "documentAdditionOrUpdate", details.put("indexedDocuments", 0),
        error.toJson()).map(Fanout::accepted);
  }

  private Future<Reply> deleteOne(ApiRequest req) {
    String id = req.param("documentId");
    JsonObject details = new JsonObject().put("providedIds", 1).putNull("deletedDocuments");
    return deleteIds(req.indexUid(), List.of(id), details,
        (uid, ids) -> documentsPath(uid) + "/" + io.miroir.node.NodeClient.encodePath(ids.get(0)), false);
  }

  private Future<Reply> deleteBatch(ApiRequest req) {
    req.requireJsonContentType();
    List<String> ids = DocumentPayload.parseIdList(req.body());
    JsonObject details = new JsonObject().put("providedIds", ids.size()).putNull("deletedDocuments");
    return deleteIds(req.indexUid(), ids, details, (uid, unused) -> documentsPath(uid) + "/delete-batch", true);
  }

  /** Routes each id to its shard's owners; a node with several ids gets one {@code delete-batch}. */
  private Future<Reply> deleteIds(String uid, List<String> ids, JsonObject details,
      java.util.function.BiFunction<String, List<String>, String> pathFor, boolean batchBody) {
    return services.indexes().serialized(uid, () -> services.indexes().shardsFor(uid).compose(shards -> {
      int[] shardOf = new int[ids.size()];
      for (int i = 0; i < ids.size(); i++) {
        shardOf[i] = ShardHasher.shardForKey(ids.get(i), shards);
      }
      ShardPlacement placement = services.fleet().placement(shards);
      WritePlan plan = WritePlan.of(placement, shardOf);
      if (plan.itemsByNode().isEmpty() && ids.isEmpty()) {
        return services.tasks().recordSucceeded(uid, "documentDeletion", details.put("deletedDocuments", 0))
            .map(Fanout::accepted);
      }
      HttpMethod method = batchBody ? HttpMethod.POST : HttpMethod.DELETE;
      return writer.send(plan, method, pathFor.apply(uid, ids),
              (node, items) -> batchBody ? DocumentWriter.select(ids, items) : null)
          .compose(sent -> services.tasks().enqueue(uid, "documentDeletion", details, sent.nodeTasks(),
                  new JsonObject().put("copies", DocumentWriter.copies(placement)))
              .map(task -> Fanout.accepted(task).withHeader("X-Miroir-Degraded", sent.outcome().header())));
    }));
  }

  private Future<Reply> deleteByFilter(ApiRequest req) {
    String uid = req.indexUid();
    Object body = req.json();
    Object filter = body instanceof JsonObject o ? o.getValue("filter") : null;
    JsonObject details = new JsonObject().put("providedIds", 0).putNull("deletedDocuments")
        .put("originalFilter", filter == null ? null : io.vertx.core.json.Json.encode(filter));
    return services.indexes().serialized(uid, () -> services.indexes().shardsFor(uid).compose(shards ->
        fanout.broadcastDocumentTask(HttpMethod.POST, documentsPath(uid) + "/delete", req.body(), uid, shards,
            "documentDeletion", details)));
  }

  private Future<Reply> deleteAll(ApiRequest req) {
    String uid = req.indexUid();
    JsonObject details = new JsonObject().putNull("deletedDocuments");
    return services.indexes().serialized(uid, () -> services.indexes().shardsFor(uid).compose(shards ->
        fanout.broadcastDocumentTask(HttpMethod.DELETE, documentsPath(uid), null, uid, shards, "documentDeletion",
            details)));
  }

  /** Joins node task lists of the {@code meta.followUps} shape, keeping enqueue order per node. */
  private static JsonObject chain(JsonObject earlier, Map<String, Long> later) {
    JsonObject out = earlier.copy();
    later.forEach((node, uid) -> {
      JsonArray list = out.getJsonArray(node);
      if (list == null) {
        list = new JsonArray();
        out.put(node, list);
      }
      list.add(uid);
    });
    return out;
  }

  static MeiliException notFound(String id) {
    return new MeiliException(ErrorCode.DOCUMENT_NOT_FOUND, "Document `" + id + "` not found.");
  }
}
