package io.miroir.router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: status, a body (JsonObject, JsonArray, Buffer or null for none) and extra headers such as
 * {@code X-Miroir-Degraded}, and for the access log how many nodes were asked.
 */
public record Reply(int status, Object body, Map<String, String> headers, int fanOut) {
  public Reply {
    headers = Map.copyOf(headers);
  }

  public static Reply of(int status, Object body) {
    return new Reply(status, body, Map.of(), 0);
  }

  /** This reply noting that {@code nodes} nodes were asked for it (logged, not sent). */
  public Reply withFanOut(int nodes) {
    return new Reply(status, body, headers, nodes);
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
    return new Reply(status, body, more, fanOut);
  }
}
