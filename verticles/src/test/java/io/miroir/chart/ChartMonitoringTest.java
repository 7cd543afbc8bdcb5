package io.miroir.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard, the Prometheus alert rules and chart/miroir/metrics-referenced.txt: the twelve alerts of
 * SPEC §8.2 with their thresholds and durations, a metric list that is exactly what the files use, and (when
 * promtool is installed) PromQL that parses and alert unit tests that pass.
 */
class ChartMonitoringTest {
  private static final Pattern METRIC = Pattern.compile("\\bmiroir_[a-z0-9_]+");

  /** SPEC §8.2: alert, how long its condition must hold, and the comparison it makes. */
  private static final Map<String, String[]> SPEC_ALERTS = new LinkedHashMap<>();

  static {
    SPEC_ALERTS.put("DegradedShards", new String[] {"2m", "(miroir_degraded_shards) > 0"});
    SPEC_ALERTS.put("NodeDown", new String[] {"5m", "(miroir_node_healthy) == 0"});
    SPEC_ALERTS.put("HighSearchLatency", new String[] {"5m", "histogram_quantile(0.95,", ") > 2"});
    SPEC_ALERTS.put("TaskStuck", new String[] {"10m", "(miroir_task_processing_age_seconds) > 3600"});
    SPEC_ALERTS.put("RebalanceStuck", new String[] {"2h", "(miroir_rebalance_in_progress) == 1"});
    SPEC_ALERTS.put("SettingsDivergence", new String[] {"10m", "miroir_settings_broadcast_hash_mismatch_total",
        "miroir_settings_broadcast_drift_repair_total[10m])) == 0"});
    SPEC_ALERTS.put("AntientropyMismatch", new String[] {"18h",
        "increase(miroir_antientropy_mismatches_found_total[18h])) > 0"});
    SPEC_ALERTS.put("MemoryPressure", new String[] {"5m", "(miroir_memory_pressure) >= 2"});
    SPEC_ALERTS.put("RequestQueueBacklog", new String[] {"2m", "(miroir_request_queue_depth) > 500"});
    SPEC_ALERTS.put("BackgroundJobBacklog", new String[] {"10m", "(miroir_background_queue_depth)) > 100"});
    SPEC_ALERTS.put("PeerDiscoveryGap", new String[] {"2m", "(miroir_peer_pod_count)", "<"});
    SPEC_ALERTS.put("NoLeader", new String[] {"1m", "sum by (namespace, service) (miroir_leader) == 0"});
  }

  private static Path chart() {
    return ChartFiles.chartDir();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules() {
    Map<String, Object> file = (Map<String, Object>) ChartFiles.loadYaml(chart().resolve("alerts/miroir-alerts.yaml"));
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : (List<Object>) file.get("groups")) {
      rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
    }
    return rules;
  }

  private static JsonNode dashboard() throws Exception {
    return ChartFiles.JSON.readTree(chart().resolve("dashboards/miroir.json").toFile());
  }

  /** Every PromQL expression of the dashboard: panel targets and template-variable queries. */
  private static List<String> dashboardExpressions(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.findValues("expr").forEach(v -> out.add(v.asText()));
    node.path("templating").path("list").forEach(v -> {
      if (v.path("query").has("query")) {
        out.add(v.path("query").path("query").asText());
      }
    });
    return out;
  }

  @Test
  void alertRulesAreTheSpecList() {
    List<Map<String, Object>> rules = rules();
    assertEquals(List.copyOf(SPEC_ALERTS.keySet()), rules.stream().map(r -> (String) r.get("alert")).toList());
    for (Map<String, Object> rule : rules) {
      String name = (String) rule.get("alert");
      String[] spec = SPEC_ALERTS.get(name);
      assertEquals(spec[0], rule.get("for"), name + ": for");
      String expr = ((String) rule.get("expr")).replaceAll("\\s+", " ");
      for (int i = 1; i < spec.length; i++) {
        assertTrue(expr.contains(spec[i]), name + ": expected [" + spec[i] + "] in " + expr);
      }
      assertTrue(rule.get("labels") instanceof Map<?, ?> l && l.get("severity") != null, name + ": severity");
      assertTrue(rule.get("annotations") instanceof Map<?, ?> a && a.get("summary") != null, name + ": summary");
    }
  }

  @Test
  void metricListIsExactlyWhatTheDashboardAlertsAndHpaUse() throws Exception {
    Set<String> used = new TreeSet<>();
    List<String> sources = new ArrayList<>(dashboardExpressions(dashboard()));
    rules().forEach(r -> sources.add((String) r.get("expr")));
    sources.add(Files.readString(chart().resolve("templates/hpa.yaml")));
    for (String source : sources) {
      // Histograms are queried through their _bucket series and listed by their base name.
      METRIC.matcher(source).results().forEach(m -> used.add(m.group().replaceFirst("_bucket$", "")));
    }
    List<String> listed = Files.readAllLines(chart().resolve("metrics-referenced.txt")).stream()
        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertEquals(new ArrayList<>(new TreeSet<>(listed)), listed, "metrics-referenced.txt: sorted, no duplicates");
    assertEquals(used, new TreeSet<>(listed));
    // The SPEC §8.2 core metrics and §5 pressure metrics the dashboard is built on.
    assertTrue(used.containsAll(List.of("miroir_request_duration_seconds", "miroir_requests_total",
        "miroir_requests_in_flight", "miroir_node_healthy", "miroir_shard_coverage", "miroir_degraded_shards",
        "miroir_memory_pressure", "miroir_background_queue_depth", "miroir_peer_pod_count", "miroir_leader")));
  }

  @Test
  void dashboardPanelsAreWellFormed() throws Exception {
    JsonNode d = dashboard();
    assertEquals("miroir-overview", d.path("uid").asText());
    Set<String> variables = new HashSet<>();
    d.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
    assertEquals(Set.of("datasource", "namespace", "service"), variables);
    Set<Integer> ids = new HashSet<>();
    int queries = 0;
    for (JsonNode panel : d.path("panels")) {
      assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertTrue(panel.path("targets").size() > 0, panel.path("title") + ": no query");
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertTrue(expr.contains("namespace=~\"$namespace\""), panel.path("title") + ": not filtered by namespace");
        queries++;
      }
    }
    assertTrue(queries >= 25, "only " + queries + " queries");
  }

  /** Each alert has a promtool unit test in which it fires. */
  @Test
  void everyAlertHasAFiringUnitTest() throws Exception {
    String tests = Files.readString(chart().resolve("alerts/miroir-alerts.test.yaml"));
    for (String alert : SPEC_ALERTS.keySet()) {
      assertTrue(Pattern.compile("alertname: " + alert + "\\n\\s+exp_alerts:\\n\\s+- exp_labels").matcher(tests)
          .find(), alert + ": no firing case in miroir-alerts.test.yaml");
    }
  }

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
    ExternalTool promtool = ExternalTool.promtool();
    Path alerts = chart().resolve("alerts");
    ExternalTool.Result check = promtool.run(alerts, "check", "rules", "miroir-alerts.yaml");
    assertEquals(0, check.exitCode(), () -> check.stdout() + check.stderr());
    assertTrue(check.stdout().contains("SUCCESS: 12 rules found"), check.stdout());
    ExternalTool.Result test = promtool.run(alerts, "test", "rules", "miroir-alerts.test.yaml");
    assertEquals(0, test.exitCode(), () -> test.stdout() + test.stderr());
  }

  /**
   * Panel queries are valid PromQL once Grafana's variables are substituted (checked as recording rules). The
   * variable queries use Grafana's label_values(), which is not PromQL.
   */
  @Test
  void promtoolParsesEveryPanelQuery() throws Exception {
    ExternalTool promtool = ExternalTool.promtool();
    promtool.assumePresent();
    List<String> exprs = dashboard().path("panels").findValues("expr").stream().map(JsonNode::asText).toList();
    StringBuilder file = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < exprs.size(); i++) {
      String expr = exprs.get(i).replace("$__rate_interval", "5m").replace("$namespace", ".*")
          .replace("$service", ".*");
      file.append("      - record: dashboard_query_").append(i).append("\n        expr: ")
          .append(ChartFiles.JSON.writeValueAsString(expr)).append('\n');
    }
    Path dir = Files.createTempDirectory("dashboard-rules");
    Path rulesFile = dir.resolve("rules.yaml");
    Files.writeString(rulesFile, file);
    try {
      ExternalTool.Result r = promtool.run(dir, "check", "rules", "rules.yaml");
      assertEquals(0, r.exitCode(), () -> r.stdout() + r.stderr());
      assertFalse(r.stdout().contains("FAILED"), r.stdout());
    } finally {
      Files.deleteIfExists(rulesFile);
      Files.deleteIfExists(dir);
    }
  }
}
