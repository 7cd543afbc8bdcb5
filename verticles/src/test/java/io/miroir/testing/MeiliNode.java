package io.miroir.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One real Meilisearch process listening on {@code 127.0.0.1:port}, with its database, dumps, snapshots,
 * log ({@link #logFile()}) and pid file under {@link #dataDir()}.
 *
 * <p>Normally obtained from {@link MeiliNodes#nodes(int)} / {@link MeiliNodes#reference()}, which own the
 * process lifecycle. Tests may {@link #kill()}, {@link #stop()}, {@link #pause()} and {@link #start()} a
 * node; the pool restarts dead nodes and resumes paused ones before handing them out again.
 *
 * <p>All methods block; they are meant for test code, not for event-loop threads.
 */
public final class MeiliNode {

  /** Time {@link #start()} waits for {@code /health}. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
  /** Interval between two {@code /health} polls while waiting for a node to come up. */
  public static final Duration HEALTH_POLL_INTERVAL = Duration.ofMillis(50);

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HEALTH_REQUEST_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final String id;
  private final Path binary;
  private final Path dataDir;
  private final int port;
  private final String masterKey;
  private final String logLevel;

  private volatile Process process;
  private volatile boolean paused;
  /** Fresh per process start, so no pooled connection to a killed process is ever reused. */
  private volatile HttpClient http = newHttpClient();

  /** Keys and experimental features right after the database was created; what {@link #reset} restores. */
  private volatile JsonArray baselineKeys;
  private volatile JsonObject baselineFeatures;

  /**
   * A node that is not started yet. {@code dataDir} must exist; the database goes to {@code dataDir/data.ms}.
   *
   * @param logLevel Meilisearch {@code --log-level} (ERROR, WARN, INFO, DEBUG, TRACE, OFF)
   */
  public MeiliNode(String id, Path binary, Path dataDir, int port, String masterKey, String logLevel) {
    this.id = Objects.requireNonNull(id);
    this.binary = Objects.requireNonNull(binary);
    this.dataDir = Objects.requireNonNull(dataDir).toAbsolutePath();
    this.port = port;
    this.masterKey = Objects.requireNonNull(masterKey);
    this.logLevel = Objects.requireNonNull(logLevel);
  }

  // ---------------------------------------------------------------------------------------------
  // Identity

  public String id() {
    return id;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public String address() {
    return "http://127.0.0.1:" + port;
  }

  public String masterKey() {
    return masterKey;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** stdout and stderr of every process this node has run, appended, with a marker line per start. */
  public Path logFile() {
    return dataDir.resolve("meilisearch.log");
  }

  /** OS process id of the current process, or -1 if the node has never been started. */
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /** Whether the process is running (a paused process counts as running). */
  public boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Whether the node is paused with {@link #pause()}. */
  public boolean paused() {
    return paused && alive();
  }

  /**
   * Starts the process on this node's port and data dir (so a restart keeps the data) and waits up to
   * {@link #DEFAULT_START_TIMEOUT} for {@code /health}.
   *
   * @throws IllegalStateException if the node is already running or does not become healthy
   */
  public MeiliNode start() {
    launch();
    waitHealthy(DEFAULT_START_TIMEOUT);
    return this;
  }

  /** Starts the process without waiting for it to be healthy; see {@link #waitHealthy(Duration)}. */
  public synchronized MeiliNode launch() {
    if (alive()) {
      throw new IllegalStateException(id + " is already running (pid " + pid() + ")");
    }
    List<String> cmd = List.of(
        binary.toString(),
        "--http-addr", "127.0.0.1:" + port,
        "--db-path", dataDir.resolve("data.ms").toString(),
        "--dump-dir", dataDir.resolve("dumps").toString(),
        "--snapshot-dir", dataDir.resolve("snapshots").toString(),
        "--master-key", masterKey,
        "--env", "development",
        "--log-level", logLevel,
        "--no-analytics");
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(dataDir.toFile()) // Meilisearch reads ./config.toml if present: keep it out of the repo
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    // Only our flags configure the node: drop MEILI_* from the developer's environment.
    pb.environment().keySet().removeIf(k -> k.startsWith("MEILI_"));
    pb.environment().put("NO_COLOR", "1");
    try {
      Files.writeString(logFile(), "=== " + Instant.now() + " starting " + id + " on " + address() + "\n",
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      http = newHttpClient();
      Process p = pb.start();
      p.getOutputStream().close();
      process = p;
      paused = false;
      Files.writeString(dataDir.resolve(MeiliNodes.PID_FILE), Long.toString(p.pid()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + id + " with " + binary, e);
    }
    return this;
  }

  /**
   * Polls {@code GET /health} every {@link #HEALTH_POLL_INTERVAL} until it answers 200.
   *
   * @throws IllegalStateException if the process exits or the timeout passes first; the message carries
   *     the end of the node's log
   */
  public void waitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Process p = process;
      if (p == null) {
        throw new IllegalStateException(id + " was never started");
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(id + " (" + address() + ") exited with code " + p.exitValue()
            + " before answering /health" + logTail());
      }
      if (healthy()) {
        captureBaselineIfNeeded();
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + " (" + address() + ", pid " + p.pid() + ") not healthy after "
            + timeout.toMillis() + " ms" + (paused ? " (paused)" : "") + logTail());
      }
      sleep(HEALTH_POLL_INTERVAL.toMillis());
    }
  }

  /** One {@code GET /health} with a short timeout: true on HTTP 200. */
  public boolean healthy() {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(address() + "/health"))
          .timeout(HEALTH_REQUEST_TIMEOUT).GET().build();
      return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** SIGKILL (by pid) and wait until the process is gone. No-op if it is not running. */
  public synchronized void kill() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroyForcibly(); // SIGKILL on Linux; a SIGSTOPped process dies too
    awaitExit(p, Duration.ofSeconds(10));
    paused = false;
  }

  /** SIGTERM, wait up to 15 s for a graceful exit, then SIGKILL. No-op if it is not running. */
  public synchronized void stop() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    if (paused) {
      resume();
    }
    p.destroy(); // SIGTERM
    try {
      if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        awaitExit(p, Duration.ofSeconds(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    paused = false;
  }

  /** SIGSTOP: the process keeps its port but answers nothing (connections hang) until {@link #resume()}. */
  public synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  private void signal(String name) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(id + " is not running");
    }
    try {
      int rc = new ProcessBuilder("/bin/sh", "-c", "kill -" + name + " " + p.pid())
          .redirectErrorStream(true).start().waitFor();
      if (rc != 0) {
        throw new IllegalStateException("kill -" + name + " " + p.pid() + " failed with " + rc);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP helpers (authenticated with the node's master key)

  /**
   * Sends one request to the node with {@code Authorization: Bearer <master key>}.
   *
   * @param pathAndQuery e.g. {@code /indexes/books/search}
   * @param jsonBody request body sent as {@code application/json}, or null for none
   */
  public HttpResponse<String> request(String method, String pathAndQuery, String jsonBody) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(address() + pathAndQuery))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + masterKey);
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(id + ": " + method + " " + pathAndQuery + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Like {@link #request} but requires a 2xx status and returns the body as a JSON object (empty for a body-less
   * answer such as 204).
   */
  public JsonObject call(String method, String pathAndQuery, String jsonBody) {
    HttpResponse<String> r = request(method, pathAndQuery, jsonBody);
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(id + ": " + method + " " + pathAndQuery + " -> HTTP " + r.statusCode() + ": "
          + r.body());
    }
    String body = r.body();
    return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
  }

  /**
   * Polls {@code GET /tasks/{uid}} every 10 ms until the task is succeeded, failed or canceled and returns it
   * (whatever its final status; check {@code getString("status")}).
   */
  public JsonObject waitForTask(long taskUid, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonObject task = call("GET", "/tasks/" + taskUid, null);
      String status = task.getString("status");
      if ("succeeded".equals(status) || "failed".equals(status) || "canceled".equals(status)) {
        return task;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + ": task " + taskUid + " still " + status + " after "
            + timeout.toMillis() + " ms");
      }
      sleep(10);
    }
  }

  /** Waits until the node has no enqueued or processing task. */
  public void waitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pendingTasks() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + ": tasks still pending after " + timeout.toMillis() + " ms");
      }
      sleep(10);
    }
  }

  private long pendingTasks() {
    return call("GET", "/tasks?statuses=enqueued,processing&limit=1", null).getLong("total", 0L);
  }

  // ---------------------------------------------------------------------------------------------
  // Reset

  /**
   * Brings a running node back to its freshly created state as far as tests can observe it: cancels pending
   * tasks, deletes every index, deletes every API key that is not one of the node's default keys (and recreates
   * or renames default keys a test deleted or edited, with the same uid, hence the same key value), deletes
   * editable webhooks and restores the experimental features, waiting for every task involved.
   *
   * <p>Not reset: the task history (task uids keep growing) and the {@code /network} settings.
   */
  public void reset(Duration timeout) {
    if (!alive() || paused) {
      throw new IllegalStateException(id + " must be running and not paused to be reset");
    }
    captureBaselineIfNeeded();
    long deadline = System.nanoTime() + timeout.toNanos();

    if (pendingTasks() > 0) {
      call("POST", "/tasks/cancel?statuses=enqueued,processing", null);
      waitIdle(remaining(deadline));
    }

    for (int round = 0; ; round++) {
      JsonArray indexes = call("GET", "/indexes?limit=1000", null).getJsonArray("results", new JsonArray());
      if (indexes.isEmpty()) {
        break;
      }
      if (round >= 20) {
        throw new IllegalStateException(id + ": indexes remain after " + round + " deletion rounds: " + indexes);
      }
      for (int i = 0; i < indexes.size(); i++) {
        String uid = indexes.getJsonObject(i).getString("uid");
        HttpResponse<String> r = request("DELETE", "/indexes/" + uid, null);
        if (r.statusCode() != 202 && r.statusCode() != 404) {
          throw new IllegalStateException(id + ": DELETE /indexes/" + uid + " -> HTTP " + r.statusCode() + ": "
              + r.body());
        }
      }
      waitIdle(remaining(deadline));
    }

    resetKeys();

    JsonArray hooks = call("GET", "/webhooks", null).getJsonArray("results", new JsonArray());
    for (int i = 0; i < hooks.size(); i++) {
      JsonObject hook = hooks.getJsonObject(i);
      if (hook.getBoolean("isEditable", true)) {
        call("DELETE", "/webhooks/" + hook.getString("uuid"), null);
      }
    }

    JsonObject features = call("GET", "/experimental-features", null);
    if (!features.equals(baselineFeatures)) {
      call("PATCH", "/experimental-features", baselineFeatures.encode());
    }
  }

  private void resetKeys() {
    Set<String> defaults = new HashSet<>();
    for (int i = 0; i < baselineKeys.size(); i++) {
      defaults.add(baselineKeys.getJsonObject(i).getString("uid"));
    }
    JsonArray keys = call("GET", "/keys?limit=10000", null).getJsonArray("results", new JsonArray());
    Set<String> present = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      JsonObject key = keys.getJsonObject(i);
      String uid = key.getString("uid");
      if (!defaults.contains(uid)) {
        call("DELETE", "/keys/" + uid, null);
        continue;
      }
      present.add(uid);
      JsonObject base = baselineOf(uid);
      if (!Objects.equals(key.getValue("name"), base.getValue("name"))
          || !Objects.equals(key.getValue("description"), base.getValue("description"))) {
        call("PATCH", "/keys/" + uid,
            new JsonObject().put("name", base.getValue("name")).put("description", base.getValue("description"))
                .encode());
      }
    }
    for (String uid : defaults) {
      if (!present.contains(uid)) {
        JsonObject base = baselineOf(uid);
        JsonObject create = new JsonObject();
        for (String field : List.of("uid", "name", "description", "actions", "indexes", "expiresAt")) {
          create.put(field, base.getValue(field));
        }
        call("POST", "/keys", create.encode());
      }
    }
  }

  private JsonObject baselineOf(String uid) {
    for (int i = 0; i < baselineKeys.size(); i++) {
      if (uid.equals(baselineKeys.getJsonObject(i).getString("uid"))) {
        return baselineKeys.getJsonObject(i);
      }
    }
    throw new IllegalArgumentException(uid);
  }

  /** The API keys the node had right after its database was created (Meilisearch 1.21 creates four). */
  public List<JsonObject> defaultKeys() {
    captureBaselineIfNeeded();
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < baselineKeys.size(); i++) {
      out.add(baselineKeys.getJsonObject(i).copy());
    }
    return out;
  }

  private synchronized void captureBaselineIfNeeded() {
    if (baselineKeys == null) {
      baselineKeys = call("GET", "/keys?limit=10000", null).getJsonArray("results");
      baselineFeatures = call("GET", "/experimental-features", null);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The last lines of {@link #logFile()}, formatted for an exception message. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 20), lines.size());
      return "\n--- last lines of " + logFile() + " ---\n" + String.join("\n", tail);
    } catch (IOException e) {
      return " (no log at " + logFile() + ")";
    }
  }

  @Override
  public String toString() {
    return id + "@" + address() + (alive() ? " pid " + pid() + (paused ? " paused" : "") : " (not running)");
  }

  private static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  private static void awaitExit(Process p, Duration timeout) {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("pid " + p.pid() + " still alive " + timeout.toMillis() + " ms after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
