package io.miroir.testing;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** A blocking HTTP client for tests, speaking to Miroir or a node with a bearer key. */
public final class ApiClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String key;
  private final java.util.Map<String, String> headers;

  public ApiClient(String baseUrl, String key) {
    this(baseUrl, key, java.util.Map.of());
  }

  private ApiClient(String baseUrl, String key, java.util.Map<String, String> headers) {
    this.baseUrl = baseUrl;
    this.key = key;
    this.headers = headers;
  }

  public ApiClient withKey(String otherKey) {
    return new ApiClient(baseUrl, otherKey, headers);
  }

  /** A client sending one more header with every request. */
  public ApiClient withHeader(String name, String value) {
    java.util.Map<String, String> more = new java.util.HashMap<>(headers);
    more.put(name, value);
    return new ApiClient(baseUrl, key, java.util.Map.copyOf(more));
  }

  /** One answer: status, headers and body text. */
  public record Response(int status, java.net.http.HttpHeaders headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response post(String path, Object body) {
    return send("POST", path, body, "application/json");
  }

  public Response put(String path, Object body) {
    return send("PUT", path, body, "application/json");
  }

  public Response patch(String path, Object body) {
    return send("PATCH", path, body, "application/json");
  }

  /** {@code body} is a String sent as is, or any value encoded as JSON. */
  public Response send(String method, String path, Object body, String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    String text = body == null ? null : body instanceof String s ? s : Json.encode(body);
    b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new RuntimeException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  /** Polls {@code GET /tasks/{uid}} until the task is finished; answers the final task object. */
  public JsonObject waitTask(long taskUid) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      Response r = get("/tasks/" + taskUid);
      if (r.status() != 200) {
        throw new AssertionError("task " + taskUid + ": " + r);
      }
      JsonObject task = r.json();
      String status = task.getString("status");
      if (status.equals("succeeded") || status.equals("failed") || status.equals("canceled")) {
        return task;
      }
      sleep(25);
    }
    throw new AssertionError("task " + taskUid + " not finished within 60 s");
  }

  /** Sends a write, expects 202, waits for its task and expects it to succeed. */
  public JsonObject writeAndWait(String method, String path, Object body) {
    Response r = send(method, path, body, body == null ? null : "application/json");
    if (r.status() != 202) {
      throw new AssertionError(method + " " + path + " answered " + r);
    }
    JsonObject task = waitTask(r.json().getLong("taskUid"));
    if (!"succeeded".equals(task.getString("status"))) {
      throw new AssertionError(method + " " + path + " task did not succeed: " + task.encode());
    }
    return task;
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }
}
