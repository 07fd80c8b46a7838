package io.keikomon.content.promql;

/** The expression cannot be tokenized; {@code offset} is where (0-based). */
public final class PromqlSyntaxException extends Exception {
  private final int offset;

  public PromqlSyntaxException(String message, int offset) {
    super(message);
    this.offset = offset;
  }

  public int offset() {
    return offset;
  }
}
