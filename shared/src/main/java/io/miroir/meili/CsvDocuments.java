package io.miroir.meili;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code text/csv} documents exactly as Meilisearch 1.21 turns them into JSON (MEILISEARCH-1.21-API §7.5): the
 * Rust {@code csv} crate's reader (RFC 4180 with its leniencies: blank lines skipped, {@code \r}, {@code \n} or
 * {@code \r\n} ends a record, a stray quote inside an unquoted field is literal, an unterminated quote runs to the
 * end, a UTF-8 BOM is dropped) followed by Meilisearch's typing of header cells ({@code name:number},
 * {@code name:boolean}, {@code name:string}, untyped = string; empty cell = null). Failures carry Meilisearch's
 * {@code malformed_payload} message, including the {@code csv} crate's record, line and byte positions.
 */
final class CsvDocuments {
  private static final Pattern RUST_F64 = Pattern.compile(
      "[+-]?(?:(?i:inf|infinity|nan)|(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)");
  private static final Pattern RUST_I64 = Pattern.compile("[+-]?[0-9]+");

  private final byte[] in;
  private final byte delimiter;
  private final boolean bom;
  private int idx;
  private long line = 1;
  private long recordIndex;

  private CsvDocuments(byte[] in, byte delimiter) {
    this.in = in;
    this.delimiter = delimiter;
    this.bom = in.length >= 3 && (in[0] & 0xFF) == 0xEF && (in[1] & 0xFF) == 0xBB && (in[2] & 0xFF) == 0xBF;
  }

  /** The documents of a CSV payload, in order; a {@link MeiliException} {@code malformed_payload} otherwise. */
  static List<JsonObject> read(byte[] in, byte delimiter) {
    return new CsvDocuments(in, delimiter).documents();
  }

  private List<JsonObject> documents() {
    Record header = nextRecord();
    List<JsonObject> docs = new ArrayList<>();
    if (header == null) {
      return docs;
    }
    List<Column> columns = columns(header);
    Record record;
    long dataLine = 0;
    while ((record = nextRecord()) != null) {
      dataLine++;
      checkLength(record, header.fields.size());
      docs.add(document(columns, strings(record), dataLine));
    }
    return docs;
  }

  // ---------------------------------------------------------------- records (csv-core's reader)

  /** A record and where the reader stood when it started reading it, which is what the csv crate reports. */
  private record Record(List<byte[]> fields, long index, long line, long byteOffset) {
  }

  private enum State { START_FIELD, IN_FIELD, IN_QUOTED, QUOTE_IN_QUOTED }

  private Record nextRecord() {
    long startLine = line;
    long startByte = idx;
    if (idx == 0 && bom) {
      idx = 3; // dropped from the data but still counted in the byte offsets the csv crate reports
    }
    skipBlankLines();
    if (idx >= in.length) {
      return null;
    }
    List<byte[]> fields = new ArrayList<>();
    ByteArrayOutputStream field = new ByteArrayOutputStream();
    State state = State.START_FIELD;
    while (idx < in.length) {
      byte b = in[idx++];
      if (b == '\n') {
        line++;
      }
      if (state == State.IN_QUOTED) {
        if (b == '"') {
          state = State.QUOTE_IN_QUOTED;
        } else {
          field.write(b);
        }
        continue;
      }
      if (b == delimiter) {
        fields.add(field.toByteArray());
        field.reset();
        state = State.START_FIELD;
      } else if (b == '\n' || b == '\r') {
        break;
      } else if (b == '"' && state == State.START_FIELD) {
        state = State.IN_QUOTED;
      } else if (b == '"' && state == State.QUOTE_IN_QUOTED) {
        field.write('"');
        state = State.IN_QUOTED;
      } else {
        field.write(b);
        state = State.IN_FIELD;
      }
    }
    fields.add(field.toByteArray());
    return new Record(fields, recordIndex++, startLine, startByte);
  }

  /** csv-core never emits an empty record: terminators at the start of a record are skipped. */
  private void skipBlankLines() {
    while (idx < in.length && (in[idx] == '\n' || in[idx] == '\r')) {
      if (in[idx] == '\n') {
        line++;
      }
      idx++;
    }
  }

  private void checkLength(Record record, int expected) {
    if (record.fields.size() != expected) {
      throw malformed("CSV error: record " + record.index + " (line: " + record.line + ", byte: " + record.byteOffset
          + "): found record with " + record.fields.size() + " fields, but the previous record has " + expected
          + " fields");
    }
  }

  /** The record as UTF-8 strings, failing like the csv crate's {@code StringRecord} conversion. */
  private List<String> strings(Record record) {
    List<String> out = new ArrayList<>(record.fields.size());
    for (int i = 0; i < record.fields.size(); i++) {
      byte[] bytes = record.fields.get(i);
      int bad = Utf8.validUpTo(bytes, 0, bytes.length);
      if (bad >= 0) {
        throw malformed("CSV parse error: record " + record.index + " (line " + record.line + ", field: " + i
            + ", byte: " + record.byteOffset + "): invalid utf-8: invalid UTF-8 in field " + i + " near byte index "
            + bad);
      }
      StringBuilder text = new StringBuilder(bytes.length);
      Utf8.decode(bytes, 0, bytes.length, text);
      out.add(text.toString());
    }
    return out;
  }

  // ---------------------------------------------------------------- typing (Meilisearch's read_csv)

  private enum Type { STRING, NUMBER, BOOLEAN }

  private record Column(String name, Type type) {
  }

  private List<Column> columns(Record header) {
    List<Column> columns = new ArrayList<>();
    for (String cell : strings(header)) {
      columns.add(column(cell));
    }
    return columns;
  }

  /** {@code name:type} split on the last colon; an unknown type keeps the whole cell as a string column's name. */
  private static Column column(String cell) {
    int colon = cell.lastIndexOf(':');
    if (colon >= 0) {
      String type = cell.substring(colon + 1);
      String name = cell.substring(0, colon);
      switch (type) {
        case "string" -> {
          return new Column(name, Type.STRING);
        }
        case "number" -> {
          return new Column(name, Type.NUMBER);
        }
        case "boolean" -> {
          return new Column(name, Type.BOOLEAN);
        }
        default -> {
          // not a type: the colon is part of the name
        }
      }
    }
    return new Column(cell, Type.STRING);
  }

  private static JsonObject document(List<Column> columns, List<String> cells, long dataLine) {
    Map<String, Object> doc = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      doc.put(column.name(), typed(column.type(), cells.get(i), dataLine));
    }
    return new JsonObject(doc);
  }

  private static Object typed(Type type, String value, long dataLine) {
    String trimmed = rustTrim(value);
    return switch (type) {
      case STRING -> value.isEmpty() ? null : value;
      case NUMBER -> trimmed.isEmpty() ? null : number(trimmed, value, dataLine);
      case BOOLEAN -> trimmed.isEmpty() ? null : bool(trimmed, value, dataLine);
    };
  }

  /** {@code i64} first, then {@code f64}; a non-finite float becomes null as serde_json's {@code Value::from} does. */
  private static Object number(String trimmed, String value, long dataLine) {
    if (RUST_I64.matcher(trimmed).matches()) {
      try {
        return Long.parseLong(trimmed);
      } catch (NumberFormatException overflow) {
        // out of i64 range: Meilisearch falls back to f64
      }
    }
    if (!RUST_F64.matcher(trimmed).matches()) {
      throw malformed("Error parsing number " + RustFormat.debug(value) + " at line " + dataLine
          + ": invalid float literal");
    }
    String lower = trimmed.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith("inf") || lower.endsWith("infinity") || lower.endsWith("nan")) {
      return null;
    }
    double d = Double.parseDouble(trimmed);
    return Double.isFinite(d) ? d : null;
  }

  private static Object bool(String trimmed, String value, long dataLine) {
    return switch (trimmed) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw malformed("Error parsing boolean " + RustFormat.debug(value) + " at line " + dataLine
          + ": provided string was not `true` or `false`");
    };
  }

  /** Rust's {@code str::trim}: strips Unicode {@code White_Space}, which is wider than Java's {@code strip}. */
  static String rustTrim(String s) {
    int start = 0;
    int stop = s.length();
    while (start < stop && isRustWhitespace(s.charAt(start))) {
      start++;
    }
    while (stop > start && isRustWhitespace(s.charAt(stop - 1))) {
      stop--;
    }
    return s.substring(start, stop);
  }

  private static boolean isRustWhitespace(char c) {
    return (c >= '\t' && c <= '\r') || c == ' ' || c == '\u0085' || c == '\u00A0' || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029' || c == '\u202F' || c == '\u205F'
        || c == '\u3000';
  }

  private static MeiliException malformed(String detail) {
    return new MeiliException(ErrorCode.MALFORMED_PAYLOAD, "The `csv` payload provided is malformed: `" + detail
        + "`.");
  }
}
