package io.miroir.node;

import io.miroir.config.MiroirConfig;
import io.miroir.routing.ShardPlacement;
import io.miroir.topology.Node;
import io.miroir.topology.NodeState;
import io.miroir.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The Meilisearch nodes behind this process: the current {@link Topology} snapshot, one {@link NodeClient} per
 * node, and the per-pod query sequence of SPEC §1.2. Readers take one snapshot per
 * request; state changes replace the snapshot atomically and notify listeners.
 */
public final class Fleet {
  private final AtomicReference<Topology> topology;
  private final Map<String, NodeClient> clients = new LinkedHashMap<>();
  private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
  private final Map<String, String> lastError = new ConcurrentHashMap<>();
  private final Map<Long, Map<Integer, ShardPlacement>> placements = new ConcurrentHashMap<>();
  private final AtomicLong querySeq = new AtomicLong();
  private final List<Consumer<Topology>> listeners = new CopyOnWriteArrayList<>();

  /** {@code transport} carries every node call of this process (the scatter verticle on the bus, normally). */
  public Fleet(MiroirConfig config, NodeTransport transport) {
    List<Node> nodes = new ArrayList<>();
    for (MiroirConfig.NodeConfig n : config.nodes()) {
      nodes.add(new Node(n.id(), n.address(), n.replicaGroup()));
      clients.put(n.id(), new NodeClient(n.id(), n.address(), transport, config.nodeMasterKey(),
          config.scatter().nodeTimeoutMs()));
    }
    this.topology = new AtomicReference<>(new Topology(1, config.replicationFactor(), nodes, Map.of()));
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

  public NodeClient client(String nodeId) {
    NodeClient client = clients.get(nodeId);
    if (client == null) {
      throw new IllegalArgumentException("unknown node [" + nodeId + "]");
    }
    return client;
  }

  /** Every configured node that is not removed, in configuration order. */
  public List<NodeClient> allNodes() {
    List<NodeClient> out = new ArrayList<>();
    for (Node n : topology.get().nodes()) {
      if (n.state() != NodeState.REMOVED) {
        out.add(clients.get(n.id()));
      }
    }
    return out;
  }

  /** Nodes that would accept a broadcast write now (not failed, not removed). */
  public List<NodeClient> writableNodes() {
    List<NodeClient> out = new ArrayList<>();
    for (Node n : topology.get().nodes()) {
      if (n.state().receivesWrites()) {
        out.add(clients.get(n.id()));
      }
    }
    return out;
  }

  /** Nodes that may answer reads, in configuration order. */
  public List<NodeClient> servingNodes() {
    List<NodeClient> out = new ArrayList<>();
    for (Node n : topology.get().nodes()) {
      if (n.state().servesReads()) {
        out.add(clients.get(n.id()));
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
        .filter(n -> n.state() != NodeState.FAILED && n.state() != NodeState.REMOVED)
        .map(n -> t.withNodeState(nodeId, NodeState.FAILED, reason))
        .orElse(t));
  }

  public long nextQuerySeq() {
    return querySeq.getAndIncrement();
  }

  /** Applies a change to the snapshot if it changes anything, and notifies listeners. */
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
    for (Consumer<Topology> listener : listeners) {
      listener.accept(after);
    }
    return after;
  }

  public Topology setState(String nodeId, NodeState state, String reason) {
    return update(t -> t.node(nodeId)
        .filter(n -> n.state() != state || !n.reason().equals(reason))
        .map(n -> t.withNodeState(nodeId, state, reason))
        .orElse(t));
  }

  public void onChange(Consumer<Topology> listener) {
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
