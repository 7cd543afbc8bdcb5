package io.miroir.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Random;

/** Deterministic test documents: text with one unique word each, a facet, numbers and arrays. */
final class Corpus {
  static final String[] GENRES = {"fantasy", "history", "poetry", "science", "travel"};
  private static final String[] WORDS = {"river", "mountain", "letter", "garden", "voyage", "harbor", "lantern",
      "meadow", "winter", "signal", "orchard", "compass", "thunder", "library", "canyon", "island"};

  private Corpus() {
  }

  /**
   * A word only document {@code i} contains: four letters (Meilisearch splits words at letter/digit boundaries and
   * allows no typo below five letters), all of one length, so no unique word is a prefix of another.
   */
  static String uniqueWord(int i) {
    return "q" + (char) ('a' + i / 676 % 26) + (char) ('a' + i / 26 % 26) + (char) ('a' + i % 26);
  }

  static JsonArray documents(int count) {
    Random random = new Random(42);
    JsonArray docs = new JsonArray();
    for (int i = 0; i < count; i++) {
      String a = WORDS[random.nextInt(WORDS.length)];
      String b = WORDS[random.nextInt(WORDS.length)];
      docs.add(new JsonObject()
          .put("id", i)
          .put("title", "The " + a + " of " + b + " " + uniqueWord(i))
          .put("genre", GENRES[i % GENRES.length])
          .put("year", 1900 + (i % 120))
          .put("tags", new JsonArray().add(a).add(b))
          .put("rating", (i * 37 % 50) / 10.0));
    }
    return docs;
  }
}
