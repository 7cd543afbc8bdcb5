package io.miroir.cluster;

import io.miroir.merge.MergeBenchData;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a hop costs in encoding when it crosses JVMs (docs/event-bus.md): {@code encodeToWire} then
 * {@code decodeFromWire} of each message of a typical search with Miroir's codecs ({@link Codecs}): the node call
 * (a ~130-byte search body), the node's answer (20 hits with ranking details), the merge request (3 such answers)
 * and the merged response. The network transfer itself is not included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBench {
  private NodeCall call;
  private NodeResult result;
  private MergeRequest merge;
  private Merged merged;

  @Setup(Level.Trial)
  public void data() {
    List<JsonObject> answers = MergeBenchData.searchAnswers(3, 60, 7);
    call = new NodeCall("node-0", "POST", "http://127.0.0.1:7700/indexes/movies/search", new JsonObject()
        .put("q", "q").put("limit", 20).put("filter", new JsonArray().add("_miroir_shard IN [0,3,6,9,12,15]"))
        .put("showRankingScore", true).toBuffer(), "node-master-key", 5000);
    result = NodeResult.answered("node-0", 200, answers.get(0).toBuffer());
    merge = new MergeRequest(MergeBenchData.sortedRequest(20), new JsonObject(), answers);
    merged = new Merged(answers.get(0).copy().put("estimatedTotalHits", 60));
  }

  private static <T> T roundTrip(MessageCodec<T, T> codec, T message) {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, message);
    return codec.decodeFromWire(0, wire);
  }

  @Benchmark
  public NodeCall nodeCall() {
    return roundTrip(Codecs.NODE_CALL, call);
  }

  @Benchmark
  public NodeResult nodeResult() {
    return roundTrip(Codecs.NODE_RESULT, result);
  }

  @Benchmark
  public MergeRequest mergeRequest() {
    return roundTrip(Codecs.MERGE_REQUEST, merge);
  }

  @Benchmark
  public Merged merged() {
    return roundTrip(Codecs.MERGED, merged);
  }

  /** Encoded sizes, for the documentation: run {@code main} with the JMH classpath. */
  public static void main(String[] args) {
    CodecBench b = new CodecBench();
    b.data();
    System.out.printf("NodeCall %d B, NodeResult %d B, MergeRequest %d B, Merged %d B%n", size(Codecs.NODE_CALL,
        b.call), size(Codecs.NODE_RESULT, b.result), size(Codecs.MERGE_REQUEST, b.merge), size(Codecs.MERGED,
        b.merged));
  }

  private static <T> int size(MessageCodec<T, T> codec, T message) {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, message);
    return wire.length();
  }
}
