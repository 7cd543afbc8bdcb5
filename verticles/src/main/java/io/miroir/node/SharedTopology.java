package io.miroir.node;

import io.miroir.cluster.Addresses;
import io.miroir.store.TaskStore;
import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology every process shares (SPEC §3, §6): one versioned snapshot in the store under {@code topology},
 * changed only by compare-and-set so concurrent changes from several processes never overwrite each other, and
 * announced on {@code miroir.events.topology.changed} so every process switches to it. Each process also re-reads
 * the store periodically, so a missed announcement delays a switch by at most one period.
 *
 * <p>The configuration's node list seeds the store on the very first start; after that the stored snapshot is the
 * truth and nodes are added and removed through the admin API.
 */
public final class SharedTopology {
  public static final String KEY = "topology";
  private static final Logger LOG = LoggerFactory.getLogger(SharedTopology.class);
  private static final int MAX_ATTEMPTS = 50;
  private final Vertx vertx;
  private final TaskStore store;
  private final Fleet fleet;
  private final long refreshMs;
  private MessageConsumer<String> consumer;
  private long timer = -1;

  public SharedTopology(Vertx vertx, TaskStore store, Fleet fleet, long refreshMs) {
    this.vertx = vertx;
    this.store = store;
    this.fleet = fleet;
    this.refreshMs = refreshMs;
  }

  /** Seeds or loads the shared snapshot, then follows its changes. */
  public Future<Void> start() {
    Topology seed = fleet.topology();
    return store.compareAndSetValue(KEY, null, seed.toJson().encode()).compose(seeded -> {
      if (seeded) {
        LOG.info("topology seeded from the configuration: {} nodes, version {}", seed.nodes().size(),
            seed.version());
        return Future.succeededFuture();
      }
      return load().map(stored -> {
        stored.ifPresent(t -> {
          warnIfConfigDiffers(seed, t);
          fleet.adopt(t);
        });
        return null;
      });
    }).map(v -> {
      consumer = vertx.eventBus().consumer(Addresses.EVENTS_TOPOLOGY_CHANGED,
          msg -> fleet.adopt(Topology.fromJson(new JsonObject(msg.body()))));
      timer = vertx.setPeriodic(refreshMs, refreshMs, id -> load().onSuccess(t -> t.ifPresent(fleet::adopt)));
      fleet.shareWith(this::change);
      return null;
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (consumer != null) {
      consumer.unregister();
    }
  }

  public Future<Optional<Topology>> load() {
    return store.getValue(KEY).map(v -> v.map(text -> Topology.fromJson(new JsonObject(text))));
  }

  /**
   * Applies {@code change} to the stored snapshot and stores the result as the next version, retrying on the newest
   * snapshot when another process changed it first; then adopts and announces it. Answers the stored snapshot (the
   * unchanged one when {@code change} changes nothing).
   */
  public Future<Topology> change(UnaryOperator<Topology> change) {
    return attempt(change, 1);
  }

  private Future<Topology> attempt(UnaryOperator<Topology> change, int attempt) {
    return store.getValue(KEY).compose(text -> {
      if (text.isEmpty()) {
        return Future.failedFuture(new IllegalStateException("no shared topology in the store"));
      }
      Topology stored = Topology.fromJson(new JsonObject(text.get()));
      Topology changed = change.apply(stored);
      if (changed == stored) {
        fleet.adopt(stored);
        return Future.succeededFuture(stored);
      }
      Topology next = changed.withVersion(stored.version() + 1);
      return store.compareAndSetValue(KEY, text.get(), next.toJson().encode()).compose(won -> {
        if (won) {
          fleet.adopt(next);
          announce(stored, next);
          return Future.succeededFuture(next);
        }
        if (attempt >= MAX_ATTEMPTS) {
          return Future.failedFuture(new IllegalStateException("the topology kept changing under "
              + MAX_ATTEMPTS + " attempts to store a change"));
        }
        return attempt(change, attempt + 1);
      });
    });
  }

  private void announce(Topology before, Topology after) {
    vertx.eventBus().publish(Addresses.EVENTS_TOPOLOGY_CHANGED, after.toJson().encode());
    for (Node node : after.nodes()) {
      Optional<Node> old = before.node(node.id());
      if (old.isEmpty() || !old.get().equals(node)) {
        vertx.eventBus().publish(Addresses.EVENTS_NODE_STATE_CHANGED, new JsonObject()
            .put("nodeId", node.id())
            .put("from", old.map(n -> n.state().wireName()).orElse(null))
            .put("to", node.state().wireName())
            .put("membership", node.membership().wireName())
            .put("health", node.health().wireName())
            .put("group", node.replicaGroup())
            .put("reason", node.reason())
            .put("version", after.version()));
      }
    }
  }

  private static void warnIfConfigDiffers(Topology config, Topology stored) {
    for (Node n : config.nodes()) {
      Optional<Node> s = stored.node(n.id());
      if (s.isEmpty() || !s.get().address().equals(n.address()) || s.get().replicaGroup() != n.replicaGroup()) {
        LOG.warn("node [{}] of the configuration differs from the stored topology ({}); the stored topology is "
            + "used: change nodes with the admin API (miroir-ctl node ...)", n.id(),
            s.map(x -> x.address() + " group " + x.replicaGroup()).orElse("absent"));
      }
    }
  }
}
