package io.miroir.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the Hazelcast cluster manager of {@code --cluster} (D12): {@code config/cluster.xml} (or the copy inside
 * the jar), then the environment's overrides so one image serves every pod: {@code MIROIR_CLUSTER_NAME},
 * {@code MIROIR_CLUSTER_MEMBERS} (TCP/IP join), {@code MIROIR_CLUSTER_SERVICE_DNS} (Kubernetes DNS join through a
 * headless Service instead), {@code MIROIR_CLUSTER_PORT}, {@code MIROIR_CLUSTER_HOST} (or {@code POD_IP}).
 */
public final class ClusterSetup {
  private ClusterSetup() {
  }

  /**
   * The address this member's event-bus server binds and advertises: {@code MIROIR_CLUSTER_HOST}, else
   * {@code POD_IP}, else null (Vert.x's default). Peers connect to it, so it must be reachable from them.
   */
  public static String eventBusHost(Map<String, String> env) {
    String host = env.getOrDefault("MIROIR_CLUSTER_HOST", env.get("POD_IP"));
    return host == null || host.isBlank() ? null : host.trim();
  }

  public static HazelcastClusterManager clusterManager(Path file, Map<String, String> env) throws IOException {
    return new HazelcastClusterManager(config(file, env));
  }

  static Config config(Path file, Map<String, String> env) throws IOException {
    Config config;
    if (file != null) {
      try (InputStream in = Files.newInputStream(file)) {
        config = new XmlConfigBuilder(in).build();
      }
    } else {
      try (InputStream in = ClusterSetup.class.getResourceAsStream("/cluster.xml")) {
        config = new XmlConfigBuilder(in).build();
      }
    }
    String name = env.get("MIROIR_CLUSTER_NAME");
    if (name != null && !name.isBlank()) {
      config.setClusterName(name);
    }
    String members = env.get("MIROIR_CLUSTER_MEMBERS");
    if (members != null && !members.isBlank()) {
      TcpIpConfig tcp = config.getNetworkConfig().getJoin().getTcpIpConfig();
      tcp.clear();
      for (String member : members.split(",")) {
        if (!member.isBlank()) {
          tcp.addMember(member.trim());
        }
      }
    }
    String serviceDns = env.get("MIROIR_CLUSTER_SERVICE_DNS");
    if (serviceDns != null && !serviceDns.isBlank()) {
      // Kubernetes: members are the addresses the headless Service resolves to (DNS lookup, no API calls).
      config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
      config.getNetworkConfig().getJoin().getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", serviceDns.trim());
    }
    String port = env.get("MIROIR_CLUSTER_PORT");
    if (port != null && !port.isBlank()) {
      config.getNetworkConfig().setPort(Integer.parseInt(port.trim()));
    }
    String host = eventBusHost(env);
    if (host != null) {
      config.getNetworkConfig().setPublicAddress(host);
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(host);
      config.setProperty("hazelcast.local.localAddress", host);
    }
    return config;
  }
}
