package io.miroir.router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: status, a body (JsonObject, JsonArray, Buffer or null for none) and extra headers such as
 * {@code X-Miroir-Degraded}.
 */
public record Reply(int status, Object body, Map<String, String> headers) {
  public Reply {
    headers = Map.copyOf(headers);
  }

  public static Reply of(int status, Object body) {
    return new Reply(status, body, Map.of());
  }

  public static Reply ok(Object body) {
    return of(200, body);
  }

  public static Reply accepted(Object body) {
    return of(202, body);
  }

  public static Reply noContent() {
    return of(204, null);
  }

  /** This reply with one more header; a null value adds nothing. */
  public Reply withHeader(String name, String value) {
    if (value == null) {
      return this;
    }
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Reply(status, body, more);
  }
}
