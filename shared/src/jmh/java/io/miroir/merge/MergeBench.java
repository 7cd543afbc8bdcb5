package io.miroir.merge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The search merges of SPEC §1.4 on the inputs of {@link MergeBenchData}: 1,000 ranked hits from 3 and from 16 node
 * answers ({@code shards}: one answer per shard-holding node), and, in {@link Facets}, 10 facets × 1,000 values from
 * 3 nodes and a facet search of 1,000 values per node from 3 nodes. A merge takes ownership of its inputs, so each
 * invocation gets fresh copies, made outside the measured time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MergeBench {
  @Param({"3", "16"})
  public int shards;

  private List<JsonObject> hitAnswers;
  private List<JsonObject> hitInput;
  private final JsonObject hitRequest = MergeBenchData.sortedRequest(1000).put("showRankingScoreDetails", true);

  @Setup(Level.Trial)
  public void data() {
    hitAnswers = MergeBenchData.searchAnswers(shards, 1000, 7);
  }

  @Setup(Level.Invocation)
  public void copies() {
    hitInput = MergeBenchData.copies(hitAnswers);
  }

  /** 1,000 hits spread over {@code shards} node answers, sorted request with ranking details: plan and merge. */
  @Benchmark
  public JsonObject searchMergeThousandHits() {
    return SearchPlan.of(hitRequest, IndexView.defaults()).merge(hitInput);
  }

  /** Facet merges from 3 nodes. */
  @State(Scope.Thread)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public static class Facets {
    private List<JsonObject> facetAnswers;
    private List<JsonObject> facetSearchAnswers;
    private List<JsonObject> facetInput;
    private List<JsonObject> facetSearchInput;
    private final JsonObject facetRequest = new JsonObject().put("limit", 0).put("facets", new JsonArray().add("*"));
    private final JsonObject facetSearchRequest =
        new JsonObject().put("facetName", "facet0").put("facetQuery", "val");

    @Setup(Level.Trial)
    public void data() {
      facetAnswers = MergeBenchData.facetAnswers(3, 10, 1000, 7);
      facetSearchAnswers = facetSearch(3, 1000, 7);
    }

    @Setup(Level.Invocation)
    public void copies() {
      facetInput = MergeBenchData.copies(facetAnswers);
      facetSearchInput = MergeBenchData.copies(facetSearchAnswers);
    }

    /** facetDistribution of 10 facets × 1,000 values from 3 nodes: plan and merge. */
    @Benchmark
    public JsonObject facetDistributionMerge() {
      return SearchPlan.of(facetRequest, IndexView.defaults()).merge(facetInput);
    }

    /** /facet-search answers of 1,000 values from each of 3 nodes. */
    @Benchmark
    public JsonObject facetSearchMerge() {
      return FacetSearchMerger.merge(facetSearchRequest, facetSearchInput, IndexView.defaults());
    }
  }

  private static List<JsonObject> facetSearch(int nodes, int values, long seed) {
    Random random = new Random(seed);
    List<JsonObject> answers = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      JsonArray hits = new JsonArray();
      for (int v = 0; v < values; v++) {
        hits.add(new JsonObject().put("value", "value-" + (v * 7 + n) % (values * 2))
            .put("count", 1 + random.nextInt(50)));
      }
      answers.add(new JsonObject().put("facetHits", hits).put("facetQuery", "val").put("processingTimeMs", 1));
    }
    return answers;
  }
}
