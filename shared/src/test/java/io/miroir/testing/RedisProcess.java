package io.miroir.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests (ARCHITECTURE "Real components in tests"): Debian's binary (or the one named
 * by {@code MIROIR_REDIS_SERVER}) on a free loopback port, with a temporary working directory and no persistence, so
 * no test depends on a system service or leaves files behind. {@link #close} stops it and deletes the directory.
 *
 * <p>{@link #command} is a minimal blocking RESP client for assertions on the raw keyspace; tests may block, the code
 * under test never does.
 */
public final class RedisProcess implements AutoCloseable {
  private static final int START_ATTEMPTS = 5;
  private static final long READY_TIMEOUT_MS = 10_000;

  private final Process process;
  private final int port;
  private final Path dir;

  private RedisProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server and answers once it replies to PING; retries on another port if the chosen one was taken. */
  public static RedisProcess start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("miroir-redis-");
    String binary = System.getenv().getOrDefault("MIROIR_REDIS_SERVER", "redis-server");
    IOException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = freePort();
      Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
          .start();
      RedisProcess redis = new RedisProcess(process, port, dir);
      try {
        redis.awaitReady();
        return redis;
      } catch (IOException e) {
        // Another process may have bound the port between freePort() and the server's bind: try another one.
        last = e;
        redis.stopProcess();
      }
    }
    deleteRecursively(dir);
    throw new IOException("redis-server did not start after " + START_ATTEMPTS + " attempts", last);
  }

  public int port() {
    return port;
  }

  /** The connection string of database 0. */
  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** Empties every database: a fresh store for the next test without restarting the server. */
  public void flushAll() {
    command("FLUSHALL");
  }

  /**
   * Sends one command and answers its reply: a String for simple and bulk strings, a Long for integers, a List for
   * arrays, null for a nil; an error reply throws {@link IllegalStateException}.
   */
  public Object command(String... args) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(encode(args));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException("redis command " + args[0] + " failed", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopProcess();
    deleteRecursively(dir);
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue() + "; see " + dir);
      }
      try {
        if ("PONG".equals(command("PING"))) {
          return;
        }
      } catch (UncheckedIOException | IllegalStateException e) {
        // Not listening yet, or still loading: wait and ask again.
      }
      Thread.sleep(20);
    }
    throw new IOException("redis-server on port " + port + " did not answer PING within " + READY_TIMEOUT_MS + " ms");
  }

  private void stopProcess() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static byte[] encode(String... args) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String a : args) {
      byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      b.writeBytes(bytes);
      b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = readLine(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        return items;
      }
      default:
        throw new IOException("unexpected RESP type [" + (char) type + "]");
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed mid-reply");
      }
      b.write(c);
    }
    in.read(); // the '\n'
    return b.toString(StandardCharsets.UTF_8);
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is harmless; never fail a test run over it.
    }
  }
}
