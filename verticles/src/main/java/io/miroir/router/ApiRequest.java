package io.miroir.router;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** One client request as handlers see it: the routing context, the authenticated caller and parsing helpers. */
public final class ApiRequest {
  private final RoutingContext ctx;
  private final Credential credential;

  public ApiRequest(RoutingContext ctx, Credential credential) {
    this.ctx = ctx;
    this.credential = credential;
  }

  public RoutingContext ctx() {
    return ctx;
  }

  public Credential credential() {
    return credential;
  }

  public String indexUid() {
    return ctx.pathParam("indexUid");
  }

  public String param(String name) {
    return ctx.pathParam(name);
  }

  public MultiMap query() {
    return ctx.queryParams();
  }

  public String header(String name) {
    return ctx.request().getHeader(name);
  }

  public Buffer body() {
    Buffer b = ctx.body().buffer();
    return b == null ? Buffer.buffer() : b;
  }

  /** The raw query string with its leading {@code ?}, or empty. */
  public String rawQuery() {
    String q = ctx.request().query();
    return q == null || q.isEmpty() ? "" : "?" + q;
  }

  /**
   * The body as a JSON object, with Meilisearch's errors for the content type and payload (API reference §4.3).
   */
  public JsonObject jsonObject() {
    Object value = json();
    if (value instanceof JsonObject o) {
      return o;
    }
    throw new MeiliException(ErrorCode.BAD_REQUEST, "Json deserialize error: invalid type: " + describe(value)
        + ", expected a map at line 1 column " + body().length());
  }

  /** The body parsed as any JSON value, after the content-type and empty-payload checks. */
  public Object json() {
    requireJsonContentType();
    Buffer body = body();
    if (body.length() == 0) {
      throw new MeiliException(ErrorCode.MISSING_PAYLOAD, "A json payload is missing.");
    }
    try {
      return io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new MeiliException(ErrorCode.MALFORMED_PAYLOAD, "The json payload provided is malformed. `"
          + e.getMessage() + "`.");
    }
  }

  public void requireJsonContentType() {
    String type = header("Content-Type");
    if (type == null || type.isBlank()) {
      throw new MeiliException(ErrorCode.MISSING_CONTENT_TYPE,
          "A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`");
    }
    String mime = type.split(";", 2)[0].trim();
    if (!mime.equalsIgnoreCase("application/json")) {
      throw new MeiliException(ErrorCode.INVALID_CONTENT_TYPE, "The Content-Type `" + type
          + "` is invalid. Accepted values for the Content-Type header are: `application/json`");
    }
  }

  private static String describe(Object value) {
    if (value instanceof JsonArray) {
      return "sequence";
    }
    if (value instanceof String s) {
      return "string \"" + s + "\"";
    }
    if (value instanceof Boolean b) {
      return "boolean `" + b + "`";
    }
    if (value == null) {
      return "null";
    }
    return "number " + value;
  }
}
