package io.keikomon.core;

/**
 * Base of every domain failure. Carries an optional hint telling the user what to do next.
 * Subclasses say what kind of failure it is; only {@code cli.ErrorReporter} turns kinds into exit codes.
 */
public class KeikoException extends RuntimeException {
  private final String hint;

  public KeikoException(String message, String hint) {
    this(message, hint, null);
  }

  public KeikoException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /** What the user can do about it, or null. */
  public String hint() {
    return hint;
  }
}
