package io.miroir.cluster;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the merger needs to merge a scattered read: the client's request, the index settings the plan was made
 * with, and every node's answer (merging may modify them in place).
 */
public record MergeRequest(JsonObject clientRequest, JsonObject settings, List<JsonObject> answers) {
}
