package io.miroir.router;

/**
 * Who is calling a Meilisearch route (SPEC §2.6, D5, D14): the Miroir master key (replaced by the node key toward
 * nodes), another bearer token (an API key or a tenant token, which nodes validate), or nobody on a keyless
 * deployment.
 */
public record Credential(Kind kind, String token) {
  public enum Kind {
    /** No master key is configured: the API is open, as on a keyless node. */
    OPEN,
    MASTER,
    /** A bearer token that is not the master key: an API key. */
    API_KEY,
    /** A JWT-shaped bearer token: a Meilisearch tenant token. */
    TENANT_TOKEN
  }

  public static final Credential OPEN = new Credential(Kind.OPEN, null);
  public static final Credential MASTER = new Credential(Kind.MASTER, null);

  /** Whether Miroir acts with full rights (and uses the node key). */
  public boolean privileged() {
    return kind == Kind.OPEN || kind == Kind.MASTER;
  }

  /** The token to send to nodes for a forwarded call: null means the node master key. */
  public String nodeToken() {
    return privileged() ? null : token;
  }

  public static Credential ofBearer(String token) {
    return new Credential(looksLikeJwt(token) ? Kind.TENANT_TOKEN : Kind.API_KEY, token);
  }

  private static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    return first > 0 && token.indexOf('.', first + 1) > first + 1 && token.startsWith("ey");
  }
}
