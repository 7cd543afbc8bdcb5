package io.miroir.meili;

/**
 * A serde_json error: its description and the position serde_json reports ({@code "expected value at line 1 column
 * 1"}). {@code data} is serde_json's {@code Category::Data} (a well-formed value of the wrong type), which
 * Meilisearch reports differently from syntax errors.
 */
final class SerdeJsonException extends RuntimeException {
  private final String description;
  private final int line;
  private final int column;
  private final boolean data;

  SerdeJsonException(String description, int line, int column, boolean data) {
    super(description + " at line " + line + " column " + column, null, false, false);
    this.description = description;
    this.line = line;
    this.column = column;
    this.data = data;
  }

  String description() {
    return description;
  }

  int line() {
    return line;
  }

  int column() {
    return column;
  }

  boolean isData() {
    return data;
  }

  /** {@code Category::Eof} at line 1 column 0: serde_json's verdict on an empty body. */
  boolean isEmptyInput() {
    return line == 1 && column == 0 && description.startsWith("EOF");
  }
}
