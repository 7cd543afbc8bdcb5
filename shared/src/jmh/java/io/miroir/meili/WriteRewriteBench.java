package io.miroir.meili;

import io.miroir.merge.ReservedFields;
import io.miroir.routing.BenchTopologies;
import io.miroir.routing.ShardHasher;
import io.miroir.routing.ShardPlacement;
import io.miroir.routing.WritePlan;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
 * The JSON rewrite of one write batch as the document route does it (SPEC §1.3): parse 1,000 documents shaped like
 * the Debian package records of scripts/bench (about 560 bytes each), validate their ids, hash each to its shard,
 * plan the per-node batches and build each node's batch with {@code _miroir_shard} spliced into the client's own
 * document text ({@link ParsedPayload#withField}). {@code rewriteBatchReencoded} is the way the route worked before
 * (the field put into each parsed document, every node batch encoded from the objects). Also the parse alone, the
 * encode alone and the splice alone, to split the totals.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WriteRewriteBench {
  @Param({"1n", "3n-rf2"})
  public String topology;

  private static final int SHARDS = 16;
  private Buffer body;
  private ShardPlacement placement;
  private List<JsonObject> parsedWithShards;
  private ParsedPayload parsed;
  private List<Integer> all;
  private int[] shards;

  @Setup
  public void setUp() {
    placement = new ShardPlacement(BenchTopologies.of(topology), SHARDS);
    body = documents(1000, 11).toBuffer();
    parsedWithShards = DocumentPayload.parsePayload(body, "application/json", null).documents();
    for (JsonObject d : parsedWithShards) {
      d.put(ReservedFields.SHARD, ShardHasher.shardForKey(d.getString("id"), SHARDS));
    }
    parsed = DocumentPayload.parsePayload(body, "application/json", null);
    all = new ArrayList<>();
    shards = new int[parsed.documents().size()];
    for (int i = 0; i < shards.length; i++) {
      all.add(i);
      shards[i] = ShardHasher.shardForKey(parsed.documents().get(i).getString("id"), SHARDS);
    }
  }

  /** Everything the route does to a 1,000-document batch before the node calls; returns the node bodies. */
  @Benchmark
  public List<Buffer> rewriteBatch() {
    ParsedPayload payload = DocumentPayload.parsePayload(body, "application/json", null);
    BatchValidator.BatchValidation validation = BatchValidator.validate(payload, "packages", "id", Set.of());
    String[] ids = validation.ids();
    int[] shardOf = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      shardOf[i] = ShardHasher.shardForKey(ids[i], SHARDS);
    }
    WritePlan plan = WritePlan.of(placement, shardOf);
    List<Buffer> out = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : plan.itemsByNode().entrySet()) {
      out.add(payload.withField(e.getValue(), ReservedFields.SHARD, shardOf));
    }
    return out;
  }

  /** The route before node bodies were spliced: the field put into each object, each body encoded. */
  @Benchmark
  public List<Buffer> rewriteBatchReencoded() {
    ParsedPayload payload = DocumentPayload.parsePayload(body, "application/json", null);
    List<JsonObject> docs = payload.documents();
    BatchValidator.BatchValidation validation = BatchValidator.validate(payload, "packages", "id", Set.of());
    String[] ids = validation.ids();
    int[] shardOf = new int[docs.size()];
    for (int i = 0; i < docs.size(); i++) {
      shardOf[i] = ShardHasher.shardForKey(ids[i], SHARDS);
      docs.get(i).put(ReservedFields.SHARD, shardOf[i]);
    }
    WritePlan plan = WritePlan.of(placement, shardOf);
    List<Buffer> out = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : plan.itemsByNode().entrySet()) {
      out.add(select(docs, e.getValue()).toBuffer());
    }
    return out;
  }

  /** DocumentPayload.parsePayload of the 1,000-document JSON array alone. */
  @Benchmark
  public List<JsonObject> parseOnly() {
    return DocumentPayload.parsePayload(body, "application/json", null).documents();
  }

  /** Encoding the whole batch, with {@code _miroir_shard}, as one JSON array (the 1-node case's node body). */
  @Benchmark
  public Buffer encodeOnly() {
    return new JsonArray(new ArrayList<>(parsedWithShards)).toBuffer();
  }

  /** The whole batch as one node body with {@code _miroir_shard} spliced into each document's own text. */
  @Benchmark
  public Buffer spliceOnly() {
    return parsed.withField(all, ReservedFields.SHARD, shards);
  }

  /** As DocumentWriter.select in the verticles module: the documents at {@code positions}, as a JSON array. */
  private static JsonArray select(List<JsonObject> all, List<Integer> positions) {
    JsonArray out = new JsonArray(new ArrayList<>(positions.size()));
    for (int p : positions) {
      out.add(all.get(p));
    }
    return out;
  }

  /** Documents shaped like scripts/bench's Debian package records, deterministic for a seed. */
  static JsonArray documents(int count, long seed) {
    Random random = new Random(seed);
    String[] sections = {"libs", "libdevel", "python", "doc", "perl", "devel", "utils", "net", "rust", "golang"};
    String[] words = {"library", "development", "files", "for", "the", "python", "module", "tool", "command",
        "line", "server", "client", "documentation", "package", "support", "data", "network", "GNU", "Rust",
        "crate", "Perl", "interface", "bindings", "plugin", "runtime", "headers", "static", "shared"};
    JsonArray docs = new JsonArray();
    for (int i = 0; i < count; i++) {
      String name = "lib" + words[random.nextInt(words.length)].toLowerCase() + "-" + i;
      StringBuilder summary = new StringBuilder();
      for (int w = 0; w < 8; w++) {
        summary.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
      }
      JsonArray depends = new JsonArray();
      for (int d = 0; d < random.nextInt(6); d++) {
        depends.add("lib" + words[random.nextInt(words.length)].toLowerCase() + random.nextInt(9));
      }
      docs.add(new JsonObject()
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
          .put("release", "bookworm"));
    }
    return docs;
  }
}
