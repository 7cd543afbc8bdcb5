package io.miroir.merge;

import io.miroir.json.JsonOutput;
import io.miroir.json.RawJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU of one scattered search between the nodes' HTTP bodies and the client's: decode 3 node answers, plan and
 * merge, encode the merged answer. The hits are shaped like the Debian package records of scripts/bench (about
 * 560 bytes each) with {@code _miroir_shard} and {@code _rankingScore}; the client asks {@code limit: 20} at offset
 * {@code fetch - 20}, so each node returns {@code fetch} hits (20: a first page; 520: {@code offset: 500}).
 * {@code treeDecodeMergeEncode} is the way Miroir read node answers before {@link RawJson} (Vert.x JSON trees both
 * ways), {@code rawDecodeMergeEncode} the current one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReadPathBench {
  private static final int NODES = 3;

  @Param({"20", "520"})
  public int fetch;

  private List<Buffer> bodies;
  private JsonObject request;

  @Setup
  public void setUp() {
    request = new JsonObject().put("q", "library").put("offset", fetch - 20).put("limit", 20);
    bodies = nodeBodies(NODES, fetch, 5);
  }

  /** Decoding the node bodies into JSON trees, merging, encoding the answer. */
  @Benchmark
  public Buffer treeDecodeMergeEncode() {
    List<JsonObject> answers = new ArrayList<>(bodies.size());
    for (Buffer b : bodies) {
      answers.add(new JsonObject(b));
    }
    return SearchPlan.of(request, IndexView.defaults()).merge(answers).toBuffer();
  }

  /** Reading the node bodies lazily (RawJson), merging, writing the answer with the hits' own bytes (JsonOutput). */
  @Benchmark
  public Buffer rawDecodeMergeEncode() {
    List<JsonObject> answers = new ArrayList<>(bodies.size());
    for (Buffer b : bodies) {
      answers.add(RawJson.searchAnswer(b));
    }
    return JsonOutput.toBuffer(SearchPlan.of(request, IndexView.defaults()).merge(answers));
  }

  /** The node bodies: {@code fetch} package-like hits per node, in score order, with shard and score. */
  static List<Buffer> nodeBodies(int nodes, int fetch, long seed) {
    Random random = new Random(seed);
    String[] sections = {"libs", "libdevel", "python", "doc", "perl", "devel", "utils", "net", "rust", "golang"};
    String[] words = {"library", "development", "files", "for", "the", "python", "module", "tool", "command",
        "line", "server", "client", "documentation", "package", "support", "data", "network", "GNU", "Rust",
        "crate", "Perl", "interface", "bindings", "plugin", "runtime", "headers", "static", "shared"};
    List<Buffer> out = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      double[] scores = new double[fetch];
      for (int i = 0; i < fetch; i++) {
        scores[i] = random.nextDouble();
      }
      java.util.Arrays.sort(scores);
      JsonArray hits = new JsonArray();
      for (int i = 0; i < fetch; i++) {
        String name = "lib" + words[random.nextInt(words.length)].toLowerCase() + "-" + n + "-" + i;
        StringBuilder summary = new StringBuilder();
        for (int w = 0; w < 8; w++) {
          summary.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
        }
        JsonArray depends = new JsonArray();
        for (int d = 0; d < random.nextInt(6); d++) {
          depends.add("lib" + words[random.nextInt(words.length)].toLowerCase() + random.nextInt(9));
        }
        hits.add(new JsonObject()
            .put("id", name)
            .put("name", name)
            .put("version", (1 + random.nextInt(9)) + "." + random.nextInt(30) + "-" + (1 + random.nextInt(4)))
            .put("architecture", random.nextBoolean() ? "amd64" : "all")
            .put("section", sections[random.nextInt(sections.length)])
            .put("area", "main")
            .put("priority", "optional")
            .put("maintainer", "Debian " + words[random.nextInt(words.length)] + " Team <team@lists.debian.org>")
            .put("installed_size", random.nextInt(100_000))
            .put("size", random.nextInt(10_000_000))
            .put("summary", summary.toString())
            .put("description", "")
            .put("homepage", "https://example.org/" + name)
            .put("depends", depends)
            .put("essential", false)
            .put("release", "bookworm")
            .put(ReservedFields.SHARD, random.nextInt(16))
            .put("_rankingScore", scores[fetch - 1 - i]));
      }
      out.add(new JsonObject().put("hits", hits).put("query", "library").put("processingTimeMs", 3)
          .put("limit", fetch).put("offset", 0).put("estimatedTotalHits", 1000 + n).toBuffer());
    }
    return out;
  }
}
