package io.miroir.cluster;

/**
 * The event-bus address catalogue (docs/event-bus.md): request/reply addresses {@code miroir.<verticle>.<action>},
 * published facts {@code miroir.events.<noun>.<pastTense>}.
 */
public final class Addresses {
  /** One HTTP call to one Meilisearch node: {@link NodeCall} → {@link NodeResult}. */
  public static final String SCATTER_CALL = "miroir.scatter.call";
  /** Merge of node search answers: {@link MergeRequest} → merged search response (JsonObject). */
  public static final String MERGER_SEARCH = "miroir.merger.search";
  /** Merge of node facet-search answers: {@link MergeRequest} → merged facet-search response (JsonObject). */
  public static final String MERGER_FACET_SEARCH = "miroir.merger.facetSearch";
  /** A canary definition from the admin API: JsonObject definition → JsonObject {@code {definition, source}}. */
  public static final String CANARY_DEFINE = "miroir.canary.define";
  /** Deletion of an API-defined canary: JsonObject {@code {name}} → JsonObject {@code {deleted}}. */
  public static final String CANARY_DELETE = "miroir.canary.delete";
  /** Every canary with its owner and recent runs: JsonObject {@code {runs}} → JsonObject {@code {canaries}}. */
  public static final String CANARY_STATUS = "miroir.canary.status";
  /** Published when an API-defined canary is created, replaced or deleted: JsonObject {@code {name}}. */
  public static final String EVENTS_CANARY_CHANGED = "miroir.events.canary.changed";
  /** Published when a node changes state: JsonObject {@code {nodeId, state, reason, version}}. */
  public static final String EVENTS_NODE_STATE_CHANGED = "miroir.events.node.stateChanged";

  private Addresses() {
  }
}
