package io.miroir.cluster;

import io.miroir.json.JsonOutput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Event-bus codecs for Miroir's messages. Inside one JVM a message is handed over as the same immutable object
 * ({@link MessageCodec#transform}), so the hot path pays no encoding; only a message that crosses JVMs is written
 * to the wire, in a compact binary form.
 */
public final class Codecs {
  public static final MessageCodec<NodeCall, NodeCall> NODE_CALL =
      codec("miroir.NodeCall", Codecs::writeCall, Codecs::readCall);
  public static final MessageCodec<NodeResult, NodeResult> NODE_RESULT =
      codec("miroir.NodeResult", Codecs::writeResult, Codecs::readResult);
  public static final MessageCodec<MergeRequest, MergeRequest> MERGE_REQUEST =
      codec("miroir.MergeRequest", Codecs::writeMerge, Codecs::readMerge);
  public static final MessageCodec<Merged, Merged> MERGED =
      codec("miroir.Merged", (b, m) -> bytes(b, JsonOutput.toBuffer(m.response())),
          r -> new Merged(new JsonObject(r.bytes())));

  private Codecs() {
  }

  /** Registers every message codec on {@code bus}; call once per Vert.x instance. */
  public static void register(EventBus bus) {
    bus.registerDefaultCodec(NodeCall.class, NODE_CALL);
    bus.registerDefaultCodec(NodeResult.class, NODE_RESULT);
    bus.registerDefaultCodec(MergeRequest.class, MERGE_REQUEST);
    bus.registerDefaultCodec(Merged.class, MERGED);
  }

  private static <T> MessageCodec<T, T> codec(String name, BiConsumer<Buffer, T> write, Function<Reader, T> read) {
    return new MessageCodec<>() {
      @Override
      public void encodeToWire(Buffer buffer, T message) {
        Buffer body = Buffer.buffer();
        write.accept(body, message);
        buffer.appendInt(body.length()).appendBuffer(body);
      }

      @Override
      public T decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return read.apply(new Reader(buffer.slice(pos + 4, pos + 4 + length)));
      }

      @Override
      public T transform(T message) {
        return message;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public byte systemCodecID() {
        return -1;
      }
    };
  }

  private static void writeCall(Buffer b, NodeCall c) {
    string(b, c.nodeId());
    string(b, c.method());
    string(b, c.url());
    bytes(b, c.body());
    string(b, c.bearer());
    b.appendLong(c.timeoutMs());
  }

  private static NodeCall readCall(Reader r) {
    return new NodeCall(r.string(), r.string(), r.string(), r.bytes(), r.string(), r.longValue());
  }

  private static void writeResult(Buffer b, NodeResult n) {
    string(b, n.nodeId());
    b.appendInt(n.status());
    bytes(b, n.body());
    string(b, n.failure());
    b.appendByte((byte) (n.refused() ? 1 : 0));
  }

  private static NodeResult readResult(Reader r) {
    return new NodeResult(r.string(), r.intValue(), r.bytes(), r.string(), r.byteValue() == 1);
  }

  private static void writeMerge(Buffer b, MergeRequest m) {
    bytes(b, m.clientRequest().toBuffer());
    bytes(b, m.settings().toBuffer());
    bytes(b, JsonOutput.toBuffer(new JsonArray(new ArrayList<>(m.answers()))));
    bytes(b, m.distinctCounts() == null ? null : JsonOutput.toBuffer(new JsonArray(new ArrayList<>(
        m.distinctCounts()))));
  }

  private static MergeRequest readMerge(Reader r) {
    JsonObject client = new JsonObject(r.bytes());
    JsonObject settings = new JsonObject(r.bytes());
    List<JsonObject> answers = objects(r.bytes());
    return new MergeRequest(client, settings, answers, objects(r.bytes()));
  }

  private static List<JsonObject> objects(Buffer encoded) {
    if (encoded == null) {
      return null;
    }
    JsonArray array = new JsonArray(encoded);
    List<JsonObject> list = new ArrayList<>(array.size());
    array.forEach(a -> list.add((JsonObject) a));
    return list;
  }

  private static void string(Buffer b, String s) {
    bytes(b, s == null ? null : Buffer.buffer(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** Length-prefixed bytes; length -1 stands for null. */
  private static void bytes(Buffer b, Buffer value) {
    if (value == null) {
      b.appendInt(-1);
    } else {
      b.appendInt(value.length()).appendBuffer(value);
    }
  }

  /** Sequential reads over a message body. */
  private static final class Reader {
    private final Buffer buffer;
    private int pos;

    Reader(Buffer buffer) {
      this.buffer = buffer;
    }

    int intValue() {
      int v = buffer.getInt(pos);
      pos += 4;
      return v;
    }

    long longValue() {
      long v = buffer.getLong(pos);
      pos += 8;
      return v;
    }

    byte byteValue() {
      return buffer.getByte(pos++);
    }

    Buffer bytes() {
      int length = intValue();
      if (length < 0) {
        return null;
      }
      Buffer v = buffer.getBuffer(pos, pos + length);
      pos += length;
      return v;
    }

    String string() {
      Buffer v = bytes();
      return v == null ? null : v.toString(StandardCharsets.UTF_8);
    }
  }
}
