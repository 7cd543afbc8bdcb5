package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Inputs for the merge benchmarks (SPEC §8.5): node answers shaped like Meilisearch 1.21's, deterministic for a seed.
 * A JMH state can call these in its setup and {@link #copies} per invocation, since a merge edits its inputs.
 */
public final class MergeBenchData {
  private MergeBenchData() {
  }

  /** {@code total} ranked hits spread over {@code nodes} node answers, each list in score order, with details. */
  public static List<JsonObject> searchAnswers(int nodes, int total, long seed) {
    Random random = new Random(seed);
    List<List<JsonObject>> lists = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      lists.add(new ArrayList<>());
    }
    for (int i = 0; i < total; i++) {
      double words = (1 + random.nextInt(3)) / 3.0;
      double typo = (1 + random.nextInt(3)) / 3.0;
      JsonObject hit = Hits.hit(i, words * 0.9 + typo * 0.1, i % nodes, "words", Hits.rank(words),
          "typo", Hits.rank(typo), "year:desc", Hits.sortValue(1950 + random.nextInt(70)));
      hit.put("title", "title " + i).put("genre", "g" + random.nextInt(20));
      lists.get(i % nodes).add(hit);
    }
    List<JsonObject> answers = new ArrayList<>();
    for (List<JsonObject> hits : lists) {
      hits.sort((a, b) -> HitKey.compare(HitKey.of(a.getMap(), true, Double.NaN),
          HitKey.of(b.getMap(), true, Double.NaN)));
      answers.add(Hits.answer(1, hits.size(), hits.toArray(JsonObject[]::new)));
    }
    return answers;
  }

  /** {@code nodes} answers whose facetDistribution has {@code facets} attributes of {@code values} values each. */
  static List<JsonObject> facetAnswers(int nodes, int facets, int values, long seed) {
    Random random = new Random(seed);
    List<JsonObject> answers = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      JsonObject distribution = new JsonObject();
      for (int f = 0; f < facets; f++) {
        JsonObject counts = new JsonObject();
        for (int v = 0; v < values; v++) {
          counts.put("value-" + (v * 7 + n) % (values * 2), 1 + random.nextInt(50));
        }
        distribution.put("facet" + f, counts);
      }
      answers.add(Hits.answer(1, 5000).put("facetDistribution", distribution).put("facetStats", new JsonObject()));
    }
    return answers;
  }

  /** Deep copies, because merging takes ownership of its inputs. */
  public static List<JsonObject> copies(List<JsonObject> answers) {
    List<JsonObject> out = new ArrayList<>(answers.size());
    answers.forEach(a -> out.add(a.copy()));
    return out;
  }

  public static JsonObject sortedRequest(int limit) {
    return new JsonObject().put("q", "q").put("limit", limit).put("sort", new JsonArray().add("year:desc"));
  }
}
