package io.miroir.router;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.runtime.Services;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * Bearer dispatch (SPEC §2.6, D5, D14). On Meilisearch routes: no master key configured means open (except
 * {@code /keys}); the master key is accepted here and replaced by the node key; any other token is an API key or a
 * tenant token. Forwarded routes let the nodes judge that token; routes Miroir answers or orchestrates itself
 * check it against the key the nodes hold. {@code /_miroir/*} takes only the admin key.
 */
public final class Auth {
  private final Services services;

  public Auth(Services services) {
    this.services = services;
  }

  /** How a route's caller is checked. */
  public enum Scope {
    /** No credential needed ({@code /health}). */
    PUBLIC,
    /** The token goes to the nodes, which enforce it. */
    FORWARDED,
    /** Miroir enforces the token's actions and indexes itself, then acts with the node key. */
    ENFORCED,
    /** The admin key of {@code /_miroir/}. */
    ADMIN
  }

  /** Identifies the caller and rejects what needs no node to judge. */
  public Credential identify(RoutingContext ctx, Scope scope, boolean keysRoute) {
    if (scope == Scope.PUBLIC) {
      return Credential.MASTER;
    }
    if (scope == Scope.ADMIN) {
      return admin(ctx);
    }
    String masterKey = services.config().masterKey();
    if (masterKey == null || masterKey.isEmpty()) {
      if (keysRoute) {
        throw new MeiliException(ErrorCode.MISSING_MASTER_KEY, "Meilisearch is running without a master key. To "
            + "access this API endpoint, you must have set a master key at launch.");
      }
      return Credential.OPEN;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer")) {
      throw new MeiliException(ErrorCode.MISSING_AUTHORIZATION_HEADER,
          "The Authorization header is missing. It must use the bearer authorization method.");
    }
    String token = header.substring("Bearer".length()).trim();
    if (token.isEmpty()) {
      throw invalidKey();
    }
    if (constantTimeEquals(token, masterKey)) {
      return Credential.MASTER;
    }
    return Credential.ofBearer(token);
  }

  /** For ENFORCED routes: completes when {@code credential} may perform {@code action} on {@code indexUid}. */
  public Future<Void> authorize(Credential credential, String action, String indexUid) {
    if (credential.privileged()) {
      return Future.succeededFuture();
    }
    if (credential.kind() == Credential.Kind.TENANT_TOKEN) {
      return Future.failedFuture(invalidKey());
    }
    return services.keys().authorize(credential.token(), action, indexUid);
  }

  private Credential admin(RoutingContext ctx) {
    String adminKey = services.config().admin().apiKey();
    String given = ctx.request().getHeader("X-Admin-Key");
    String header = ctx.request().getHeader("Authorization");
    if (given == null && header != null && header.startsWith("Bearer ")) {
      given = header.substring("Bearer ".length()).trim();
    }
    if (adminKey == null || adminKey.isEmpty() || given == null || !constantTimeEquals(given, adminKey)) {
      throw new MeiliException(ErrorCode.MIROIR_INVALID_AUTH,
          "The admin API needs the admin key, as `Authorization: Bearer <admin key>` or `X-Admin-Key`.");
    }
    return Credential.MASTER;
  }

  public static MeiliException invalidKey() {
    return new MeiliException(ErrorCode.INVALID_API_KEY, "The provided API key is invalid.");
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
