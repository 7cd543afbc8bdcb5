package io.miroir.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miroir.config.ConfigLoader;
import io.miroir.config.MiroirConfig;
import io.miroir.config.MiroirConfig.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the chart with a real helm binary ({@code helm lint}, {@code helm template}). Skipped, with the reason
 * logged, when helm is not installed (scripts/install-helm installs it); the schema rules are proven without helm
 * by ChartValuesSchemaTest. The rendered config file is loaded with Miroir's own ConfigLoader.
 */
class HelmRenderTest {
  private static final String RELEASE = "rel";
  private static final String NAMESPACE = "search";
  private static final Map<String, String> KEYS_ENV = Map.of("MIROIR_MASTER_KEY", "k1",
      "MIROIR_NODE_MASTER_KEY", "node-master-key-0123456789", "MIROIR_ADMIN_API_KEY", "k3");

  private static ExternalTool helm;

  @BeforeAll
  static void findHelm() {
    helm = ExternalTool.helm();
  }

  /** Objects of one render, by kind and name. */
  record Render(List<Map<String, Object>> objects) {
    Map<String, Object> get(String kind, String name) {
      return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(path(o, "metadata", "name")))
          .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + names()));
    }

    boolean has(String kind, String name) {
      return objects.stream().anyMatch(o -> kind.equals(o.get("kind")) && name.equals(path(o, "metadata", "name")));
    }

    List<String> names() {
      return objects.stream().map(o -> o.get("kind") + "/" + path(o, "metadata", "name")).sorted().toList();
    }
  }

  @SuppressWarnings("unchecked")
  static Render render(String... extraArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, ".", "--namespace", NAMESPACE));
    args.addAll(List.of(extraArgs));
    ExternalTool.Result r = helm.run(ChartFiles.chartDir(), args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), () -> "helm template failed: " + r.stderr());
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object doc : ChartFiles.loadAllYaml(r.stdout())) {
      objects.add((Map<String, Object>) doc);
    }
    return new Render(objects);
  }

  static Render renderCase(String caseFile) throws Exception {
    return render("-f", ChartFiles.casesDir().resolve(caseFile).toString());
  }

  @SuppressWarnings("unchecked")
  static Object path(Object node, Object... keys) {
    Object n = node;
    for (Object key : keys) {
      if (key instanceof Integer i) {
        n = ((List<Object>) n).get(i);
      } else {
        n = n == null ? null : ((Map<String, Object>) n).get(key);
      }
    }
    return n;
  }

  static MiroirConfig loadConfig(Render r) {
    String text = (String) path(r.get("ConfigMap", RELEASE + "-miroir"), "data", "config.yaml");
    return new ConfigLoader(KEYS_ENV).fromTree(ChartFiles.loadAllYaml(text).get(0));
  }

  static Stream<ChartValuesSchemaTest.Case> cases() {
    return ChartValuesSchemaTest.CASES.stream();
  }

  @Test
  void lintPassesOnDefaults() throws Exception {
    ExternalTool.Result r = helm.run(ChartFiles.chartDir(), "lint", "--strict", ".");
    assertEquals(0, r.exitCode(), () -> r.stdout() + r.stderr());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseRendersOrIsRefused(ChartValuesSchemaTest.Case c) throws Exception {
    ExternalTool.Result r = helm.run(ChartFiles.chartDir(), "template", RELEASE, ".", "--namespace", NAMESPACE,
        "-f", ChartFiles.casesDir().resolve(c.file()).toString());
    if (c.helmRenders()) {
      assertEquals(0, r.exitCode(), () -> c.file() + " should render: " + r.stderr());
    } else {
      assertNotEquals(0, r.exitCode(), c.file() + " should be refused");
      String expected = c.field() != null ? c.field() : "meilisearch.replicas";
      assertTrue(r.stderr().contains(expected), () -> c.file() + ": expected " + expected + " in " + r.stderr());
    }
  }

  @Test
  void defaultsRenderTheDevelopmentSetup() throws Exception {
    Render r = render();
    assertEquals(List.of("ConfigMap/rel-miroir", "Deployment/rel-miroir", "PersistentVolumeClaim/rel-miroir-data",
        "PodDisruptionBudget/rel-meili", "PodDisruptionBudget/rel-miroir", "Secret/rel-miroir-keys",
        "Service/rel-meili-headless", "Service/rel-miroir", "Service/rel-miroir-headless", "StatefulSet/rel-meili"),
        r.names());
    assertEquals(1, path(r.get("Deployment", "rel-miroir"), "spec", "replicas"));
    assertEquals("Recreate", path(r.get("Deployment", "rel-miroir"), "spec", "strategy", "type"));
    assertEquals(2, path(r.get("StatefulSet", "rel-meili"), "spec", "replicas"));
  }

  @Test
  void defaultConfigIsAcceptedByMiroir() throws Exception {
    Render r = render();
    ConfigLoader loader = new ConfigLoader(KEYS_ENV);
    String text = (String) path(r.get("ConfigMap", "rel-miroir"), "data", "config.yaml");
    MiroirConfig config = loader.fromTree(ChartFiles.loadAllYaml(text).get(0));
    assertEquals(List.of(
        new NodeConfig("rel-meili-0", "http://rel-meili-0.rel-meili-headless.search.svc.cluster.local:7700", 0),
        new NodeConfig("rel-meili-1", "http://rel-meili-1.rel-meili-headless.search.svc.cluster.local:7700", 0)),
        config.nodes());
    assertEquals(1, config.replicationFactor());
    assertEquals(1, config.replicaGroups());
    assertEquals(64, config.shards());
    assertEquals("sqlite", config.taskStore().backend());
    assertEquals("/data/miroir-tasks.db", config.taskStore().path());
    assertEquals(7700, config.server().port());
    assertEquals(List.of(), loader.inactiveSections(), "a single pod writes no inactive section");
    // Keys come from the environment (the Secret), never from the file.
    assertFalse(text.contains("master_key"), text);
    assertFalse(text.contains("api_key"), text);
  }

  @Test
  void deploymentWiresIdentityKeysProbesAndPorts() throws Exception {
    Render r = render();
    Object container = path(r.get("Deployment", "rel-miroir"), "spec", "template", "spec", "containers", 0);
    assertEquals(List.of("java", "-jar", "/app/miroir.jar"), path(container, "command"));
    assertEquals(List.of("--config", "/etc/miroir/config.yaml"), path(container, "args"));
    List<?> env = (List<?>) path(container, "env");
    assertEquals("metadata.name", path(envVar(env, "POD_NAME"), "valueFrom", "fieldRef", "fieldPath"));
    assertEquals("status.podIP", path(envVar(env, "POD_IP"), "valueFrom", "fieldRef", "fieldPath"));
    for (String[] pair : new String[][] {{"MIROIR_MASTER_KEY", "masterKey"},
        {"MIROIR_NODE_MASTER_KEY", "nodeMasterKey"}, {"MIROIR_ADMIN_API_KEY", "adminApiKey"}}) {
      Object ref = path(envVar(env, pair[0]), "valueFrom", "secretKeyRef");
      assertEquals("rel-miroir-keys", path(ref, "name"), pair[0]);
      assertEquals(pair[1], path(ref, "key"), pair[0]);
    }
    assertEquals("/health", path(container, "livenessProbe", "httpGet", "path"));
    assertEquals("/_miroir/ready", path(container, "readinessProbe", "httpGet", "path"));
    List<?> ports = (List<?>) path(container, "ports");
    assertEquals(7700, path(ports, 0, "containerPort"));
    assertEquals(9090, path(ports, 1, "containerPort"));
    assertEquals("/etc/miroir", path(container, "volumeMounts", 0, "mountPath"));

    Object service = path(r.get("Service", "rel-miroir"), "spec", "ports");
    assertEquals(7700, path(service, 0, "port"));
    assertEquals(9090, path(service, 1, "port"));
    assertEquals("None", path(r.get("Service", "rel-miroir-headless"), "spec", "clusterIP"));
    assertEquals(true, path(r.get("Service", "rel-miroir-headless"), "spec", "publishNotReadyAddresses"));
  }

  @Test
  void generatedSecretHoldsThreeRandomKeys() throws Exception {
    Map<?, ?> data = (Map<?, ?>) path(render().get("Secret", "rel-miroir-keys"), "data");
    assertEquals(List.of("adminApiKey", "masterKey", "nodeMasterKey"), data.keySet().stream().map(String::valueOf)
        .sorted().toList());
    for (Object value : data.values()) {
      String key = new String(Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8);
      assertEquals(32, key.length());
    }
    assertEquals(3, data.values().stream().distinct().count(), "three different keys");
  }

  @Test
  void meilisearchNodesReadTheirKeyFromTheSecretAndGetOneVolumeEach() throws Exception {
    Object sts = render().get("StatefulSet", "rel-meili");
    assertEquals("rel-meili-headless", path(sts, "spec", "serviceName"));
    Object container = path(sts, "spec", "template", "spec", "containers", 0);
    Object ref = path(envVar((List<?>) path(container, "env"), "MEILI_MASTER_KEY"), "valueFrom", "secretKeyRef");
    assertEquals("rel-miroir-keys", path(ref, "name"));
    assertEquals("nodeMasterKey", path(ref, "key"));
    assertEquals("50Gi", path(sts, "spec", "volumeClaimTemplates", 0, "spec", "resources", "requests", "storage"));
    assertEquals(List.of("ReadWriteOnce"), path(sts, "spec", "volumeClaimTemplates", 0, "spec", "accessModes"));
  }

  @Test
  void productionShapeRendersGroupsHpaRedisAndMonitoring() throws Exception {
    Render r = renderCase("accept-production.yaml");
    ConfigLoader loader = new ConfigLoader(KEYS_ENV);
    String text = (String) path(r.get("ConfigMap", "rel-miroir"), "data", "config.yaml");
    MiroirConfig config = loader.fromTree(ChartFiles.loadAllYaml(text).get(0));
    assertEquals(List.of(0, 0, 0, 1, 1, 1), config.nodes().stream().map(NodeConfig::replicaGroup).toList());
    assertEquals("http://rel-meili-5.rel-meili-headless.search.svc.cluster.local:7700", config.nodes().get(5).address());
    assertEquals(2, config.replicationFactor());
    assertEquals(2, config.replicaGroups());
    assertEquals(32, config.shards());
    assertEquals("redis", config.taskStore().backend());
    assertEquals("redis://rel-redis:6379", config.taskStore().url());
    assertEquals(List.of("miroir.peer_discovery"), loader.inactiveSections());
    assertTrue(text.contains("service_name: rel-miroir-headless"), text);

    Object deployment = r.get("Deployment", "rel-miroir");
    assertNull(path(deployment, "spec", "replicas"), "the HPA owns the replica count");
    assertEquals(List.of("--config", "/etc/miroir/config.yaml", "--cluster"),
        path(deployment, "spec", "template", "spec", "containers", 0, "args"));
    assertNull(path(deployment, "spec", "strategy"), "rolling update without the SQLite volume");
    assertFalse(r.has("PersistentVolumeClaim", "rel-miroir-data"));
    assertFalse(r.has("Secret", "rel-miroir-keys"), "existingSecret: no generated Secret");
    List<?> env = (List<?>) path(deployment, "spec", "template", "spec", "containers", 0, "env");
    assertEquals("miroir-keys", path(envVar(env, "MIROIR_MASTER_KEY"), "valueFrom", "secretKeyRef", "name"));

    Object hpa = r.get("HorizontalPodAutoscaler", "rel-miroir");
    assertEquals(3, path(hpa, "spec", "minReplicas"));
    assertEquals(24, path(hpa, "spec", "maxReplicas"));
    List<?> metrics = (List<?>) path(hpa, "spec", "metrics");
    assertEquals(70, path(metrics, 0, "resource", "target", "averageUtilization"));
    assertEquals(75, path(metrics, 1, "resource", "target", "averageUtilization"));
    assertEquals("Pods", path(metrics, 2, "type"));
    assertEquals("miroir_requests_in_flight", path(metrics, 2, "pods", "metric", "name"));
    assertEquals("AverageValue", path(metrics, 2, "pods", "target", "type"));
    assertEquals("500", path(metrics, 2, "pods", "target", "averageValue"));
    assertEquals("External", path(metrics, 3, "type"));
    assertEquals("miroir_background_queue_depth", path(metrics, 3, "external", "metric", "name"));
    assertEquals(Map.of("namespace", "search"), path(metrics, 3, "external", "metric", "selector", "matchLabels"));
    assertEquals("Value", path(metrics, 3, "external", "target", "type"));
    assertEquals("10", path(metrics, 3, "external", "target", "value"));
    assertEquals(300, path(hpa, "spec", "behavior", "scaleDown", "stabilizationWindowSeconds"));
    assertEquals(30, path(hpa, "spec", "behavior", "scaleUp", "stabilizationWindowSeconds"));

    Object sts = r.get("StatefulSet", "rel-meili");
    assertEquals(6, path(sts, "spec", "replicas"));
    List<?> meiliEnv = (List<?>) path(sts, "spec", "template", "spec", "containers", 0, "env");
    assertEquals("meiliMasterKey", path(envVar(meiliEnv, "MEILI_MASTER_KEY"), "valueFrom", "secretKeyRef", "key"));
    assertEquals("kubernetes.io/hostname", path(sts, "spec", "template", "spec", "affinity", "podAntiAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution", 0, "topologyKey"));
    assertTrue(r.has("StatefulSet", "rel-redis"));
    assertTrue(r.has("Service", "rel-redis"));
    assertTrue(r.has("Ingress", "rel-miroir"));
    assertEquals("metrics", path(r.get("ServiceMonitor", "rel-miroir"), "spec", "endpoints", 0, "port"));
    assertEquals(12, ((List<?>) path(r.get("PrometheusRule", "rel-miroir"), "spec", "groups", 0, "rules")).size());
    String dashboard = (String) path(r.get("ConfigMap", "rel-miroir-dashboard"), "data", "miroir.json");
    assertEquals("Miroir", ChartFiles.JSON.readTree(dashboard).path("title").asText());
  }

  @Test
  void searchUiBlockIsWrittenWhenEnabledAndAccepted() throws Exception {
    Render r = renderCase("accept-scoped-key-lead-below-age.yaml");
    ConfigLoader loader = new ConfigLoader(KEYS_ENV);
    String text = (String) path(r.get("ConfigMap", "rel-miroir"), "data", "config.yaml");
    loader.fromTree(ChartFiles.loadAllYaml(text).get(0));
    assertEquals(List.of("miroir.search_ui"), loader.inactiveSections());
    assertTrue(text.contains("scoped_key_rotate_before_expiry_days: 29"), text);
  }

  @Test
  void longReleaseNameIsRefused() throws Exception {
    ExternalTool.Result r = helm.run(ChartFiles.chartDir(), "template", "a".repeat(41), ".");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.stderr().contains("longer than 40 characters"), r.stderr());
  }

  private static Object envVar(List<?> env, String name) {
    return env.stream().filter(e -> name.equals(path(e, "name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name + " in " + env));
  }
}
