package io.miroir.router;

import static io.miroir.router.RouterVerticle.handle;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.node.NodeClient;
import io.miroir.rebalance.Rebalancer;
import io.miroir.rebalance.Verifier;
import io.miroir.runtime.Services;
import io.miroir.topology.GroupState;
import io.miroir.topology.Health;
import io.miroir.topology.Membership;
import io.miroir.topology.Node;
import io.miroir.topology.Topology;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Changing the fleet online (SPEC §2.7, §3.2): add, drain and remove nodes, add and remove replica groups, ask
 * for a rebalance and follow it, verify placement. A change is stored in the shared topology at once (every
 * process routes on it) and the rebalancer of the leading process moves the data; the answer is 202 with the new
 * topology version.
 */
final class FleetRoutes {
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private final Services services;

  FleetRoutes(Services services) {
    this.services = services;
  }

  void mount(Router router, Auth auth) {
    router.post("/_miroir/nodes").handler(handle(auth, Auth.Scope.ADMIN, null, this::addNode));
    router.post("/_miroir/nodes/:nodeId/drain").handler(handle(auth, Auth.Scope.ADMIN, null,
        req -> drain(req.param("nodeId"), false)));
    router.delete("/_miroir/nodes/:nodeId").handler(handle(auth, Auth.Scope.ADMIN, null,
        req -> drain(req.param("nodeId"), "true".equals(req.query().get("force")))));
    router.post("/_miroir/groups").handler(handle(auth, Auth.Scope.ADMIN, null, this::addGroup));
    router.delete("/_miroir/groups/:group").handler(handle(auth, Auth.Scope.ADMIN, null,
        req -> removeGroup(req.param("group"))));
    router.post("/_miroir/rebalance").handler(handle(auth, Auth.Scope.ADMIN, null, req -> rebalance()));
    router.get("/_miroir/rebalance/status").handler(handle(auth, Auth.Scope.ADMIN, null, req -> status()));
    router.post("/_miroir/verify").handler(handle(auth, Auth.Scope.ADMIN, null,
        req -> new Verifier(services).verify().map(Reply::ok)));
  }

  /** {@code {id, address, replica_group?}}: registers the node as joining; the rebalancer fills it. */
  private Future<Reply> addNode(ApiRequest req) {
    JsonObject body = req.jsonObject();
    String id = text(body, "id");
    String address = address(body);
    int group = group(body.getValue("replica_group", 0));
    if (!services.fleet().topology().groups().contains(group)) {
      throw invalid("replica group [" + group + "] does not exist; add a group with POST /_miroir/groups");
    }
    Node node = new Node(id, address, group, Membership.JOINING, Health.HEALTHY, "added; being filled");
    return reachable(node).compose(v -> services.fleet().change(t -> {
      checkNewNode(t, node);
      return t.withAddedNode(node);
    })).map(t -> changed(t, "node [" + id + "] is joining group " + group));
  }

  /** Drain (and remove once drained); {@code force} removes at once, without moving anything. */
  private Future<Reply> drain(String id, boolean force) {
    return services.fleet().change(t -> {
      Node node = t.node(id).filter(n -> !n.removed()).orElseThrow(() -> new MeiliException(
          ErrorCode.MIROIR_NODE_NOT_FOUND, "Node `" + id + "` not found."));
      if (force || node.membership() == Membership.JOINING) {
        return t.withNode(id, n -> n.withMembership(Membership.REMOVED, force ? "removed (forced)" : "removed"));
      }
      if (node.membership() == Membership.DRAINING) {
        return t;
      }
      int remaining = (int) t.targetNodes(node.replicaGroup()).stream().filter(n -> !n.equals(id)).count();
      if (remaining < t.replicationFactor()) {
        throw new MeiliException(ErrorCode.MIROIR_TOPOLOGY_CONFLICT, "Group " + node.replicaGroup()
            + " would keep " + remaining + " node(s), fewer than the replication factor "
            + t.replicationFactor() + "; add a node first, or remove the whole group.");
      }
      return t.withNode(id, n -> n.withMembership(Membership.DRAINING, "draining; shards moving to new owners"));
    }).map(t -> changed(t, force ? "node [" + id + "] removed" : "node [" + id + "] is draining"));
  }

  /** {@code {nodes: [{id, address}...]}}: a new group, initializing (writes only) until every shard is copied. */
  private Future<Reply> addGroup(ApiRequest req) {
    JsonArray list = req.jsonObject().getJsonArray("nodes");
    if (list == null || list.isEmpty()) {
      throw invalid("`nodes` must be a non-empty array of {id, address}");
    }
    Topology now = services.fleet().topology();
    int group = now.nodes().stream().mapToInt(Node::replicaGroup).max().orElse(-1) + 1;
    List<Node> nodes = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof JsonObject entry)) {
        throw invalid("each entry of `nodes` must be an object {id, address}");
      }
      nodes.add(new Node(text(entry, "id"), address(entry), group, Membership.ACTIVE, Health.HEALTHY,
          "new group; being filled"));
    }
    if (nodes.size() < now.replicationFactor()) {
      throw invalid("a group needs at least replication_factor (" + now.replicationFactor() + ") nodes");
    }
    Future<Void> probes = Future.succeededFuture();
    for (Node n : nodes) {
      probes = probes.compose(v -> reachable(n));
    }
    return probes.compose(v -> services.fleet().change(t -> {
      Topology next = t;
      for (Node n : nodes) {
        checkNewNode(next, n);
        next = next.withAddedNode(n);
      }
      return next.withGroupState(group, GroupState.INITIALIZING);
    })).map(t -> changed(t, "group " + group + " is initializing"));
  }

  /** Stops queries to the group at once and removes its nodes; nothing is moved (other groups hold the data). */
  private Future<Reply> removeGroup(String param) {
    int group = group(param);
    return services.fleet().change(t -> {
      if (!t.groups().contains(group)) {
        throw new MeiliException(ErrorCode.MIROIR_GROUP_NOT_FOUND, "Replica group `" + group + "` not found.");
      }
      boolean otherServes = t.queryGroups().stream().anyMatch(g -> g != group);
      if (!otherServes) {
        throw new MeiliException(ErrorCode.MIROIR_TOPOLOGY_CONFLICT, "Group " + group + " is the last group "
            + "serving queries; add and fill another group before removing it.");
      }
      Topology next = t.withGroupState(group, GroupState.DRAINING);
      for (Node n : t.nodes()) {
        if (n.replicaGroup() == group && !n.removed()) {
          next = next.withNode(n.id(), x -> x.withMembership(Membership.REMOVED, "group " + group + " removed"));
        }
      }
      return next;
    }).map(t -> changed(t, "group " + group + " removed"));
  }

  private Future<Reply> rebalance() {
    services.vertx().eventBus().publish(Rebalancer.REQUEST_ADDRESS, "rebalance");
    return statusJson().map(status -> Reply.accepted(status.put("requested", true)));
  }

  private Future<Reply> status() {
    return statusJson().map(Reply::ok);
  }

  private Future<JsonObject> statusJson() {
    return services.store().getValue(Rebalancer.STATUS_KEY).map(v -> {
      JsonObject status = v.map(JsonObject::new).orElseGet(() -> new JsonObject().put("state", "idle"));
      Topology t = services.fleet().topology();
      return status.put("topology_version", t.version()).put("in_transition", t.inTransition());
    });
  }

  private Reply changed(Topology t, String message) {
    return Reply.accepted(new JsonObject().put("message", message).put("topology_version", t.version())
        .put("status", "/_miroir/rebalance/status"));
  }

  /** The node answers {@code /health} and accepts the node master key. */
  private Future<Void> reachable(Node node) {
    NodeClient probe = new NodeClient(node.id(), node.address(), new io.miroir.node.BusNodeTransport(
        services.vertx().eventBus(), services.verticles().contains("scatter")), services.config().nodeMasterKey(),
        services.config().health().timeoutMs());
    return probe.call(HttpMethod.GET, "/version", null).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(invalid("node [" + node.id() + "] at " + node.address()
            + " does not answer: " + ar.cause().getMessage()));
      }
      if (ar.result().status() == 401 || ar.result().status() == 403) {
        return Future.failedFuture(invalid("node [" + node.id() + "] at " + node.address()
            + " refuses the node master key (miroir.node_master_key)"));
      }
      if (!ar.result().ok()) {
        return Future.failedFuture(invalid("node [" + node.id() + "] at " + node.address() + " answered "
            + ar.result().status() + " to GET /version"));
      }
      return Future.succeededFuture();
    });
  }

  private static void checkNewNode(Topology t, Node node) {
    if (t.node(node.id()).isPresent()) {
      throw new MeiliException(ErrorCode.MIROIR_TOPOLOGY_CONFLICT, "Node id `" + node.id()
          + "` is already used; node ids are never reused.");
    }
    for (Node n : t.nodes()) {
      if (!n.removed() && n.address().equals(node.address())) {
        throw new MeiliException(ErrorCode.MIROIR_TOPOLOGY_CONFLICT, "Address " + node.address()
            + " is already node `" + n.id() + "`.");
      }
    }
  }

  private static String text(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (!(value instanceof String s) || s.isBlank()) {
      throw invalid("`" + key + "` is required and must be a string");
    }
    if (key.equals("id") && !NODE_ID.matcher(s).matches()) {
      throw invalid("`id` must be 1 to 64 letters, digits, `-`, `_` or `.`, starting with a letter or digit");
    }
    return s;
  }

  private static String address(JsonObject body) {
    String address = text(body, "address");
    try {
      URI uri = new URI(address);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw invalid("`address` must be an http(s) URL such as http://10.0.0.7:7700, got `" + address + "`");
      }
    } catch (java.net.URISyntaxException e) {
      throw invalid("`address` must be an http(s) URL such as http://10.0.0.7:7700, got `" + address + "`");
    }
    return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
  }

  private static int group(Object value) {
    if (value instanceof Integer i && i >= 0) {
      return i;
    }
    if (value instanceof String s && s.matches("\\d{1,6}")) {
      return Integer.parseInt(s);
    }
    throw invalid("a replica group is a non-negative integer, got `" + value + "`");
  }

  private static MeiliException invalid(String message) {
    return new MeiliException(ErrorCode.MIROIR_INVALID_TOPOLOGY_CHANGE, message + ".");
  }
}
