package io.miroir.cluster;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the merger needs to merge a scattered read: the client's request, the index settings the plan was made
 * with, every node's answer (merging may modify them in place) and, for page mode under {@code distinct}, each
 * node's answer to the light counting request (null when not asked or not all answered).
 */
public record MergeRequest(JsonObject clientRequest, JsonObject settings, List<JsonObject> answers,
    List<JsonObject> distinctCounts) {

  public MergeRequest(JsonObject clientRequest, JsonObject settings, List<JsonObject> answers) {
    this(clientRequest, settings, answers, null);
  }
}
