package io.keikomon.core;

/** An operation could not be carried out (exit 1). */
public class OperationFailedException extends KeikoException {
  public OperationFailedException(String message, String hint) {
    super(message, hint);
  }

  public OperationFailedException(String message, String hint, Throwable cause) {
    super(message, hint, cause);
  }
}
