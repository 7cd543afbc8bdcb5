package io.miroir.it;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs Meilisearch tenant tokens (HS256, signed with the parent API key's value) for tests. */
final class TenantTokens {
  private TenantTokens() {
  }

  static String sign(String apiKeyUid, String apiKey, JsonObject searchRules) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    JsonObject claims = new JsonObject().put("apiKeyUid", apiKeyUid).put("searchRules", searchRules)
        .put("exp", System.currentTimeMillis() / 1000 + 3600);
    String payload = b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(apiKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
    return header + "." + payload + "." + signature;
  }
}
