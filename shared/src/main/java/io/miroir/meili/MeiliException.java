package io.miroir.meili;

import io.vertx.core.json.JsonObject;

/**
 * A request failure answered with Meilisearch's error shape {@code {message, code, type, link}}. Either one of
 * Miroir's own {@link ErrorCode}s or an error object a node returned, carried through unchanged.
 */
public final class MeiliException extends RuntimeException {
  private final int httpStatus;
  private final JsonObject body;

  public MeiliException(ErrorCode code, String message) {
    this(code.httpStatus(), errorBody(code.code(), message));
  }

  public MeiliException(int httpStatus, JsonObject body) {
    super(body.getString("message"), null, false, false);
    this.httpStatus = httpStatus;
    this.body = body;
  }

  /** Wraps an error object returned by a node, keeping its status. */
  public static MeiliException fromNode(int httpStatus, JsonObject nodeError) {
    return new MeiliException(httpStatus, nodeError);
  }

  public static JsonObject errorBody(String code, String message) {
    return new JsonObject()
        .put("message", message)
        .put("code", code)
        .put("type", ErrorCode.typeOf(code))
        .put("link", ErrorCode.linkOf(code));
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String code() {
    return body.getString("code");
  }

  /** The error object; callers must not mutate it. */
  public JsonObject body() {
    return body;
  }
}
