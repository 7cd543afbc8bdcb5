package io.miroir.diff;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The documents and settings of the differential suite (SPEC §0 principle 1, §8.5 compatibility tests): a seeded,
 * deterministic catalogue of books that exercises every kind of value the merge must handle.
 *
 * <p>Per document: text ({@code title}, {@code description} with accents and numbers such as volume numbers and
 * years, so queries made of small integers exist), numbers (int {@code year}, {@code popularity}; float
 * {@code price}, {@code rating}, sometimes missing), a boolean, string arrays ({@code tags}, many more values than
 * maxValuesPerFacet), a nested object ({@code author.name}, {@code author.country}), {@code _geo} points around a
 * few cities (missing on some documents), sparse fields for EXISTS / IS NULL / IS EMPTY, and a {@code family}
 * shared by the editions of one work (the distinct attribute). Editions of one family share genre, author and tags
 * and differ in format, price, year and stock, as real catalogue data does.
 */
final class DiffCorpus {
  static final long SEED = 20_251_122L;
  static final int DOCUMENTS = 5_000;
  /** The index without an index-wide distinct attribute, and the one with {@code distinctAttribute: family}. */
  static final String MAIN = "diff_books";
  static final String DISTINCT = "diff_editions";
  /** The small index with a user-provided embedder, for similar documents and vector search. */
  static final String VECTORS = "diff_vectors";
  static final String EMBEDDER = "emb";
  static final int VECTOR_DOCUMENTS = 600;
  static final int DIMENSIONS = 8;
  /** Documents of {@link #VECTORS} whose embedding is null (similar answers not_found_similar_id for them). */
  static final int WITHOUT_VECTOR_EVERY = 50;
  static final int MAX_VALUES_PER_FACET = 20;
  static final int MAX_TOTAL_HITS = 600;

  static final String[] GENRES = {"fantasy", "history", "poetry", "science", "travel", "mystery", "romance",
      "biography", "cooking", "philosophy", "horror", "children"};
  static final String[] FORMATS = {"hardcover", "paperback", "ebook", "audiobook"};
  static final String[] COUNTRIES = {"France", "Japan", "Brazil", "Canada", "Nigeria", "India", "Norway", "Chile",
      "Egypt", "Spain", "Kenya", "Peru", "Italy", "Poland", "Mexico"};
  private static final String[] FIRST = {"Ada", "Jules", "Mara", "Kenji", "Lucia", "Omar", "Ingrid", "Tomas",
      "Amara", "Hugo", "Noor", "Elena", "Felix", "Aiko", "Ravi", "Chloé", "Björn", "Zoe", "Malik", "Irene"};
  private static final String[] LAST = {"Verne", "Okafor", "Silva", "Tanaka", "Moreau", "Haddad", "Larsen",
      "Novak", "Kowalski", "Rossi", "García", "Nakamura", "Dubois", "Mensah", "Petrov"};
  static final String[] ADJECTIVES = {"silent", "golden", "hidden", "last", "frozen", "burning", "forgotten",
      "crimson", "endless", "broken", "quiet", "wild", "distant", "secret", "northern", "ancient"};
  static final String[] NOUNS = {"river", "mountain", "letter", "garden", "voyage", "harbor", "lantern", "meadow",
      "winter", "signal", "orchard", "compass", "thunder", "library", "canyon", "island", "kingdom", "mirror",
      "forest", "station"};
  static final String[] PLACES = {"Paris", "Kyoto", "Lagos", "Lima", "Oslo", "Cairo", "Nairobi", "Québec", "Kraków",
      "Valparaíso", "Mumbai", "Sevilla"};
  private static final String[] FILLER = {"a", "story", "about", "the", "journey", "of", "two", "friends",
      "across", "sea", "under", "stars", "with", "old", "map", "and", "new", "hope", "through", "war", "love",
      "loss", "city", "night", "café", "naïve", "déjà", "vu", "recipe", "poems", "history", "science", "travel",
      "guide", "companion", "mystery", "detective", "dragon", "queen", "engineer"};
  static final String[] TAGS = buildTags();
  /** City centres for {@code _geo}: Paris, Kyoto, Lagos, Lima, Oslo, Cairo. */
  static final double[][] CITIES = {{48.8566, 2.3522}, {35.0116, 135.7681}, {6.5244, 3.3792},
      {-12.0464, -77.0428}, {59.9139, 10.7522}, {30.0444, 31.2357}};

  private DiffCorpus() {
  }

  private static String[] buildTags() {
    String[] base = {"award", "bestseller", "classic", "debut", "illustrated", "series", "translated", "signed",
        "first-edition", "large-print", "annotated", "abridged", "anthology", "graphic", "young-adult", "memoir",
        "essay", "epic", "noir", "cozy", "space", "ocean", "desert", "alpine", "urban", "rural", "maritime",
        "wartime", "medieval", "future", "steampunk", "folk", "myth", "satire", "gothic", "lyric", "vintage",
        "indie", "local", "festival"};
    return base;
  }

  /** The {@link #DOCUMENTS} documents, the same on every call. */
  static JsonArray documents() {
    Random random = new Random(SEED);
    JsonArray docs = new JsonArray();
    int family = 0;
    while (docs.size() < DOCUMENTS) {
      List<JsonObject> editions = family(random, family++, docs.size());
      for (JsonObject e : editions) {
        if (docs.size() < DOCUMENTS) {
          docs.add(e);
        }
      }
    }
    return docs;
  }

  /** One work in 1–4 editions sharing genre, author, tags and title. */
  private static List<JsonObject> family(Random random, int family, int firstId) {
    String genre = GENRES[random.nextInt(GENRES.length)];
    JsonObject author = new JsonObject()
        .put("name", FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)])
        .put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
    JsonArray tags = new JsonArray();
    int tagCount = 1 + random.nextInt(4);
    while (tags.size() < tagCount) {
      String tag = TAGS[skewed(random, TAGS.length)];
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
    String title = "The " + ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " "
        + NOUNS[random.nextInt(NOUNS.length)] + " of " + PLACES[random.nextInt(PLACES.length)];
    Integer volume = random.nextInt(5) == 0 ? 1 + random.nextInt(12) : null;
    if (volume != null) {
      title += " " + volume;
    }
    String description = sentence(random, 12 + random.nextInt(30));
    int editions = 1 + random.nextInt(4);
    int baseYear = 1900 + random.nextInt(125);
    double[] city = random.nextInt(10) == 0 ? null : CITIES[random.nextInt(CITIES.length)];
    List<JsonObject> out = new ArrayList<>(editions);
    for (int e = 0; e < editions; e++) {
      out.add(edition(random, firstId + e, family, title, description, genre, author, tags, volume, baseYear, city,
          e));
    }
    return out;
  }

  private static JsonObject edition(Random random, int id, int family, String title, String description,
      String genre, JsonObject author, JsonArray tags, Integer volume, int baseYear, double[] city, int e) {
    JsonObject doc = new JsonObject()
        .put("id", id)
        .put("title", title)
        .put("description", description)
        .put("genre", genre)
        .put("format", FORMATS[(e + family) % FORMATS.length])
        .put("author", author.copy())
        .put("tags", tags.copy())
        .put("year", Math.min(2024, baseYear + e * (1 + random.nextInt(7))))
        .put("price", random.nextInt(8) == 0 ? (double) (5 + random.nextInt(40)) : 1 + random.nextInt(19_900) / 100.0)
        .put("popularity", random.nextInt(400))
        .put("in_stock", random.nextInt(3) != 0)
        .put("family", "fam-" + family)
        .put("isbn", "978" + String.format("%010d", Math.floorMod(random.nextLong(), 10_000_000_000L)));
    if (random.nextInt(7) != 0) {
      doc.put("rating", (10 + random.nextInt(41)) / 10.0);
    }
    if (volume != null) {
      doc.put("volume", volume);
    }
    switch (random.nextInt(6)) {
      case 0 -> doc.putNull("subtitle");
      case 1 -> doc.put("subtitle", "");
      case 2 -> doc.put("subtitle", "A " + NOUNS[random.nextInt(NOUNS.length)] + " tale");
      default -> {
        // no subtitle at all
      }
    }
    if (random.nextInt(5) == 0) {
      doc.put("notes", new JsonArray());
    }
    if (city != null) {
      doc.put("_geo", new JsonObject()
          .put("lat", round(city[0] + (random.nextDouble() - 0.5) * 0.4, 5))
          .put("lng", round(city[1] + (random.nextDouble() - 0.5) * 0.4, 5)));
    }
    return doc;
  }

  /** Low indexes much more often than high ones, so tag counts differ and some tags are rare. */
  private static int skewed(Random random, int n) {
    double u = random.nextDouble();
    return Math.min(n - 1, (int) (n * u * u));
  }

  private static String sentence(Random random, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        b.append(' ');
      }
      int pick = random.nextInt(20);
      if (pick == 0) {
        b.append(1 + random.nextInt(30));
      } else if (pick < 4) {
        b.append(NOUNS[random.nextInt(NOUNS.length)]);
      } else if (pick < 6) {
        b.append(ADJECTIVES[random.nextInt(ADJECTIVES.length)]);
      } else {
        b.append(FILLER[random.nextInt(FILLER.length)]);
      }
    }
    return b.append('.').toString();
  }

  private static double round(double v, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }

  /**
   * The {@link #VECTORS} documents: a title and genre from the book vocabulary, a popularity, and an
   * {@link #DIMENSIONS}-dimension embedding drawn around a few directions (so neighbours are not all equally far),
   * null for every {@link #WITHOUT_VECTOR_EVERY}th document.
   */
  static JsonArray vectorDocuments() {
    Random random = new Random(SEED + 1);
    double[][] centres = new double[6][DIMENSIONS];
    for (double[] c : centres) {
      for (int d = 0; d < DIMENSIONS; d++) {
        c[d] = random.nextGaussian();
      }
    }
    JsonArray docs = new JsonArray();
    for (int id = 0; id < VECTOR_DOCUMENTS; id++) {
      double[] centre = centres[random.nextInt(centres.length)];
      JsonArray vector = new JsonArray();
      for (int d = 0; d < DIMENSIONS; d++) {
        vector.add(round(centre[d] + random.nextGaussian() * 0.6, 4));
      }
      JsonObject doc = new JsonObject().put("id", id)
          .put("title", "The " + ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " "
              + NOUNS[random.nextInt(NOUNS.length)])
          .put("genre", GENRES[random.nextInt(GENRES.length)])
          .put("popularity", random.nextInt(100));
      JsonObject vectors = new JsonObject();
      if (id % WITHOUT_VECTOR_EVERY == WITHOUT_VECTOR_EVERY - 1) {
        vectors.putNull(EMBEDDER);
      } else {
        vectors.put(EMBEDDER, vector);
      }
      docs.add(doc.put("_vectors", vectors));
    }
    return docs;
  }

  /** The settings of {@link #VECTORS}: filterable genre and id, a user-provided embedder. */
  static JsonObject vectorSettings() {
    return new JsonObject()
        .put("filterableAttributes", new JsonArray().add("id").add("genre").add("popularity"))
        .put("embedders", new JsonObject().put(EMBEDDER, new JsonObject().put("source", "userProvided")
            .put("dimensions", DIMENSIONS)))
        .put("pagination", new JsonObject().put("maxTotalHits", 300));
  }

  /** The settings of both indexes; {@code distinct} adds the index-wide distinct attribute. */
  static JsonObject settings(boolean distinct) {
    JsonObject s = new JsonObject()
        .put("filterableAttributes", new JsonArray().add("id").add("genre").add("format").add("tags")
            .add("author.country").add("author.name").add("year").add("price").add("rating").add("popularity")
            .add("in_stock").add("family").add("volume").add("subtitle").add("notes").add("_geo"))
        .put("sortableAttributes", new JsonArray().add("year").add("price").add("rating").add("popularity")
            .add("title").add("author.name").add("_geo"))
        .put("rankingRules", new JsonArray().add("words").add("typo").add("proximity").add("attribute")
            .add("sort").add("exactness").add("popularity:desc"))
        .put("synonyms", new JsonObject()
            .put("novel", new JsonArray().add("book"))
            .put("book", new JsonArray().add("novel"))
            .put("sf", new JsonArray().add("science fiction"))
            .put("boat", new JsonArray().add("harbor").add("voyage")))
        .put("faceting", new JsonObject().put("maxValuesPerFacet", MAX_VALUES_PER_FACET)
            .put("sortFacetValuesBy", new JsonObject().put("*", "alpha").put("genre", "count")))
        .put("pagination", new JsonObject().put("maxTotalHits", MAX_TOTAL_HITS));
    if (distinct) {
      s.put("distinctAttribute", "family");
    }
    return s;
  }
}
