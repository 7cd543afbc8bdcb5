package io.miroir.ctl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code miroir-ctl}: the operator's command line for a running Miroir (SPEC §8.4). Talks to the admin API
 * ({@code /_miroir/*}) of any Miroir process; every change it makes is shared by the whole cluster.
 */
@Command(name = "miroir-ctl", mixinStandardHelpOptions = true, version = "miroir-ctl 0.1.0",
    scope = CommandLine.ScopeType.INHERIT,
    description = "Operate a running Miroir: fleet status, nodes, groups, rebalancing, verification.",
    subcommands = {MiroirCtl.Status.class, MiroirCtl.NodeCmd.class, MiroirCtl.GroupCmd.class,
        MiroirCtl.Rebalance.class, MiroirCtl.Verify.class})
public final class MiroirCtl implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "${env:MIROIR_URL:-http://127.0.0.1:7700}",
      description = "Miroir endpoint (default: $MIROIR_URL or ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--admin-key", description = "Admin API key, used when neither MIROIR_ADMIN_API_KEY nor "
      + "~/.config/miroir/credentials provides one.")
  String adminKey;

  PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return run(System.out, args);
  }

  /** Runs one command printing to {@code out}; answers the exit code. */
  public static int run(PrintStream out, String... args) {
    MiroirCtl root = new MiroirCtl();
    root.out = out;
    CommandLine cli = new CommandLine(root);
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof AdminClient.CtlException) {
        cmd.getErr().println("miroir-ctl: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return 0;
  }

  AdminClient client() {
    Path credentials = Path.of(System.getProperty("user.home"), ".config", "miroir", "credentials");
    String key = AdminClient.adminKey(System.getenv(), credentials, adminKey).orElseThrow(() ->
        new AdminClient.CtlException("no admin key: set MIROIR_ADMIN_API_KEY, write it to " + credentials
            + " or pass --admin-key"));
    return new AdminClient(url, key);
  }

  static int report(PrintStream out, AdminClient.Answer a, String success) {
    a.orFail();
    out.println(success);
    return 0;
  }

  @Command(name = "status", description = "Nodes, groups, placement and the rebalancer at a glance.")
  static final class Status implements Callable<Integer> {
    @ParentCommand
    MiroirCtl root;

    @Option(names = "--json", description = "Print the raw topology JSON.")
    boolean json;

    @Override
    public Integer call() {
      JsonObject t = root.client().get("/_miroir/topology").orFail();
      if (json) {
        root.out.println(t.encodePrettily());
        return 0;
      }
      root.out.printf("topology version %d, %d shards, RF %d, %d group(s), fully covered: %s%n",
          t.getLong("version"), t.getInteger("shards"), t.getInteger("replication_factor"),
          t.getInteger("replica_groups"), t.getBoolean("fully_covered"));
      root.out.printf("%-16s %-6s %-11s %-7s %-7s %s%n", "NODE", "GROUP", "STATUS", "SHARDS", "TARGET", "ADDRESS");
      for (Object o : t.getJsonArray("nodes")) {
        JsonObject n = (JsonObject) o;
        root.out.printf("%-16s %-6d %-11s %-7d %-7d %s%s%n", n.getString("id"), n.getInteger("replica_group"),
            n.getString("status"), n.getInteger("shard_count"), n.getInteger("target_shard_count", 0),
            n.getString("address"), n.containsKey("reason") ? "  (" + n.getString("reason") + ")" : "");
      }
      for (Object o : t.getJsonArray("groups")) {
        JsonObject g = (JsonObject) o;
        root.out.printf("group %d: %s%n", g.getInteger("id"), g.getString("status"));
      }
      JsonObject rebalance = t.getJsonObject("rebalance", new JsonObject());
      root.out.printf("rebalancer: %s%s%n", rebalance.getString("state", "idle"),
          rebalance.containsKey("phase") ? " (" + rebalance.getString("phase") + ")" : "");
      return 0;
    }
  }

  @Command(name = "node", description = "Add, drain or remove a Meilisearch node.",
      subcommands = {NodeCmd.Add.class, NodeCmd.Drain.class, NodeCmd.Remove.class})
  static final class NodeCmd {
    @ParentCommand
    MiroirCtl root;

    @Command(name = "add", description = "Register a node in a group; the rebalancer fills it.")
    static final class Add implements Callable<Integer> {
      @ParentCommand
      NodeCmd parent;
      @Option(names = "--id", required = true, description = "New node id (never reused).")
      String id;
      @Option(names = "--address", required = true, description = "Node URL, e.g. http://10.0.0.7:7700.")
      String address;
      @Option(names = "--group", defaultValue = "0", description = "Replica group (default ${DEFAULT-VALUE}).")
      int group;

      @Override
      public Integer call() {
        JsonObject body = new JsonObject().put("id", id).put("address", address).put("replica_group", group);
        return report(parent.root.out, parent.root.client().post("/_miroir/nodes", body),
            "node " + id + " is joining group " + group + "; follow with: miroir-ctl rebalance status --watch");
      }
    }

    @Command(name = "drain", description = "Move a node's shards to the others, then remove it.")
    static final class Drain implements Callable<Integer> {
      @ParentCommand
      NodeCmd parent;
      @Parameters(paramLabel = "ID")
      String id;

      @Override
      public Integer call() {
        return report(parent.root.out, parent.root.client().post("/_miroir/nodes/" + id + "/drain", null),
            "node " + id + " is draining; follow with: miroir-ctl rebalance status --watch");
      }
    }

    @Command(name = "remove", description = "Drain and remove a node; --force removes it at once, moving nothing.")
    static final class Remove implements Callable<Integer> {
      @ParentCommand
      NodeCmd parent;
      @Parameters(paramLabel = "ID")
      String id;
      @Option(names = "--force", description = "Remove now without copying its shards (data only it holds is lost).")
      boolean force;

      @Override
      public Integer call() {
        return report(parent.root.out, parent.root.client().delete("/_miroir/nodes/" + id
            + (force ? "?force=true" : "")), force ? "node " + id + " removed" : "node " + id
            + " is draining and will be removed; follow with: miroir-ctl rebalance status --watch");
      }
    }
  }

  @Command(name = "group", description = "Add or remove a replica group.",
      subcommands = {GroupCmd.Add.class, GroupCmd.Remove.class})
  static final class GroupCmd {
    @ParentCommand
    MiroirCtl root;

    @Command(name = "add", description = "Add a group of nodes; it serves queries once every shard is copied.")
    static final class Add implements Callable<Integer> {
      @ParentCommand
      GroupCmd parent;
      @Parameters(paramLabel = "ID=ADDRESS", arity = "1..*", description = "Nodes of the new group.")
      java.util.List<String> nodes;

      @Override
      public Integer call() {
        JsonArray list = new JsonArray();
        for (String spec : nodes) {
          int eq = spec.indexOf('=');
          if (eq <= 0) {
            throw new AdminClient.CtlException("expected ID=ADDRESS, got " + spec);
          }
          list.add(new JsonObject().put("id", spec.substring(0, eq)).put("address", spec.substring(eq + 1)));
        }
        return report(parent.root.out, parent.root.client().post("/_miroir/groups",
            new JsonObject().put("nodes", list)), "group added; it is initializing (writes only) until filled");
      }
    }

    @Command(name = "remove", description = "Stop queries to a group at once and remove its nodes.")
    static final class Remove implements Callable<Integer> {
      @ParentCommand
      GroupCmd parent;
      @Parameters(paramLabel = "GROUP")
      int group;

      @Override
      public Integer call() {
        return report(parent.root.out, parent.root.client().delete("/_miroir/groups/" + group),
            "group " + group + " removed");
      }
    }
  }

  @Command(name = "rebalance", description = "Start a rebalance now (moves, resyncs), or follow one.",
      subcommands = {Rebalance.StatusCmd.class})
  static final class Rebalance implements Callable<Integer> {
    @ParentCommand
    MiroirCtl root;

    @Override
    public Integer call() {
      return report(root.out, root.client().post("/_miroir/rebalance", null),
          "rebalance requested; follow with: miroir-ctl rebalance status --watch");
    }

    @Command(name = "status", description = "The rebalancer's state and per-shard progress.")
    static final class StatusCmd implements Callable<Integer> {
      @ParentCommand
      Rebalance parent;
      @Option(names = "--watch", description = "Follow with a live progress bar until the rebalancer is idle.")
      boolean watch;
      @Option(names = "--interval", defaultValue = "1000", description = "Refresh period in ms (--watch).")
      long intervalMs;

      @Override
      public Integer call() throws InterruptedException {
        AdminClient client = parent.root.client();
        ProgressView view = new ProgressView(parent.root.out, System.console() != null);
        while (true) {
          JsonObject status = client.get("/_miroir/rebalance/status").orFail();
          if (!watch) {
            view.details(status);
            return "failed".equals(status.getString("state")) ? 1 : 0;
          }
          view.line(status);
          String state = status.getString("state", "idle");
          if (!"running".equals(state) && !status.getBoolean("in_transition", false)) {
            view.finish(status);
            return "failed".equals(state) ? 1 : 0;
          }
          Thread.sleep(intervalMs);
        }
      }
    }
  }

  @Command(name = "verify", description = "Check that every document sits on exactly its owners and every shard "
      + "has all its copies; exit code 1 when not.")
  static final class Verify implements Callable<Integer> {
    @ParentCommand
    MiroirCtl root;

    @Option(names = "--json", description = "Print the full report as JSON.")
    boolean json;

    @Override
    public Integer call() {
      JsonObject report = root.client().post("/_miroir/verify", null).orFail();
      if (json) {
        root.out.println(report.encodePrettily());
      } else {
        for (Object o : report.getJsonArray("indexes", new JsonArray())) {
          JsonObject index = (JsonObject) o;
          root.out.printf("%-24s %8d documents  %d problem(s)%n", index.getString("index"),
              index.getLong("documents", 0L), index.getLong("problems", 0L));
          for (String kind : new String[] {"wrong_shard", "misplaced", "missing_copies"}) {
            JsonObject found = index.getJsonObject(kind);
            if (found != null && found.getLong("count", 0L) > 0) {
              root.out.printf("  %s: %d%n", kind.replace('_', ' '), found.getLong("count"));
              for (Object e : found.getJsonArray("examples")) {
                JsonObject ex = (JsonObject) e;
                root.out.printf("    node %s, document %s: %s%n", ex.getString("node"), ex.getString("id"),
                    ex.getString("detail"));
              }
            }
          }
          for (Object s : index.getJsonArray("nodes_skipped", new JsonArray())) {
            JsonObject skipped = (JsonObject) s;
            root.out.printf("  not checked: node %s (%s)%n", skipped.getString("node"), skipped.getString("reason"));
          }
        }
        root.out.println(report.getBoolean("ok") ? "OK: every document is on exactly its owners"
            : "PROBLEMS: " + report.getLong("problems") + " (see above)");
      }
      return report.getBoolean("ok") ? 0 : 1;
    }
  }
}
