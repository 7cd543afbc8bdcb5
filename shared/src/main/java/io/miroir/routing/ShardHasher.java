package io.miroir.routing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.openhft.hashing.LongHashFunction;

/**
 * The byte-exact hashing of SPEC §1.2: XXH64 with seed 0 over the layout Rust's {@code Hash} trait feeds
 * {@code twox-hash}, so a cluster placed by the original Miroir is placed identically here.
 */
public final class ShardHasher {
  private static final LongHashFunction XXH64 = LongHashFunction.xx(0);
  /** Rust's {@code str} hashing appends this byte after the UTF-8 bytes. */
  private static final byte STR_TERMINATOR = (byte) 0xFF;

  private ShardHasher() {
  }

  /** {@code XXH64(utf8(key) ‖ 0xFF) mod shards}, the modulo taken unsigned. */
  public static int shardForKey(String primaryKey, int shards) {
    if (shards <= 0) {
      throw new IllegalArgumentException("shard count must be positive, got [" + shards + "]");
    }
    byte[] key = primaryKey.getBytes(StandardCharsets.UTF_8);
    byte[] buf = new byte[key.length + 1];
    System.arraycopy(key, 0, buf, 0, key.length);
    buf[key.length] = STR_TERMINATOR;
    return (int) Long.remainderUnsigned(XXH64.hashBytes(buf), shards);
  }

  /** {@code XXH64(le_u32(shard) ‖ utf8(nodeId) ‖ 0xFF)}, to be compared unsigned. */
  public static long score(int shard, String nodeId) {
    byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(4 + id.length + 1).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(shard).put(id).put(STR_TERMINATOR);
    return XXH64.hashBytes(buf.array());
  }

  /** XXH64 of a string's UTF-8 bytes: a stable hash for choices that must not vary between calls. */
  public static long hash(String value) {
    return XXH64.hashBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Rendezvous score of an arbitrary key against a member id (Mode A ownership, SPEC §5). */
  public static long ownershipScore(String key, String memberId) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] m = memberId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(k.length + 1 + m.length + 1);
    buf.put(k).put(STR_TERMINATOR).put(m).put(STR_TERMINATOR);
    return XXH64.hashBytes(buf.array());
  }
}
