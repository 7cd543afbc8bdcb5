package io.miroir.merge;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the real Meilisearch 1.21 answers captured under {@code src/test/resources/merge/}. */
final class Fixtures {
  private Fixtures() {
  }

  static JsonObject load(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/merge/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
