package io.miroir.json;

import com.fasterxml.jackson.core.SerializableString;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A slice of already-encoded JSON, handed to Jackson's {@code writeRawValue} so a UTF-8 generator copies the bytes
 * straight into its buffer. Only the unquoted UTF-8 forms are meaningful.
 */
final class RawBytes implements SerializableString {
  private final byte[] src;
  private final int from;
  private final int to;

  RawBytes(byte[] src, int from, int to) {
    this.src = src;
    this.from = from;
    this.to = to;
  }

  @Override
  public String getValue() {
    return new String(src, from, to - from, StandardCharsets.UTF_8);
  }

  @Override
  public int charLength() {
    return getValue().length();
  }

  @Override
  public byte[] asUnquotedUTF8() {
    return Arrays.copyOfRange(src, from, to);
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int offset) {
    int length = to - from;
    if (offset + length > buffer.length) {
      return -1;
    }
    System.arraycopy(src, from, buffer, offset, length);
    return length;
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) throws java.io.IOException {
    out.write(src, from, to - from);
    return to - from;
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    int length = to - from;
    if (length > buffer.remaining()) {
      return -1;
    }
    buffer.put(src, from, length);
    return length;
  }

  @Override
  public int appendUnquoted(char[] buffer, int offset) {
    String s = getValue();
    if (offset + s.length() > buffer.length) {
      return -1;
    }
    s.getChars(0, s.length(), buffer, offset);
    return s.length();
  }

  @Override
  public char[] asQuotedChars() {
    throw new UnsupportedOperationException("raw JSON has no quoted form");
  }

  @Override
  public byte[] asQuotedUTF8() {
    throw new UnsupportedOperationException("raw JSON has no quoted form");
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int offset) {
    throw new UnsupportedOperationException("raw JSON has no quoted form");
  }

  @Override
  public int appendQuoted(char[] buffer, int offset) {
    throw new UnsupportedOperationException("raw JSON has no quoted form");
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) {
    throw new UnsupportedOperationException("raw JSON has no quoted form");
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) {
    throw new UnsupportedOperationException("raw JSON has no quoted form");
  }
}
