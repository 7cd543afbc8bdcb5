package io.miroir.canary;

/** A canary definition that cannot run, naming the field at fault ({@code assertions[1].k}). */
public final class InvalidCanaryException extends RuntimeException {
  private final String field;

  public InvalidCanaryException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The field at fault, relative to the definition. */
  public String field() {
    return field;
  }

  /** The reason, without the field. */
  public String reason() {
    return getMessage().substring(field.length() + 2);
  }
}
