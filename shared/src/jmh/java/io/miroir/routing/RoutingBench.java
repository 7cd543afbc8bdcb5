package io.miroir.routing;

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
 * The write and read routing of SPEC §1.3/§1.4 on a ready placement (as {@code Fleet} caches it per topology):
 * hashing 10,000 document ids to shards and splitting them into per-node batches, and building a read's covering
 * set.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBench {
  @Param({"3n-rf1", "3n-rf2", "4n-rg2"})
  public String topology;

  @Param({"16", "64"})
  public int shards;

  private ShardPlacement placement;
  private String[] ids;
  private long seq;

  @Setup
  public void setUp() {
    placement = new ShardPlacement(BenchTopologies.of(topology), shards);
    ids = ids(10_000);
  }

  static String[] ids(int count) {
    String[] ids = new String[count];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "package-" + Integer.toHexString(i * 0x9E3779B1) + "-" + i;
    }
    return ids;
  }

  /** The shard hashing alone (xxh3 of each id, then modulo), 10,000 ids; independent of the topology. */
  @State(Scope.Thread)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public static class Hashing {
    private final String[] ids = ids(10_000);

    @Benchmark
    public int hashTenThousandIds() {
      int acc = 0;
      for (String id : ids) {
        acc += ShardHasher.shardForKey(id, 64);
      }
      return acc;
    }
  }

  /** 10,000 ids hashed to their shards, then the per-node batches of the write plan. */
  @Benchmark
  public WritePlan routeTenThousandDocuments() {
    int[] shardOf = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      shardOf[i] = ShardHasher.shardForKey(ids[i], shards);
    }
    return WritePlan.of(placement, shardOf);
  }

  /** One read's covering set; the query sequence moves on each call, as it does per query. */
  @Benchmark
  public CoveringSet coveringSet() {
    return CoveringSet.build(placement, seq++);
  }
}
