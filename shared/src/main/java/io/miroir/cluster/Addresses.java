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
  /**
   * Merge of node answers to a federated multi-search: {@link MergeRequest} whose settings map each index uid to its
   * settings → merged federated response (JsonObject).
   */
  public static final String MERGER_FEDERATED = "miroir.merger.federated";
  /** Merge of node answers to a similar-documents request (the owner's first): {@link MergeRequest} → response. */
  public static final String MERGER_SIMILAR = "miroir.merger.similar";
  /** A canary definition from the admin API: JsonObject definition → JsonObject {@code {definition, source}}. */
  public static final String CANARY_DEFINE = "miroir.canary.define";
  /** Deletion of an API-defined canary: JsonObject {@code {name}} → JsonObject {@code {deleted}}. */
  public static final String CANARY_DELETE = "miroir.canary.delete";
  /** Every canary with its owner and recent runs: JsonObject {@code {runs}} → JsonObject {@code {canaries}}. */
  public static final String CANARY_STATUS = "miroir.canary.status";
  /** Published when an API-defined canary is created, replaced or deleted: JsonObject {@code {name}}. */
  public static final String EVENTS_CANARY_CHANGED = "miroir.events.canary.changed";
  /**
   * Published when a node changes state: JsonObject {@code {nodeId, from, to, membership, health, reason,
   * version}}.
   */
  public static final String EVENTS_NODE_STATE_CHANGED = "miroir.events.node.stateChanged";
  /** Published when a new topology snapshot is stored: its JSON ({@code Topology#toJson}). */
  public static final String EVENTS_TOPOLOGY_CHANGED = "miroir.events.topology.changed";
  /** Published about once a second while the rebalancer runs, and at each phase change: its status JSON. */
  public static final String EVENTS_REBALANCE_PROGRESSED = "miroir.events.rebalance.progressed";

  private Addresses() {
  }
}
