package io.miroir.json;

import static java.time.format.DateTimeFormatter.ISO_INSTANT;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Encodes JSON values to a {@link Buffer} as Vert.x's own encoder does (same Jackson generator, same handling of
 * JsonObject, JsonArray, Map, List, strings, numbers, booleans, null, Instant, byte[], Buffer and enums), except
 * that a {@link RawObject} is written from its bytes ({@link RawObject#writeTo}): the hits a search merge passes
 * through are copied, not decoded and re-encoded. Other types go through {@link Json#encode}.
 */
public final class JsonOutput {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ValueWriter WRITER = JsonOutput::write;

  private JsonOutput() {
  }

  /** How a nested value is written; lets {@link RawObject} hand its decoded fields back. */
  @FunctionalInterface
  interface ValueWriter {
    void write(JsonGenerator g, Object value) throws IOException;
  }

  /** {@code value} encoded as compact JSON. */
  public static Buffer toBuffer(Object value) {
    Buffer out = Buffer.buffer(1024);
    try (JsonGenerator g = FACTORY.createGenerator(new BufferStream(out))) {
      write(g, value);
    } catch (IOException e) {
      throw new EncodeException(e.getMessage(), e);
    }
    return out;
  }

  private static void write(JsonGenerator g, Object value) throws IOException {
    if (value instanceof JsonObject o) {
      value = o.getMap();
    } else if (value instanceof JsonArray a) {
      value = a.getList();
    }
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof RawObject raw) {
      raw.writeTo(g, WRITER);
    } else if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName((String) e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) {
        write(g, item);
      }
      g.writeEndArray();
    } else if (value instanceof Number n) {
      number(g, n);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Instant t) {
      g.writeString(ISO_INSTANT.format(t));
    } else if (value instanceof byte[] bytes) {
      g.writeString(Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof Buffer b) {
      g.writeString(Base64.getEncoder().encodeToString(b.getBytes()));
    } else if (value instanceof Enum<?> e) {
      g.writeString(e.name());
    } else {
      g.writeRawValue(Json.encode(value));
    }
  }

  private static void number(JsonGenerator g, Number n) throws IOException {
    if (n instanceof Integer i) {
      g.writeNumber(i);
    } else if (n instanceof Long l) {
      g.writeNumber(l);
    } else if (n instanceof Double d) {
      g.writeNumber(d);
    } else if (n instanceof Short s) {
      g.writeNumber(s);
    } else if (n instanceof Float f) {
      g.writeNumber(f);
    } else if (n instanceof Byte b) {
      g.writeNumber(b);
    } else if (n instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (n instanceof BigDecimal b) {
      g.writeNumber(b);
    } else {
      g.writeNumber(n.doubleValue());
    }
  }

  /** Jackson's output, appended to a Vert.x buffer. */
  private static final class BufferStream extends OutputStream {
    private final Buffer out;

    BufferStream(Buffer out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.appendBytes(b, off, len);
    }
  }
}
