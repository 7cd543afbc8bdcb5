package io.miroir.ctl;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The admin API of one Miroir endpoint, as {@code miroir-ctl} calls it. */
final class AdminClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String key;

  AdminClient(String baseUrl, String key) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.key = key;
  }

  /** One answer: status and JSON body (an object; empty when the body is not one). */
  record Answer(int status, JsonObject body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The body of a successful answer; a failed one is reported to the operator. */
    JsonObject orFail() {
      if (!ok()) {
        throw new CtlException(error());
      }
      return body;
    }

    /** The Meilisearch-shaped error message of a failed answer. */
    String error() {
      return body.getString("message", "HTTP " + status) + (body.containsKey("code")
          ? " (" + body.getString("code") + ")" : "");
    }
  }

  Answer get(String path) {
    return send("GET", path, null);
  }

  Answer post(String path, JsonObject body) {
    return send("POST", path, body == null ? new JsonObject() : body);
  }

  Answer delete(String path) {
    return send("DELETE", path, null);
  }

  private Answer send(String method, String path, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofMinutes(10))
        .header("Authorization", "Bearer " + key);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode()));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonObject json;
      try {
        json = r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
      } catch (RuntimeException notAnObject) {
        json = new JsonObject().put("message", r.body());
      }
      return new Answer(r.statusCode(), json);
    } catch (IOException e) {
      throw new CtlException("cannot reach Miroir at " + baseUrl + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlException("interrupted");
    }
  }

  /**
   * The admin key, looked up in this order (SPEC §8.4): the environment variable {@code MIROIR_ADMIN_API_KEY},
   * the credentials file ({@code ~/.config/miroir/credentials}: a line {@code admin_api_key = KEY}, or the key
   * alone), then {@code --admin-key}.
   */
  static Optional<String> adminKey(Map<String, String> env, Path credentials, String flag) {
    String fromEnv = env.get("MIROIR_ADMIN_API_KEY");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv.trim());
    }
    if (credentials != null && Files.isReadable(credentials)) {
      try {
        for (String line : Files.readAllLines(credentials)) {
          String text = line.trim();
          if (text.isEmpty() || text.startsWith("#")) {
            continue;
          }
          int eq = text.indexOf('=');
          if (eq < 0) {
            return Optional.of(text);
          }
          if (text.substring(0, eq).trim().equals("admin_api_key")) {
            return Optional.of(text.substring(eq + 1).trim());
          }
        }
      } catch (IOException e) {
        throw new CtlException("cannot read " + credentials + ": " + e.getMessage());
      }
    }
    return Optional.ofNullable(flag).filter(f -> !f.isBlank());
  }

  /** A failure to report to the operator, without a stack trace. */
  static final class CtlException extends RuntimeException {
    CtlException(String message) {
      super(message);
    }
  }
}
