package io.miroir.ctl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/**
 * Renders the rebalancer's status: a one-line progress bar refreshed in place on a terminal (one line per refresh
 * otherwise), and a per-shard table.
 */
final class ProgressView {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean terminal;
  private String lastLine = "";

  ProgressView(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static String bar(double ratio) {
    int filled = (int) Math.round(ratio * WIDTH);
    return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format("%3d%%",
        Math.round(ratio * 100));
  }

  static String summary(JsonObject status) {
    String state = status.getString("state", "idle");
    if (!"running".equals(state)) {
      return state + (status.getJsonArray("blocked", new JsonArray()).isEmpty() ? ""
          : " (blocked: " + status.getJsonArray("blocked").size() + " copies wait for a live source or target)");
    }
    JsonObject totals = status.getJsonObject("totals", new JsonObject());
    long copied = totals.getLong("documents_copied", 0L);
    long total = totals.getLong("documents_total", 0L);
    return bar(totals.getDouble("progress", 0.0)) + String.format(" %d/%d docs, shards %d/%d, %.0f docs/s, %s%s", copied, total,
        totals.getInteger("shards_done", 0), totals.getInteger("shards", 0),
        totals.getDouble("rate_docs_per_sec", 0.0), status.getString("phase", ""),
        totals.containsKey("estimated_finish") ? ", ETA " + totals.getString("estimated_finish") : "");
  }

  void line(JsonObject status) {
    String text = summary(status);
    if (terminal) {
      out.print("\r" + text + " ".repeat(Math.max(0, lastLine.length() - text.length())));
      out.flush();
    } else if (!text.equals(lastLine)) {
      out.println(text);
    }
    lastLine = text;
  }

  void finish(JsonObject status) {
    if (terminal) {
      out.println();
    }
    JsonObject last = status.getJsonObject("last_run");
    if (last != null) {
      JsonObject totals = last.getJsonObject("totals", new JsonObject());
      out.printf("last run %s: %d shard copies, %d documents copied, started %s, finished %s%s%n",
          last.getString("state"), totals.getInteger("shards", 0), totals.getLong("documents_copied", 0L),
          last.getString("started_at"), last.getString("finished_at"),
          last.containsKey("error") ? ", error: " + last.getString("error") : "");
    }
  }

  void details(JsonObject status) {
    out.println("state: " + summary(status));
    JsonObject nodes = status.getJsonObject("nodes");
    if (nodes != null) {
      out.println("nodes: " + nodes.encode());
    }
    JsonArray moves = status.getJsonArray("moves", new JsonArray());
    if (!moves.isEmpty()) {
      out.printf("%-20s %-6s %-12s %-12s %-12s %-20s %s%n", "INDEX", "SHARD", "SOURCE", "TARGET", "PHASE",
          "PROGRESS", "RATE");
      for (Object o : moves) {
        JsonObject m = (JsonObject) o;
        long total = m.getLong("documents_total") == null ? 0 : m.getLong("documents_total");
        out.printf("%-20s %-6d %-12s %-12s %-12s %-20s %.0f docs/s%n", m.getString("index"), m.getInteger("shard"),
            m.getString("source"), m.getString("target"), m.getString("phase"),
            m.getLong("documents_copied") + "/" + total, m.getDouble("rate_docs_per_sec", 0.0));
      }
    }
    for (Object b : status.getJsonArray("blocked", new JsonArray())) {
      out.println("blocked: " + b);
    }
    finish(status);
  }
}
