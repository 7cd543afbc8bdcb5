package io.miroir.node;

import io.miroir.config.MiroirConfig;
import io.miroir.routing.ShardPlacement;
import io.miroir.topology.Node;
import io.miroir.topology.Health;
import io.miroir.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.vertx.core.Future;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The Meilisearch nodes behind this process: the current {@link Topology} snapshot, one {@link NodeClient} per
 * node, and the per-pod query sequence of SPEC §1.2. Readers take one snapshot per
 * request; state changes replace the snapshot atomically and notify listeners.
 */
public final class Fleet {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Fleet.class);
  private final AtomicReference<Topology> topology;
  private final Map<String, NodeClient> clients = new ConcurrentHashMap<>();
  private final NodeTransport transport;
  private final String nodeMasterKey;
  private final long nodeTimeoutMs;
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
  private final Map<String, String> lastError = new ConcurrentHashMap<>();
  private final Map<Long, Map<Integer, ShardPlacement>> placements = new ConcurrentHashMap<>();
  private final AtomicLong querySeq = new AtomicLong();
  private final List<BiConsumer<Topology, Topology>> listeners = new CopyOnWriteArrayList<>();
  private volatile Function<UnaryOperator<Topology>, Future<Topology>> sharing;

  /**
   * The fleet of the configuration's node list (the seed of the shared topology). {@code transport} carries every
   * node call of this process (the scatter verticle on the bus, normally).
   */
  public Fleet(MiroirConfig config, NodeTransport transport) {
    this.transport = transport;
    this.nodeMasterKey = config.nodeMasterKey();
    this.nodeTimeoutMs = config.scatter().nodeTimeoutMs();
    List<Node> nodes = new ArrayList<>();
    for (MiroirConfig.NodeConfig n : config.nodes()) {
      nodes.add(new Node(n.id(), n.address(), n.replicaGroup()));
    }
    this.topology = new AtomicReference<>(new Topology(1, config.replicationFactor(), nodes, Map.of()));
  }

  /**
   * Shares every change made through {@link #update} with the other processes: {@code share} stores the change
   * against the shared snapshot and answers the snapshot stored, which this fleet then adopts.
   */
  public void shareWith(Function<UnaryOperator<Topology>, Future<Topology>> share) {
    this.sharing = share;
  }

  public Topology topology() {
    return topology.get();
  }

  /** Placement of an S-shard index on the current snapshot, computed once per (version, S). */
  public ShardPlacement placement(int shards) {
    return placement(topology.get(), shards);
  }

  public ShardPlacement placement(Topology snapshot, int shards) {
    Map<Integer, ShardPlacement> byShards = placements.get(snapshot.version());
    if (byShards == null) {
      // Placements of older snapshots are dropped; a request still holding one keeps its own reference.
      placements.keySet().removeIf(old -> old < snapshot.version() - 1);
      byShards = placements.computeIfAbsent(snapshot.version(), v -> new ConcurrentHashMap<>());
    }
    return byShards.computeIfAbsent(shards, s -> new ShardPlacement(snapshot, s));
  }

  /** The client of a node of the current snapshot (created on first use; nodes may join at run time). */
  public NodeClient client(String nodeId) {
    NodeClient client = clients.get(nodeId);
    if (client != null) {
      return client;
    }
    Node node = topology.get().node(nodeId)
        .orElseThrow(() -> new IllegalArgumentException("unknown node [" + nodeId + "]"));
    return clients.computeIfAbsent(nodeId, id -> new NodeClient(id, node.address(), transport, nodeMasterKey,
        nodeTimeoutMs));
  }

  /** Every configured node that is not removed, in configuration order. */
  public List<NodeClient> allNodes() {
    List<NodeClient> out = new ArrayList<>();
    for (Node n : topology.get().nodes()) {
      if (!n.removed()) {
        out.add(client(n.id()));
      }
    }
    return out;
  }

  /** Nodes that would accept a broadcast write now (not failed, not removed). */
  public List<NodeClient> writableNodes() {
    List<NodeClient> out = new ArrayList<>();
    for (Node n : topology.get().nodes()) {
      if (n.receivesWrites()) {
        out.add(client(n.id()));
      }
    }
    return out;
  }

  /** Nodes that may answer reads, in configuration order. */
  public List<NodeClient> servingNodes() {
    List<NodeClient> out = new ArrayList<>();
    for (Node n : topology.get().nodes()) {
      if (n.servesReads()) {
        out.add(client(n.id()));
      }
    }
    return out;
  }

  /**
   * The node that answers instance-wide reads (index list, settings, keys): the first serving node in
   * configuration order, so repeated reads are stable.
   */
  public Optional<NodeClient> primaryReader() {
    List<NodeClient> serving = servingNodes();
    return serving.isEmpty() ? Optional.empty() : Optional.of(serving.get(0));
  }

  /**
   * Runs {@code call} on the reading node; when that node refuses the connection it is marked failed (no process
   * listens there) and the next serving node is tried, so one dead node never fails an instance-wide read.
   */
  public <T> Future<T> onReader(Function<NodeClient, Future<T>> call) {
    Optional<NodeClient> reader = primaryReader();
    if (reader.isEmpty()) {
      return Future.failedFuture(new MeiliException(ErrorCode.MIROIR_NODE_UNREACHABLE,
          "No Meilisearch node is reachable."));
    }
    NodeClient node = reader.get();
    return call.apply(node).recover(err -> {
      if (err instanceof NodeUnreachableException u && u.refused()) {
        markFailed(node.nodeId(), "connection refused");
        return onReader(call);
      }
      return Future.failedFuture(err);
    });
  }

  /** Marks a node failed now, keeping a removed node removed. */
  public void markFailed(String nodeId, String reason) {
    update(t -> t.node(nodeId)
        .filter(n -> !n.failed() && !n.removed())
        .map(n -> t.withNodeHealth(nodeId, Health.FAILED, reason))
        .orElse(t));
  }

  public long nextQuerySeq() {
    return querySeq.getAndIncrement();
  }

  /**
   * Applies a change to this process's snapshot at once (so the request that found a node dead avoids it right
   * away) and shares it; answers the local result. A change that changes nothing is dropped.
   */
  public Topology update(UnaryOperator<Topology> change) {
    Topology before;
    Topology after;
    do {
      before = topology.get();
      after = change.apply(before);
      if (after == before) {
        return before;
      }
    } while (!topology.compareAndSet(before, after));
    notifyListeners(before, after);
    Function<UnaryOperator<Topology>, Future<Topology>> share = sharing;
    if (share != null) {
      share.apply(change).onFailure(err -> LOG.warn("could not share a topology change (kept locally until the "
          + "next stored snapshot): {}", err.getMessage()));
    }
    return after;
  }

  /**
   * Changes the shared topology and answers the snapshot stored (an operator's change: it completes once every
   * process can see it). Without sharing (unit use) the change is local.
   */
  public Future<Topology> change(UnaryOperator<Topology> change) {
    Function<UnaryOperator<Topology>, Future<Topology>> share = sharing;
    return share != null ? share.apply(change) : Future.succeededFuture(update(change));
  }

  /**
   * Takes a snapshot shared by the store: a newer version replaces ours; the same version with other content also
   * does, since the store holds the truth and ours was a local change not yet stored. Answers whether it changed.
   */
  public boolean adopt(Topology shared) {
    while (true) {
      Topology before = topology.get();
      boolean newer = shared.version() > before.version()
          || (shared.version() == before.version() && !shared.equals(before));
      if (!newer) {
        return false;
      }
      if (topology.compareAndSet(before, shared)) {
        notifyListeners(before, shared);
        return true;
      }
    }
  }

  private void notifyListeners(Topology before, Topology after) {
    for (BiConsumer<Topology, Topology> listener : listeners) {
      listener.accept(before, after);
    }
  }

  public Topology setHealth(String nodeId, Health health, String reason) {
    return update(t -> t.node(nodeId)
        .filter(n -> n.health() != health || !n.reason().equals(reason))
        .map(n -> t.withNodeHealth(nodeId, health, reason))
        .orElse(t));
  }

  /** Runs {@code listener} with the snapshots before and after every change, local or adopted. */
  public void onChange(BiConsumer<Topology, Topology> listener) {
    listeners.add(listener);
  }

  public void recordSeen(String nodeId, long epochMs) {
    lastSeen.put(nodeId, epochMs);
    lastError.remove(nodeId);
  }

  public void recordError(String nodeId, String error) {
    lastError.put(nodeId, error);
  }

  public Optional<Long> lastSeen(String nodeId) {
    return Optional.ofNullable(lastSeen.get(nodeId));
  }

  public Optional<String> lastError(String nodeId) {
    return Optional.ofNullable(lastError.get(nodeId));
  }

}
