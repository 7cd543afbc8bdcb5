package io.miroir.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Miroir process (a separate JVM, as a pod) started from the test classpath with {@code --cluster}, killed by
 * PID in failure tests.
 */
public final class MiroirPod implements AutoCloseable {
  private final String name;
  private final int port;
  private final Process process;
  private final Path log;

  private MiroirPod(String name, int port, Process process, Path log) {
    this.name = name;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a pod. {@code config} is the YAML text without {@code server}; the pod gets a free client port and
   * joins the cluster named {@code cluster} through {@code members} (host:port list).
   */
  public static MiroirPod start(String name, String config, String cluster, int clusterPort, String members,
      List<String> extraArgs) throws IOException {
    int port = freePort();
    Path dir = Files.createTempDirectory("miroir-pod-" + name);
    Path file = dir.resolve("miroir.yaml");
    Files.writeString(file, config + "\n  server: {port: " + port + ", bind: 127.0.0.1}\n"
        + "  metrics: {enabled: false}\n");
    Path log = dir.resolve("pod.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx256m", "-cp", testClasspath(), "io.miroir.Main", "--config", file.toString(),
        "--cluster"));
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("MIROIR_CLUSTER_NAME", cluster);
    env.put("MIROIR_CLUSTER_MEMBERS", members);
    env.put("MIROIR_CLUSTER_PORT", String.valueOf(clusterPort));
    env.put("MIROIR_CLUSTER_HOST", "127.0.0.1");
    env.put("POD_NAME", name);
    env.put("MIROIR_LOG_FORMAT", "text");
    return new MiroirPod(name, port, builder.start(), log);
  }

  private static String testClasspath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public String name() {
    return name;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Waits until the pod answers {@code /health}. */
  public MiroirPod waitHealthy(Duration timeout) {
    ApiClient client = new ApiClient(url(), null);
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("pod " + name + " exited: " + logTail());
      }
      try {
        if (client.get("/health").status() == 200) {
          return this;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      ApiClient.sleep(100);
    }
    throw new AssertionError("pod " + name + " not healthy within " + timeout + ": " + logTail());
  }

  /** SIGKILL, as a crashed pod. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
