package io.miroir.store;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run atomically on Redis (SPEC §6): by its SHA-1 ({@code EVALSHA}) so that only the digest travels,
 * falling back to {@code EVAL} when the server does not know it yet or forgot it (a restart, {@code SCRIPT FLUSH});
 * {@code EVAL} also caches it for the next call.
 *
 * <p>Scripts are the unit of atomicity of the Redis building blocks: a script runs with no other command in between,
 * so a task and its secondary sets, a fence check and its write, or a job claim never tear.
 */
final class RedisScript {
  private final String source;
  private final String sha1;

  RedisScript(String source) {
    this.source = source;
    this.sha1 = sha1Hex(source);
  }

  Future<Response> run(RedisAPI api, List<String> keys, List<String> args) {
    return api.evalsha(arguments(sha1, keys, args)).recover(e -> isNoScript(e)
        ? api.eval(arguments(source, keys, args))
        : Future.failedFuture(e));
  }

  private static List<String> arguments(String script, List<String> keys, List<String> args) {
    List<String> out = new ArrayList<>(2 + keys.size() + args.size());
    out.add(script);
    out.add(Integer.toString(keys.size()));
    out.addAll(keys);
    out.addAll(args);
    return out;
  }

  private static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  private static String sha1Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
